// SPDX-License-Identifier: MIT
/*
 * ukcov fuzz --tmpfs=PATH --out DIR [--time T] [--jobs N] [--mode=M] [--ui]:
 * AFL++ over the tmpfs, with the host's /dev/shm as the oracle. Starts N
 * afl-fuzz instances (one -M, the rest -S) on ukcov-fuzz-guest under
 * `ukcov run --tmpfs=PATH`, seeded from the differential suite's scripts;
 * shows one progress line; at the end writes into DIR the findings (afl-tmin
 * minimized, as scripts, with both transcripts side by side), the corpus, a
 * coverage-over-time plot and `ukcov report --html` of the corpus. A second
 * run on the same DIR resumes. See docs/fuzzing.md.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define MAX_JOBS 64
#define MAX_FINDINGS 16

static const char fuzz_help[] =
	"usage: ukcov fuzz --tmpfs=PATH --out DIR [--time T] [--jobs N]\n"
	"                  [--mode=counters|trace] [--cmplog] [--ui] [--seeds DIR] [--all-ops]\n"
	"\n"
	"Fuzzes ukcov's tmpfs with AFL++, every input run on the host's /dev/shm\n"
	"(Linux's tmpfs) too and compared: a difference is a finding.\n"
	"\n"
	"options:\n"
	"  --tmpfs=PATH    where the tmpfs is mounted in the guest's view (need not\n"
	"                  exist on the host; nothing under it touches the host)\n"
	"  --out DIR       everything the run writes: afl/ (AFL++'s sync directory),\n"
	"                  findings/, corpus/, plot/, report/; a second run on the\n"
	"                  same DIR resumes\n"
	"  --time T        how long: seconds, or with s, m, h (default 10m)\n"
	"  --jobs N        AFL++ instances, one -M and N-1 -S (default 1)\n"
	"  --mode=M        counters (default): kcov blocks into AFL++'s map; trace:\n"
	"                  edges of consecutive PCs (the ukcov-trace build)\n"
	"  --cmplog        (trace mode) AFL++'s input-to-state stage on the kernel's\n"
	"                  comparison operands (KCOV_TRACE_CMP): afl-fuzz -c 0 on the\n"
	"                  -M instance\n"
	"  --ui            AFL++'s own screen (of the -M instance) instead of the\n"
	"                  progress line\n"
	"  --seeds DIR     the .fs scripts to start from (default: the source tree's\n"
	"                  tests/tmpfs/scripts, tests/fuzz/findings and\n"
	"                  tests/fuzz/seeds)\n"
	"  --all-ops       also the operations the tmpfs does not serve yet\n"
	"                  (`ukcov-fuzz-guest --ops`): each is a finding\n"
	"  -h, --help      this text\n";

struct fuzz_options {
	const char *tmpfs, *out, *seeds;
	long secs;
	int jobs;
	bool trace, ui, all_ops, cmplog;
};

struct instance {
	char name[16];
	char host[64]; /* its /dev/shm scratch directory */
	pid_t pid;
	bool stalled;  /* said so and stopped (instance_stalled()) */
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* "90", "30s", "10m", "2h" -> seconds; 0 or -EINVAL */
static int parse_duration(const char *s, long *secs)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || v <= 0)
		return -EINVAL;
	if (*end == 'm')
		v *= 60, end++;
	else if (*end == 'h')
		v *= 3600, end++;
	else if (*end == 's')
		end++;
	return *end || v > 30L * 24 * 3600 ? -EINVAL : (*secs = v, 0);
}

static void parse_options(int argc, char **argv, struct fuzz_options *o)
{
	static const struct option longs[] = {
		{ "tmpfs", required_argument, NULL, 't' }, { "out", required_argument, NULL, 'o' },
		{ "time", required_argument, NULL, 'T' }, { "jobs", required_argument, NULL, 'j' },
		{ "mode", required_argument, NULL, 'm' }, { "ui", no_argument, NULL, 'u' },
		{ "seeds", required_argument, NULL, 's' }, { "all-ops", no_argument, NULL, 'a' },
		{ "cmplog", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 }
	};
	char *end;
	int c;

	*o = (struct fuzz_options){ .secs = 600, .jobs = 1 };
	while ((c = getopt_long(argc, argv, "+h", longs, NULL)) != -1) {
		switch (c) {
		case 't': o->tmpfs = optarg; break;
		case 'o': o->out = optarg; break;
		case 's': o->seeds = optarg; break;
		case 'u': o->ui = true; break;
		case 'a': o->all_ops = true; break;
		case 'c': o->cmplog = true; break;
		case 'T':
			if (parse_duration(optarg, &o->secs) < 0)
				die("fuzz: --time '%s': a positive number of seconds, or with s, m or h (e.g. 10m)", optarg);
			break;
		case 'j':
			o->jobs = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || o->jobs < 1 || o->jobs > MAX_JOBS)
				die("fuzz: --jobs '%s': a number from 1 to %d", optarg, MAX_JOBS);
			break;
		case 'm':
			if (strcmp(optarg, "trace") && strcmp(optarg, "counters"))
				die("fuzz: --mode '%s': counters or trace", optarg);
			o->trace = !strcmp(optarg, "trace");
			break;
		case 'h':
			fputs(fuzz_help, stdout);
			exit(0);
		default:
			fputs(fuzz_help, stderr);
			exit(2);
		}
	}
	if (optind < argc)
		die("fuzz: unexpected argument '%s' (see ukcov fuzz --help)", argv[optind]);
	if (o->cmplog && !o->trace)
		die("fuzz: --cmplog needs --mode=trace (comparison operands are the trace build's)");
	if (!o->tmpfs || !o->out)
		die("fuzz: --tmpfs=PATH and --out DIR are required (see ukcov fuzz --help)");
	if (o->tmpfs[0] != '/' || !strcmp(o->tmpfs, "/") || strlen(o->tmpfs) > 64)
		die("fuzz: --tmpfs '%s': an absolute path other than /, at most 64 characters", o->tmpfs);
}

