/* SPDX-License-Identifier: MIT */
/* The CLI: only this layer prints to the user and exits. */
#ifndef UKCOV_CLI_H
#define UKCOV_CLI_H

#include <stdbool.h>
#include <stddef.h>
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
/*
 * The source map of this binary (`binary` NULL) or of the program
 * `binary` (--binary=FILE), or die() naming `cmd`. Never empty.
 */
struct ukcov_srcmap *cli_srcmap_open(const char *cmd, const char *binary);

/* A GNU build ID the PCs declare (len 0: none declared). */
struct cli_build_id {
	uint8_t bytes[64];
	size_t len;
};
/* Hex -> build ID. Returns 0 or -EINVAL. */
int cli_build_id_parse(const char *hex, struct cli_build_id *id);
/* A "# build-id: HEX" input line. Returns 0, -ENOENT (another line) or -EINVAL. */
int cli_build_id_line(const char *line, struct cli_build_id *id);
/* Dies unless the map's binary is the build `want` names (`from`: where it was declared). */
void cli_build_id_check(const char *cmd, const struct ukcov_srcmap *m, const char *binary,
			const struct cli_build_id *want, const char *from);

#endif
