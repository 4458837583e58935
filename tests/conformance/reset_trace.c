/*
 * KCOV_RESET_TRACE(0), the 2025 proposal syzkaller uses with a read-only
 * mapping: its errnos (wrong argument, wrong caller, wrong state), then the
 * count of a read-only area drops to the few PCs the rest of the RESET_TRACE
 * syscall itself runs (as on Linux), and tracing goes on from there. Also
 * in unique mode: the bitmap is cleared, so the same probe is new again.
 * Skips (77) on a kernel without it (ENOTTY), except under ukcov.
 */
#include <pthread.h>

#include "kcov_test.h"

static int fd;
static int other_errno;

static void *other_thread(void *p)
{
	(void)p;
	errno = 0;
	other_errno = ioctl(fd, KCOV_RESET_TRACE, 0UL) ? errno : 0;
	return NULL;
}

int main(void)
{
	unsigned long *ro, before, after, *area, n1;
	pthread_t th;
	int fresh = kt_open();

	errno = 0;
	if (ioctl(fresh, KCOV_RESET_TRACE, 0UL) && errno == ENOTTY && !getenv("UKCOV_MODE")) {
		fprintf(stderr, "SKIP: no KCOV_RESET_TRACE here\n");
		return KT_SKIP;
	}
	CHECK_ERR(ioctl(fresh, KCOV_RESET_TRACE, 0UL), EINVAL); /* not initialised */
	fd = kt_open();
	REQUIRE_OK(ioctl(fd, KCOV_INIT_TRACE, KT_COVER_SIZE));
	CHECK_ERR(ioctl(fd, KCOV_RESET_TRACE, 0UL), EINVAL); /* not enabled */
	ro = kt_map(fd, KT_COVER_SIZE, PROT_READ);
	REQUIRE_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	REQUIRE_OK(ioctl(fd, KCOV_RESET_TRACE, 0UL));
	for (int i = 0; i < 20; i++)
		kt_probe();
	before = kt_count(ro, KT_COVER_SIZE);
	CHECK(before >= 20, "20 probes into a read-only map: expected >= 20 PCs got %lu", before);
	CHECK_ERR(ioctl(fd, KCOV_RESET_TRACE, 1UL), EINVAL);
	REQUIRE(pthread_create(&th, NULL, other_thread, NULL) == 0, "pthread_create");
	pthread_join(th, NULL);
	CHECK(other_errno == EINVAL, "RESET_TRACE by another thread: expected EINVAL got %s",
	      kt_errname(other_errno));
	CHECK_OK(ioctl(fd, KCOV_RESET_TRACE, 0UL));
	after = kt_count(ro, KT_COVER_SIZE);
	CHECK(after < before && after < 64,
	      "count after RESET_TRACE: expected a few PCs (the rest of the ioctl) got %lu (before %lu)",
	      after, before);
	kt_probe();
	CHECK(kt_count(ro, KT_COVER_SIZE) > after, "tracing after the reset: expected more PCs got %lu",
	      kt_count(ro, KT_COVER_SIZE));
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	CHECK_ERR(ioctl(fd, KCOV_RESET_TRACE, 0UL), EINVAL); /* disabled */

	/* Unique mode: the reset clears the bitmap too. */
	area = kt_map(fd, KT_COVER_SIZE, PROT_READ | PROT_WRITE);
	CHECK_OK(ioctl(fd, KCOV_UNIQUE_ENABLE, 16UL));
	/* The words hold the previous trace: a reset makes them an empty bitmap and trace. */
	CHECK_OK(ioctl(fd, KCOV_RESET_TRACE, 0UL));
	kt_probe();
	kt_probe();
	n1 = kt_count(area + 16, KT_COVER_SIZE - 16);
	CHECK_OK(ioctl(fd, KCOV_RESET_TRACE, 0UL));
	__atomic_store_n(&area[16], 0, __ATOMIC_RELAXED);
	kt_probe();
	CHECK(kt_count(area + 16, KT_COVER_SIZE - 16) > 0,
	      "unique mode after RESET_TRACE: the probe's PCs expected new again, got 0 (before %lu)", n1);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	close(fresh);
	return kt_failed;
}
