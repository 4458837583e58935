/*
 * Coverage is per thread: each thread's kernel work lands only in the area
 * it enabled. Thread B learns the set of PCs its read(-1) probe produces
 * alone, then probes again while thread A hammers other syscalls with its own
 * kcov enabled; every PC B sees must come from that learnt set. Runs
 * without rseq (kt_no_rseq): on real Linux a preempted B would otherwise
 * trace rseq bookkeeping that its probe alone may not have shown.
 */
#include "kcov_test.h"
#include <pthread.h>
#include <sys/stat.h>

#define LEARN_PROBES 50
#define CHECK_PROBES 500

enum { LEARNING, LEARNT, A_BUSY, B_DONE };
static atomic_int phase;
static struct kt_set b_alone;
static unsigned long *area_b;
static int fd_b;

/* Syscalls on a bad fd that read(-1) does not make; returns how many did not fail. */
static int other_syscalls(void)
{
	struct stat st;
	char c = 0;
	int x, bad = 0;

	bad += write(-1, &c, 1) != -1;
	bad += close(-1) != -1;
	bad += ioctl(-1, FIONREAD, &x) != -1;
	bad += fstat(-1, &st) != -1;
	bad += lseek(-1, 0, SEEK_SET) != -1;
	bad += fcntl(-1, F_GETFL) != -1;
	bad += dup(-1) != -1;
	bad += fsync(-1) != -1;
	/* A path a kernel must walk: a tracer such as proot runs the same code for all fd -1 calls. */
	bad += access("/nonexistent-kcov-dir/x", F_OK) != -1;
	return bad;
}

static void *thread_b(void *arg)
{
	(void)arg;
	CHECK_OK(ioctl(fd_b, KCOV_ENABLE, KCOV_TRACE_PC));
	for (int i = 0; i < LEARN_PROBES; i++) {
		area_b[0] = 0;
		kt_probe();
		kt_set_add_trace(&b_alone, area_b, KT_COVER_SIZE);
	}
	kt_set_finish(&b_alone);
	CHECK(b_alone.n > 0, "PCs of B's probe alone: expected > 0 got %zu", b_alone.n);
	atomic_store(&phase, LEARNT);
	kt_wait_for(&phase, A_BUSY);

	int leaked = 0;
	for (int i = 0; i < CHECK_PROBES && !leaked; i++) {
		area_b[0] = 0;
		kt_probe();
		unsigned long n = kt_count(area_b, KT_COVER_SIZE);
		for (unsigned long j = 1; j <= n && !leaked; j++) {
			leaked = !kt_set_has(&b_alone, area_b[j]);
			CHECK(!leaked, "B's PC %#lx (probe %d, entry %lu) while A works: "
			      "expected one of B's own %zu PCs got a foreign one",
			      area_b[j], i, j, b_alone.n);
		}
	}
	atomic_store(&phase, B_DONE);
	CHECK_OK(ioctl(fd_b, KCOV_DISABLE, 0UL));
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long *area_a;
	unsigned long foreign = 0;
	int bad = 0;
	pthread_t t;

	(void)argc;
	kt_no_rseq(argv);
	int fd_a = kt_setup(KT_COVER_SIZE, &area_a);
	fd_b = kt_setup(KT_COVER_SIZE, &area_b);
	CHECK_OK(ioctl(fd_a, KCOV_ENABLE, KCOV_TRACE_PC));
	REQUIRE(pthread_create(&t, NULL, thread_b, NULL) == 0, "pthread_create: expected 0");
	kt_wait_for(&phase, LEARNT);	/* A stays out of the kernel while B learns */

	while (atomic_load(&phase) != B_DONE) {
		area_a[0] = 0;
		bad += other_syscalls();
		int learnt = LEARNT;
		atomic_compare_exchange_strong(&phase, &learnt, A_BUSY);
		unsigned long n = kt_count(area_a, KT_COVER_SIZE);
		foreign = 0;
		for (unsigned long j = 1; j <= n; j++)
			foreign += !kt_set_has(&b_alone, area_a[j]);
	}
	REQUIRE(pthread_join(t, NULL) == 0, "pthread_join: expected 0");
	CHECK(bad == 0, "A's syscalls on fd -1: expected all to fail got %d successes", bad);
	/* otherwise B could not tell A's coverage from its own */
	CHECK(foreign > 0, "PCs of A's syscalls outside B's set: expected > 0 got %lu", foreign);
	CHECK_OK(ioctl(fd_a, KCOV_DISABLE, 0UL));
	return kt_failed;
}