/* ---- processes ---- */

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, p, prog);
		if (access(buf, X_OK) == 0)
			return true;
		p += n + (p[n] == ':');
	}
	return false;
}

/* the directory ukcov runs from: ukcov-trace and the guest are beside it */
static void self_dir(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);

	if (n < 0)
		die_errno(errno, "fuzz: cannot find this binary (/proc/self/exe)");
	buf[n] = 0;
	*strrchr(buf, '/') = 0;
}

/*
 * The supervisor makes and removes a directory pair in $TMPDIR for each cwd
 * record (kernel/vfs/fsctx.c), and a fuzz guest makes one per input: on
 * ext4's /tmp each costs more than the rest of the trapped call (its inode
 * allocator's recently_deleted() scan), on a tmpfs little. Measured in
 * docs/ukcov-fuzz.md ("Speed"). So $TMPDIR is a directory of the run's own,
 * in the TMPDIR the user set, else in /dev/shm (a tmpfs) when writable, else
 * in /tmp; removed at the end. AFL++ SIGKILLs the target at each
 * instance's end, and a supervisor killed so leaves its private
 * directories behind (nothing in them): they go with this one.
 */
static char run_tmpdir[PATH_MAX];

static void tmpdir_env(void)
{
	const char *base = getenv("TMPDIR");
	struct statfs st;

	if (!base || base[0] != '/')
		base = statfs("/dev/shm", &st) == 0 && st.f_type == TMPFS_MAGIC &&
		       access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	if (snprintf(run_tmpdir, sizeof(run_tmpdir), "%s/ukcov-fuzz.%d.tmp", base, (int)getpid()) >=
	    (int)sizeof(run_tmpdir))
		die("fuzz: TMPDIR %s: the path is too long", base);
	if (mkdir(run_tmpdir, 0700) < 0)
		die_errno(errno, "fuzz: mkdir %s", run_tmpdir);
	setenv("TMPDIR", run_tmpdir, 1);
}

/* AFL++'s settings: ukcov has no AFL++ instrumentation of its own; the map is the default */
static void afl_env(void)
{
	tmpdir_env();
	setenv("AFL_SKIP_BIN_CHECK", "1", 1);
	setenv("AFL_SKIP_CPUFREQ", "1", 1);
	setenv("AFL_MAP_SIZE", "65536", 1);
	setenv("AFL_NO_AFFINITY", "1", 1);
	setenv("AFL_AUTORESUME", "1", 1);
	setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
	setenv("AFL_NO_WARN_INSTABILITY", "1", 1);
}

/*
 * Runs argv with stdin from @in and stdout (and stderr, with @err) to @out
 * when given; returns its exit status, or -1 when it did not exit.
 */
/*
 * In a child of ours: it gets SIGTERM when ukcov fuzz dies, however that
 * happens (SIGKILL included), so that no afl-fuzz or afl-tmin fuzzes on
 * without the run that would collect it. afl-fuzz stops on SIGTERM, the
 * oracle wrapper passes it on to what it runs.
 */
static void die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
		_exit(127);
}

