/*
 * tmpfs_ops: file-system operations timed in a directory given as argv[1]:
 * on /dev/shm natively (Linux's tmpfs) and under `ukcov run --tmpfs`
 * (ukcov's). Median ns per operation over rounds; bench/run.sh prints ratios.
 */
#define _GNU_SOURCE
#include <fcntl.h>
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

static void bench(const char *name, void (*fn)(void))
{
	printf("%s %.0f\n", name, median_ns(ROUNDS, N, fn));
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
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
	return 0;
}
