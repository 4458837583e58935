/*
 * area[0] is guest memory; a writer must treat it as untrusted. Linux does
 * pos = area[0] + 1; if (pos < size) { area[0] = pos; area[pos] = pc; }
 * so a count at or past size - 1 writes nothing and stays as set, and a
 * count of size - 2 lets exactly one PC into the last word. One quirk:
 * area[0] = ~0UL wraps pos to 0, so Linux stores its first PC into area[0]
 * itself and then drops the rest (pc + 1 >= size). We accept that or
 * "left alone"; either way no other word may change.
 */
#include "kcov_test.h"

#define SIZE 4096UL
#define FILL(i) (0x5a5a5a5a00000000UL | (i))

static unsigned long *area;

static void probe_with_count(int line, unsigned long count)
{
	for (unsigned long i = 1; i < SIZE; i++)
		area[i] = FILL(i);
	area[0] = count;
	kt_probe();
	unsigned long got = __atomic_load_n(&area[0], __ATOMIC_RELAXED);
	unsigned long last = count == SIZE - 2 ? SIZE - 1 : 0;	/* the one word allowed to change */

	if (count == SIZE - 2) {
		if (got != SIZE - 1)
			kt_fail(__FILE__, line, "area[0] set to %lu: expected %lu after probe got %lu",
				count, SIZE - 1, got);
		if (!kt_pc_ok(area[SIZE - 1]))
			kt_fail(__FILE__, line, "area[size-1] with count size-2: expected a PC got %#lx",
				area[SIZE - 1]);
	} else if (count == ~0UL) {
		if (got != count && !kt_pc_ok(got))
			kt_fail(__FILE__, line, "area[0] set to ~0: expected ~0 or a PC (Linux wrap) got %#lx",
				got);
	} else if (got != count) {
		kt_fail(__FILE__, line, "area[0] set to %#lx: expected unchanged after probe got %#lx",
			count, got);
	}
	for (unsigned long i = 1; i < SIZE; i++) {
		if (i != last && area[i] != FILL(i)) {
			kt_fail(__FILE__, line, "area[%lu] with area[0]=%#lx: expected %#lx (untouched) got %#lx",
				i, count, FILL(i), area[i]);
			break;
		}
	}
}

int main(void)
{
	int fd = kt_setup(SIZE, &area);

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	probe_with_count(__LINE__, SIZE - 2);
	probe_with_count(__LINE__, SIZE - 1);
	probe_with_count(__LINE__, SIZE);
	probe_with_count(__LINE__, SIZE + 100);
	probe_with_count(__LINE__, 0x7fffffffffffffffUL);
	probe_with_count(__LINE__, 0x8000000000000000UL);
	probe_with_count(__LINE__, ~0UL);

	/* still tracing normally after all that */
	area[0] = 0;
	kt_probe();
	unsigned long n = kt_count(area, SIZE);
	CHECK(n > 0, "count after reset following garbage: expected > 0 got %lu", n);
	CHECK_PCS(area, n);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));

	close(fd);
	return kt_failed;
}
