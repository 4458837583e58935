/*
 * Unknown ioctl commands are ENOTTY in every state; read() and write() on a
 * kcov fd are EINVAL (the file has no read/write methods, so the VFS refuses).
 */
#include "kcov_test.h"

static void check_unknown_and_rw(int fd)
{
	char buf[8] = { 0 };

	CHECK_ERR(ioctl(fd, _IO('c', 200), 0UL), ENOTTY);
	CHECK_ERR(ioctl(fd, 0x1234, 0UL), ENOTTY);
	CHECK_ERR(read(fd, buf, sizeof(buf)), EINVAL);
	CHECK_ERR(write(fd, buf, sizeof(buf)), EINVAL);
}

int main(void)
{
	int fd = kt_open();

	check_unknown_and_rw(fd);		/* fresh */

	CHECK_OK(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE));
	unsigned long *area = kt_map(fd, KT_COVER_SIZE, PROT_READ | PROT_WRITE);
	check_unknown_and_rw(fd);		/* initialised */

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	check_unknown_and_rw(fd);		/* enabled */
	/* the rejected calls did not disturb the state */
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));

	munmap(area, KT_COVER_SIZE * sizeof(unsigned long));
	close(fd);
	return kt_failed;
}
