// SPDX-License-Identifier: MIT
/*
 * Which binary's blocks the PCs index: this one (ukcov's own kernel), or
 * --binary=FILE, any program that links libukcov (proot with its kcov
 * extension, examples/embed, a kernel of your own). A PC is an index into
 * one build's block table, so PCs of another build map silently to wrong
 * lines: where the PCs say which build made them (--build-id=HEX, or a
 * "# build-id: HEX" line in the input, which embedders print from
 * ukcov_build_id()), a binary of another build is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ukcov/srcmap.h>

#include "cli.h"

struct ukcov_srcmap *cli_srcmap_open(const char *cmd, const char *binary)
{
	struct ukcov_srcmap *m;
	const char *what = binary ? binary : "this binary";
	int err = binary ? ukcov_srcmap_open_binary(binary, &m) : ukcov_srcmap_open(&m);

	if (err == -ENODATA)
		die("%s: %s has no usable DWARF line tables (build with -g)", cmd, what);
	if (err == -ENOENT && binary)
		die("%s: %s has no instrumented blocks (no SanitizerCoverage PC table: build its "
		    "kernel with -fsanitize-coverage=...,pc-table and link libukcov)", cmd, binary);
	if (err == -ENOEXEC)
		die("%s: %s is not an ELF executable for this machine", cmd, binary);
	if (err)
		die_errno(-err, "%s: reading the debug information of %s", cmd, what);
	if (!ukcov_srcmap_block_count(m))
		die("%s: %s has no instrumented blocks", cmd, what);
	return m;
}

int cli_build_id_parse(const char *hex, struct cli_build_id *id)
{
	size_t n = strlen(hex);

	if (n < 2 || n % 2 || n / 2 > sizeof(id->bytes) || strspn(hex, "0123456789abcdefABCDEF") != n)
		return -EINVAL;
	id->len = n / 2;
	for (size_t i = 0; i < id->len; i++)
		sscanf(hex + 2 * i, "%2hhx", &id->bytes[i]);
	return 0;
}

/* A comment line of the PC input: "# build-id: HEX" (or "#build-id HEX") declares the build. */
int cli_build_id_line(const char *line, struct cli_build_id *id)
{
	char hex[2 * sizeof(id->bytes) + 3]; /* one more than the longest ID: too long is an error */

	if (sscanf(line, "# build-id: %130s", hex) != 1 && sscanf(line, "#build-id %130s", hex) != 1 &&
	    sscanf(line, "# build-id %130s", hex) != 1)
		return -ENOENT;
	return cli_build_id_parse(hex, id);
}

static void hex_of(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = '\0';
}

void cli_build_id_check(const char *cmd, const struct ukcov_srcmap *m, const char *binary,
			const struct cli_build_id *want, const char *from)
{
	char w[2 * sizeof(want->bytes) + 1], h[2 * sizeof(want->bytes) + 1];
	const char *what = binary ? binary : "this binary";
	const uint8_t *have;
	size_t n = ukcov_srcmap_build_id(m, &have);

	if (!want->len)
		return;
	hex_of(want->bytes, want->len, w);
	if (!n)
		die("%s: the PCs are of build %s (%s), but %s has no build ID to compare "
		    "(link it with --build-id)", cmd, w, from, what);
	if (n != want->len || memcmp(have, want->bytes, n)) {
		hex_of(have, n < sizeof(want->bytes) ? n : sizeof(want->bytes), h);
		die("%s: the PCs are of build %s (%s), but %s is build %s: a PC is an index into "
		    "the block table of the build that produced it; use that very binary",
		    cmd, w, from, what, h);
	}
}
