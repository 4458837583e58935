/*
 * size= and shared mappings, in a tmpfs directory argv[1] whose file system
 * has argv[2] pages (size=argv[2]*4096, huge=never), printed as a
 * transcript that must be the same on a Linux tmpfs mounted with that size
 * and under `ukcov run --tmpfs=DIR:size=` (test_mapsize.sh):
 *   - a child writing one byte per page through a writable MAP_SHARED
 *     mapping of a sparse file larger than the mount gets SIGBUS at the
 *     first page that does not fit (shmem_fault()'s -ENOSPC);
 *   - st_blocks, statfs's free count, write() (ENOSPC, and a write into a
 *     present page still works) and a long symlink (its page) after that;
 *   - the mapping's writes moved mtime and ctime (file_update_time() at
 *     the fault);
 *   - MADV_REMOVE frees pages for the mount, and unlinking frees it all.
 * Exit 0 when every step ran (the transcript is the check), 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "transcript.h"

static sigjmp_buf bus;

static unsigned long free_pages(void)
{
	struct statvfs sv;

	return statvfs(dir, &sv) ? ~0ul : (unsigned long)sv.f_bfree;
}

static void on_bus(int sig)
{
	(void)sig;
	siglongjmp(bus, 1);
}

/* Touches pages 0..n-1 of fd through a shared mapping; exits with how many it wrote. */
static void map_writer(int fd, int n)
{
	volatile int i = 0;
	char *map = mmap(NULL, (size_t)n * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (map == MAP_FAILED)
		_exit(255);
	signal(SIGBUS, on_bus);
	if (!sigsetjmp(bus, 1))
		for (; i < n; i++)
			map[(size_t)i * PG] = 'm';
	_exit(i);
}

static int child_writes(int fd, int n)
{
	pid_t pid = fork();
	int st;

	if (!pid)
		map_writer(fd, n);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int later(struct timespec a, struct timespec b)
{
	return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

int main(int argc, char **argv)
{
	int pages, fd, n;
	struct stat st0, st;
	char *map, lnk[300];

	if (argc != 3)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	pages = atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(path("f"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)(2 * pages) * PG))
		return 1;
	SAY("free pages at start: %s", free_pages() == (unsigned long)pages ? "all" : "not all");
	fstat(fd, &st0);
	nanosleep(&(struct timespec){ 0, 20000000 }, NULL); /* past the clock's granularity */
	n = child_writes(fd, 2 * pages);
	SAY("pages written through the mapping before SIGBUS: %d of %d (mount: %d)", n, 2 * pages, pages);
	fstat(fd, &st);
	SAY("st_blocks: %ld, free pages: %lu", (long)st.st_blocks, free_pages());
	SAY("mtime moved: %d, ctime moved: %d", later(st.st_mtim, st0.st_mtim), later(st.st_ctim, st0.st_ctim));
	SAY("write into a new page: %s", res(pwrite(fd, "w", 1, (off_t)(pages + 3) * PG)));
	SAY("write into a present page: %s", res(pwrite(fd, "w", 1, PG + 5)));
	memset(lnk, 'l', sizeof(lnk) - 1);
	lnk[sizeof(lnk) - 1] = 0;
	SAY("long symlink: %s", res(symlink(lnk, path("l"))));
	SAY("short symlink: %s", res(symlink("short", path("s"))));
	map = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	SAY("MADV_REMOVE 4 pages: %s", res(map == MAP_FAILED ? -1 : madvise(map, 4 * PG, MADV_REMOVE)));
	fstat(fd, &st);
	SAY("st_blocks: %ld, free pages: %lu", (long)st.st_blocks, free_pages());
	SAY("long symlink now: %s", res(symlink(lnk, path("l"))));
	SAY("free pages: %lu", free_pages());
	n = child_writes(fd, 2 * pages);
	SAY("pages written through the mapping again: %d", n);
	SAY("free pages: %lu", free_pages());
	SAY("read back page 1: %c", map != MAP_FAILED ? map[PG] : '?');
	if (map != MAP_FAILED)
		munmap(map, 4 * PG);
	close(fd);
	unlink(path("f"));
	SAY("free pages with the long symlink left: %lu", free_pages());
	unlink(path("l"));
	unlink(path("s"));
	SAY("free pages at the end: %s", free_pages() == (unsigned long)pages ? "all" : "not all");
	return 0;
}
