// SPDX-License-Identifier: MIT
/*
 * The entry code of embed, not instrumented (like Linux's entry code and
 * ukcov's kernel/entry/): guest tasks, the syscall entry, the return to
 * the guest where libukcov's flush runs, the task switch. Then main():
 * runs two guests and prints what each one's kcov area received, by
 * function (libukcov's source map reads this binary's DWARF).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include <ukcov/srcmap.h>
#include <ukcov/ukcov.h>

#include "embed.h"

#define NTASKS 2
#define STACK_SIZE (256 * 1024)

static struct {
	struct task t;
	ucontext_t ctx;
	void *stack;
	void (*main)(void);
	bool done;
} tasks[NTASKS] = {
	{ .t = { .tid = 1, .name = "writer" }, .main = guest_writer },
	{ .t = { .tid = 2, .name = "reader" }, .main = guest_reader },
};
static ucontext_t sched_ctx;
static int current;

/* The next task that has not finished, after the current one; -1 when none. */
static int next_task(void)
{
	for (int i = 1; i <= NTASKS; i++) {
		int n = (current + i) % NTASKS;

		if (!tasks[n].done)
			return n;
	}
	return -1;
}

static void switch_to(int n)
{
	int prev = current;

	current = n;
	if (n != prev)
		swapcontext(&tasks[prev].ctx, &tasks[n].ctx);
}

/*
 * Return to the guest: what the counters gathered since the last return
 * belongs to this task, since one task runs at a time. No instrumented
 * frame is on any stack here (suspended tasks stop in emu_syscall), so
 * the entry-skipping scan (full_scan false) is exact.
 */
static void return_to_user(struct task *t)
{
	ukcov_task_return_to_user(t->cov, false);
}

long emu_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	const long args[6] = { a0, a1, a2, a3, a4, a5 };
	struct task *t = &tasks[current].t;
	long ret;

	ukcov_task_enter(t->cov); /* trace mode: this thread's hooks write for t */
	ret = kernel_syscall(t, nr, args);

	return_to_user(t);
	if (nr == SYS_yield)
		switch_to(next_task());
	return ret;
}

/* A guest's first frame: runs its program, then exits the task. */
static void task_start(int n)
{
	struct task *t = &tasks[n].t;

	tasks[n].main();
	/* exit: coverage up to here is the task's; then its kcov is disabled. */
	return_to_user(t);
	ukcov_task_exit(t->cov);
	t->cov = NULL;
	tasks[n].done = true;
	n = next_task();
	if (n < 0)
		setcontext(&sched_ctx);
	current = n;
	setcontext(&tasks[n].ctx);
}

static int run_tasks(void)
{
	for (int i = 0; i < NTASKS; i++) {
		void *stack = malloc(STACK_SIZE);

		tasks[i].stack = stack;
		tasks[i].t.cov = ukcov_task_new();
		if (!stack || !tasks[i].t.cov || getcontext(&tasks[i].ctx))
			return -ENOMEM;
		tasks[i].ctx.uc_stack.ss_sp = stack;
		tasks[i].ctx.uc_stack.ss_size = STACK_SIZE;
		tasks[i].ctx.uc_link = &sched_ctx;
		makecontext(&tasks[i].ctx, (void (*)(void))task_start, 1, i);
	}
	current = 0;
	return swapcontext(&sched_ctx, &tasks[0].ctx) ? -errno : 0;
}

/* --- what each task saw ------------------------------------------------ */

struct seen {
	bool *blocks;           /* by block index */
	size_t nblocks;         /* distinct blocks */
	const char *funcs[64];  /* functions, in order of first appearance */
	size_t nfuncs;
};

