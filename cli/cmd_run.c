// SPDX-License-Identifier: MIT
/* ukcov run [options] -- PROG [ARGS...] */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ukcov/srcmap.h>
#include <ukcov/ukcov.h>

#include "../kernel/sandbox.h"
#include "cli.h"

static const char run_help[] =
	"usage: ukcov run [OPTIONS] -- PROG [ARGS...]\n"
	"\n"
	"Runs PROG under ukcov's user-space kernel (seccomp user notification).\n"
	"PROG sees /sys/kernel/debug/kcov with Linux's ABI; the kernel code its\n"
	"syscalls run (ukcov's own, instrumented) is what the coverage shows.\n"
	"Exits with PROG's status, or 128+N when PROG is killed by signal N.\n"
	"\n"
	"options:\n"
	"  --instrumentation-filter=PATTERNS\n"
	"                  report only blocks whose source file matches: comma-\n"
	"                  separated globs over paths relative to the repository\n"
	"                  root (`*` also matches `/`; a pattern also matches the\n"
	"                  files under a directory it names). A leading `-`\n"
	"                  excludes; the last pattern that matches a file decides;\n"
	"                  when the first pattern excludes, other files are kept.\n"
	"                  Other blocks are never scanned. A pattern that matches\n"
	"                  no instrumented file is an error.\n"
	"                  e.g. --instrumentation-filter='kernel/fs/*,-kernel/fs/tmpfs/dir.c'\n"
	"  --coverage=FILE every block of the kernel that ran during the whole run\n"
	"                  (all threads and processes, with or without a kcov\n"
	"                  client), written to FILE when PROG exits, one hex PC\n"
	"                  per line: what `ukcov report` reads. Composes with\n"
	"                  --instrumentation-filter, --tmpfs and --mode.\n"
	"  --tmpfs=PATH[:OPT,...]\n"
	"                  an empty in-memory file system (ukcov's user-space tmpfs,\n"
	"                  instrumented) at PATH in PROG's view, with Linux tmpfs's\n"
	"                  options and defaults: size=N[k|m|g|%] (half of RAM; 0: no\n"
	"                  limit), nr_inodes=N (half of RAM's pages; 0: no limit),\n"
	"                  mode= (1777), uid=, gid= (0). Repeatable. Nothing under\n"
	"                  PATH touches the host; PATH need not exist there.\n"
	"  --mode=counters|trace\n"
	"                  counters (default): a set of blocks per syscall, flushed\n"
	"                  at the return to user space; KCOV_TRACE_CMP is ENOTSUPP.\n"
	"                  trace: Linux's ordered trace with duplicates, comparison\n"
	"                  operands (KCOV_TRACE_CMP), written as the kernel runs\n"
	"                  (the ukcov-trace build). The PCs are the same in both.\n"
	"                  Default: $UKCOV_MODE if set, else counters.\n"
	"  --fault-injection\n"
	"                  serve /proc/thread-self/fail-nth as Linux's\n"
	"                  CONFIG_FAULT_INJECTION does: a thread writes N there and\n"
	"                  the Nth allocation (or argument copy) of the kernel\n"
	"                  serving its next calls fails (ENOMEM, EFAULT); reading\n"
	"                  it back says 0 if one did. For\n"
	"                  fuzzers (syzkaller's fault injection, ukcov fuzz).\n"
	"  -v, --verbose   say which path each kernel feature takes, then log\n"
	"                  every trapped syscall on stderr\n"
	"  --no-sync-wakeup  do not ask for SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP\n"
	"                  (for benchmarks: shows what the flag saves)\n"
	"  -h, --help      this text\n"
	"\n"
	"environment:\n"
	"  UKCOV_COVERAGE_DIR=DIR\n"
	"                  without --coverage, write the run's coverage to\n"
	"                  DIR/ukcov-run.PID.pcs (a test suite's coverage, run by\n"
	"                  run: cat DIR/*.pcs | ukcov report ...)\n"
	"  UKCOV_FORCE_FALLBACKS=all|LIST\n"
	"                  act as on an older kernel: do without the features\n"
	"                  named (comma-separated: pidfd_thread, sync_wakeup;\n"
	"                  1 or all: every one). For testing the fallbacks;\n"
	"                  -v says which path each feature takes.\n";

