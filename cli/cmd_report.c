// SPDX-License-Identifier: MIT
/*
 * ukcov report [--lcov FILE] [--html DIR] [--source-root DIR] [INPUT...]:
 * the PCs a run collected -> an LCOV tracefile and/or a static HTML report
 * over every instrumented block of this binary (the one that produced the
 * PCs), hit or not.
 *
 * Coverage is per block (a PC means "this block ran"). A block counts for
 * the line it starts at, the only one sure to run with it (see srcmap.c);
 * a line is covered when every block starting there ran, partly covered
 * when some did, uncovered when none did. LCOV has no "partly": its DA
 * count is the number of blocks of the line that ran.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <ukcov/srcmap.h>
#include <ukcov/ukcov.h>

#include "cli.h"

static const char report_help[] =
	"usage: ukcov report [--lcov FILE] [--html DIR] [--source-root DIR]\n"
	"                    [--binary=FILE] [--build-id=HEX] [INPUT...]\n"
	"\n"
	"Reads the PCs of one or more runs of this ukcov binary, or of the program\n"
	"--binary names (INPUT files, or stdin when none or '-') and writes a\n"
	"coverage report of every instrumented block, hit or not. Inputs may be:\n"
	"  - text: one hex PC per line, with or without 0x; a first line holding a\n"
	"    decimal count (as printed by the kcov examples) is skipped; lines\n"
	"    starting with # are comments, \"# build-id: HEX\" declares the build\n"
	"    that produced the PCs (as --build-id does);\n"
	"  - a binary kcov area dump: native 64-bit words, word 0 the number of\n"
	"    PCs that follow (the mmap()ed area written out as is).\n"
	"A PC that belongs to no block is reported on stderr, the report is still\n"
	"written, and the exit status is 1.\n"
	"\n"
	"options:\n"
	"  --lcov FILE         an LCOV tracefile (genhtml accepts it): a DA record for\n"
	"                      every instrumented line (count: blocks of the line\n"
	"                      that ran) and FN/FNDA records for every function\n"
	"  --html DIR          a static HTML report in DIR (created): index.html with\n"
	"                      blocks and lines per file and function, and one page\n"
	"                      per source file with covered, partly covered and\n"
	"                      uncovered lines marked\n"
	"  --source-root DIR   where the sources are (the paths are relative to the\n"
	"                      repository root); default: the compilation directory\n"
	"                      recorded in this binary's DWARF (the tree it was built\n"
	"                      in). Missing sources are reported on stderr and their\n"
	"                      pages show the instrumented lines only.\n"
	"  --binary=FILE       the PCs come from FILE, a program that links libukcov\n"
	"                      (its kernel instrumented, built with -g), read from\n"
	"                      the file; its DWARF gives the default source root\n"
	"  --build-id=HEX      the PCs come from this build (GNU build ID): a binary\n"
	"                      of another build is refused, exit status 2\n"
	"  -h, --help          this text\n";

struct report_options {
	const char *lcov, *html;
	const char *root;   /* --source-root, or NULL: the DWARF compilation directories */
	char **comp_dirs;   /* distinct DW_AT_comp_dir of this binary's units */
	size_t ncomp_dirs;
	char **inputs;
	int ninputs;
	const char *binary; /* --binary, or NULL: this binary */
	struct cli_build_id build_id; /* --build-id */
};

struct line_stat {
	uint32_t blocks, hit;
};

struct func_stat {
	const char *name;
	uint32_t line; /* of its entry block, else its first line in this file */
	bool entry;
	uint32_t blocks, hit;
	uint32_t *lines; /* distinct lines, hit ones flagged in the top bit */
	uint32_t nlines, cap;
};

#define LINE_HIT 0x80000000u

struct file_stat {
	const char *path;
	uint32_t blocks, hit;
	struct line_stat *lines; /* indexed by line number, maxline + 1 long */
	uint32_t maxline;
	struct func_stat *funcs;
	size_t nfuncs;
	uint32_t nlines, lines_hit, lines_full;
};

