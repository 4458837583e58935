// SPDX-License-Identifier: MIT
/* The block table and synthetic PCs (lib/blocks.c). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <ukcov/ukcov.h>

#include "fixture.h"
#include "unit.h"

static void test_table_registered(void)
{
	/* fixture.c has 3 functions; fixture_many alone has more than 12 blocks. */
	EXPECT(ukcov_block_count() >= 20, "only %zu blocks", ukcov_block_count());
	EXPECT_EQ(ukcov_function_count(), 3);
}

static void test_pcs_unique_in_range_and_stable(void)
{
	size_t n = ukcov_block_count();
	uint8_t *seen = calloc(1u << 20, 1);

	for (size_t i = 0; i < n; i++) {
		struct ukcov_block b;
		uint32_t lo;

		EXPECT_EQ(ukcov_block_at(i, &b), 0);
		EXPECT(b.pc >= 0xffffffff80000000ull && b.pc < 0xffffffffff000000ull,
		       "pc %#llx out of the kernel text range", (unsigned long long)b.pc);
		/* Low 32 bits unique: tools that truncate PCs must not alias blocks. */
		lo = (uint32_t)b.pc;
		EXPECT(!(seen[(lo >> 2) & 0xfffff] & 1), "low 32 bits of %#llx repeat",
		       (unsigned long long)b.pc);
		seen[(lo >> 2) & 0xfffff] |= 1;
		/* Same binary, same PC: a pure function of the table index. */
		EXPECT_EQ(b.pc, UKCOV_PC_BASE + i * UKCOV_PC_STRIDE);
		EXPECT(b.addr != 0, "block %zu has no address", i);
	}
	free(seen);
}

static void test_lookup_round_trip(void)
{
	size_t n = ukcov_block_count();

	for (size_t i = 0; i < n; i++) {
		struct ukcov_block a, b;

		ukcov_block_at(i, &a);
		EXPECT_EQ(ukcov_block_lookup(a.pc, &b), 0);
		EXPECT_EQ(b.addr, a.addr);
		EXPECT_EQ(b.function, a.function);
	}
}

static void test_lookup_rejects_foreign_pcs(void)
{
	struct ukcov_block b;

	EXPECT_EQ(ukcov_block_lookup(0, &b), -ENOENT);
	EXPECT_EQ(ukcov_block_lookup(UKCOV_PC_BASE - 4, &b), -ENOENT);
	EXPECT_EQ(ukcov_block_lookup(UKCOV_PC_BASE + 2, &b), -ENOENT);
	EXPECT_EQ(ukcov_block_lookup(ukcov_pc_of_index(ukcov_block_count()), &b), -ENOENT);
	EXPECT_EQ(ukcov_block_lookup(~0ull, &b), -ENOENT);
	EXPECT_EQ(ukcov_block_at(ukcov_block_count(), &b), -ENOENT);
}

static void test_functions_start_with_entry_blocks(void)
{
	uint32_t last_function = UINT32_MAX;

	for (size_t i = 0; i < ukcov_block_count(); i++) {
		struct ukcov_block b;

		ukcov_block_at(i, &b);
		if (b.function != last_function)
			EXPECT(b.entry, "block %zu starts function %u but is no entry block", i, b.function);
		else
			EXPECT(!b.entry, "block %zu is an entry block inside function %u", i, b.function);
		last_function = b.function;
	}
}

int main(void)
{
	fixture_branch(1); /* the module is linked and its constructor ran */
	UNIT_RUN(test_table_registered);
	UNIT_RUN(test_pcs_unique_in_range_and_stable);
	UNIT_RUN(test_lookup_round_trip);
	UNIT_RUN(test_lookup_rejects_foreign_pcs);
	UNIT_RUN(test_functions_start_with_entry_blocks);
	UNIT_EXIT();
}
