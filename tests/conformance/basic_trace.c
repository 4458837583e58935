/*
 * The documented single-thread flow gives kernel PCs. A trace may repeat a
 * PC, but distinct PCs must differ in their low 32 bits: some tools keep
 * only those (true on Linux, where kernel text lies in one 4 GiB window).
 */
#include "kcov_test.h"
#include <sys/stat.h>

static int low32_cmp(const void *a, const void *b)
{
	uint32_t x = (uint32_t)*(const unsigned long *)a;
	uint32_t y = (uint32_t)*(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	unsigned long *area;
	struct kt_set all = { 0 };
	struct stat st;
	char c = 0;
	int x;
	int fd = kt_setup(KT_COVER_SIZE, &area);

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	area[0] = 0;
	kt_probe();
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "count after read(-1, NULL, 0): expected > 0 got %lu", n);
	CHECK_PCS(area, n);
	kt_set_add_trace(&all, area, KT_COVER_SIZE);

	/* more syscalls that fail on a bad fd, each traced on its own */
	for (int i = 0; i < 9; i++) {
		area[0] = 0;
		switch (i) {
		case 0: CHECK_ERR(write(-1, &c, 1), EBADF); break;
		case 1: CHECK_ERR(close(-1), EBADF); break;
		case 2: CHECK_ERR(ioctl(-1, FIONREAD, &x), EBADF); break;
		case 3: CHECK_ERR(fstat(-1, &st), EBADF); break;
		case 4: CHECK_ERR(lseek(-1, 0, SEEK_SET), EBADF); break;
		case 5: CHECK_ERR(fcntl(-1, F_GETFL), EBADF); break;
		case 6: CHECK_ERR(dup(-1), EBADF); break;
		case 7: CHECK_ERR(fsync(-1), EBADF); break;
		case 8: CHECK_ERR(read(-1, &c, 1), EBADF); break;
		}
		n = kt_count(area, KT_COVER_SIZE);
		CHECK_PCS(area, n);
		kt_set_add_trace(&all, area, KT_COVER_SIZE);
	}
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));

	kt_set_finish(&all);
	qsort(all.v, all.n, sizeof(*all.v), low32_cmp);
	for (size_t i = 1; i < all.n; i++)
		CHECK((uint32_t)all.v[i] != (uint32_t)all.v[i - 1],
		      "distinct PCs %#lx and %#lx: expected different low 32 bits got equal",
		      all.v[i - 1], all.v[i]);

	free(all.v);
	close(fd);
	return kt_failed;
}
