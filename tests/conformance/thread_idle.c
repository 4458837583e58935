/*
 * A thread without kcov does not feed another thread's area: while thread A
 * (enabled) spins on an atomic without entering the kernel, thread W (no
 * kcov) makes syscalls, and A's count must stay 0. On real Linux, kernel
 * work done in A's context without a syscall is traced too: A touches no new
 * page in the window (no fault) and runs without rseq (kt_no_rseq); NUMA
 * balancing task work remains a rare source of noise on NUMA machines.
 */
#include "kcov_test.h"
#include <pthread.h>
#include <sys/stat.h>

static atomic_int go, done;

static void *worker(void *arg)
{
	struct stat st;
	char c = 0;

	(void)arg;
	kt_wait_for(&go, 1);
	for (int i = 0; i < 200; i++) {
		kt_probe();
		CHECK_ERR(write(-1, &c, 1), EBADF);
		CHECK_ERR(close(-1), EBADF);
		CHECK_ERR(fstat(-1, &st), EBADF);
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			munmap(p, 4096);
		(void)getppid();
	}
	atomic_store(&done, 1);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long *area;
	pthread_t t;

	(void)argc;
	kt_no_rseq(argv);
	int fd = kt_setup(KT_COVER_SIZE, &area);

	REQUIRE(pthread_create(&t, NULL, worker, NULL) == 0, "pthread_create: expected 0");
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	/* What A's own probe executes, learnt before W does anything. */
	struct kt_set own = { 0 };
	for (int i = 0; i < 20; i++) {
		__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
		kt_probe();
		kt_set_add_trace(&own, area, KT_COVER_SIZE);
	}
	kt_set_finish(&own);
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	atomic_store(&go, 1);
	kt_wait_for(&done, 1);
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n == 0, "A's count while only W made syscalls: expected 0 got %lu (first PC %#lx)",
	      n, n ? area[1] : 0UL);

	/*
	 * A itself is really tracing (otherwise the 0 above proves nothing),
	 * and W's work is not handed to A's next syscall either.
	 */
	area[0] = 0;
	kt_probe();
	n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "A's count after its own probe: expected > 0 got %lu", n);
	for (unsigned long i = 1; i <= n; i++)
		CHECK(kt_set_has(&own, area[i]),
		      "A's probe after W's syscalls: PC %#lx is not one of A's probe", area[i]);
	REQUIRE(pthread_join(t, NULL) == 0, "pthread_join: expected 0");
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return kt_failed;
}
