// SPDX-License-Identifier: MIT
/*
 * The source map: every block of the block table mapped to file, line,
 * column and function with libdw, and the instrumentation filter.
 *
 * Each binary that holds blocks is read once, whole: its line-table rows
 * and its functions (DW_TAG_subprogram ranges) go into two arrays sorted by
 * address, and every block is then resolved by binary search. That is
 * O((rows + blocks) log rows), where asking libdw block by block
 * (dwarf_getscopes) would walk a whole CU for each block.
 *
 * A block spans its address up to the next block address of its function
 * (or the function's end): SanitizerCoverage's PC table gives block starts
 * only. Within that span:
 *   start = the row at the block address; when that row has line 0 (code
 *           the compiler attributes to no line, e.g. merged blocks), the
 *           first row of the span with a line: the code the block runs;
 *   end   = the last row of the span in the start's file that does not
 *           lie before the start: consumers (syzkaller) read start,end as
 *           a range, and loops and inlined code put earlier lines later.
 * The span may hold more than the block: blocks that SanitizerCoverage
 * pruned (their coverage is implied by others) carry no PC, so code of
 * other paths can lie between two block addresses. Only the start is
 * certain to run with the block; the end is an upper bound.
 * A block whose whole span has line 0 gets its function's declaration
 * (DW_AT_decl_file, DW_AT_decl_line) with column 0, and from_decl set; the
 * nearest previous row was not chosen because in address order it often
 * belongs to unrelated code (another branch, or an inlined callee).
 *
 * This file is built without instrumentation, like the rest of lib/.
 */
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ukcov/srcmap.h>
#include <ukcov/ukcov.h>

#include "binfile.h"

/* One row of a line table; `end` rows close a sequence and cover nothing. */
struct row {
	uint64_t addr;
	uint32_t ord; /* position in the table: the last row at an address wins */
	uint32_t file;
	uint32_t line;
	uint32_t col;
	bool end;
};

/* One address range of a function that has code. */
struct fn {
	uint64_t lo, hi;
	const char *name; /* in the Dwarf's string section */
	uint32_t decl_file;
	uint32_t decl_line;
};

/* A loaded ELF object (the executable or a DSO), as dl_iterate_phdr() sees it. */
struct object {
	char path[PATH_MAX];
	uintptr_t bias, lo, hi;
	int fd;
	Dwarf *dw;
	bool tried;
	int err;
	struct row *rows;
	size_t nrows;
	struct fn *fns;
	size_t nfns;
};

struct blockloc {
	const char *func;
	uint32_t file, line, col, eline, ecol;
	int err;
	bool from_decl;
	bool entry;
};

struct ukcov_srcmap {
	struct object *objs;
	size_t nobjs;
	char **paths; /* every path interned while reading */
	size_t npaths;
	const char **files; /* the paths that hold blocks, sorted */
	size_t nfiles;
	struct blockloc *blocks;
	size_t nblocks;
	uint8_t build_id[64];
	size_t build_id_len;
};

