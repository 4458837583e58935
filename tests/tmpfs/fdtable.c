/*
 * Guest (DIR = a tmpfs directory): the fd table is as big as it says.
 * getrlimit(RLIMIT_NOFILE), prlimit, getdtablesize(), sysconf and the
 * number of fds open when open(2) or dup(2) says EMFILE agree, also after
 * setrlimit lowers and raises the limit (test_fdtable.sh compares with
 * /dev/shm); dup2(2) onto any fd below the limit works. Found by LTP
 * (creat05, open04, dup06, dup205, dup201): ukcov's cwd slot took one fd
 * of the table, or sat below the limit.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "transcript.h"

/* fds the table holds now, as the guest can see them */
static int in_use(int limit)
{
	int n = 0;

	for (int fd = 0; fd < limit + 64; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Opens DIR/f (or dups 0) until an error; says whether the count matches. */
static void fill(const char *how, int limit)
{
	int *fds = calloc((size_t)limit + 64, sizeof(int)), n = 0, before = in_use(limit);
	long r;

	while (n < limit + 64) {
		r = how[0] == 'o' ? open(path("f"), O_RDONLY) : dup(0);
		if (r < 0)
			break;
		fds[n++] = (int)r;
	}
	SAY("%s until %s: %s", how, res(r), before + n == limit ? "the table is as big as getrlimit says"
							       : "a different count");
	if (before + n != limit)
		SAY("  %d in use + %d opened, limit %d", before, n, limit);
	while (n)
		close(fds[--n]);
	free(fds);
}

/* dup2(2) onto every free number below the limit, then onto the limit (LTP's dup201, dup205) */
static void dup2_all(int limit)
{
	int fd, bad = -1;

	for (fd = 3; fd < limit; fd++)
		if (fcntl(fd, F_GETFD) < 0 && dup2(0, fd) != fd && bad < 0)
			bad = fd;
	SAY("dup2 onto every free fd below the limit: %s", bad < 0 ? "all" : "one refused");
	if (bad >= 0)
		SAY("  refused: %d of limit %d", bad, limit);
	SAY("dup2 onto the limit = %s", res(dup2(0, limit)));
	SAY("dup onto nothing left = %s", res(dup(0)));
	for (fd = 4; fd < limit; fd++)
		close(fd);
}

static int show(void)
{
	struct rlimit rl, pl;

	getrlimit(RLIMIT_NOFILE, &rl);
	prlimit(0, RLIMIT_NOFILE, NULL, &pl);
	SAY("getrlimit == prlimit(0) == prlimit(self): %s",
	    rl.rlim_cur == pl.rlim_cur && rl.rlim_max == pl.rlim_max &&
	    !prlimit(getpid(), RLIMIT_NOFILE, NULL, &pl) && rl.rlim_cur == pl.rlim_cur ? "yes" : "no");
	SAY("getdtablesize() == soft limit: %s, sysconf(_SC_OPEN_MAX) == soft limit: %s",
	    getdtablesize() == (int)rl.rlim_cur ? "yes" : "no",
	    sysconf(_SC_OPEN_MAX) == (long)rl.rlim_cur ? "yes" : "no");
	return (int)rl.rlim_cur;
}

int main(int argc, char **argv)
{
	struct rlimit rl, orig;
	int limit;

	if (argc < 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	close(open(path("f"), O_CREAT | O_WRONLY, 0644));
	getrlimit(RLIMIT_NOFILE, &orig);
	/* (the hard limit is one lower under ukcov when it may not raise it: a README deviation) */
	SAY("soft limit %lu", (unsigned long)orig.rlim_cur);
	limit = show();
	fill("open", limit);
	fill("dup", limit);
	dup2_all(limit);
	rl = (struct rlimit){ 100, orig.rlim_max };
	SAY("setrlimit(100) = %s", res(setrlimit(RLIMIT_NOFILE, &rl)));
	limit = show();
	SAY("soft limit %d", limit);
	fill("open", limit);
	SAY("setrlimit(back) = %s", res(setrlimit(RLIMIT_NOFILE, &orig)));
	limit = show();
	SAY("soft limit %d", limit);
	fill("open", limit);
	/* the limit read back and set again is the same: ukcov's cwd slot stays within it */
	SAY("chdir after setrlimit(getrlimit()) = %s", res(chdir(dir)));
	rl = (struct rlimit){ 2000, 1000 };
	SAY("setrlimit(cur > max) = %s", res(setrlimit(RLIMIT_NOFILE, &rl)));
	SAY("setrlimit(bad pointer) = %s", res(setrlimit(RLIMIT_NOFILE, (void *)8)));
	SAY("getrlimit(bad pointer) = %s", res(getrlimit(RLIMIT_NOFILE, (void *)8)));
	return 0;
}
