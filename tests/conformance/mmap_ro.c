/*
 * A PROT_READ-only mapping is allowed (syzkaller maps read-only when it can
 * reset with an ioctl) and shows the PCs the kernel writes.
 */
#include "kcov_test.h"

int main(void)
{
	int fd = kt_open();

	CHECK_OK(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE));
	unsigned long *ro = kt_map(fd, KT_COVER_SIZE, PROT_READ);

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	unsigned long before = kt_count(ro, KT_COVER_SIZE);
	kt_probe();
	unsigned long n = kt_count(ro, KT_COVER_SIZE);
	CHECK(n > before, "count through PROT_READ map after a probe: expected > %lu got %lu",
	      before, n);
	CHECK_PCS(ro, n);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));

	munmap(ro, KT_COVER_SIZE * sizeof(unsigned long));
	close(fd);
	return kt_failed;
}
