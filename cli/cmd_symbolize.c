// SPDX-License-Identifier: MIT
/*
 * ukcov symbolize [--json] [--all]: synthetic PCs on stdin -> source
 * positions, in the format of gVisor's `runsc symbolize` that syzkaller's
 * gVisor back end parses. PCs are only meaningful to the binary that
 * produced them: this binary (its own block table and DWARF) or, with
 * --binary=FILE, another program that links libukcov (FILE's PC table and
 * DWARF, read from the file; see binary.c).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ukcov/srcmap.h>
#include <ukcov/ukcov.h>

#include "cli.h"

static const char symbolize_help[] =
	"usage: ukcov symbolize [--binary=FILE] [--build-id=HEX] [--json] [--all]\n"
	"                       [--source-prefix=P] < PCS\n"
	"\n"
	"Maps the synthetic PCs that `ukcov run` reports to source positions. Run\n"
	"the same ukcov binary that produced the PCs, or name with --binary the\n"
	"program that did: a PC is an index into that binary's table of\n"
	"instrumented blocks.\n"
	"\n"
	"Input: one PC per line in hex, with or without 0x (blank lines are skipped;\n"
	"lines starting with # are comments, and \"# build-id: HEX\" declares the\n"
	"build that produced the PCs, as --build-id does).\n"
	"Output, two lines per PC (the format of gVisor's `runsc symbolize`):\n"
	"  0x<pc>\n"
	"  <file>:<line>.<col>,<endline>.<endcol>\n"
	"where <file> is relative to the repository root (absolute outside it),\n"
	"<line>.<col> is the block's first position and <endline>.<endcol> the last\n"
	"line-table position of the block (the start again when nothing better is\n"
	"known). When the compiler recorded no line for a block, its function's\n"
	"declaration is printed, <file>:<line>.0,<line>.0.\n"
	"A PC that is malformed or belongs to no block is reported on stderr; the\n"
	"others are still printed, and the exit status is 1.\n"
	"\n"
	"options:\n"
	"  --json   one JSON object per line instead: {\"pc\":\"0x...\", \"file\":...,\n"
	"           \"line\":N, \"column\":N, \"end\":{\"line\":N,\"column\":N} or null,\n"
	"           \"function\":..., \"from_decl\":true|false}\n"
	"  --all    ignore stdin and print every block of this binary, in PC order\n"
	"  --binary=FILE  the PCs come from FILE, a program that links libukcov (its\n"
	"           kernel instrumented, built with -g): its blocks and lines, read\n"
	"           from the file; the blocks of instrumented DSOs it loads are not\n"
	"           included\n"
	"  --build-id=HEX  the PCs come from this build (GNU build ID, as readelf -n\n"
	"           prints it): a binary of another build is refused, exit status 2\n"
	"  --source-prefix=P  print every file as P followed by its path (a leading\n"
	"           / dropped): `--source-prefix=pkg/ukcov/` gives the paths\n"
	"           syzkaller's gVisor coverage back end accepts\n"
	"  -h, --help  this text\n"
	"Long options also take one dash (-all, -json), as runsc's do.\n";

struct symbolize_options {
	bool json;
	bool all;
	const char *prefix;  /* --source-prefix, or NULL */
	const char *binary;  /* --binary, or NULL: this binary */
	struct cli_build_id build_id; /* --build-id */
};

int cli_parse_pc(const char *s, uint64_t *pc)
{
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s || strspn(s, "0123456789abcdefABCDEF") != strlen(s) || strlen(s) > 16)
		return -EINVAL;
	errno = 0;
	*pc = strtoull(s, &end, 16);
	return errno ? -errno : 0;
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* The file as printed: under --source-prefix, the prefix and the path without its leading '/'. */
static const char *shown_file(const struct symbolize_options *o, const char *file, char *buf,
			      size_t len)
{
	if (!o->prefix)
		return file;
	snprintf(buf, len, "%s%s", o->prefix, file + (file[0] == '/'));
	return buf;
}

static void print_json(uint64_t pc, const struct ukcov_srcloc *l, const char *file)
{
	printf("{\"pc\":\"0x%" PRIx64 "\",\"file\":", pc);
	json_string(stdout, file);
	printf(",\"line\":%u,\"column\":%u,\"end\":", l->line, l->column);
	if (l->end_line)
		printf("{\"line\":%u,\"column\":%u}", l->end_line, l->end_column);
	else
		fputs("null", stdout);
	fputs(",\"function\":", stdout);
	json_string(stdout, l->function);
	printf(",\"from_decl\":%s}\n", l->from_decl ? "true" : "false");
}

/*
 * Always the full start,end form: syzkaller's gVisor back end parses every
 * entry with a regex that wants pkg/<path>:L.C,L.C and stops at the first that
 * does not match. An unknown end is the start.
 */
