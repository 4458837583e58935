/*
 * KCOV_INIT_TRACE errors. Linux validates the size before it looks at the
 * state, so a bad size is EINVAL even on an initialised fd, and only a good
 * size on an initialised fd is EBUSY.
 */
#include "kcov_test.h"

int main(void)
{
	unsigned long *area;
	int fd = kt_open();

	/* size must hold the count word plus one PC */
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, 0UL), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, 1UL), EINVAL);
	/* size * 8 must fit an int */
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, (unsigned long)INT_MAX / 8 + 1), EINVAL);
	/* the argument is a full unsigned long: truncated to 32 bits this is 64 */
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, (1UL << 32) + 64), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, ~0UL), EINVAL);

	/* the failures left the fd uninitialised */
	CHECK_OK(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE));

	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE), EBUSY);
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, 2UL), EBUSY);
	/* bad size beats busy */
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, 0UL), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, 1UL), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, (unsigned long)INT_MAX / 8 + 1), EINVAL);

	/* enabled, and after DISABLE (state INIT, never back to DISABLED): still busy */
	area = kt_map(fd, KT_COVER_SIZE, PROT_READ | PROT_WRITE);
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE), EBUSY);
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, 0UL), EINVAL);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	CHECK_ERR(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE), EBUSY);

	/* each open() is an independent kcov; 2 is the smallest size */
	int fd2 = kt_open();
	CHECK_OK(ioctl(fd2, KCOV_INIT_TRACE, 2UL));
	CHECK_ERR(ioctl(fd2, KCOV_INIT_TRACE, 2UL), EBUSY);

	munmap(area, KT_COVER_SIZE * sizeof(unsigned long));
	close(fd2);
	close(fd);
	return kt_failed;
}
