/*
 * filter_cases: the instrumentation filter's semantics, on ukcov_filter_files()
 * alone (a pure function: patterns + file names -> mask). Built and run by
 * test_filter.sh. Prints one line per failed case; exit 0 when all pass.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <ukcov/srcmap.h>

static const char *const files[] = {
	"kernel/fd.c", "kernel/fs/kcovfs.c", "kernel/fs/tmpfs/dir.c", "kernel/fs/tmpfs/inode.c",
	"kernel/sys_rw.c", "include/ukcov/ukcov.h",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static int fails;

/* `want` lists the selected files as a string of 0/1, one per file. */
static void expect(const char *patterns, int want_err, const char *want, const char *want_bad)
{
	bool mask[NFILES];
	char got[NFILES + 1] = { 0 };
	const char *bad = NULL;
	size_t len = 0;
	int err = ukcov_filter_files(patterns, files, NFILES, mask, &bad, &len);

	for (size_t i = 0; i < NFILES; i++)
		got[i] = mask[i] ? '1' : '0';
	if (err != want_err) {
		printf("'%s': returned %d, expected %d\n", patterns, err, want_err);
		fails++;
	} else if (!err && strcmp(got, want)) {
		printf("'%s': selected %s, expected %s\n", patterns, got, want);
		fails++;
	} else if (err && want_bad && (len != strlen(want_bad) || strncmp(bad, want_bad, len))) {
		printf("'%s': blamed '%.*s', expected '%s'\n", patterns, (int)len, bad, want_bad);
		fails++;
	}
}

int main(void)
{
	/* include: one file, a glob, `*` across `/`, a leading directory */
	expect("kernel/sys_rw.c", 0, "000010", NULL);
	expect("kernel/fs/*", 0, "011100", NULL);
	expect("kernel/*.c", 0, "111110", NULL);
	expect("kernel/fs", 0, "011100", NULL);
	expect("*/ukcov.h", 0, "000001", NULL);
	/* exclude: alone it starts from everything */
	expect("-kernel/fs/tmpfs/dir.c", 0, "110111", NULL);
	expect("kernel/fs/*,-kernel/fs/tmpfs/dir.c", 0, "010100", NULL);
	/* order: the last matching pattern wins */
	expect("-kernel/fs/tmpfs/dir.c,kernel/fs/*", 0, "111111", NULL);
	expect("kernel/*,-kernel/fs,kernel/fs/tmpfs/inode.c", 0, "100110", NULL);
	/* errors: no match (even when an earlier pattern matched), empty patterns */
	expect("kernel/nope.c", -ENOENT, NULL, "kernel/nope.c");
	expect("kernel/*,-kernel/nope/*", -ENOENT, NULL, "-kernel/nope/*");
	expect("kernel/fs/kcovfs", -ENOENT, NULL, "kernel/fs/kcovfs");
	expect("kernel/*,", -EINVAL, NULL, "");
	expect("kernel/*,,kernel/fd.c", -EINVAL, NULL, "");
	expect("-", -EINVAL, NULL, "-");
	expect("", -EINVAL, NULL, "");
	if (!fails)
		printf("all filter cases passed\n");
	return fails != 0;
}