static int seen_of(const struct guest_result *r, const struct ukcov_srcmap *m, struct seen *s)
{
	size_t total = ukcov_block_count();

	s->blocks = calloc(total, 1);
	if (!s->blocks)
		return -ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		struct ukcov_block b;
		struct ukcov_srcloc l;
		size_t idx;

		if (ukcov_block_lookup(r->pcs[i], &b))
			return -ENOENT; /* not a PC of this binary: the device is wrong */
		idx = (r->pcs[i] - UKCOV_PC_BASE) / UKCOV_PC_STRIDE;
		if (s->blocks[idx])
			continue;
		s->blocks[idx] = true;
		s->nblocks++;
		if (!m || ukcov_srcmap_block(m, idx, &l))
			continue;
		bool known = false;

		for (size_t k = 0; k < s->nfuncs && !known; k++)
			known = !strcmp(s->funcs[k], l.function);
		if (!known && s->nfuncs < sizeof(s->funcs) / sizeof(s->funcs[0]))
			s->funcs[s->nfuncs++] = l.function;
	}
	return 0;
}

static bool has(const struct seen *s, const char *fn)
{
	for (size_t k = 0; k < s->nfuncs; k++)
		if (!strcmp(s->funcs[k], fn))
			return true;
	return false;
}

static void print_only(const char *name, const struct seen *a, const struct seen *b)
{
	printf("only %s:", name);
	for (size_t k = 0; k < a->nfuncs; k++)
		if (!has(b, a->funcs[k]))
			printf(" %s", a->funcs[k]);
	printf("\n");
}

int main(void)
{
	struct ukcov_srcmap *map = NULL;
	struct seen seen[NTASKS] = { 0 };
	int err, fails = 0;

	printf("embed: %zu instrumented blocks in %zu functions, %s mode\n", ukcov_block_count(),
	       ukcov_function_count(), ukcov_mode() == UKCOV_MODE_TRACE ? "trace" : "counter");
	if (!ukcov_block_count()) {
		fprintf(stderr, "embed: no blocks registered: build kernel.c with sancov_cflags\n");
		return 1;
	}
	err = run_tasks();
	if (err) {
		fprintf(stderr, "embed: cannot run the tasks: %s\n", strerror(-err));
		return 1;
	}
	printf("console: %s", kernel_console());
	err = ukcov_srcmap_open(&map);
	if (err)
		fprintf(stderr, "embed: no source map (%s): build with -g to see functions\n",
			strerror(-err));
	for (int i = 0; i < NTASKS; i++) {
		const struct guest_result *r = &guest_results[i];

		if (r->err) {
			fprintf(stderr, "embed: task %s: a syscall failed: %s\n", tasks[i].t.name,
				strerror(-r->err));
			return 1;
		}
		err = seen_of(r, map, &seen[i]);
		if (err) {
			fprintf(stderr, "embed: task %s: PC not in the block table\n", tasks[i].t.name);
			return 1;
		}
		printf("task %d (%s): %zu PCs, %zu blocks, in:", tasks[i].t.tid, tasks[i].t.name, r->n,
		       seen[i].nblocks);
		for (size_t k = 0; k < seen[i].nfuncs; k++)
			printf(" %s", seen[i].funcs[k]);
		printf("\n");
	}
	if (map) {
		print_only("writer", &seen[0], &seen[1]);
		print_only("reader", &seen[1], &seen[0]);
		/* Each task's area holds its own work, and only its own. */
		fails += !has(&seen[0], "sys_write") || !has(&seen[0], "sys_kv_put");
		fails += has(&seen[0], "sys_getpid") || has(&seen[0], "sys_kv_get");
		fails += !has(&seen[1], "sys_getpid") || !has(&seen[1], "sys_kv_get");
		fails += has(&seen[1], "sys_write") || has(&seen[1], "sys_kv_put");
		ukcov_srcmap_close(map);
	} else {
		fails += !seen[0].nblocks || !seen[1].nblocks ||
			 !memcmp(seen[0].blocks, seen[1].blocks, ukcov_block_count());
	}
	printf("embed: per-task coverage %s\n", fails ? "WRONG" : "ok");
	for (int i = 0; i < NTASKS; i++) {
		free(seen[i].blocks);
		free(tasks[i].stack);
	}
	return fails ? 1 : 0;
}
