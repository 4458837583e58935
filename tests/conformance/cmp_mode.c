/*
 * KCOV_ENABLE(KCOV_TRACE_CMP). Without CONFIG_KCOV_ENABLE_COMPARISONS Linux
 * returns the kernel-internal ENOTSUPP (524), not EOPNOTSUPP (95; gVisor's
 * answer). Success is accepted only with UKCOV_EXPECT_CMP=1; the records
 * are then checked: {type, arg1, arg2, ip}, type <= 7, whole records only.
 */
#include "kcov_test.h"

int main(void)
{
	const char *env = getenv("UKCOV_EXPECT_CMP");
	int cmp_supported = env && strcmp(env, "1") == 0;
	unsigned long *area;
	int fd = kt_setup(KT_COVER_SIZE, &area);

	errno = 0;
	int r = ioctl(fd, KCOV_ENABLE, KCOV_TRACE_CMP);
	int e = errno;

	if (r == -1) {
		CHECK(e == ENOTSUPP, "ENABLE(KCOV_TRACE_CMP): expected ENOTSUPP(524) got %s (%d)",
		      kt_errname(e), e);
		/* a rejected mode leaves the fd initialised, not enabled */
		CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
		CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
		return kt_failed;
	}

	CHECK(cmp_supported, "ENABLE(KCOV_TRACE_CMP): expected ENOTSUPP(524) got success "
	      "(set UKCOV_EXPECT_CMP=1 if comparisons are supported)");
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	kt_probe();
	unsigned long n = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	CHECK(n > 0, "comparison records after a probe: expected > 0 got %lu", n);
	REQUIRE(1 + 4 * n <= KT_COVER_SIZE, "comparison records: expected <= %lu got %lu",
		(KT_COVER_SIZE - 1) / 4, n);
	for (unsigned long i = 0; i < n; i++) {
		unsigned long *rec = &area[1 + 4 * i];

		CHECK(rec[0] <= 7, "record %lu type: expected <= 7 got %#lx", i, rec[0]);
		CHECK(kt_pc_ok(rec[3]), "record %lu ip: expected a kernel PC got %#lx", i, rec[3]);
	}
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return kt_failed;
}
