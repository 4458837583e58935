// SPDX-License-Identifier: MIT
/* ukcov: kcov for user-space kernels. Subcommands are dispatched from a table. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void usage(FILE *out)
{
	fprintf(out, "usage: ukcov COMMAND [OPTIONS] [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'ukcov COMMAND --help' describes a command.\n");
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
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ukcov: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