/*
 * UKCOV_FORCE_FALLBACKS: the features to do without, so that the paths
 * older kernels take are tested on a new one. Taken out of the environment
 * the guest inherits: a guest sees no trace of it.
 */
static unsigned int force_fallbacks(void)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} names[] = {
		{ "1", SANDBOX_FALLBACK_ALL },
		{ "all", SANDBOX_FALLBACK_ALL },
		{ "pidfd_thread", SANDBOX_FALLBACK_PIDFD_THREAD },
		{ "sync_wakeup", SANDBOX_FALLBACK_SYNC_WAKEUP },
		{ "exit_watch", SANDBOX_FALLBACK_EXIT_WATCH },
		{ "tmpfs_store", SANDBOX_FALLBACK_TMPFS_STORE },
		{ "0", 0 },
	};
	const char *env = getenv("UKCOV_FORCE_FALLBACKS");
	unsigned int bits = 0;

	if (!env)
		return 0;
	for (const char *p = env; *p;) {
		size_t len = strcspn(p, ",");
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (len == strlen(names[i].name) && !strncmp(p, names[i].name, len))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			die("run: UKCOV_FORCE_FALLBACKS: unknown feature '%.*s' (known: all, pidfd_thread, sync_wakeup, exit_watch, tmpfs_store)",
			    (int)len, p);
		bits |= names[i].bit;
		p += len + (p[len] == ',');
	}
	unsetenv("UKCOV_FORCE_FALLBACKS");
	return bits;
}

static noreturn void filter_nomatch(const struct ukcov_srcmap *m, const char *bad, size_t len)
{
	fprintf(stderr, "ukcov: run: --instrumentation-filter: '%.*s' matches no instrumented file; "
		"the instrumented files are:\n", (int)len, bad);
	for (size_t i = 0; i < ukcov_srcmap_file_count(m); i++)
		fprintf(stderr, "  %s\n", ukcov_srcmap_file(m, i));
	exit(2);
}

/*
 * Selects the blocks of the files `patterns` matches. The block table is
 * process-global, so this is done here, before the guest starts; reading the
 * DWARF is paid only by runs that filter.
 */
static void filter_apply(const char *patterns)
{
	struct ukcov_srcmap *m = cli_srcmap_open("run", NULL);
	size_t nfiles = ukcov_srcmap_file_count(m), n = ukcov_block_count();
	const char **files = malloc((nfiles + 1) * sizeof(*files));
	bool *fmask = calloc(nfiles + 1, 1), *bmask = calloc(n + 1, 1);
	const char *bad = patterns;
	size_t badlen = 0;
	int err;

	if (!files || !fmask || !bmask)
		die_errno(ENOMEM, "run: --instrumentation-filter");
	for (size_t i = 0; i < nfiles; i++)
		files[i] = ukcov_srcmap_file(m, i);
	err = ukcov_filter_files(patterns, files, nfiles, fmask, &bad, &badlen);
	if (err) {
		/* Freed before the exit: LeakSanitizer counts what only a dead frame holds. */
		free(files);
		free(fmask);
		free(bmask);
	}
	if (err == -ENOENT)
		filter_nomatch(m, bad, badlen);
	if (err == -EINVAL)
		die("run: --instrumentation-filter: empty pattern in '%s'", patterns);
	if (err)
		die_errno(-err, "run: --instrumentation-filter");
	for (size_t i = 0; i < n; i++) {
		struct ukcov_srcloc l;

		bmask[i] = !ukcov_srcmap_block(m, i, &l) && fmask[l.file_id];
	}
	err = ukcov_set_block_filter(bmask);
	if (err)
		die_errno(-err, "run: --instrumentation-filter");
	free(files);
	free(fmask);
	free(bmask);
	ukcov_srcmap_close(m);
}

