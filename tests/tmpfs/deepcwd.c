/*
 * Guest (DIR = a tmpfs directory): getcwd(2) in a directory whose path is
 * longer than PATH_MAX answers ENAMETOOLONG for every buffer (ERANGE only
 * for a buffer too small for a path that fits), and glibc's getcwd() then
 * walks ".." itself (test_deepcwd.sh compares with /dev/shm). Found by a
 * probe: ERANGE for every size, so glibc never fell back and Python's
 * os.getcwd() looped forever.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "transcript.h"

static char want[8192];

static void raw(size_t size)
{
	static char buf[1 << 16];
	long r = syscall(SYS_getcwd, buf, size);

	SAY("getcwd(2) size %zu: %s%s", size, res(r), r > 0 && !strcmp(buf, want) ? " (the path)" : "");
}

/* Paths of exactly PATH_MAX - 1 bytes (fits with its NUL) and PATH_MAX. */
static void edge(void)
{
	size_t base = strlen(want);

	for (size_t len = PATH_MAX - 1; len <= PATH_MAX; len++) {
		char name[256];

		memset(name, 'e', len - base - 1);
		name[len - base - 1] = '\0';
		if (mkdir(name, 0755) || chdir(name))
			return;
		snprintf(want + base, sizeof(want) - base, "/%s", name);
		SAY("%zu bytes:", strlen(want));
		raw(PATH_MAX);
		raw(PATH_MAX + 1);
		if (chdir(".."))
			return;
		want[base] = '\0';
	}
}

int main(int argc, char **argv)
{
	char name[256], *got;
	int depth = 0;

	if (argc < 2 || chdir(argv[1]))
		return 2;
	snprintf(want, sizeof(want), "%s", argv[1]);
	/* a first component that brings both roots to 256 bytes: the same lengths after */
	if (strlen(want) > 200)
		return 2;
	memset(name, 'p', 255 - strlen(want));
	name[255 - strlen(want)] = '\0';
	if (mkdir(name, 0755) || chdir(name))
		return 3;
	strcat(want, "/");
	strcat(want, name);
	memset(name, 'd', 200);
	name[200] = '\0';
	while (strlen(want) < 5000) {
		if (mkdir(name, 0755) || chdir(name))
			return 3;
		strcat(want, "/");
		strcat(want, name);
		depth++;
		if (strlen(want) >= 3839 && strlen(want) < 3894)
			edge();
		if (strlen(want) > 3900 && strlen(want) < 4096) {
			SAY("depth %d, %zu bytes:", depth, strlen(want));
			raw(strlen(want));
			raw(strlen(want) + 1);
			raw(PATH_MAX);
		}
	}
	SAY("depth %d, %zu bytes:", depth, strlen(want));
	raw(100);
	raw(PATH_MAX);
	raw(1 << 16);
	got = getcwd(NULL, 0);
	SAY("getcwd(NULL, 0): %s", got && !strcmp(got, want) ? "the path" : got ? got : res(-1));
	free(got);
	return 0;
}
