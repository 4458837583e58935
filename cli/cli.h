/* SPDX-License-Identifier: MIT */
/* The CLI: only this layer prints to the user and exits. */
#ifndef UKCOV_CLI_H
#define UKCOV_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>

noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* die() with ": strerror(err)" appended; err is a positive errno. */
noreturn void die_errno(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int cmd_run(int argc, char **argv);
int cmd_syscalls(int argc, char **argv);
int cmd_symbolize(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);

/*
 * The two kernel builds are twin binaries in one directory: `ukcov`
 * (counter mode) and `ukcov-trace` (trace mode). Executes the twin built for
 * `trace` (true: ukcov-trace) with argv (argv[0] is the subcommand's name);
 * returns only when this binary is that twin already. Dies if it cannot.
 */
void cli_exec_twin(bool trace, char **argv);

struct ukcov_srcmap;
/* Parses a hex PC, with or without 0x. Returns 0 or -EINVAL/-ERANGE. */
int cli_parse_pc(const char *s, uint64_t *pc);
/* ukcov_srcmap_open(), or die() naming `cmd`. */
struct ukcov_srcmap *cli_srcmap_open(const char *cmd);

#endif
