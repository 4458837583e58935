/*
 * KCOV_ENABLE errors. Linux checks, in order: fd initialised and not enabled
 * by anyone (EINVAL), calling thread free (EBUSY), then the mode (EINVAL, or
 * ENOTSUPP for comparisons; see cmp_mode.c). The order is visible: a bad mode
 * on an enabled fd is EINVAL, on a busy thread it is EBUSY.
 */
#include "kcov_test.h"
#include <pthread.h>

static int fd, fd2;

static void run_in_thread(void *(*fn)(void *))
{
	pthread_t t;

	REQUIRE(pthread_create(&t, NULL, fn, NULL) == 0, "pthread_create: expected 0");
	REQUIRE(pthread_join(t, NULL) == 0, "pthread_join: expected 0");
}

static void *while_main_enabled(void *arg)
{
	(void)arg;
	/* fd is enabled by the main thread: the fd is busy, not this thread */
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);
	/* this thread has nothing enabled, so fd2 is fine here */
	CHECK_OK(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_OK(ioctl(fd2, KCOV_DISABLE, 0UL));
	return NULL;
}

static void *after_main_disabled(void *arg)
{
	(void)arg;
	/* after DISABLE any thread may enable the fd */
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	return NULL;
}

int main(void)
{
	unsigned long *area, *area2;

	/* not initialised: EINVAL whatever the mode */
	int fresh = kt_open();
	CHECK_ERR(ioctl(fresh, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);
	CHECK_ERR(ioctl(fresh, KCOV_ENABLE, KCOV_TRACE_CMP), EINVAL);
	CHECK_ERR(ioctl(fresh, KCOV_ENABLE, 2UL), EINVAL);

	fd = kt_setup(KT_COVER_SIZE, &area);
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, 2UL), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, ~0UL), EINVAL);
	/* the mode is a full unsigned long: truncated to 32 bits this is TRACE_PC */
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, 1UL << 32), EINVAL);

	/* gVisor's test: ten extra ENABLEs all fail, and they are themselves traced */
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	for (int i = 0; i < 10; i++)
		CHECK_ERR(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "count after ENABLE + 10 ENABLEs: expected > 0 got %lu", n);
	CHECK_PCS(area, n);
	/* already enabled beats a bad mode */
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_CMP), EINVAL);
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, 2UL), EINVAL);

	/* a second kcov on a thread that already traces: busy beats a bad mode */
	fd2 = kt_setup(KT_COVER_SIZE, &area2);
	CHECK_ERR(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC), EBUSY);
	CHECK_ERR(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_CMP), EBUSY);
	CHECK_ERR(ioctl(fd2, KCOV_ENABLE, 2UL), EBUSY);
	/* ...but not-initialised beats busy */
	CHECK_ERR(ioctl(fresh, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);

	run_in_thread(while_main_enabled);

	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	/* the thread is free again */
	CHECK_OK(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_OK(ioctl(fd2, KCOV_DISABLE, 0UL));

	run_in_thread(after_main_disabled);

	close(fresh);
	close(fd2);
	close(fd);
	return kt_failed;
}
