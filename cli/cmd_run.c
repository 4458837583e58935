// SPDX-License-Identifier: MIT
/* ukcov run [options] -- PROG [ARGS...] */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	"  -v, --verbose   log every trapped syscall on stderr\n"
	"  --no-sync-wakeup  do not ask for SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP\n"
	"                  (for benchmarks: shows what the flag saves)\n"
	"  -h, --help      this text\n";

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "no-sync-wakeup", no_argument, NULL, 'W' },
		{ 0 },
	};
	struct sandbox_options o = { 0 };
	const char *what = "";
	int opt, status, err;

	while ((opt = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			fputs(run_help, stdout);
			return 0;
		case 'W':
			o.no_sync_wakeup = true;
			break;
		default:
			fputs(run_help, stderr);
			return 2;
		}
	}
	if (optind >= argc)
		die("run: no program given (usage: ukcov run [OPTIONS] -- PROG [ARGS...])");
	o.argv = argv + optind;
	err = sandbox_run(&o, &status, &what);
	if (err && what == sandbox_step_exec) {
		/* As a shell reports it: 127 for a program not found, 126 otherwise. */
		fprintf(stderr, "ukcov: run: cannot execute '%s': %s\n", argv[optind], strerror(-err));
		return err == -ENOENT ? 127 : 126;
	}
	if (err)
		die_errno(-err, "run: %s '%s'", what, argv[optind]);
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