static int run(char *const argv[], const char *in, const char *out, bool err)
{
	int status;
	pid_t self = getpid(), pid = fork();

	if (pid < 0)
		die_errno(errno, "fuzz: fork");
	if (pid == 0) {
		int fd;

		die_with_parent(self);

		if (in && ((fd = open(in, O_RDONLY)) < 0 || dup2(fd, 0) < 0))
			_exit(127);
		if (out && ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
			    dup2(fd, 1) < 0 || (err && dup2(fd, 2) < 0)))
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct target {
	char ukcov[PATH_MAX], guest[PATH_MAX], dict[PATH_MAX + 16];
	char mode[24], tmpfs[96];
	const struct fuzz_options *o;
};

/* `ukcov run --mode=M --tmpfs=P --fault-injection -- guest [--edges] [--all-ops] --host=H --mount=P` + extra */
static int target_argv(const struct target *t, const char *host, char **argv, int at,
		       const char *const *extra)
{
	static char hostopt[MAX_JOBS + 1][96], mountopt[96];
	static int k;

	snprintf(hostopt[k % (MAX_JOBS + 1)], sizeof(hostopt[0]), "--host=%s", host);
	snprintf(mountopt, sizeof(mountopt), "--mount=%s", t->o->tmpfs);
	argv[at++] = (char *)t->ukcov;
	argv[at++] = (char *)"run";
	argv[at++] = (char *)t->mode;
	argv[at++] = (char *)t->tmpfs;
	/* the vocabulary's failnth word (docs/fault-injection.md) */
	argv[at++] = (char *)"--fault-injection";
	argv[at++] = (char *)"--";
	argv[at++] = (char *)t->guest;
	if (t->o->trace)
		argv[at++] = (char *)"--edges";
	if (t->o->all_ops)
		argv[at++] = (char *)"--all-ops";
	argv[at++] = hostopt[k++ % (MAX_JOBS + 1)];
	argv[at++] = mountopt;
	for (; extra && *extra; extra++)
		argv[at++] = (char *)*extra;
	argv[at] = NULL;
	return at;
}

/*
 * `guest --with-oracle --host=H --` before a command that runs the target:
 * the /dev/shm side of each execution runs in an oracle process outside
 * the sandbox (fuzz/oracle.h), natively and beside the guest. Returns the
 * next free slot of argv.
 */
static int oracle_argv(const struct target *t, const char *host, char **argv)
{
	static char hostopt[MAX_JOBS + 1][96];
	static int k;
	char *opt = hostopt[k++ % (MAX_JOBS + 1)];

	snprintf(opt, sizeof(hostopt[0]), "--host=%s", host);
	argv[0] = (char *)t->guest;
	argv[1] = (char *)"--with-oracle";
	argv[2] = opt;
	argv[3] = (char *)"--";
	return 4;
}

/* ---- the output directory ---- */

static void mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			die_errno(errno, "fuzz: mkdir %s", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		die_errno(errno, "fuzz: mkdir %s", buf);
}

static void seeds_from_scripts(const struct target *t, const char *scripts, const char *dst)
{
	char in[PATH_MAX], out[PATH_MAX];
	char *argv[] = { (char *)t->guest, (char *)"--encode", t->o->all_ops ? (char *)"--all-ops" : NULL, NULL };
	struct dirent *d;
	DIR *dir = opendir(scripts);
	int n = 0;

	if (!dir)
		die_errno(errno, "fuzz: seeds %s (give the scripts with --seeds DIR)", scripts);
	while ((d = readdir(dir))) {
		size_t len = strlen(d->d_name);

		if (len < 4 || strcmp(d->d_name + len - 3, ".fs"))
			continue;
		snprintf(in, sizeof(in), "%s/%s", scripts, d->d_name);
		snprintf(out, sizeof(out), "%s/%.*s", dst, (int)(len - 3), d->d_name);
		if (run(argv, in, out, false) != 0)
			die("fuzz: cannot encode %s", in);
		n++;
	}
	closedir(dir);
	if (n == 0)
		die("fuzz: no .fs script in %s", scripts);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- the instances ---- */

static pid_t start_instance(const struct target *t, struct instance *in, int i,
			    const char *seeds, const char *afl_dir)
{
	char *argv[64], log[PATH_MAX + 32], tmo[] = "-t", tmov[] = "5000+";
	char secs[32];
	int at = oracle_argv(t, in->host, argv);
	pid_t pid, self;

	snprintf(in->name, sizeof(in->name), i ? "s%d" : "main", i);
	snprintf(secs, sizeof(secs), "%ld", t->o->secs);
	argv[at++] = (char *)"afl-fuzz";
	argv[at++] = (char *)"-i";
	argv[at++] = (char *)seeds;
	argv[at++] = (char *)"-o";
	argv[at++] = (char *)afl_dir;
	argv[at++] = (char *)(i ? "-S" : "-M");
	argv[at++] = in->name;
	argv[at++] = (char *)"-V";
	argv[at++] = secs;
	argv[at++] = (char *)"-m";
	argv[at++] = (char *)"none";
	argv[at++] = tmo;
	argv[at++] = tmov;
	argv[at++] = (char *)"-x";
	argv[at++] = (char *)t->dict;
	if (t->o->cmplog && i == 0) {
		argv[at++] = (char *)"-c";
		argv[at++] = (char *)"0";
	}
	argv[at++] = (char *)"--";
	target_argv(t, in->host, argv, at, NULL);
	snprintf(log, sizeof(log), "%s/%s.log", afl_dir, in->name);
	self = getpid();
	pid = fork();
	if (pid < 0)
		die_errno(errno, "fuzz: fork");
	if (pid == 0) {
		bool ui = t->o->ui && i == 0;
		int fd;

		die_with_parent(self);

		if (!ui) {
			setenv("AFL_NO_UI", "1", 1);
			if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0 ||
			    dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
				_exit(127);
			if ((fd = open("/dev/null", O_RDONLY)) >= 0)
				dup2(fd, 0);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

struct stats {
	double execs_per_sec;
	long edges, crashes, corpus, execs;
};

/* the entries of an instance's @dir ("id:..."), and the most executions one names */
static long count_entries(const char *afl_dir, const char *name, const char *dir, long *execs)
{
	char path[PATH_MAX];
	struct dirent *e;
	long n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s/%s", afl_dir, name, dir);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d))) {
		const char *x = strstr(e->d_name, ",execs:");
		long v = x ? strtol(x + 7, NULL, 10) : 0;

		if (strncmp(e->d_name, "id:", 3))
			continue;
		n++;
		if (v > *execs)
			*execs = v;
	}
	closedir(d);
	return n;
}

/*
 * What an instance's queue and crashes hold now: AFL++ writes an entry as
 * soon as it finds it, named with the executions done then ("execs:N"),
 * while fuzzer_stats and plot_data first come a minute into the run (a
 * 5-minute run showed "9 execs/s  559 execs" at 1:00, after 17,000). Stats
 * older than the newest entry have no rate: progress() makes one.
 */
static void read_entries(const char *afl_dir, const char *name, struct stats *one)
{
	long execs = 0, corpus = count_entries(afl_dir, name, "queue", &execs),
	     crashes = count_entries(afl_dir, name, "crashes", &execs);

	if (execs <= one->execs)
		return;
	one->execs = execs;
	one->execs_per_sec = -1;
	one->corpus = corpus > one->corpus ? corpus : one->corpus;
	one->crashes = crashes > one->crashes ? crashes : one->crashes;
}

/*
 * An instance's numbers: fuzzer_stats, or plot_data's last line when that
 * is newer (AFL++ rewrites each at its own pace).
 */
static void read_stats(const char *afl_dir, const char *name, struct stats *st)
{
	char path[PATH_MAX], line[512], last[512] = "";
	struct stats one = { 0 }, plot = { 0 };
	long run_time = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/fuzzer_stats", afl_dir, name);
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f)) {
			char *colon = strchr(line, ':');

			if (!colon)
				continue;
			if (!strncmp(line, "execs_per_sec ", 14))
				one.execs_per_sec = strtod(colon + 1, NULL);
			else if (!strncmp(line, "edges_found ", 12))
				one.edges = strtol(colon + 1, NULL, 10);
			else if (!strncmp(line, "saved_crashes ", 14))
				one.crashes = strtol(colon + 1, NULL, 10);
			else if (!strncmp(line, "corpus_count ", 13))
				one.corpus = strtol(colon + 1, NULL, 10);
			else if (!strncmp(line, "execs_done ", 11))
				one.execs = strtol(colon + 1, NULL, 10);
			else if (!strncmp(line, "run_time ", 9))
				run_time = strtol(colon + 1, NULL, 10);
		}
		fclose(f);
		/*
		 * The first fuzzer_stats, written after calibration with a
		 * run_time of 0, divides by a millisecond or so (351000
		 * execs/s for 351 executions): not a rate (progress() makes one).
		 */
		if (run_time < 5)
			one.execs_per_sec = -1;
	}
	snprintf(path, sizeof(path), "%s/%s/plot_data", afl_dir, name);
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f))
			if (line[0] != '#')
				snprintf(last, sizeof(last), "%s", line);
		fclose(f);
	}
	/* relative_time, cycles_done, cur_item, corpus_count, pending_total, pending_favs,
	 * map_size, saved_crashes, saved_hangs, max_depth, execs_per_sec, total_execs, edges_found */
	if (sscanf(last, "%*ld, %*ld, %*ld, %ld, %*ld, %*ld, %*[^,], %ld, %*ld, %*ld, %lf, %ld, %ld",
		   &plot.corpus, &plot.crashes, &plot.execs_per_sec, &plot.execs, &plot.edges) == 5 &&
	    plot.execs > one.execs)
		one = plot;
	read_entries(afl_dir, name, &one);
	if (one.execs_per_sec < 0 || st->execs_per_sec < 0)
		st->execs_per_sec = -1;
	else
		st->execs_per_sec += one.execs_per_sec;
	st->execs += one.execs;
	st->crashes += one.crashes;
	st->corpus += one.corpus;
	if (one.edges > st->edges)
		st->edges = one.edges;
}

