/*
 * syzkaller dup2()s each kcov fd to a fixed number (216 and up) and closes
 * the original. The kcov is the open file, not the number: every ioctl and
 * mmap works through any descriptor of it, and they all see one state.
 */
#include "kcov_test.h"
#include <sys/resource.h>

#define MOVED 216
#define OTHER 300

int main(void)
{
	struct rlimit rl;
	unsigned long *area, *view;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur <= OTHER) {
		fprintf(stderr, "SKIP: RLIMIT_NOFILE %lu too low for fd %d\n",
			(unsigned long)rl.rlim_cur, OTHER);
		return KT_SKIP;
	}
	int fd = kt_open();
	REQUIRE(dup2(fd, MOVED) == MOVED, "dup2(fd, 216): expected 216 got %s", kt_errname(errno));
	REQUIRE_OK(close(fd));

	CHECK_OK(ioctl(MOVED, KCOV_INIT_TRACE, KT_COVER_SIZE));
	area = kt_map(MOVED, KT_COVER_SIZE, PROT_READ | PROT_WRITE);
	CHECK_OK(ioctl(MOVED, KCOV_ENABLE, KCOV_TRACE_PC));
	area[0] = 0;
	kt_probe();
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "count via fd 216 after a probe: expected > 0 got %lu", n);
	CHECK_PCS(area, n);

	int other = fcntl(MOVED, F_DUPFD, OTHER);
	REQUIRE(other >= OTHER, "fcntl(216, F_DUPFD, 300): expected >= 300 got %d", other);
	CHECK_ERR(ioctl(other, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);	/* same kcov, enabled */
	CHECK_ERR(ioctl(other, KCOV_INIT_TRACE, KT_COVER_SIZE), EBUSY);
	view = kt_map(other, KT_COVER_SIZE, PROT_READ);
	CHECK_OK(ioctl(other, KCOV_DISABLE, 0UL));
	CHECK_ERR(ioctl(MOVED, KCOV_DISABLE, 0UL), EINVAL);	/* already disabled */
	CHECK(view[0] == area[0] && view[1] == area[1],
	      "map via dup'd fd: expected the same buffer got count %lu vs %lu", view[0], area[0]);

	close(other);
	CHECK_OK(ioctl(MOVED, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_OK(ioctl(MOVED, KCOV_DISABLE, 0UL));
	close(MOVED);
	return kt_failed;
}
