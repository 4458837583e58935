/* SPDX-License-Identifier: MIT */
#ifndef UKCOV_TEST_FIXTURE_H
#define UKCOV_TEST_FIXTURE_H
int fixture_branch(int x);
int fixture_loop(int n);
int fixture_many(int x);
#endif