static void print_text(uint64_t pc, const struct ukcov_srcloc *l, const char *file)
{
	printf("0x%" PRIx64 "\n%s:%u.%u", pc, file, l->line, l->column);
	if (l->end_line)
		printf(",%u.%u\n", l->end_line, l->end_column);
	else
		printf(",%u.%u\n", l->line, l->column);
}

/* Prints one PC. Returns 0, or -1 after telling stderr why it cannot. */
static int symbolize_pc(const struct ukcov_srcmap *m, const struct symbolize_options *o,
			uint64_t pc)
{
	struct ukcov_srcloc l;
	uint64_t last = ukcov_pc_of_index(ukcov_srcmap_block_count(m) - 1);
	const char *file;
	char buf[4096];
	int err;

	if (pc < UKCOV_PC_BASE || (pc - UKCOV_PC_BASE) % UKCOV_PC_STRIDE || pc > last) {
		fprintf(stderr, "ukcov: symbolize: 0x%" PRIx64 ": not a block of %s "
			"(its PCs are 0x%llx..0x%" PRIx64 " in steps of %llu)\n",
			pc, o->binary ? o->binary : "this binary", UKCOV_PC_BASE, last, UKCOV_PC_STRIDE);
		return -1;
	}
	err = ukcov_srcmap_block(m, (size_t)((pc - UKCOV_PC_BASE) / UKCOV_PC_STRIDE), &l);
	if (err) {
		fprintf(stderr, "ukcov: symbolize: 0x%" PRIx64 ": no source position: %s\n", pc,
			strerror(-err));
		return -1;
	}
	file = shown_file(o, l.file, buf, sizeof(buf));
	if (o->json)
		print_json(pc, &l, file);
	else
		print_text(pc, &l, file);
	return 0;
}

/* Trims surrounding white space in place. */
static char *trim(char *s)
{
	char *e;

	s += strspn(s, " \t\r\n");
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]))
		*--e = '\0';
	return s;
}

static int symbolize_stdin(const struct ukcov_srcmap *m, const struct symbolize_options *o)
{
	char *buf = NULL;
	size_t cap = 0, lineno = 0;
	int status = 0;

	while (getline(&buf, &cap, stdin) >= 0) {
		char *s = trim(buf);
		uint64_t pc;

		lineno++;
		if (!*s)
			continue;
		if (*s == '#') {
			struct cli_build_id id = { .len = 0 };
			char where[64];

			if (cli_build_id_line(s, &id) == -EINVAL)
				die("symbolize: line %zu: '%s' is not a build ID", lineno, s);
			snprintf(where, sizeof(where), "line %zu of the input", lineno);
			if (id.len)
				cli_build_id_check("symbolize", m, o->binary, &id, where);
			continue;
		}
		if (cli_parse_pc(s, &pc)) {
			fprintf(stderr, "ukcov: symbolize: line %zu: '%s' is not a hex PC\n", lineno, s);
			status = 1;
			continue;
		}
		if (symbolize_pc(m, o, pc))
			status = 1;
	}
	free(buf);
	if (ferror(stdin))
		die_errno(errno, "symbolize: reading stdin");
	return status;
}

static void symbolize_parse(int argc, char **argv, struct symbolize_options *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "source-prefix", required_argument, NULL, 'p' },
		{ "binary", required_argument, NULL, 'b' },
		{ "build-id", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	/* getopt_long_only: Go-style -all and -json too (syzkaller runs `symbolize -all`). */
	while ((opt = getopt_long_only(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			o->json = true;
			break;
		case 'a':
			o->all = true;
			break;
		case 'p':
			o->prefix = optarg;
			break;
		case 'b':
			o->binary = optarg;
			break;
		case 'B':
			if (cli_build_id_parse(optarg, &o->build_id))
				die("symbolize: --build-id=%s: not a build ID (hex digits)", optarg);
			break;
		case 'h':
			fputs(symbolize_help, stdout);
			exit(0);
		default:
			fputs(symbolize_help, stderr);
			exit(2);
		}
	}
	if (optind < argc)
		die("symbolize: unexpected argument '%s' (PCs are read from stdin)", argv[optind]);
}

int cmd_symbolize(int argc, char **argv)
{
	struct symbolize_options o = { 0 };
	struct ukcov_srcmap *m;
	int status = 0;

	symbolize_parse(argc, argv, &o);
	m = cli_srcmap_open("symbolize", o.binary);
	cli_build_id_check("symbolize", m, o.binary, &o.build_id, "--build-id");
	if (o.all) {
		for (size_t i = 0; i < ukcov_srcmap_block_count(m); i++)
			if (symbolize_pc(m, &o, ukcov_pc_of_index(i)))
				status = 1;
	} else {
		status = symbolize_stdin(m, &o);
	}
	ukcov_srcmap_close(m);
	if (fflush(stdout))
		die_errno(errno, "symbolize: writing stdout");
	return status;
}