static int grow(void *arrayp, size_t *cap, size_t need, size_t size)
{
	void **array = arrayp;
	size_t n = *cap ? *cap : 16;
	void *p;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	p = realloc(*array, n * size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*cap = n;
	return 0;
}

/* Folds `.`, `..` and repeated slashes, lexically (symlinks are not resolved). */
static void path_fold(char *p)
{
	bool abs = p[0] == '/';
	char *root = p + abs, *out = root, *s = p;
	size_t depth = 0; /* components written that a `..` may remove */

	while (*s) {
		char *e = strchrnul(s, '/');
		size_t n = (size_t)(e - s);
		bool dotdot = n == 2 && s[0] == '.' && s[1] == '.';

		if (n == 0 || (n == 1 && s[0] == '.') || (dotdot && abs && !depth)) {
			/* nothing: `/..` is `/` */
		} else if (dotdot && depth) {
			while (out > root && out[-1] != '/')
				out--;
			if (out > root)
				out--;
			depth--;
		} else {
			if (out > root)
				*out++ = '/';
			memmove(out, s, n); /* out never passes s: each kept part consumed n + 1 */
			out += n;
			depth += !dotdot;
		}
		s = *e ? e + 1 : e;
	}
	if (out == p)
		*out++ = '.';
	*out = '\0';
}

/*
 * The path as reported: folded, relative to the compile dir when inside it.
 * A relative path is folded too: a tree built from its own directory names
 * its files ./path/canon.c, which is path/canon.c.
 */
static char *path_report(const char *path, const char *compdir)
{
	char *p = strdup(path), *dir;
	size_t n;

	if (p && path[0] != '/')
		path_fold(p);
	if (!p || !compdir || path[0] != '/')
		return p;
	dir = strdup(compdir);
	if (!dir) {
		free(p);
		return NULL;
	}
	path_fold(p);
	path_fold(dir);
	n = strlen(dir);
	if (n > 1 && !strncmp(p, dir, n) && p[n] == '/')
		memmove(p, p + n + 1, strlen(p + n + 1) + 1);
	free(dir);
	return p;
}

/* Returns the id of `path` (relative to `compdir`), or -ENOMEM. */
static int64_t path_intern(struct ukcov_srcmap *m, const char *path, const char *compdir)
{
	char *p = path_report(path, compdir), **a;

	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < m->npaths; i++) {
		if (!strcmp(m->paths[i], p)) {
			free(p);
			return (int64_t)i;
		}
	}
	a = realloc(m->paths, (m->npaths + 1) * sizeof(*a));
	if (!a) {
		free(p);
		return -ENOMEM;
	}
	m->paths = a;
	a[m->npaths] = p;
	return (int64_t)m->npaths++;
}

struct cu_ctx {
	struct ukcov_srcmap *m;
	struct object *o;
	const char *compdir;
	size_t rows_cap, fns_cap;
	/* File index in the CU's table -> path id: each path is folded once per CU. */
	uint32_t *ids;
	size_t nids;
};

static int64_t cu_file(struct cu_ctx *c, Dwarf_Files *files, size_t idx)
{
	const char *name = dwarf_filesrc(files, idx, NULL, NULL);
	int64_t id;

	if (idx < c->nids && c->ids[idx] != UINT32_MAX)
		return c->ids[idx];
	id = path_intern(c->m, name ? name : "??", c->compdir);
	if (id >= 0 && idx < c->nids)
		c->ids[idx] = (uint32_t)id;
	return id;
}

static int cu_rows(struct cu_ctx *c, Dwarf_Die *cu)
{
	struct object *o = c->o;
	Dwarf_Lines *lines;
	Dwarf_Files *files;
	size_t n, nf;

	if (dwarf_getsrclines(cu, &lines, &n) || dwarf_getsrcfiles(cu, &files, &nf))
		return 0; /* a CU without a line table (assembly, or no -g) */
	c->ids = malloc((nf ? nf : 1) * sizeof(*c->ids));
	if (!c->ids)
		return -ENOMEM;
	c->nids = nf;
	memset(c->ids, 0xff, nf * sizeof(*c->ids));
	if (grow(&o->rows, &c->rows_cap, o->nrows + n, sizeof(*o->rows)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		struct row *r = &o->rows[o->nrows];
		Dwarf_Files *lf;
		Dwarf_Addr addr;
		int line = 0, col = 0;
		bool end = false;
		size_t idx;
		int64_t id;

		if (!l || dwarf_lineaddr(l, &addr) || dwarf_line_file(l, &lf, &idx))
			continue;
		dwarf_lineno(l, &line);
		dwarf_linecol(l, &col);
		dwarf_lineendsequence(l, &end);
		id = cu_file(c, lf, idx);
		if (id < 0)
			return (int)id;
		*r = (struct row){ .addr = addr, .ord = (uint32_t)o->nrows, .file = (uint32_t)id,
				   .line = line > 0 ? (uint32_t)line : 0,
				   .col = col > 0 ? (uint32_t)col : 0, .end = end };
		o->nrows++;
	}
	return 0;
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	const char *s = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &a));

	return s ? s : "??";
}