/*
 * The guest's failed executions (UKCOV_FUZZ_ERRORS, fuzz/guest.c): the
 * oracle or a scratch directory failed, not a finding. A line each; counted
 * again only when the log grew.
 */
static char errlog[PATH_MAX + 32];

static long guest_errors(char *first, size_t len)
{
	static long count;
	static off_t seen;
	struct stat st;
	char line[512];
	bool at_start = true;
	FILE *f;

	if (first)
		first[0] = '\0';
	if (stat(errlog, &st) < 0 || (st.st_size == seen && !first) || !(f = fopen(errlog, "re")))
		return count;
	seen = st.st_size;
	count = 0;
	/* a failure is a line of its own; the scripts after it are indented */
	while (fgets(line, sizeof(line), f)) {
		if (at_start && line[0] != ' ' && count++ == 0 && first)
			snprintf(first, len, "%.*s", (int)strcspn(line, "\n"), line);
		at_start = strchr(line, '\n') != NULL;
	}
	fclose(f);
	return count;
}

/* one line, rewritten in place on a terminal; a line every 30 s otherwise */
static void progress(const struct fuzz_options *o, const char *afl_dir,
		     const struct instance *ins, int n, time_t start, bool final)
{
	static time_t last;
	struct stats st = { 0 };
	time_t now = time(NULL);
	bool tty = isatty(2);
	char failed[64] = "";
	long errors;

	if (o->ui || (!tty && !final && now - last < 30))
		return;
	last = now;
	for (int i = 0; i < n; i++)
		read_stats(afl_dir, ins[i].name, &st);
	/* no instance's own rate yet: the executions over the time so far */
	if (st.execs_per_sec < 0)
		st.execs_per_sec = now > start ? (double)st.execs / (double)(now - start) : 0;
	errors = guest_errors(NULL, 0);
	if (errors)
		snprintf(failed, sizeof(failed), "  %ld failed (guest-errors.log)", errors);
	fprintf(stderr, "%s[%3ld:%02ld / %ld:%02ld] %d job%s  %.0f execs/s  %ld execs  %ld %s (map entries)  %ld in corpus  %ld finding%s%s%s",
		tty ? "\r" : "", (long)(now - start) / 60, (long)(now - start) % 60,
		o->secs / 60, o->secs % 60, n, n > 1 ? "s" : "", st.execs_per_sec, st.execs,
		st.edges, o->trace ? "edges" : "blocks", st.corpus, st.crashes,
		st.crashes == 1 ? "" : "s", failed, tty && !final ? "   " : "\n");
	fflush(stderr);
}

