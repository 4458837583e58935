/*
 * An instrumented module for bench/flush.c: 2048 functions of 8 blocks
 * (16384 blocks), about the shape of a small kernel. Built with the coverage
 * flags; volatile stores keep the branches from being if-converted away.
 */
static volatile int sink;
#define F(n)                                              \
	int bench_fn_##n(int x)                           \
	{                                                 \
		if (x & 1) sink = 1;                      \
		if (x & 2) sink = 2;                      \
		if (x & 4) sink = 3;                      \
		if (x & 8) sink = 4;                      \
		if (x & 16) sink = 5;                     \
		if (x & 32) sink = 6;                     \
		if (x & 64) sink = 7;                     \
		return sink;                              \
	}
#define F8(n) F(n##0) F(n##1) F(n##2) F(n##3) F(n##4) F(n##5) F(n##6) F(n##7)
#define F64(n) F8(n##0) F8(n##1) F8(n##2) F8(n##3) F8(n##4) F8(n##5) F8(n##6) F8(n##7)
#define F512(n) F64(n##0) F64(n##1) F64(n##2) F64(n##3) F64(n##4) F64(n##5) F64(n##6) F64(n##7)
F512(1) F512(2) F512(3) F512(4)

#undef F
#define F(n) bench_fn_##n,
typedef int (*bench_fn)(int);
const bench_fn bench_fns[] = { F512(1) F512(2) F512(3) F512(4) };
const unsigned int bench_nfns = sizeof(bench_fns) / sizeof(bench_fns[0]);
