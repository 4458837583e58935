/*
 * Several mmaps of one fd are views of the same pages: a store through one is
 * visible through the others, the kernel's writes show in all of them, and
 * unmapping one view does not detach the others.
 */
#include "kcov_test.h"

int main(void)
{
	size_t len = KT_COVER_SIZE * sizeof(unsigned long);
	unsigned long *a;
	int fd = kt_setup(KT_COVER_SIZE, &a);
	unsigned long *b = kt_map(fd, KT_COVER_SIZE, PROT_READ | PROT_WRITE);
	unsigned long *ro = kt_map(fd, KT_COVER_SIZE, PROT_READ);

	REQUIRE(a != b, "two mmaps: expected two addresses got one");
	a[5] = 0x1122334455667788UL;
	CHECK(b[5] == 0x1122334455667788UL, "b[5] after a[5] store: expected 0x1122334455667788 got %#lx", b[5]);
	CHECK(ro[5] == 0x1122334455667788UL, "ro[5] after a[5] store: expected 0x1122334455667788 got %#lx", ro[5]);
	b[KT_COVER_SIZE - 1] = 42;	/* last word: the whole length is shared */
	CHECK(a[KT_COVER_SIZE - 1] == 42, "a[size-1] after b store: expected 42 got %lu", a[KT_COVER_SIZE - 1]);

	/* compare the views only once disabled, when nothing can append */
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	b[0] = 0;
	kt_probe();
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	unsigned long n = kt_count(a, KT_COVER_SIZE);
	CHECK(n > 0, "count in a after probe (reset through b): expected > 0 got %lu", n);
	CHECK(b[0] == n && ro[0] == n, "count in b/ro: expected %lu got %lu/%lu", n, b[0], ro[0]);
	CHECK(memcmp(a, b, (n + 1) * sizeof(unsigned long)) == 0, "trace in a and b: expected equal");

	munmap(a, len);
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	b[0] = 0;
	kt_probe();
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	n = kt_count(b, KT_COVER_SIZE);
	CHECK(n > 0, "count in b after unmapping a: expected > 0 got %lu", n);
	CHECK(ro[0] == n, "count in ro after unmapping a: expected %lu got %lu", n, ro[0]);
	close(fd);
	return kt_failed;
}