/* AFL++'s reason for an abort ("[-] PROGRAM ABORT : WHY"), its colours taken out; "" if none */
static void afl_abort_reason(const char *log, char *why, size_t cap)
{
	char line[1024], *p, *q;
	FILE *f = fopen(log, "r");

	*why = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!(p = strstr(line, "PROGRAM ABORT")) || !(p = strchr(p, ':')))
			continue;
		/* ESC [ ... letter, and the charset shifts (SO, SI) AFL++ writes */
		for (q = why, p++; *p && *p != '\n' && q < why + cap - 1; p++) {
			if (*p == '\033') {
				while (p[1] && !((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z')))
					p++;
				p += !!p[1];
			} else if ((unsigned char)*p >= ' ') {
				*q++ = *p;
			}
		}
		*q = 0;
	}
	fclose(f);
	for (p = why; *p == ' '; p++)
		;
	memmove(why, p, strlen(p) + 1);
}

/*
 * An instance that ends before its time (-V) and before it was asked to:
 * AFL++ aborted. The usual cause is the target's death (the forkserver
 * runs in the guest, under the supervisor, and a supervisor that crashes
 * takes it along): a ukcov bug, whose input AFL++ keeps in .cur_input.
 * Said with AFL++'s own reason; the run goes on to its wrap-up, and ends
 * with exit 1. Returns whether it was such an end.
 */
static bool instance_ended_early(const struct fuzz_options *o, const char *afl_dir,
				 const struct instance *in, int status, long elapsed)
{
	char log[PATH_MAX + 32], why[512], how[32];

	if (in->stalled || stop_requested || getenv("AFL_BENCH_UNTIL_CRASH") || elapsed >= o->secs - 5)
		return false;
	snprintf(log, sizeof(log), "%s/%s.log", afl_dir, in->name);
	afl_abort_reason(log, why, sizeof(why));
	if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "signal %d", WTERMSIG(status));
	else
		snprintf(how, sizeof(how), "exit %d", WEXITSTATUS(status));
	fprintf(stderr, "\nukcov fuzz: instance %s ended after %ld:%02ld of %ld:%02ld (%s): %s\n", in->name,
		elapsed / 60, elapsed % 60, o->secs / 60, o->secs % 60, how,
		*why ? why : "no reason in its log");
	if (strstr(why, "fork server"))
		fprintf(stderr, "ukcov fuzz: the target died, `ukcov run` with it: if the supervisor crashed, "
				"that is a ukcov bug; the input it ran is %s/%s/.cur_input "
				"(docs/ukcov-fuzz.md, \"The guest alone\")\n", afl_dir, in->name);
	fprintf(stderr, "ukcov fuzz: AFL++'s log: %s\n", log);
	return true;
}

/*
 * An instance whose stats stopped: AFL++ rewrites plot_data every 5 s and
 * fuzzer_stats every minute while it runs, and its timeout (-t) ends a
 * slow execution within seconds. Silence for longer (UKCOV_FUZZ_STALL_SECS,
 * default 180) means AFL++ itself waits for its forkserver, which runs in
 * the guest: a trapped call the supervisor never answers, a ukcov bug (the
 * tenth run of 7 Dec: the supervisor waited in a FIFO's open for a guest).
 * Said so, with the input AFL++ kept, and the instance stopped (on SIGINT
 * AFL++ kills its target). Only once the instance has written stats in
 * this run: a resumed run's old ones, and the dry run, do not count.
 */
static bool instance_stalled(const char *afl_dir, struct instance *in, time_t start, time_t now)
{
	const char *env = getenv("UKCOV_FUZZ_STALL_SECS");
	long limit = env && atol(env) > 0 ? atol(env) : 180;
	char path[PATH_MAX + 64];
	struct stat a, b;

	snprintf(path, sizeof(path), "%s/%s/fuzzer_stats", afl_dir, in->name);
	if (in->stalled || stat(path, &a) || a.st_mtime < start)
		return false;
	snprintf(path, sizeof(path), "%s/%s/plot_data", afl_dir, in->name);
	if (!stat(path, &b) && b.st_mtime > a.st_mtime)
		a.st_mtime = b.st_mtime;
	if (now - a.st_mtime <= limit)
		return false;
	fprintf(stderr, "\nukcov fuzz: instance %s made no progress for %ld s: its target hangs where AFL++'s "
			"timeout cannot end it (the supervisor answers no call: a ukcov bug); stopping it. "
			"The input it ran is %s/%s/.cur_input (docs/ukcov-fuzz.md, \"The guest alone\")\n",
		in->name, (long)(now - a.st_mtime), afl_dir, in->name);
	in->stalled = true;
	kill(in->pid, SIGINT);
	return true;
}

