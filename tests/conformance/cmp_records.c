/*
 * KCOV_TRACE_CMP records, {type, arg1, arg2, ip}: an ioctl with an unknown
 * command goes through the kernel's switch on the command (do_vfs_ioctl() on
 * Linux, sys_ioctl() in ukcov), which compares it with constants: one record
 * per case value, KCOV_CMP_CONST set, size 4 bytes, the case in arg1 and our
 * command in arg2. A full area holds whole records only and nothing is
 * written past it. Skips where comparisons are not built in (ENOTSUPP),
 * except under ukcov's trace mode (UKCOV_MODE=trace), where they must be.
 */
#include "kcov_test.h"

#define MAGIC 0x12345678UL
#define SMALL 512UL /* one page: room for 127 records and 3 spare words */

int main(void)
{
	unsigned long *area, n, cases = 0, fioclex = 0;
	int fd = kt_setup(KT_COVER_SIZE, &area);

	errno = 0;
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_CMP)) {
		CHECK(errno == ENOTSUPP, "ENABLE(KCOV_TRACE_CMP): expected success or ENOTSUPP got %s",
		      kt_errname(errno));
		CHECK(!kt_trace(), "ENABLE(KCOV_TRACE_CMP) in trace mode: expected success got %s",
		      kt_errname(errno));
		if (kt_failed || kt_counters())
			return kt_failed; /* counter mode answers ENOTSUPP, as it must */
		fprintf(stderr, "SKIP: no comparison operands here\n");
		return KT_SKIP;
	}
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	CHECK_ERR(ioctl(fd, MAGIC, 0), ENOTTY);
	n = kt_count(area, KT_COVER_SIZE);
	REQUIRE(1 + 4 * n <= KT_COVER_SIZE, "records: expected <= %lu got %lu", (KT_COVER_SIZE - 1) / 4, n);
	for (unsigned long i = 0; i < n; i++) {
		unsigned long *r = &area[1 + 4 * i];

		CHECK(r[0] <= 7, "record %lu type: expected <= 7 got %#lx", i, r[0]);
		CHECK(kt_pc_ok(r[3]), "record %lu ip: expected a kernel PC got %#lx", i, r[3]);
		if (r[0] == (KCOV_CMP_CONST | KCOV_CMP_SIZE(2)) && r[2] == MAGIC) {
			cases++;
			fioclex |= r[1] == FIOCLEX;
		}
	}
	CHECK(cases >= 2, "const 4-byte comparisons of the command: expected one per case (>= 2) got %lu",
	      cases);
	CHECK(fioclex, "the switch's case FIOCLEX (%#x): expected a record {5, %#x, %#lx, ip}", FIOCLEX,
	      FIOCLEX, MAGIC);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);

	/* A full area: whole records only, the spare words untouched. */
	fd = kt_setup(SMALL, &area);
	area[SMALL - 3] = area[SMALL - 2] = area[SMALL - 1] = 0xdeadUL;
	REQUIRE_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_CMP));
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	for (int i = 0; i < 1000 && kt_count(area, SMALL) < (SMALL - 1) / 4; i++)
		(void)ioctl(fd, MAGIC, 0);
	CHECK(kt_count(area, SMALL) == (SMALL - 1) / 4, "full CMP area: expected %lu records got %lu",
	      (SMALL - 1) / 4, kt_count(area, SMALL));
	for (unsigned long w = SMALL - 3; w < SMALL; w++)
		CHECK(area[w] == 0xdeadUL, "word %lu past the last whole record: expected untouched got %#lx",
		      w, area[w]);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return kt_failed;
}