static void coverage_pc(size_t index, void *arg)
{
	fprintf(arg, "0x%" PRIx64 "\n", ukcov_pc_of_index(index));
}

/* --coverage: every block that ran, as hex PCs (what `ukcov report` reads). */
static void coverage_write(FILE *f, const char *path)
{
	ukcov_cumulative_foreach(coverage_pc, f);
	if (fflush(f) || ferror(f) || fclose(f))
		die_errno(errno ? errno : EIO, "run: --coverage: writing %s", path);
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "instrumentation-filter", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "no-sync-wakeup", no_argument, NULL, 'W' },
		{ "tmpfs", required_argument, NULL, 't' },
		{ "mode", required_argument, NULL, 'm' },
		{ "coverage", required_argument, NULL, 'c' },
		{ "fault-injection", no_argument, NULL, 'F' },
		{ 0 },
	};
	const char **tmpfs = calloc((size_t)argc + 1, sizeof(*tmpfs));
	int ntmpfs = 0;
	struct sandbox_options o = { 0 };
	const char *what = "", *filter = NULL, *mode = getenv("UKCOV_MODE"), *coverage = NULL;
	const char *cov_dir;
	char cov_path[PATH_MAX];
	FILE *cov = NULL;
	int opt, status = 0, err;

	if (!tmpfs)
		die_errno(ENOMEM, "run");
	while ((opt = getopt_long_only(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			filter = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			fputs(run_help, stdout);
			goto out;
		case 'W':
			o.no_sync_wakeup = true;
			break;
		case 't':
			tmpfs[ntmpfs++] = optarg;
			break;
		case 'm':
			mode = optarg;
			break;
		case 'c':
			coverage = optarg;
			break;
		case 'F':
			o.fault_injection = true;
			break;
		default:
			fputs(run_help, stderr);
			status = 2;
			goto out;
		}
	}
	if (optind >= argc)
		die("run: no program given (usage: ukcov run [OPTIONS] -- PROG [ARGS...])");
	if (mode && *mode && strcmp(mode, "trace") && strcmp(mode, "counters"))
		die("run: --mode: expected 'counters' or 'trace', got '%s'", mode);
	/* The other mode is the other build of the kernel: hand the whole command to it. */
	cli_exec_twin(mode && !strcmp(mode, "trace"), argv);
	/* Opened before PROG runs: a path that cannot be written is said now, not after. */
	/* A test suite's coverage, run by run; the guest inherits no trace of it. */
	if ((cov_dir = getenv("UKCOV_COVERAGE_DIR")) && *cov_dir && !coverage) {
		if (snprintf(cov_path, sizeof(cov_path), "%s/ukcov-run.%d.pcs", cov_dir,
			     (int)getpid()) >= (int)sizeof(cov_path))
			die("run: UKCOV_COVERAGE_DIR: %s: the path is too long", cov_dir);
		coverage = cov_path;
	}
	unsetenv("UKCOV_COVERAGE_DIR");
	if (coverage) {
		cov = fopen(coverage, "we");
		if (!cov)
			die_errno(errno, "run: --coverage: %s", coverage);
		err = ukcov_cumulative_enable();
		if (err)
			die_errno(-err, "run: --coverage");
	}
	o.argv = argv + optind;
	o.tmpfs = tmpfs;
	o.force_fallbacks = force_fallbacks();
	if (filter)
		filter_apply(filter);
	err = sandbox_run(&o, &status, &what);
	if (err && what == sandbox_step_exec) {
		/* As a shell reports it: 127 for a program not found, 126 otherwise. */
		fprintf(stderr, "ukcov: run: cannot execute '%s': %s\n", argv[optind], strerror(-err));
		status = err == -ENOENT ? 127 : 126;
	} else if (err) {
		die_errno(-err, "run: %s", what);
	}
	if (cov)
		coverage_write(cov, coverage);
out:
	free(tmpfs);
	return status;
}

int cmd_syscalls(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		die("syscalls: takes no arguments");
	sandbox_print_syscalls();
	return 0;
}