static int cu_fn(struct cu_ctx *c, Dwarf_Die *die)
{
	struct object *o = c->o;
	Dwarf_Addr base, lo, hi;
	const char *decl = dwarf_decl_file(die);
	int64_t file = -1;
	int line = 0;
	ptrdiff_t off = 0;

	dwarf_decl_line(die, &line);
	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
		if (file < 0)
			file = path_intern(c->m, decl ? decl : "??", c->compdir);
		if (file < 0)
			return (int)file;
		if (grow(&o->fns, &c->fns_cap, o->nfns + 1, sizeof(*o->fns)))
			return -ENOMEM;
		o->fns[o->nfns++] = (struct fn){ .lo = lo, .hi = hi, .name = die_name(die),
						 .decl_file = (uint32_t)file,
						 .decl_line = line > 0 ? (uint32_t)line : 0 };
	}
	return 0;
}

/* Functions are the CU's subprogram children: C has no nesting that matters here. */
static int cu_fns(struct cu_ctx *c, Dwarf_Die *cu)
{
	Dwarf_Die die;
	int err = 0;

	if (dwarf_child(cu, &die))
		return 0;
	do {
		if (dwarf_tag(&die) == DW_TAG_subprogram)
			err = cu_fn(c, &die);
	} while (!err && dwarf_siblingof(&die, &die) == 0);
	return err;
}

static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* A sequence's end sorts before another sequence starting there. */
	if (x->end != y->end)
		return x->end ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int fn_cmp(const void *a, const void *b)
{
	const struct fn *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int object_load(struct ukcov_srcmap *m, struct object *o)
{
	struct cu_ctx c = { .m = m, .o = o };
	Dwarf_Off off = 0, next;
	size_t hsize;
	int err = 0;

	o->fd = open(o->path, O_RDONLY | O_CLOEXEC);
	if (o->fd < 0)
		return -errno;
	o->dw = dwarf_begin(o->fd, DWARF_C_READ);
	if (!o->dw)
		return -ENODATA;
	while (!err && dwarf_nextcu(o->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		Dwarf_Attribute a;

		if (dwarf_offdie(o->dw, off + hsize, &cu)) {
			c.compdir = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &a));
			err = cu_rows(&c, &cu);
			if (!err)
				err = cu_fns(&c, &cu);
			free(c.ids);
			c.ids = NULL;
		}
		off = next;
	}
	if (err)
		return err;
	if (!o->nrows && !o->nfns)
		return -ENODATA;
	qsort(o->rows, o->nrows, sizeof(*o->rows), row_cmp);
	qsort(o->fns, o->nfns, sizeof(*o->fns), fn_cmp);
	return 0;
}

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct ukcov_srcmap *m = data;
	struct object *o, *a;

	(void)size;
	a = realloc(m->objs, (m->nobjs + 1) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	m->objs = a;
	o = &a[m->nobjs++];
	*o = (struct object){ .bias = info->dlpi_addr, .lo = UINTPTR_MAX, .fd = -1 };
	/* The executable has an empty name; the kernel knows its file. */
	snprintf(o->path, sizeof(o->path), "%s",
		 info->dlpi_name && info->dlpi_name[0] ? info->dlpi_name : "/proc/self/exe");
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *p = &info->dlpi_phdr[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (info->dlpi_addr + p->p_vaddr < o->lo)
			o->lo = info->dlpi_addr + p->p_vaddr;
		if (info->dlpi_addr + p->p_vaddr + p->p_memsz > o->hi)
			o->hi = info->dlpi_addr + p->p_vaddr + p->p_memsz;
	}
	return 0;
}

/* The object holding `addr`, its DWARF read on first use; NULL with *err set. */
static struct object *object_of(struct ukcov_srcmap *m, uintptr_t addr, int *err)
{
	for (size_t i = 0; i < m->nobjs; i++) {
		struct object *o = &m->objs[i];

		if (addr < o->lo || addr >= o->hi)
			continue;
		if (!o->tried) {
			o->tried = true;
			o->err = object_load(m, o);
		}
		*err = o->err;
		return o->err ? NULL : o;
	}
	*err = -ENODATA;
	return NULL;
}

