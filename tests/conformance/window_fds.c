/*
 * The guest's own files at the top of its fd table (where ukcov keeps its
 * window) behave as on Linux, and kcov still opens and traces when the
 * guest has taken every number up there; lowering RLIMIT_NOFILE below the
 * numbers in use changes nothing for them, and open() past the new limit
 * says EMFILE.
 */
#include "kcov_test.h"
#include <sys/resource.h>

int main(void)
{
	struct rlimit rl;
	unsigned long *area;
	int top, lo, fd, p[2];
	char c;

	REQUIRE_OK(getrlimit(RLIMIT_NOFILE, &rl));
	/* the window's top: the limit, under supervisor.c's WINDOW_CEIL */
	top = rl.rlim_cur > 32768 ? 32768 : (int)rl.rlim_cur;
	lo = top > 512 ? top - 300 : top / 2;
	REQUIRE_OK(pipe(p));
	/* Take every number in [lo, top): the guest's own pipe behind each. */
	for (fd = lo; fd < top; fd++)
		REQUIRE(dup2(p[1], fd) == fd, "dup2(pipe, %d): expected %d got %s", fd, fd,
			kt_errname(errno));
	for (fd = lo; fd < top; fd += 37) {
		CHECK(write(fd, "x", 1) == 1, "write to the guest's fd %d: %s", fd, kt_errname(errno));
		CHECK(read(p[0], &c, 1) == 1 && c == 'x', "read back through the pipe");
	}
	/* kcov takes the lowest free number when ukcov's window is all taken. */
	fd = kt_setup(KT_COVER_SIZE, &area);
	CHECK(fd < lo, "kcov fd %d: expected below %d (the lowest free)", fd, lo);
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	area[0] = 0;
	kt_probe();
	CHECK(kt_count(area, KT_COVER_SIZE) > 0, "PCs with every high fd taken: expected > 0 got 0");
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	/* Close them; lower the limit below the top: fds keep working, opens follow the limit. */
	for (int f = lo; f < top - 1; f++)
		close(f);
	rl.rlim_cur = 64;
	REQUIRE_OK(setrlimit(RLIMIT_NOFILE, &rl));
	CHECK(write(top - 1, "y", 1) == 1, "write to fd %d above the lowered limit: %s", top - 1,
	      kt_errname(errno));
	int k = open(KT_PATH, O_RDWR);
	CHECK(k >= 0 && k < 64, "kcov open under a lowered limit: expected an fd below 64 got %d (%s)",
	      k, k < 0 ? kt_errname(errno) : "ok");
	int held[64], n = 0;
	while (n < 64 && (held[n] = open(KT_PATH, O_RDWR)) >= 0)
		n++;
	CHECK(n < 64 && errno == EMFILE, "opens past the lowered limit: expected EMFILE got %s",
	      n < 64 ? kt_errname(errno) : "none");
	while (n > 0)
		close(held[--n]);
	return kt_failed;
}
