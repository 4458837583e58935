/*
 * tmpfs_ops: file-system operations timed in a directory given as argv[1]:
 * on /dev/shm natively (Linux's tmpfs) and under `ukcov run --tmpfs`
 * (ukcov's). Prints "name min median rounds" (ns per operation); bench/run.sh
 * prints ratios. `tmpfs_ops DIR count` runs each operation 10 times between
 * markers (read(-1, NULL, 0x7000 + op)) instead: under `ukcov run -v`, the
 * trapped syscalls between two markers are what the operation costs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 5
#define N 2000

static char dir[4096], path[4200], buf[4096];
static int fd;

static void op_stat(void) { struct stat st; stat(path, &st); }
static void op_open_close(void) { close(open(path, O_RDONLY)); }
static void op_pwrite(void) { (void)!pwrite(fd, buf, sizeof(buf), 0); }
static void op_pread(void) { (void)!pread(fd, buf, sizeof(buf), 0); }
static void op_create_unlink(void)
{
	char p[4300];

	snprintf(p, sizeof(p), "%s/tmp", dir);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	unlink(p);
}

static bool counting;
static int nop;
static const char *names[8];

static void bench(const char *name, void (*fn)(void))
{
	double min, med;

	if (counting) {
		(void)!read(-1, NULL, 0x7000 + nop++);
		for (int i = 0; i < 10; i++)
			fn();
		(void)!read(-1, NULL, 0x7000 + nop);
		names[nop - 1] = name;
		return;
	}
	med = rounds_ns(ROUNDS, N, fn, &min);
	printf("%s %.0f %.0f %d\n", name, min, med, ROUNDS);
}

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3)
		return 2;
	counting = argc == 3 && !strcmp(argv[2], "count");
	snprintf(dir, sizeof(dir), "%s/bench.d/a/b/c", argv[1]);
	for (char *p = dir + strlen(argv[1]) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_CREAT | O_RDWR, 0644);
	if (fd < 0)
		return perror(path), 1;
	bench("stat-depth5", op_stat);
	bench("open+close", op_open_close);
	bench("pwrite-4k", op_pwrite);
	bench("pread-4k", op_pread);
	bench("create+unlink", op_create_unlink);
	/* After the markers: stdout's own syscalls must not fall between two. */
	for (int i = 0; counting && i < nop; i++)
		printf("op %d %s\n", i, names[i]);
	return 0;
}