static const struct fn *fn_at(const struct object *o, uint64_t a)
{
	size_t lo = 0, hi = o->nfns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->fns[mid].lo <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Ranges do not nest in C, but tolerate overlap: look a few back. */
	for (size_t i = lo; i-- > 0 && lo - i <= 4;)
		if (o->fns[i].lo <= a && a < o->fns[i].hi)
			return &o->fns[i];
	return NULL;
}

/* Index of the row covering `a`, or SIZE_MAX. */
static size_t row_at(const struct object *o, uint64_t a)
{
	size_t lo = 0, hi = o->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->rows[mid].addr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || o->rows[lo - 1].end)
		return SIZE_MAX;
	return lo - 1;
}

/* Start and end from the rows of [a, next); see the top of the file. */
static int span_scan(const struct object *o, uint64_t a, uint64_t next,
		     struct blockloc *b)
{
	size_t r = row_at(o, a);
	bool started = false;

	for (size_t k = r; k < o->nrows && !o->rows[k].end &&
			   (k == r || o->rows[k].addr < next); k++) {
		const struct row *w = &o->rows[k];

		if (!w->line || (started && w->file != b->file))
			continue;
		if (!started) {
			started = true;
			b->file = w->file;
			b->line = w->line;
			b->col = w->col;
		}
		if (w->line > b->line || (w->line == b->line && w->col >= b->col)) {
			b->eline = w->line;
			b->ecol = w->col;
		}
	}
	return started ? 0 : -ENODATA;
}

static int block_locate(struct ukcov_srcmap *m, uintptr_t addr, uintptr_t next_addr,
			struct blockloc *b)
{
	const struct object *o;
	const struct fn *f;
	uint64_t a, next;
	int err;

	*b = (struct blockloc){ .func = "??" };
	o = object_of(m, addr, &err);
	if (!o)
		return err;
	a = addr - o->bias;
	next = next_addr ? next_addr - o->bias : UINT64_MAX;
	f = fn_at(o, a);
	if (f) {
		b->func = f->name;
		if (next > f->hi)
			next = f->hi;
	}
	err = span_scan(o, a, next, b);
	if (err != -ENODATA)
		return err;
	if (!f || !f->decl_line)
		return -ENODATA;
	b->from_decl = true;
	b->file = f->decl_file;
	b->line = f->decl_line;
	return 0;
}

static int addr_cmp(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* The smallest address of `sorted` above `a`, or 0. */
static uintptr_t addr_after(const uintptr_t *sorted, size_t n, uintptr_t a)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? sorted[lo] : 0;
}

/* Blocks [first, first + n) are one function's: each spans up to the next of them. */
static int function_locate(struct ukcov_srcmap *m, const uintptr_t *addr, size_t first, size_t n,
			   uintptr_t *sorted)
{
	memcpy(sorted, addr + first, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), addr_cmp);
	for (size_t i = first; i < first + n; i++) {
		struct blockloc *b = &m->blocks[i];

		b->err = block_locate(m, addr[i], addr_after(sorted, n, addr[i]), b);
		if (b->err == -ENOMEM)
			return -ENOMEM;
	}
	return 0;
}

/* PC-table flag of a function's entry block (compiler-rt's PCFlags). */
#define SANCOV_PC_FLAG_FUNC_ENTRY 1u

/*
 * Locates the n blocks of {address, flags} pairs `pcs` (a PC table, or the
 * block table as one): a function's blocks run from its entry block to the
 * next entry. `addr` has room for 2n addresses.
 */
