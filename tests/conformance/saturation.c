/*
 * A full buffer drops further PCs silently: the count saturates at exactly
 * size - 1 and the entries stop changing. The area is mapped syzkaller style,
 * MAP_FIXED into the middle of a PROT_NONE reservation; the guard pages must
 * stay untouched (a supervisor writing through /proc/pid/mem could hit them).
 */
#include "kcov_test.h"

#define MAX_PROBES 100000

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long size = page / sizeof(unsigned long);	/* one page */
	int fd = kt_open();

	CHECK_OK(ioctl(fd, KCOV_INIT_TRACE, size));
	char *res = mmap(NULL, 3 * page, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	REQUIRE(res != MAP_FAILED, "mmap reservation: expected success got %s", kt_errname(errno));
	unsigned long *area = mmap(res + page, page, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_FIXED, fd, 0);
	REQUIRE(area == (void *)(res + page), "mmap MAP_FIXED into guard: expected %p got %p (%s)",
		(void *)(res + page), (void *)area, kt_errname(errno));
	unsigned long *snap = malloc(page);
	REQUIRE(snap != NULL, "malloc: expected success got NULL");

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	area[0] = 0;
	unsigned long n = 0;
	int probes;
	for (probes = 0; probes < MAX_PROBES && n < size - 1; probes++) {
		kt_probe();
		n = kt_count(area, size);	/* fails the test if ever > size - 1 */
	}
	CHECK(n == size - 1, "count after %d probes without reset: expected %lu got %lu",
	      probes, size - 1, n);

	memcpy(snap, area, page);
	for (int i = 0; i < 50; i++)
		kt_probe();
	CHECK(memcmp(snap, area, page) == 0, "full area after 50 more probes: expected unchanged");
	CHECK_PCS(area, kt_count(area, size));
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));

	REQUIRE_OK(mprotect(res, page, PROT_READ));
	REQUIRE_OK(mprotect(res + 2 * page, page, PROT_READ));
	for (long i = 0; i < page; i++) {
		CHECK(res[i] == 0, "guard byte before the area at +%ld: expected 0 got %#x", i, res[i] & 0xff);
		CHECK(res[2 * page + i] == 0, "guard byte after the area at +%ld: expected 0 got %#x",
		      i, res[2 * page + i] & 0xff);
		if (kt_failed)
			break;
	}

	free(snap);
	close(fd);
	return kt_failed;
}
