/*
 * The cost of coverage inside the kernel, libukcov alone: one "syscall" runs
 * 64 functions of bench/flush_module.c 32 times each (8 blocks per call:
 * 16384 block executions, 512 distinct blocks) for a task, then returns to
 * user. Built twice, against the module
 * compiled for counter mode (bool flags + the flush at return) and for trace
 * mode (a hook per block, writing as it runs), so the same work is timed:
 *   off      no kcov enabled (counter: the flush is skipped; trace: one branch per block)
 *   pc       KCOV_TRACE_PC
 *   unique   KCOV_UNIQUE_ENABLE, every block already seen (no new PC)
 *   cmp      KCOV_TRACE_CMP (trace mode only)
 * Prints "mode-name ns" (ns per syscall, the fastest of 41 rounds) and
 * "mode-blocks N" (what PC mode writes per syscall: a set, or the trace).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <ukcov/ukcov.h>

#include "bench.h"

typedef int (*bench_fn)(int);
extern const bench_fn bench_fns[];
extern const unsigned int bench_nfns;

#define SIZE (1u << 20)
#define BITMAP_WORDS 4096u

static struct ukcov_task *task;
static volatile uint64_t *count;

static void one_syscall(void)
{
	*count = 0;
	ukcov_task_enter(task);
	/* 64 functions 32 times: the code stays in the L1 cache, so the hooks are what is timed. */
	for (unsigned int r = 0; r < 32; r++)
		for (unsigned int i = 0; i < 64; i++)
			bench_fns[i]((int)i | 0x55);
	ukcov_task_return_to_user(task, false);
}

static double timed(struct ukcov_kcov *k, volatile uint64_t *area, unsigned int cmd, unsigned long arg)
{
	double ns;

	count = cmd == UKCOV_KCOV_UNIQUE_ENABLE ? &area[BITMAP_WORDS] : &area[0];
	if (cmd && ukcov_kcov_ioctl(k, task, cmd, arg, NULL))
		return 0;
	one_syscall(); /* unique mode: every block seen once before timing */
	/* The fastest of many short rounds: the machine is shared, and this measures the code. */
	ns = 1e18;
	for (int r = 0; r < 41; r++) {
		double t = median_ns(1, 20, one_syscall);

		if (t < ns)
			ns = t;
	}
	if (cmd)
		ukcov_kcov_ioctl(k, task, UKCOV_KCOV_DISABLE, 0, NULL);
	return ns;
}

int main(void)
{
	const char *m = ukcov_mode() == UKCOV_MODE_TRACE ? "trace" : "counters";
	volatile uint64_t *area;
	struct ukcov_kcov *k;
	uint64_t blocks;
	double ns;

	task = ukcov_task_new();
	if (!task || ukcov_kcov_open(O_RDWR, &k) || ukcov_kcov_ioctl(k, task, UKCOV_KCOV_INIT_TRACE, SIZE, NULL))
		return 1;
	area = mmap(NULL, SIZE * 8ul, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(k), 0);
	if (area == MAP_FAILED)
		return 1;
	printf("%s-off %.0f\n", m, timed(k, area, 0, 0));
	printf("%s-pc %.0f\n", m, timed(k, area, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC));
	ukcov_kcov_ioctl(k, task, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL);
	count = &area[0];
	one_syscall();
	blocks = area[0];
	ukcov_kcov_ioctl(k, task, UKCOV_KCOV_DISABLE, 0, NULL);
	printf("%s-blocks %llu\n", m, (unsigned long long)blocks);
	memset((void *)area, 0, (BITMAP_WORDS + 1) * 8);
	printf("%s-unique %.0f\n", m, timed(k, area, UKCOV_KCOV_UNIQUE_ENABLE, BITMAP_WORDS));
	ns = timed(k, area, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_CMP);
	if (ns)
		printf("%s-cmp %.0f\n", m, ns);
	return 0;
}