static int blocks_locate(struct ukcov_srcmap *m, const uintptr_t *pcs, size_t n, uintptr_t *addr)
{
	int err = 0;

	m->blocks = calloc(n ? n : 1, sizeof(*m->blocks));
	if (!m->blocks)
		return -ENOMEM;
	m->nblocks = n;
	for (size_t i = 0; i < n; i++) {
		addr[i] = pcs[2 * i];
		m->blocks[i].entry = i == 0 || (pcs[2 * i + 1] & SANCOV_PC_FLAG_FUNC_ENTRY);
	}
	for (size_t i = 0, j; !err && i < n; i = j) {
		for (j = i + 1; j < n && !m->blocks[j].entry; j++)
			;
		err = function_locate(m, addr, i, j - i, addr + n);
	}
	return err;
}

/* This process's block table as a PC table: module starts count as entries, as in blocks.c. */
static int self_locate(struct ukcov_srcmap *m)
{
	size_t n = ukcov_block_count();
	uintptr_t *pcs = malloc((n ? n : 1) * 2 * sizeof(*pcs));
	uintptr_t *addr = malloc((n ? n : 1) * 2 * sizeof(*addr));
	uint32_t prev = UINT32_MAX;
	int err = -ENOMEM;

	if (pcs && addr) {
		for (size_t i = 0; i < n; i++) {
			struct ukcov_block b;

			ukcov_block_at(i, &b);
			pcs[2 * i] = b.addr;
			pcs[2 * i + 1] = b.function != prev ? SANCOV_PC_FLAG_FUNC_ENTRY : 0;
			prev = b.function;
		}
		err = blocks_locate(m, pcs, n, addr);
	}
	free(pcs);
	free(addr);
	return err;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted list of the files that hold blocks; block file ids become indices into it. */
static int files_collect(struct ukcov_srcmap *m)
{
	bool *used = calloc(m->npaths ? m->npaths : 1, 1);

	m->files = malloc((m->npaths ? m->npaths : 1) * sizeof(*m->files));
	if (!used || !m->files) {
		free(used);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->nblocks; i++)
		if (!m->blocks[i].err)
			used[m->blocks[i].file] = true;
	for (size_t i = 0; i < m->npaths; i++)
		if (used[i])
			m->files[m->nfiles++] = m->paths[i];
	free(used);
	qsort(m->files, m->nfiles, sizeof(*m->files), str_cmp);
	for (size_t i = 0; i < m->nblocks; i++) {
		struct blockloc *b = &m->blocks[i];
		const char *p = m->paths[b->file];
		const char **f;

		if (b->err)
			continue;
		f = bsearch(&p, m->files, m->nfiles, sizeof(*m->files), str_cmp);
		b->file = (uint32_t)(f - m->files);
	}
	return 0;
}

int ukcov_srcmap_open(struct ukcov_srcmap **out)
{
	struct ukcov_srcmap *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	err = dl_iterate_phdr(phdr_cb, m);
	if (!err)
		err = self_locate(m);
	if (!err)
		err = files_collect(m);
	if (!err) {
		int len = ukcov_build_id(m->build_id, sizeof(m->build_id));

		m->build_id_len = len > 0 && (size_t)len <= sizeof(m->build_id) ? (size_t)len : 0;
	}
	/* One binary without DWARF is an error only when it leaves every block unknown. */
	for (size_t i = 0; !err && i < m->nobjs; i++)
		if (m->objs[i].tried && m->objs[i].err && !m->nfiles)
			err = m->objs[i].err;
	if (err) {
		ukcov_srcmap_close(m);
		return err;
	}
	*out = m;
	return 0;
}

void ukcov_srcmap_close(struct ukcov_srcmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nobjs; i++) {
		struct object *o = &m->objs[i];

		if (o->dw)
			dwarf_end(o->dw);
		if (o->fd >= 0)
			close(o->fd);
		free(o->rows);
		free(o->fns);
	}
	for (size_t i = 0; i < m->npaths; i++)
		free(m->paths[i]);
	free(m->paths);
	free(m->files);
	free(m->objs);
	free(m->blocks);
	free(m);
}

