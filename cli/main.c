// SPDX-License-Identifier: MIT
/* ukcov: kcov for user-space kernels. Subcommands are dispatched from a table. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ukcov/ukcov.h>
#include <ukcov/version.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "run a program under the user-space kernel, serving " "/sys/kernel/debug/kcov" },
	{ "syscalls", cmd_syscalls, "print the syscall table: what traps and who serves it" },
	{ "symbolize", cmd_symbolize, "map PCs (stdin) to file:line, as runsc symbolize" },
	{ "report", cmd_report, "write an LCOV tracefile and/or an HTML coverage report" },
	{ "fuzz", cmd_fuzz, "fuzz the tmpfs with AFL++, Linux's /dev/shm as the oracle" },
};

static void vdie(const char *fmt, va_list ap, int err)
{
	fputs("ukcov: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(fmt, ap, 0);
	va_end(ap);
	exit(2);
}

void die_errno(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(fmt, ap, err);
	va_end(ap);
	exit(2);
}

void cli_exec_twin(bool trace, char **argv)
{
	char self[4096], path[4096 + 16], *slash, **args;
	ssize_t n;
	int argc = 0;

	if (trace == (ukcov_mode() == UKCOV_MODE_TRACE))
		return;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die_errno(errno, "cannot find this binary (/proc/self/exe)");
	self[n] = 0;
	slash = strrchr(self, '/');
	*slash = 0;
	snprintf(path, sizeof(path), "%s/%s", self, trace ? "ukcov-trace" : "ukcov");
	while (argv[argc])
		argc++;
	args = calloc((size_t)argc + 2, sizeof(*args));
	if (!args)
		die_errno(ENOMEM, "exec %s", path);
	args[0] = path;
	memcpy(args + 1, argv, (size_t)argc * sizeof(*args));
	execv(path, args);
	die_errno(errno, "cannot execute %s (the %s-mode kernel build)", path,
		  trace ? "trace" : "counter");
}

static void usage(FILE *out)
{
	fprintf(out, "usage: ukcov COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'ukcov COMMAND --help' describes a command; 'ukcov --version' prints the version.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ukcov %s\n", UKCOV_VERSION_STRING);
		return 0;
	}
	/*
	 * Symbolization and reports always read the counter-mode binary: both
	 * builds have the same blocks in the same order (the same PCs), and one
	 * reader keeps a PC's printed position the same whichever mode made it.
	 * UKCOV_TWIN_DWARF=1 reads this binary's own (for the tests that compare).
	 */
	if ((!strcmp(argv[1], "symbolize") || !strcmp(argv[1], "report")) && !getenv("UKCOV_TWIN_DWARF"))
		cli_exec_twin(false, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ukcov: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
