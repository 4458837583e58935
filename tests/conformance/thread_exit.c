/*
 * Thread exit disables its kcov (Linux does it early in do_exit, before the
 * tid futex wakes pthread_join), so right after the join another thread may
 * enable the same fd. While the owner lives, others get EINVAL.
 */
#include "kcov_test.h"
#include <pthread.h>

static int fd;
static atomic_int state;	/* 1: T enabled, 2: T may exit */

static void *owner(void *arg)
{
	(void)arg;
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	kt_probe();
	atomic_store(&state, 1);
	kt_wait_for(&state, 2);
	return NULL;	/* exits still enabled */
}

int main(void)
{
	unsigned long *area;
	pthread_t t;

	fd = kt_setup(KT_COVER_SIZE, &area);
	REQUIRE(pthread_create(&t, NULL, owner, NULL) == 0, "pthread_create: expected 0");
	kt_wait_for(&state, 1);
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "count after T's probe: expected > 0 got %lu", n);
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_DISABLE, 0UL), EINVAL);
	atomic_store(&state, 2);
	REQUIRE(pthread_join(t, NULL) == 0, "pthread_join: expected 0");

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	area[0] = 0;
	kt_probe();
	n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "main's count after re-enabling T's fd: expected > 0 got %lu", n);
	CHECK_PCS(area, n);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return kt_failed;
}
