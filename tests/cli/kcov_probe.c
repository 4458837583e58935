/*
 * kcov_probe: a guest for the symbolize/filter/report tests. Collects the
 * kernel PCs of a few syscalls on the kcov file itself (read, write, fstat,
 * lseek, ioctl with a bad command, and kcov's probe read(-1)) and prints
 * them one per line as 0x%lx, nothing else. Built by the tests into $B/tests/.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kcov.h>

#define COVER_SIZE (64UL << 10)

int main(void)
{
	unsigned long *cover, n;
	struct stat st;
	char c = 0;
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);

	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, COVER_SIZE)) {
		perror("kcov_probe: open/KCOV_INIT_TRACE");
		return 1;
	}
	cover = mmap(NULL, COVER_SIZE * sizeof(*cover), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC)) {
		perror("kcov_probe: mmap/KCOV_ENABLE");
		return 1;
	}
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	(void)!read(-1, NULL, 0);
	(void)!read(fd, &c, 1);
	(void)!write(fd, &c, 1);
	fstat(fd, &st);
	lseek(fd, 0, SEEK_SET);
	ioctl(fd, 0x12345678, 0UL);
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	if (n > COVER_SIZE - 1)
		n = COVER_SIZE - 1;
	for (unsigned long i = 0; i < n; i++)
		printf("0x%lx\n", cover[i + 1]);
	return 0;
}