struct report {
	const struct report_options *o;
	struct ukcov_srcmap *map;
	bool *hit;
	size_t nblocks, blocks_hit;
	size_t pcs, unknown;
	struct file_stat *files;
	size_t nfiles;
	uint32_t blocks, lines, lines_hit;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die_errno(ENOMEM, "report");
	return p;
}

static void add_pc(struct report *r, uint64_t pc)
{
	r->pcs++;
	if (pc < UKCOV_PC_BASE || (pc - UKCOV_PC_BASE) % UKCOV_PC_STRIDE ||
	    (pc - UKCOV_PC_BASE) / UKCOV_PC_STRIDE >= r->nblocks) {
		if (r->unknown++ < 5)
			fprintf(stderr, "ukcov: report: 0x%" PRIx64 " is not a block of %s\n", pc,
				r->o->binary ? r->o->binary : "this binary");
		return;
	}
	if (!r->hit[(pc - UKCOV_PC_BASE) / UKCOV_PC_STRIDE]) {
		r->hit[(pc - UKCOV_PC_BASE) / UKCOV_PC_STRIDE] = true;
		r->blocks_hit++;
	}
}

static char *slurp(FILE *f, const char *name, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = xrealloc(NULL, cap + 1);

	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = xrealloc(buf, (cap *= 2) + 1);
	}
	if (ferror(f))
		die_errno(errno, "report: reading %s", name);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* The kcov area as mmap()ed: word 0 counts the PCs that follow. */
static void read_area(struct report *r, const char *name, const char *buf, size_t len)
{
	uint64_t n;

	if (len < 8 || len % 8)
		die("report: %s: binary input of %zu bytes is not a kcov area dump (whole 64-bit words)",
		    name, len);
	memcpy(&n, buf, 8);
	if (n > len / 8 - 1) {
		fprintf(stderr, "ukcov: report: %s: area count %" PRIu64 " exceeds the dump; "
			"reading %zu PCs\n", name, n, len / 8 - 1);
		n = len / 8 - 1;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t pc;

		memcpy(&pc, buf + 8 * (i + 1), 8);
		add_pc(r, pc);
	}
}

static bool is_count_line(const char *s)
{
	uint64_t v;

	return strspn(s, "0123456789") == strlen(s) && sscanf(s, "%" SCNu64, &v) == 1 &&
	       v < UKCOV_PC_BASE;
}

static void read_text(struct report *r, const char *name, char *buf)
{
	size_t lineno = 0;
	bool first = true;
	char *s;

	while ((s = strsep(&buf, "\n"))) {
		uint64_t pc;

		lineno++;
		s += strspn(s, " \t\r");
		if (*s != '#')
			s[strcspn(s, " \t\r")] = '\0';
		if (!*s)
			continue;
		if (*s == '#') {
			struct cli_build_id id = { .len = 0 };
			char where[PATH_MAX + 32];

			if (cli_build_id_line(s, &id) == -EINVAL)
				die("report: %s:%zu: '%s' is not a build ID", name, lineno, s);
			snprintf(where, sizeof(where), "%s:%zu", name, lineno);
			cli_build_id_check("report", r->map, r->o->binary, &id, where);
			continue;
		}
		if (first && is_count_line(s)) {
			first = false;
			continue;
		}
		first = false;
		if (cli_parse_pc(s, &pc))
			die("report: %s:%zu: '%s' is not a hex PC", name, lineno, s);
		add_pc(r, pc);
	}
}

static void read_input(struct report *r, const char *name)
{
	bool std = !strcmp(name, "-");
	FILE *f = std ? stdin : fopen(name, "rb");
	size_t len;
	char *buf;

	if (!f)
		die_errno(errno, "report: %s", name);
	buf = slurp(f, std ? "stdin" : name, &len);
	if (!std)
		fclose(f);
	if (memchr(buf, '\0', len))
		read_area(r, std ? "stdin" : name, buf, len);
	else
		read_text(r, std ? "stdin" : name, buf);
	free(buf);
}