/* Waits for the instances; returns how many ended early (instance_ended_early(), instance_stalled()). */
static int wait_instances(const struct fuzz_options *o, const char *afl_dir,
			  struct instance *ins, int n)
{
	time_t start = time(NULL);
	int alive = n, status, early = 0;
	bool stopping = false;

	while (alive > 0) {
		for (int i = 0; i < n; i++)
			if (ins[i].pid > 0 && waitpid(ins[i].pid, &status, WNOHANG) == ins[i].pid) {
				ins[i].pid = 0, alive--;
				early += instance_ended_early(o, afl_dir, &ins[i], status, time(NULL) - start);
				/* AFL_BENCH_UNTIL_CRASH: the first finding ends the whole run */
				if (getenv("AFL_BENCH_UNTIL_CRASH"))
					stop_requested = 1;
			}
		for (int i = 0; i < n; i++)
			if (ins[i].pid > 0)
				early += instance_stalled(afl_dir, &ins[i], start, time(NULL));
		/* -V ends each instance; this is for one that does not */
		if (!stopping && (stop_requested || time(NULL) - start > o->secs + 120)) {
			for (int i = 0; i < n; i++)
				if (ins[i].pid > 0)
					kill(ins[i].pid, SIGINT);
			stopping = true;
		}
		progress(o, afl_dir, ins, n, start, false);
		usleep(500000);
	}
	progress(o, afl_dir, ins, n, start, true);
	return early;
}

/* ---- at the end ---- */

static void report_guest_errors(void)
{
	char first[512];
	long n = guest_errors(first, sizeof(first));

	if (n)
		fprintf(stderr, "ukcov fuzz: %ld execution%s failed in the guest, not in the kernel "
				"(the first: %s): %s\n", n, n == 1 ? "" : "s", first, errlog);
}

/* the first differing line of a reproducer: operation and both results (as the guest's key) */
static void finding_key(const char *txt, char *key, size_t cap)
{
	char line[1024], op[64] = "", res[2][256] = { "", "" };
	FILE *f = fopen(txt, "r");
	int k = 0;

	*key = 0;
	if (!f)
		return;
	while (k < 2 && fgets(line, sizeof(line), f)) {
		char *arrow;

		if (line[0] != '!')
			continue;
		if (k == 0)
			sscanf(line, "! %*s %63s", op);
		arrow = strstr(line, "=> ");
		snprintf(res[k], sizeof(res[k]), "%.*s", arrow ? (int)strcspn(arrow + 3, " \n") : 0,
			 arrow ? arrow + 3 : "");
		k++;
	}
	fclose(f);
	if (*op)
		snprintf(key, cap, "%s %s %s", op, res[0], res[1]);
}

static void collect_findings(const struct target *t, const char *afl_dir, const char *dst,
			     const char *host, const struct instance *ins, int n)
{
	char keys[MAX_FINDINGS][512], crashes[PATH_MAX], path[PATH_MAX * 2], min[PATH_MAX + 32],
		txt[PATH_MAX + 32], fs[PATH_MAX + 32], key[512], *argv[64];
	int nkeys = 0, total = 0;
	DIR *old = opendir(dst);
	struct dirent *e;

	/* a resumed run collects every crash again: the previous run's files go */
	while (old && (e = readdir(old)))
		if (!strncmp(e->d_name, "finding-", 8) && snprintf(path, sizeof(path), "%s/%s", dst, e->d_name) > 0)
			unlink(path);
	if (old)
		closedir(old);
	/* the user's pattern (docs/ukcov-fuzz.md) stays: only its differences are findings */
	bool user_key = getenv("UKCOV_FUZZ_KEY") != NULL;

	for (int i = 0; i < n; i++) {
		struct dirent *d;
		DIR *dir;

		snprintf(crashes, sizeof(crashes), "%s/%s/crashes", afl_dir, ins[i].name);
		if (!(dir = opendir(crashes)))
			continue;
		while ((d = readdir(dir)) && nkeys < MAX_FINDINGS) {
			const char *repro[] = { "--repro", path, NULL };
			int at = oracle_argv(t, host, argv);

			if (strncmp(d->d_name, "id:", 3))
				continue;
			total++;
			snprintf(path, sizeof(path), "%s/%s", crashes, d->d_name);
			snprintf(txt, sizeof(txt), "%s/finding-%d.txt", dst, nkeys + 1);
			target_argv(t, host, argv, at, repro);
			run(argv, NULL, txt, false);
			finding_key(txt, key, sizeof(key));
			bool seen = false;
			for (int k = 0; k < nkeys; k++)
				seen |= !strcmp(keys[k], key);
			if (seen || !*key) {
				unlink(txt);
				continue;
			}
			snprintf(keys[nkeys++], sizeof(keys[0]), "%s", key);
			/* afl-tmin: the shortest input that still differs */
			snprintf(min, sizeof(min), "%s/finding-%d.input", dst, nkeys);
			argv[at++] = (char *)"afl-tmin";
			argv[at++] = (char *)"-i";
			argv[at++] = path;
			argv[at++] = (char *)"-o";
			argv[at++] = min;
			argv[at++] = (char *)"-m";
			argv[at++] = (char *)"none";
			argv[at++] = (char *)"-t";
			argv[at++] = (char *)"5000";
			argv[at++] = (char *)"--";
			target_argv(t, host, argv, at, NULL);
			snprintf(fs, sizeof(fs), "%s/afl-tmin.log", dst);
			if (!user_key)
				setenv("UKCOV_FUZZ_KEY", key, 1);
			if (run(argv, "/dev/null", fs, true) != 0)
				snprintf(min, sizeof(min), "%s", path);
			if (!user_key)
				unsetenv("UKCOV_FUZZ_KEY");
			const char *repro_min[] = { "--repro", min, NULL };
			target_argv(t, host, argv, oracle_argv(t, host, argv), repro_min);
			run(argv, NULL, txt, false);
			snprintf(fs, sizeof(fs), "%s/finding-%d.fs", dst, nkeys);
			char *dec[] = { (char *)t->guest, (char *)"--decode", min, NULL, NULL };
			if (t->o->all_ops)
				dec[2] = (char *)"--all-ops", dec[3] = min;
			run(dec, NULL, fs, false);
			fprintf(stderr, "ukcov fuzz: finding %d: %s (%s)\n", nkeys, key, fs);
		}
		closedir(dir);
	}
	if (total)
		fprintf(stderr, "ukcov fuzz: %d crashing input%s, %d distinct finding%s in %s\n", total,
			total == 1 ? "" : "s", nkeys, nkeys == 1 ? "" : "s", dst);
}

