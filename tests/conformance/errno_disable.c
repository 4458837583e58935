/*
 * KCOV_DISABLE errors: the argument must be 0 and the caller must be the
 * thread that enabled this fd. DISABLE stops tracing and leaves the buffer as is.
 */
#include "kcov_test.h"
#include <pthread.h>

static int fd;

static void *other_thread(void *arg)
{
	(void)arg;
	CHECK_ERR(ioctl(fd, KCOV_DISABLE, 0UL), EINVAL);
	return NULL;
}

int main(void)
{
	unsigned long *area;
	pthread_t t;

	int fresh = kt_open();
	CHECK_ERR(ioctl(fresh, KCOV_DISABLE, 0UL), EINVAL);

	fd = kt_setup(KT_COVER_SIZE, &area);
	CHECK_ERR(ioctl(fd, KCOV_DISABLE, 0UL), EINVAL);	/* never enabled */

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_ERR(ioctl(fd, KCOV_DISABLE, 1UL), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_DISABLE, 1UL << 32), EINVAL);	/* not truncated */
	REQUIRE(pthread_create(&t, NULL, other_thread, NULL) == 0, "pthread_create: expected 0");
	REQUIRE(pthread_join(t, NULL) == 0, "pthread_join: expected 0");

	/* the failed DISABLEs left tracing on */
	area[0] = 0;
	kt_probe();
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "count after failed DISABLEs and a probe: expected > 0 got %lu", n);

	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	CHECK_ERR(ioctl(fd, KCOV_DISABLE, 0UL), EINVAL);	/* no longer enabled */

	/* disabled: nothing more is written, the count is not reset */
	n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "count after DISABLE: expected > 0 (buffer kept) got %lu", n);
	kt_probe();
	unsigned long n2 = kt_count(area, KT_COVER_SIZE);
	CHECK(n2 == n, "count after a probe while disabled: expected %lu got %lu", n, n2);

	close(fresh);
	close(fd);
	return kt_failed;
}