static void func_line(struct func_stat *fn, uint32_t line, bool hit)
{
	for (uint32_t i = 0; i < fn->nlines; i++) {
		if ((fn->lines[i] & ~LINE_HIT) == line) {
			fn->lines[i] |= hit ? LINE_HIT : 0;
			return;
		}
	}
	if (fn->nlines == fn->cap) {
		fn->cap = fn->cap ? fn->cap * 2 : 8;
		fn->lines = xrealloc(fn->lines, fn->cap * sizeof(*fn->lines));
	}
	fn->lines[fn->nlines++] = line | (hit ? LINE_HIT : 0);
}

/*
 * The function's record in this file. Its line is its entry block's (the
 * declaration, usually) rather than its smallest line, which may belong to
 * code inlined into it.
 */
static struct func_stat *func_of(struct file_stat *f, const char *name, uint32_t line, bool entry)
{
	struct func_stat *fn = NULL;

	for (size_t i = 0; !fn && i < f->nfuncs; i++)
		if (!strcmp(f->funcs[i].name, name))
			fn = &f->funcs[i];
	if (!fn) {
		f->funcs = xrealloc(f->funcs, (f->nfuncs + 1) * sizeof(*f->funcs));
		fn = &f->funcs[f->nfuncs++];
		*fn = (struct func_stat){ .name = name, .line = line, .entry = entry };
	} else if (entry && !fn->entry) {
		fn->line = line;
		fn->entry = true;
	} else if (!fn->entry && line < fn->line) {
		fn->line = line;
	}
	return fn;
}

static void add_block(struct report *r, size_t i, const struct ukcov_srcloc *l)
{
	struct file_stat *f = &r->files[l->file_id];
	struct func_stat *fn;
	bool hit = r->hit[i];

	fn = func_of(f, l->function, l->line, l->entry);

	f->blocks++;
	f->hit += hit;
	fn->blocks++;
	fn->hit += hit;
	if (l->line > f->maxline) {
		f->lines = xrealloc(f->lines, (l->line + 1) * sizeof(*f->lines));
		memset(f->lines + f->maxline + 1, 0, (l->line - f->maxline) * sizeof(*f->lines));
		f->maxline = l->line;
	}
	f->lines[l->line].blocks++;
	f->lines[l->line].hit += hit;
	func_line(fn, l->line, hit);
}

static int func_cmp(const void *a, const void *b)
{
	const struct func_stat *x = a, *y = b;

	return x->line != y->line ? (x->line < y->line ? -1 : 1) : strcmp(x->name, y->name);
}

static void build(struct report *r)
{
	r->nfiles = ukcov_srcmap_file_count(r->map);
	r->files = xrealloc(NULL, r->nfiles * sizeof(*r->files));
	memset(r->files, 0, r->nfiles * sizeof(*r->files));
	for (size_t i = 0; i < r->nfiles; i++)
		r->files[i].path = ukcov_srcmap_file(r->map, i);
	for (size_t i = 0; i < r->nblocks; i++) {
		struct ukcov_srcloc l;

		if (!ukcov_srcmap_block(r->map, i, &l))
			add_block(r, i, &l);
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		struct file_stat *f = &r->files[i];

		for (uint32_t l = 1; l <= f->maxline; l++) {
			f->nlines += f->lines[l].blocks > 0;
			f->lines_hit += f->lines[l].hit > 0;
			f->lines_full += f->lines[l].blocks && f->lines[l].hit == f->lines[l].blocks;
		}
		qsort(f->funcs, f->nfuncs, sizeof(*f->funcs), func_cmp);
		r->blocks += f->blocks;
		r->lines += f->nlines;
		r->lines_hit += f->lines_hit;
	}
}

static uint32_t func_lines_hit(const struct func_stat *fn)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < fn->nlines; i++)
		n += !!(fn->lines[i] & LINE_HIT);
	return n;
}

/*
 * The compilation directories of this binary's units, which the relative
 * paths of the source map are relative to: an installed ukcov finds the
 * sources where it was built without being told.
 */
