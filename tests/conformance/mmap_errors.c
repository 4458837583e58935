/*
 * mmap of a kcov fd: only after INIT_TRACE, offset 0, length exactly size * 8.
 * The kernel compares against the page-rounded VMA length, so a size whose
 * byte length is not a page multiple can never be mapped.
 */
#include "kcov_test.h"

#define RW (PROT_READ | PROT_WRITE)

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = KT_COVER_SIZE * sizeof(unsigned long);
	int fd = kt_open();

	CHECK_ERR(mmap(NULL, len, RW, MAP_SHARED, fd, 0), EINVAL);
	CHECK_ERR(mmap(NULL, page, RW, MAP_SHARED, fd, 0), EINVAL);

	CHECK_OK(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE));
	CHECK_ERR(mmap(NULL, len - page, RW, MAP_SHARED, fd, 0), EINVAL);
	CHECK_ERR(mmap(NULL, len + page, RW, MAP_SHARED, fd, 0), EINVAL);
	CHECK_ERR(mmap(NULL, len, RW, MAP_SHARED, fd, page), EINVAL);
	CHECK_ERR(mmap(NULL, len - page, RW, MAP_SHARED, fd, page), EINVAL);
	/* the failures changed nothing */
	void *p = (void *)CHECK_OK(mmap(NULL, len, RW, MAP_SHARED, fd, 0));
	if (p != MAP_FAILED)
		munmap(p, len);

	/* 3 words = 24 bytes: neither 24 nor a page matches */
	int fd2 = kt_open();
	CHECK_OK(ioctl(fd2, KCOV_INIT_TRACE, 3UL));
	CHECK_ERR(mmap(NULL, 3 * sizeof(unsigned long), RW, MAP_SHARED, fd2, 0), EINVAL);
	CHECK_ERR(mmap(NULL, page, RW, MAP_SHARED, fd2, 0), EINVAL);

	close(fd2);
	close(fd);
	return kt_failed;
}
