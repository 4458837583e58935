/* SPDX-License-Identifier: MIT */
#ifndef UKCOV_TEST_FIXTURE_TRACE_H
#define UKCOV_TEST_FIXTURE_TRACE_H
#include <stdint.h>
int fixture_cmp(uint32_t x);
int fixture_switch(uint64_t x);
int fixture_path(int depth);
int fixture_a(void);
int fixture_b(int x);
int fixture_wide(int x);
#endif