static void comp_dirs_read(struct report_options *o)
{
	int fd = open(o->binary ? o->binary : "/proc/self/exe", O_RDONLY | O_CLOEXEC);
	Dwarf *dw = fd < 0 ? NULL : dwarf_begin(fd, DWARF_C_READ);
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dw && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Attribute a;
		Dwarf_Die cu;
		const char *dir = dwarf_offdie(dw, off + hsize, &cu) ?
			dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &a)) : NULL;
		bool seen = !dir;

		off = next;
		for (size_t i = 0; !seen && i < o->ncomp_dirs; i++)
			seen = !strcmp(o->comp_dirs[i], dir);
		if (seen)
			continue;
		o->comp_dirs = xrealloc(o->comp_dirs, (o->ncomp_dirs + 1) * sizeof(*o->comp_dirs));
		o->comp_dirs[o->ncomp_dirs] = strdup(dir);
		if (!o->comp_dirs[o->ncomp_dirs++])
			die_errno(ENOMEM, "report");
	}
	if (dw)
		dwarf_end(dw);
	if (fd >= 0)
		close(fd);
}

static char *path_join(const char *dir, const char *path)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, path) < 0)
		die_errno(ENOMEM, "report");
	return p;
}

/*
 * The file as the LCOV and HTML outputs name it: absolute paths as they are;
 * relative ones under --source-root, else under the first compilation
 * directory that holds the file (the first one when none does).
 */
static char *source_path(const struct report_options *o, const char *path)
{
	if (path[0] == '/') {
		char *p = strdup(path);

		if (!p)
			die_errno(ENOMEM, "report");
		return p;
	}
	if (o->root || !o->ncomp_dirs)
		return path_join(o->root ? o->root : ".", path);
	for (size_t i = 0; i < o->ncomp_dirs; i++) {
		char *p = path_join(o->comp_dirs[i], path);

		if (!access(p, R_OK))
			return p;
		free(p);
	}
	return path_join(o->comp_dirs[0], path);
}

/*
 * Before the HTML is written: every source it will read is looked for. None
 * under an explicit --source-root is an error; others missing are named on
 * stderr (their pages show the instrumented lines only).
 */
static void sources_check(const struct report *r, const struct report_options *o)
{
	size_t missing = 0;
	char *first = NULL;

	for (size_t i = 0; i < r->nfiles; i++) {
		char *p = source_path(o, r->files[i].path);

		if (access(p, R_OK)) {
			if (!missing++)
				first = strdup(p);
		}
		free(p);
	}
	if (!missing) {
		free(first);
		return;
	}
	if (o->root && missing == r->nfiles)
		die("report: --source-root %s: none of the %zu source files is there (e.g. %s)",
		    o->root, r->nfiles, first ? first : "?");
	fprintf(stderr, "ukcov: report: %zu of %zu source files not found (e.g. %s); their pages "
		"show the instrumented lines only. %s\n", missing, r->nfiles, first ? first : "?",
		o->root ? "Check --source-root." :
		"They were looked for where this ukcov was built (the DWARF compilation "
		"directory); give --source-root DIR for a copy of that tree.");
	free(first);
}

static void write_lcov_file(FILE *out, const struct report_options *o, const struct file_stat *f)
{
	char *src = source_path(o, f->path);
	size_t fnh = 0;

	fprintf(out, "TN:\nSF:%s\n", src);
	free(src);
	for (size_t i = 0; i < f->nfuncs; i++)
		fprintf(out, "FN:%u,%s\n", f->funcs[i].line, f->funcs[i].name);
	for (size_t i = 0; i < f->nfuncs; i++) {
		fprintf(out, "FNDA:%u,%s\n", f->funcs[i].hit ? 1 : 0, f->funcs[i].name);
		fnh += f->funcs[i].hit > 0;
	}
	fprintf(out, "FNF:%zu\nFNH:%zu\n", f->nfuncs, fnh);
	for (uint32_t l = 1; l <= f->maxline; l++)
		if (f->lines[l].blocks)
			fprintf(out, "DA:%u,%u\n", l, f->lines[l].hit);
	fprintf(out, "LF:%u\nLH:%u\nend_of_record\n", f->nlines, f->lines_hit);
}

static void write_lcov(const struct report *r, const struct report_options *o)
{
	FILE *out = fopen(o->lcov, "w");

	if (!out)
		die_errno(errno, "report: %s", o->lcov);
	for (size_t i = 0; i < r->nfiles; i++)
		write_lcov_file(out, o, &r->files[i]);
	if (ferror(out) | fclose(out))
		die_errno(errno ? errno : EIO, "report: writing %s", o->lcov);
}

