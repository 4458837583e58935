/* SPDX-License-Identifier: MIT */
/*
 * libukcov source map: the instrumented blocks of this process mapped to
 * file, line, column and function through the DWARF line tables of the
 * binaries that hold them (elfutils' libdw), and the instrumentation filter
 * that selects blocks by source file.
 *
 * Nothing here runs at start-up: the DWARF is read by ukcov_srcmap_open()
 * only, so an embedder that never symbolizes never pays for it. Build the
 * instrumented code with line tables (-g or -gline-tables-only).
 *
 * Paths are relative to the compilation directory of the unit that holds
 * the code (for ukcov: the repository root) when they lie inside it, else
 * absolute; `.` and `..` components are folded, in relative names too (a
 * tree built from its own directory gives path/canon.c, not ./path/canon.c).
 *
 * The source map is its own library, libukcov-srcmap (it needs libdw and
 * libelf): an embedder that only serves coverage links libukcov alone.
 *
 * Every function that can fail returns 0 or -errno. Nothing prints.
 */
#ifndef UKCOV_SRCMAP_H
#define UKCOV_SRCMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libukcov is built with -fvisibility=hidden: what this header declares is its ABI. */
#pragma GCC visibility push(default)

/* Where a block comes from. Strings live as long as the map. */
struct ukcov_srcloc {
	const char *file;     /* see above for the form of paths */
	const char *function; /* the outermost non-inlined function holding the block */
	uint32_t file_id;     /* index for ukcov_srcmap_file(); files are sorted by path */
	uint32_t line;        /* > 0 */
	uint32_t column;      /* 0 when the line table has none */
	/*
	 * The last line-table row in the same file, not before the start,
	 * ahead of the next block address of the function (or its end), or 0
	 * when unknown (from_decl).
	 * An upper bound: code of blocks the compiler did not instrument may
	 * lie in between.
	 */
	uint32_t end_line;
	uint32_t end_column;
	/*
	 * The compiler gave the block no line at all (line 0 throughout): file
	 * and line are the function's declaration (DW_AT_decl_file/decl_line).
	 */
	bool from_decl;
	bool entry;           /* the first block of its function */
};

/* The source map of every block of the block table (ukcov_block_count()). */
struct ukcov_srcmap;

/*
 * Reads the DWARF of every binary (executable or DSO) that holds an
 * instrumented block, found through dl_iterate_phdr() (/proc/self/exe for
 * the executable). Returns 0, -ENOMEM, the errno of opening a binary, or
 * -ENODATA when a binary has no usable DWARF.
 */
int ukcov_srcmap_open(struct ukcov_srcmap **out);
/*
 * The source map of the executable FILE, read from the file (not loaded):
 * its PC table (section __sancov_pcs) numbers the blocks as a process
 * running FILE does, so the PCs that FILE's kcov device gave map here; the
 * blocks of instrumented DSOs it loads are not included. Returns 0,
 * -ENOMEM, the -errno of opening FILE, -ENOEXEC when FILE is not an ELF
 * executable for this machine, -ENOENT when it has no instrumented block,
 * or -ENODATA when it has no usable DWARF.
 */
int ukcov_srcmap_open_binary(const char *path, struct ukcov_srcmap **out);
void ukcov_srcmap_close(struct ukcov_srcmap *m);
/* How many blocks the map has: ukcov_block_count() or FILE's. */
size_t ukcov_srcmap_block_count(const struct ukcov_srcmap *m);
/*
 * The GNU build ID of the binary the blocks come from (the executable for
 * ukcov_srcmap_open_binary(), the one holding block 0 otherwise): sets *id
 * and returns its length, 0 when the binary has none.
 */
size_t ukcov_srcmap_build_id(const struct ukcov_srcmap *m, const uint8_t **id);

/*
 * The source of block `index` of the block table. Returns 0, -ENOENT for
 * an index past the table, or -ENODATA when the debug information has
 * neither a line nor a function for the block.
 */
int ukcov_srcmap_block(const struct ukcov_srcmap *m, size_t index, struct ukcov_srcloc *out);

/* The files that hold at least one block, sorted by path. */
size_t ukcov_srcmap_file_count(const struct ukcov_srcmap *m);
/* File by id, or NULL past the end. */
const char *ukcov_srcmap_file(const struct ukcov_srcmap *m, size_t id);

/*
 * The instrumentation filter, a pure function of its inputs.
 *
 * `patterns` is a comma-separated list of globs (fnmatch(3) without
 * FNM_PATHNAME, so `*` also matches `/`: "kernel/fs/" followed by `*`
 * selects kernel/fs/tmpfs/dir.c), each matching a whole path or a leading
 * directory of it (FNM_LEADING_DIR: `kernel/fs` selects that directory).
 * A leading `-` makes a pattern exclude. Patterns apply in order and the
 * last one that matches a file decides; a file no pattern matches is
 * selected only when the first pattern is an exclusion (so the single
 * pattern `-kernel/fs` means "everything but kernel/fs").
 *
 * Sets mask[i] for each of the `nfiles` files selected. Returns 0;
 * -EINVAL for an empty pattern; -ENOENT when a pattern matches none of the
 * files (a typo, or a file that holds no instrumented code). On error
 * *bad and *bad_len (when not NULL) delimit the offending pattern inside
 * `patterns`.
 */
int ukcov_filter_files(const char *patterns, const char *const *files, size_t nfiles,
		       bool *mask, const char **bad, size_t *bad_len);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
