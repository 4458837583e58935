/*
 * close() does not stop tracing: the enabled thread holds its own reference
 * to the kcov and its area, so the mapping keeps receiving PCs and the thread
 * stays busy (a second kcov gets EBUSY on it) until it exits.
 */
#include "kcov_test.h"
#include <pthread.h>

static int fd2;

static void *other_thread(void *arg)
{
	(void)arg;
	CHECK_OK(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_OK(ioctl(fd2, KCOV_DISABLE, 0UL));
	return NULL;
}

int main(void)
{
	unsigned long *area, *area2;
	pthread_t t;
	int fd = kt_setup(KT_COVER_SIZE, &area);

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	REQUIRE_OK(close(fd));

	area[0] = 0;
	kt_probe();
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "count after close(fd) and a probe: expected > 0 got %lu", n);
	CHECK_PCS(area, n);

	fd2 = kt_setup(KT_COVER_SIZE, &area2);	/* may even reuse fd's number */
	CHECK_ERR(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC), EBUSY);
	REQUIRE(pthread_create(&t, NULL, other_thread, NULL) == 0, "pthread_create: expected 0");
	REQUIRE(pthread_join(t, NULL) == 0, "pthread_join: expected 0");
	close(fd2);
	return kt_failed;
}