static void html_escape(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(s[i], out);
		}
	}
}

static void html_text(FILE *out, const char *s)
{
	html_escape(out, s, strlen(s));
}

static const char html_style[] =
	"<style>\n"
	"body{font-family:sans-serif;margin:1.5em;color:#222}\n"
	"table{border-collapse:collapse}\n"
	"td,th{padding:2px 8px;text-align:right}\n"
	"td.name,th.name{text-align:left}\n"
	"tr.file td{border-top:1px solid #bbb;font-weight:bold}\n"
	"tr.func td.name{padding-left:2em;font-family:monospace;font-weight:normal}\n"
	"tr.total td{border-top:2px solid #222;font-weight:bold}\n"
	".bar{display:inline-block;width:80px;height:10px;background:#f0b0b0}\n"
	".bar span{display:block;height:10px;background:#60c060}\n"
	"table.src td{padding:0 6px;font-family:monospace;white-space:pre;text-align:left}\n"
	"table.src td.n,table.src td.b{text-align:right;color:#666}\n"
	"tr.covered td.s{background:#c8f0c8}\n"
	"tr.partial td.s{background:#f8eca0}\n"
	"tr.uncovered td.s{background:#f8c8c8}\n"
	".legend span{padding:0 6px;margin-right:6px}\n"
	"</style>\n";

static FILE *html_open(const char *dir, const char *name, const char *title)
{
	char *path;
	FILE *out;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		die_errno(ENOMEM, "report");
	out = fopen(path, "w");
	if (!out)
		die_errno(errno, "report: %s", path);
	free(path);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", out);
	html_text(out, title);
	fprintf(out, "</title>\n%s</head><body>\n", html_style);
	return out;
}

static void html_close(FILE *out, const char *dir, const char *name)
{
	fputs("</body></html>\n", out);
	if (ferror(out) | fclose(out))
		die_errno(errno ? errno : EIO, "report: writing %s/%s", dir, name);
}

/* The page of file i: its index and its path with '/' made '_', unique and flat. */
static char *page_name(const struct report *r, size_t i)
{
	char *name;

	if (asprintf(&name, "%03zu-%s.html", i, r->files[i].path + (r->files[i].path[0] == '/')) < 0)
		die_errno(ENOMEM, "report");
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	return name;
}

/* "hit / all" and a percentage with a bar; `id` names the cells when not NULL. */
static void html_ratio(FILE *out, const char *id, uint32_t hit, uint32_t all)
{
	double pct = all ? 100.0 * hit / all : 0;

	if (id)
		fprintf(out, "<td><span id=\"%s-hit\">%u</span> / <span id=\"%s\">%u</span></td>"
			"<td id=\"%s-pct\">", id, hit, id, all, id);
	else
		fprintf(out, "<td><span class=\"hit\">%u</span> / <span class=\"all\">%u</span></td>"
			"<td class=\"pct\">", hit, all);
	if (all)
		fprintf(out, "%.1f%%", pct);
	else
		fputs("-", out);
	fprintf(out, " <span class=\"bar\"><span style=\"width:%.0f%%\"></span></span></td>", pct);
}

static void index_file_rows(FILE *out, const struct report *r, size_t i)
{
	const struct file_stat *f = &r->files[i];
	char *page = page_name(r, i);

	fputs("<tr class=\"file\" data-path=\"", out);
	html_text(out, f->path);
	fprintf(out, "\"><td class=\"name\"><a href=\"%s\">", page);
	html_text(out, f->path);
	fputs("</a></td>", out);
	html_ratio(out, NULL, f->hit, f->blocks);
	html_ratio(out, NULL, f->lines_hit, f->nlines);
	fputs("</tr>\n", out);
	for (size_t k = 0; k < f->nfuncs; k++) {
		const struct func_stat *fn = &f->funcs[k];

		fprintf(out, "<tr class=\"func\"><td class=\"name\"><a href=\"%s#L%u\">", page, fn->line);
		html_text(out, fn->name);
		fputs("</a></td>", out);
		html_ratio(out, NULL, fn->hit, fn->blocks);
		html_ratio(out, NULL, func_lines_hit(fn), fn->nlines);
		fputs("</tr>\n", out);
	}
	free(page);
}