/* the corpus: every instance's queue, as links (or copies) under DIR/corpus */
static int collect_corpus(const char *afl_dir, const char *dst, const struct instance *ins, int n,
			  char ***files)
{
	char queue[PATH_MAX], from[PATH_MAX * 2], to[PATH_MAX * 2];
	int count = 0, cap = 256;

	*files = malloc((size_t)cap * sizeof(**files));
	for (int i = 0; i < n; i++) {
		struct dirent *d;
		DIR *dir;

		snprintf(queue, sizeof(queue), "%s/%s/queue", afl_dir, ins[i].name);
		if (!(dir = opendir(queue)))
			continue;
		while ((d = readdir(dir))) {
			if (strncmp(d->d_name, "id:", 3))
				continue;
			snprintf(from, sizeof(from), "%s/%s", queue, d->d_name);
			snprintf(to, sizeof(to), "%s/%s-%.6s", dst, ins[i].name, d->d_name + 3);
			unlink(to);
			if (link(from, to) < 0) {
				char *cp[] = { (char *)"cp", from, to, NULL };

				run(cp, NULL, NULL, false);
			}
			if (count == cap)
				*files = realloc(*files, (size_t)(cap *= 2) * sizeof(**files));
			(*files)[count++] = strdup(to);
		}
		closedir(dir);
	}
	return count;
}

static void report(const struct target *t, const char *out, const char *host, char **files, int n)
{
	char pcs[PATH_MAX + 16], html[PATH_MAX + 16], cov[PATH_MAX + 32], tool[PATH_MAX + 16];
	char **argv = calloc((size_t)n + 32, sizeof(*argv));
	const char *replay[] = { "--replay", NULL };
	int at;

	snprintf(pcs, sizeof(pcs), "%s/corpus.pcs", out);
	snprintf(cov, sizeof(cov), "--coverage=%s", pcs);
	at = oracle_argv(t, host, argv);
	at = target_argv(t, host, argv, at, replay);
	/* --coverage goes before --: after "run" */
	memmove(argv + 7, argv + 6, (size_t)(at - 5) * sizeof(*argv));
	argv[6] = cov;
	at++;
	for (int i = 0; i < n; i++)
		argv[at++] = files[i];
	argv[at] = NULL;
	run(argv, NULL, "/dev/null", true);
	free(argv);
	snprintf(html, sizeof(html), "%s/report", out);
	snprintf(tool, sizeof(tool), "%s%s", t->ukcov, t->o->trace ? "-trace" : "");
	char *rep[] = { tool, (char *)"report", (char *)"--html", html, pcs, NULL };
	if (run(rep, NULL, "/dev/null", true) == 0)
		fprintf(stderr, "ukcov fuzz: coverage of the corpus: %s/index.html\n", html);
	else
		fprintf(stderr, "ukcov fuzz: ukcov report failed (%s)\n", pcs);
}

static void plot(const char *afl_dir, const char *out)
{
	char main_dir[PATH_MAX + 8], plot_dir[PATH_MAX + 8], log[PATH_MAX + 24], line[256], why[264] = "";
	char *argv[] = { (char *)"afl-plot", main_dir, plot_dir, NULL };
	FILE *f;

	snprintf(main_dir, sizeof(main_dir), "%s/main", afl_dir);
	snprintf(plot_dir, sizeof(plot_dir), "%s/plot", out);
	if (!in_path("gnuplot")) {
		fprintf(stderr, "ukcov fuzz: no plot: gnuplot is not installed (apt-get install -y gnuplot-nox)\n");
		return;
	}
	mkdir_p(plot_dir);
	snprintf(log, sizeof(log), "%s/afl-plot.log", plot_dir);
	if (run(argv, NULL, log, true) == 0) {
		fprintf(stderr, "ukcov fuzz: coverage and speed over time: %s/index.html (edges.png, exec_speed.png)\n",
			plot_dir);
		return;
	}
	/* its reason: "plot_data carries too little data" after a run of seconds */
	if ((f = fopen(log, "re"))) {
		while (fgets(line, sizeof(line), f))
			if (strstr(line, "Error"))
				snprintf(why, sizeof(why), ": %s", line);
		fclose(f);
	}
	why[strcspn(why, "\n")] = 0;
	fprintf(stderr, "ukcov fuzz: afl-plot failed%s (%s)\n", why, log);
}

