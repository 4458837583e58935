/*
 * kcov_probes: a kcov client that measures several syscalls one by one and
 * prints how many kernel PCs each executed, with the first few of them.
 * It is what `make demo` runs.
 *
 * Build:  gcc -std=gnu11 -O1 -g -Wall -Wextra -o kcov_probes examples/kcov_probes.c
 * Run:    build/bin/ukcov run -- ./kcov_probes [--all]
 *         (or on a Linux kernel built with CONFIG_KCOV, debugfs mounted)
 * --all prints every PC of every probe, one per line, after the summary.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kcov.h>

#define COVER_SIZE (64UL << 10) /* in words */

static unsigned long *cover;

static void probe_read(void) { (void)!read(-1, NULL, 0); }
static void probe_write(void) { (void)!write(-1, "", 0); }
static void probe_close(void) { close(-1); }
/* Raw: glibc answers fstat(-1) itself, without a syscall. */
static void probe_fstat(void) { struct stat st; syscall(SYS_fstat, -1, &st); }
static void probe_ioctl(void) { ioctl(-1, 0x1234, 0); }
static void probe_open(void) { close(open("/nonexistent", O_RDONLY)); }

static const struct {
	const char *name;
	void (*fn)(void);
} probes[] = {
	{ "read(-1, NULL, 0)", probe_read },
	{ "write(-1, \"\", 0)", probe_write },
	{ "close(-1)", probe_close },
	{ "fstat(-1, &st)", probe_fstat },
	{ "ioctl(-1, 0x1234, 0)", probe_ioctl },
	{ "open(\"/nonexistent\")", probe_open },
};
#define NPROBES (sizeof(probes) / sizeof(probes[0]))

int main(int argc, char **argv)
{
	int all = argc > 1 && !strcmp(argv[1], "--all");
	static unsigned long saved[NPROBES][64];
	unsigned long counts[NPROBES];
	int fd;

	fd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (fd == -1) {
		perror("open /sys/kernel/debug/kcov");
		return 1;
	}
	if (ioctl(fd, KCOV_INIT_TRACE, COVER_SIZE)) {
		perror("KCOV_INIT_TRACE");
		return 1;
	}
	cover = mmap(NULL, COVER_SIZE * sizeof(unsigned long), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC)) {
		perror("KCOV_ENABLE");
		return 1;
	}
	for (size_t i = 0; i < NPROBES; i++) {
		__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
		probes[i].fn();
		counts[i] = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
		for (unsigned long j = 0; j < counts[i] && j < 64; j++)
			saved[i][j] = cover[j + 1];
	}
	if (ioctl(fd, KCOV_DISABLE, 0)) {
		perror("KCOV_DISABLE");
		return 1;
	}
	for (size_t i = 0; i < NPROBES; i++) {
		printf("%-24s %3lu PCs:", probes[i].name, counts[i]);
		for (unsigned long j = 0; j < counts[i] && j < 3; j++)
			printf(" 0x%lx", saved[i][j]);
		printf("%s\n", counts[i] > 3 ? " ..." : "");
	}
	for (size_t i = 0; all && i < NPROBES; i++)
		for (unsigned long j = 0; j < counts[i] && j < 64; j++)
			printf("0x%lx\n", saved[i][j]);
	munmap(cover, COVER_SIZE * sizeof(unsigned long));
	close(fd);
	return 0;
}