static void write_index(const struct report *r, const struct report_options *o)
{
	FILE *out = html_open(o->html, "index.html", "ukcov coverage report");

	fputs("<h1>ukcov coverage report</h1>\n<p>", out);
	fprintf(out, "PCs read: <span id=\"pcs\">%zu</span>, not in this binary: "
		"<span id=\"pcs-unknown\">%zu</span>. Files: <span id=\"files\">%zu</span>. "
		"A block is covered when its PC was read; a line when all its blocks are.</p>\n",
		r->pcs, r->unknown, r->nfiles);
	fputs("<table id=\"summary\">\n<tr><th class=\"name\">File / function</th>"
	      "<th>Blocks covered</th><th>%</th><th>Lines hit</th><th>%</th></tr>\n", out);
	fputs("<tr class=\"total\"><td class=\"name\">Total</td>", out);
	html_ratio(out, "total-blocks", (uint32_t)r->blocks_hit, r->blocks);
	html_ratio(out, "total-lines", r->lines_hit, r->lines);
	fputs("</tr>\n", out);
	for (size_t i = 0; i < r->nfiles; i++)
		index_file_rows(out, r, i);
	fputs("</table>\n", out);
	html_close(out, o->html, "index.html");
}

/* The source split in lines (in place); NULL when it cannot be read. */
static char **source_lines(const struct report_options *o, const char *path, uint32_t *n,
			   char **buf)
{
	char *src = source_path(o, path), *s, **lines = NULL;
	FILE *f = fopen(src, "r");
	size_t len;

	free(src);
	*n = 0;
	if (!f)
		return NULL;
	*buf = slurp(f, path, &len);
	fclose(f);
	for (s = *buf; s < *buf + len;) {
		char *e = strchrnul(s, '\n');

		lines = xrealloc(lines, (*n + 1) * sizeof(*lines));
		lines[(*n)++] = s;
		*e = '\0';
		s = e + 1;
	}
	return lines ? lines : xrealloc(NULL, sizeof(*lines)); /* empty, but readable */
}

static const char *line_class(const struct line_stat *l)
{
	if (!l || !l->blocks)
		return "plain";
	return !l->hit ? "uncovered" : l->hit == l->blocks ? "covered" : "partial";
}