int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_options o;
	struct instance ins[MAX_JOBS] = { 0 };
	struct target t;
	char dir[PATH_MAX], afl_dir[PATH_MAX + 8], seeds[PATH_MAX + 8], scripts[PATH_MAX + 32],
		findings[PATH_MAX + 16], corpus[PATH_MAX + 16];
	char **files;
	int n, early;

	parse_options(argc, argv, &o);
	if (!in_path("afl-fuzz") || !in_path("afl-tmin"))
		die("fuzz: AFL++ is not installed. Run as root:  apt-get install -y afl++ gnuplot-nox");
	self_dir(dir, sizeof(dir));
	t.o = &o;
	snprintf(t.ukcov, sizeof(t.ukcov), "%s/ukcov", dir);
	snprintf(t.guest, sizeof(t.guest), "%s/ukcov-fuzz-guest", dir);
	snprintf(t.mode, sizeof(t.mode), "--mode=%s", o.trace ? "trace" : "counters");
	snprintf(t.tmpfs, sizeof(t.tmpfs), "--tmpfs=%s", o.tmpfs);
	if (access(t.guest, X_OK) < 0)
		die_errno(errno, "fuzz: %s", t.guest);
	snprintf(scripts, sizeof(scripts), "%s/../../tests/tmpfs/scripts", dir);
	mkdir_p(o.out);
	snprintf(afl_dir, sizeof(afl_dir), "%s/afl", o.out);
	snprintf(seeds, sizeof(seeds), "%s/seeds", o.out);
	snprintf(findings, sizeof(findings), "%s/findings", o.out);
	snprintf(corpus, sizeof(corpus), "%s/corpus", o.out);
	mkdir_p(afl_dir);
	mkdir_p(seeds);
	mkdir_p(findings);
	mkdir_p(corpus);
	seeds_from_scripts(&t, o.seeds ? o.seeds : scripts, seeds);
	/* and the scripts only `ukcov run` serves (fork, pipes, findings) */
	snprintf(scripts, sizeof(scripts), "%s/../../tests/fuzz/findings", dir);
	if (!o.seeds && access(scripts, R_OK) == 0)
		seeds_from_scripts(&t, scripts, seeds);
	/* and the fuzzer's own words (failnth: no /dev/shm side could run them alone) */
	snprintf(scripts, sizeof(scripts), "%s/../../tests/fuzz/seeds", dir);
	if (!o.seeds && access(scripts, R_OK) == 0)
		seeds_from_scripts(&t, scripts, seeds);
	/* the encoding's path tokens, for AFL++'s dictionary stages (fuzz/vocab.c) */
	snprintf(t.dict, sizeof(t.dict), "%s/ukcov.dict", o.out);
	if (run((char *[]){ t.guest, (char *)"--dict", NULL }, NULL, t.dict, false) != 0)
		die("fuzz: %s --dict failed", t.guest);
	afl_env();
	/* absolute: the guest runs in its scratch directories */
	if (!realpath(o.out, errlog))
		die_errno(errno, "fuzz: %s", o.out);
	if (strlen(errlog) > PATH_MAX - 20)
		die("fuzz: %s: the path is too long", o.out);
	strcat(errlog, "/guest-errors.log");
	unlink(errlog); /* this run's own (a resumed run's corpus stays) */
	setenv("UKCOV_FUZZ_ERRORS", errlog, 1);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (int i = 0; i < o.jobs; i++) {
		snprintf(ins[i].host, sizeof(ins[i].host), "/dev/shm/ukcov-fuzz.%d.%d", (int)getpid(), i);
		/* searchable by the fsuids the scripts switch to, not listable */
		if (mkdir(ins[i].host, 0711) < 0 || chmod(ins[i].host, 0711) < 0)
			die_errno(errno, "fuzz: mkdir %s", ins[i].host);
	}
	for (int i = 0; i < o.jobs; i++)
		ins[i].pid = start_instance(&t, &ins[i], i, seeds, afl_dir);
	early = wait_instances(&o, afl_dir, ins, o.jobs);
	signal(SIGINT, SIG_DFL);
	unsetenv("UKCOV_FUZZ_ERRORS"); /* afl-tmin's and the replays' are not the run's */
	report_guest_errors();
	collect_findings(&t, afl_dir, findings, ins[0].host, ins, o.jobs);
	n = collect_corpus(afl_dir, corpus, ins, o.jobs, &files);
	fprintf(stderr, "ukcov fuzz: corpus: %d inputs in %s\n", n, corpus);
	plot(afl_dir, o.out);
	report(&t, o.out, ins[0].host, files, n);
	for (int i = 0; i < o.jobs; i++)
		rm_rf(ins[i].host);
	rm_rf(run_tmpdir);
	if (early)
		fprintf(stderr, "ukcov fuzz: %d instance%s ended before %s time (above)\n", early,
			early == 1 ? "" : "s", early == 1 ? "its" : "their");
	return early ? 1 : 0;
}