int ukcov_srcmap_block(const struct ukcov_srcmap *m, size_t index, struct ukcov_srcloc *out)
{
	const struct blockloc *b;

	if (index >= m->nblocks)
		return -ENOENT;
	b = &m->blocks[index];
	if (b->err)
		return b->err;
	*out = (struct ukcov_srcloc){
		.file = m->files[b->file], .function = b->func, .file_id = b->file,
		.line = b->line, .column = b->col,
		.end_line = b->from_decl ? 0 : b->eline, .end_column = b->from_decl ? 0 : b->ecol,
		.from_decl = b->from_decl, .entry = b->entry,
	};
	return 0;
}

int ukcov_srcmap_open_binary(const char *path, struct ukcov_srcmap **out)
{
	struct ukcov_srcmap *m = calloc(1, sizeof(*m));
	struct ukcov_binfile bin;
	uintptr_t *addr = NULL;
	int err;

	if (!m)
		return -ENOMEM;
	err = ukcov_binfile_read(path, &bin);
	if (err) {
		free(m);
		return err;
	}
	/* Not loaded: link-time addresses, one object over the whole address space. */
	m->objs = calloc(1, sizeof(*m->objs));
	addr = malloc(bin.nblocks * 2 * sizeof(*addr));
	if (!m->objs || !addr) {
		err = -ENOMEM;
		goto out;
	}
	m->nobjs = 1;
	m->objs[0] = (struct object){ .lo = 0, .hi = UINTPTR_MAX, .fd = -1 };
	if (strlen(path) >= sizeof(m->objs[0].path)) {
		err = -ENAMETOOLONG;
		goto out;
	}
	strcpy(m->objs[0].path, path);
	memcpy(m->build_id, bin.build_id, bin.build_id_len);
	m->build_id_len = bin.build_id_len;
	err = blocks_locate(m, bin.pcs, bin.nblocks, addr);
	if (!err)
		err = files_collect(m);
	if (!err && m->objs[0].err && !m->nfiles)
		err = m->objs[0].err;
out:
	free(addr);
	ukcov_binfile_free(&bin);
	if (err) {
		ukcov_srcmap_close(m);
		return err;
	}
	*out = m;
	return 0;
}

size_t ukcov_srcmap_block_count(const struct ukcov_srcmap *m)
{
	return m->nblocks;
}

size_t ukcov_srcmap_build_id(const struct ukcov_srcmap *m, const uint8_t **id)
{
	*id = m->build_id;
	return m->build_id_len;
}

size_t ukcov_srcmap_file_count(const struct ukcov_srcmap *m)
{
	return m->nfiles;
}

const char *ukcov_srcmap_file(const struct ukcov_srcmap *m, size_t id)
{
	return id < m->nfiles ? m->files[id] : NULL;
}

/* Applies one pattern [p, p + n) to every file; returns whether it matched any. */
static bool filter_apply(const char *p, size_t n, const char *const *files, size_t nfiles,
			 bool *mask, char *buf)
{
	bool exclude = p[0] == '-', any = false;

	if (exclude) {
		p++;
		n--;
	}
	memcpy(buf, p, n);
	buf[n] = '\0';
	for (size_t i = 0; i < nfiles; i++) {
		if (fnmatch(buf, files[i], FNM_LEADING_DIR) == 0) {
			mask[i] = !exclude;
			any = true;
		}
	}
	return any;
}

int ukcov_filter_files(const char *patterns, const char *const *files, size_t nfiles,
		       bool *mask, const char **bad, size_t *bad_len)
{
	char *buf = malloc(strlen(patterns) + 1);
	const char *p = patterns;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < nfiles; i++)
		mask[i] = patterns[0] == '-';
	for (;;) {
		size_t n = strcspn(p, ",");

		if (n == 0 || (n == 1 && p[0] == '-'))
			err = -EINVAL;
		else if (!filter_apply(p, n, files, nfiles, mask, buf))
			err = -ENOENT;
		if (err) {
			if (bad)
				*bad = p;
			if (bad_len)
				*bad_len = n;
			break;
		}
		if (!p[n])
			break;
		p += n + 1;
	}
	free(buf);
	return err;
}