static void write_source_rows(FILE *out, const struct file_stat *f, char **src, uint32_t nsrc)
{
	uint32_t n = nsrc > f->maxline ? nsrc : f->maxline;

	fputs("<table class=\"src\">\n", out);
	for (uint32_t l = 1; l <= n; l++) {
		const struct line_stat *s = l <= f->maxline ? &f->lines[l] : NULL;

		fprintf(out, "<tr id=\"L%u\" class=\"%s\"><td class=\"n\">%u</td><td class=\"b\">", l,
			line_class(s), l);
		if (s && s->blocks)
			fprintf(out, "%u/%u", s->hit, s->blocks);
		fputs("</td><td class=\"s\">", out);
		if (l <= nsrc)
			html_text(out, src[l - 1]);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void write_page(const struct report *r, const struct report_options *o, size_t i)
{
	const struct file_stat *f = &r->files[i];
	char *page = page_name(r, i), *buf = NULL, **src;
	uint32_t nsrc;
	FILE *out = html_open(o->html, page, f->path);

	fputs("<p><a href=\"index.html\">index</a></p>\n<h1 id=\"path\">", out);
	html_text(out, f->path);
	fputs("</h1>\n<table id=\"summary\"><tr><th></th><th>Covered</th><th>%</th></tr>\n"
	      "<tr><td class=\"name\">Blocks</td>", out);
	html_ratio(out, "file-blocks", f->hit, f->blocks);
	fputs("</tr>\n<tr><td class=\"name\">Lines hit</td>", out);
	html_ratio(out, "file-lines", f->lines_hit, f->nlines);
	fprintf(out, "</tr></table>\n<p class=\"legend\">Lines: <span class=\"covered\" "
		"style=\"background:#c8f0c8\">covered (%u)</span><span style=\"background:#f8eca0\">"
		"partly covered (%u)</span><span style=\"background:#f8c8c8\">uncovered (%u)</span>"
		" &mdash; the second column counts the line's blocks that ran.</p>\n",
		f->lines_full, f->lines_hit - f->lines_full, f->nlines - f->lines_hit);
	src = source_lines(o, f->path, &nsrc, &buf);
	if (!src) {
		char *p = source_path(o, f->path);

		fputs("<p id=\"nosource\">Source not found at ", out);
		html_text(out, p);
		fputs(" (see ukcov report --source-root): instrumented lines only.</p>\n", out);
		free(p);
	}
	write_source_rows(out, f, src, nsrc);
	html_close(out, o->html, page);
	free(src);
	free(buf);
	free(page);
}

static void write_html(const struct report *r, const struct report_options *o)
{
	if (mkdir(o->html, 0777) && errno != EEXIST)
		die_errno(errno, "report: creating %s", o->html);
	write_index(r, o);
	for (size_t i = 0; i < r->nfiles; i++)
		write_page(r, o, i);
}

static void report_free(struct report *r)
{
	for (size_t i = 0; i < r->nfiles; i++) {
		for (size_t k = 0; k < r->files[i].nfuncs; k++)
			free(r->files[i].funcs[k].lines);
		free(r->files[i].funcs);
		free(r->files[i].lines);
	}
	free(r->files);
	free(r->hit);
	ukcov_srcmap_close(r->map);
}

static void options_free(struct report_options *o)
{
	for (size_t i = 0; i < o->ncomp_dirs; i++)
		free(o->comp_dirs[i]);
	free(o->comp_dirs);
}

static void report_parse(int argc, char **argv, struct report_options *o)
{
	static const struct option longopts[] = {
		{ "lcov", required_argument, NULL, 'l' },
		{ "html", required_argument, NULL, 'H' },
		{ "source-root", required_argument, NULL, 's' },
		{ "binary", required_argument, NULL, 'b' },
		{ "build-id", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt;

	while ((opt = getopt_long_only(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l': o->lcov = optarg; break;
		case 'H': o->html = optarg; break;
		case 's': o->root = optarg; break;
		case 'b': o->binary = optarg; break;
		case 'B':
			if (cli_build_id_parse(optarg, &o->build_id))
				die("report: --build-id=%s: not a build ID (hex digits)", optarg);
			break;
		case 'h':
			fputs(report_help, stdout);
			exit(0);
		default:
			fputs(report_help, stderr);
			exit(2);
		}
	}
	if (!o->lcov && !o->html)
		die("report: nothing to write: give --lcov FILE and/or --html DIR");
	o->inputs = argv + optind;
	o->ninputs = argc - optind;
}

int cmd_report(int argc, char **argv)
{
	struct report_options o = { 0 };
	struct report r = { .o = &o };

	report_parse(argc, argv, &o);
	/* The map first: the binary's block count bounds the PCs, its build ID checks them. */
	r.map = cli_srcmap_open("report", o.binary);
	r.nblocks = ukcov_srcmap_block_count(r.map);
	cli_build_id_check("report", r.map, o.binary, &o.build_id, "--build-id");
	r.hit = xrealloc(NULL, r.nblocks);
	memset(r.hit, 0, r.nblocks);
	for (int i = 0; i < o.ninputs; i++)
		read_input(&r, o.inputs[i]);
	if (!o.ninputs)
		read_input(&r, "-");
	if (r.unknown > 5)
		fprintf(stderr, "ukcov: report: %zu PCs in all are not blocks of %s\n",
			r.unknown, o.binary ? o.binary : "this binary");
	build(&r);
	if (!o.root)
		comp_dirs_read(&o);
	if (o.html)
		sources_check(&r, &o);
	if (o.lcov)
		write_lcov(&r, &o);
	if (o.html)
		write_html(&r, &o);
	report_free(&r);
	options_free(&o);
	return r.unknown ? 1 : 0;
}
