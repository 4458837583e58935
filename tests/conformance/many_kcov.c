/*
 * Linux lets a process hold as many kcov fds as RLIMIT_NOFILE allows: open
 * 1000 at once, each with its own area mapped, and trace with any of them
 * (first, middle, last, and a few from another thread); then the fd limit
 * itself answers EMFILE, as Linux's open does.
 */
#include "kcov_test.h"
#include <pthread.h>
#include <sys/resource.h>

#define N 1000
#define WORDS 512

static int fds[N];
static unsigned long *areas[N];

static int trace_with(int i)
{
	unsigned long n;

	if (ioctl(fds[i], KCOV_ENABLE, KCOV_TRACE_PC))
		return -1;
	__atomic_store_n(&areas[i][0], 0, __ATOMIC_RELAXED);
	kt_probe();
	n = kt_count(areas[i], WORDS);
	if (ioctl(fds[i], KCOV_DISABLE, 0UL))
		return -1;
	return n > 0 && !kt_first_bad_pc(areas[i], n) ? 0 : -1;
}

static void *thread_main(void *arg)
{
	(void)arg;
	for (int i = 1; i < N; i += 97)
		if (trace_with(i))
			return (void *)1;
	return NULL;
}

int main(void)
{
	struct rlimit rl;
	pthread_t t;
	void *r;
	int extra[32], nextra = 0;

	REQUIRE_OK(getrlimit(RLIMIT_NOFILE, &rl));
	if (rl.rlim_max < N + 16) {
		fprintf(stderr, "SKIP: RLIMIT_NOFILE hard limit %lu < %d\n",
			(unsigned long)rl.rlim_max, N + 16);
		return KT_SKIP;
	}
	/* Raised or lowered (below the sandbox's window, if it has one): Linux's rules hold. */
	rl.rlim_cur = N + 16;
	REQUIRE_OK(setrlimit(RLIMIT_NOFILE, &rl));
	for (int i = 0; i < N; i++) {
		fds[i] = kt_open();
		REQUIRE_OK(ioctl(fds[i], KCOV_INIT_TRACE, (unsigned long)WORDS));
		areas[i] = kt_map(fds[i], WORDS, PROT_READ | PROT_WRITE);
	}
	CHECK(trace_with(0) == 0, "tracing with the first of %d kcov fds", N);
	CHECK(trace_with(N / 2) == 0, "tracing with kcov fd #%d", N / 2);
	CHECK(trace_with(N - 1) == 0, "tracing with the last kcov fd");
	REQUIRE(pthread_create(&t, NULL, thread_main, NULL) == 0, "pthread_create");
	pthread_join(t, &r);
	CHECK(r == NULL, "tracing with kcov fds from another thread");
	/* Only the fd limit stops a process: EMFILE once the table is full. */
	for (;;) {
		int fd = open(KT_PATH, O_RDWR);

		if (fd < 0) {
			CHECK(errno == EMFILE, "open past RLIMIT_NOFILE: expected EMFILE got %s",
			      kt_errname(errno));
			break;
		}
		if (nextra == 32) {
			CHECK(0, "open past RLIMIT_NOFILE (%d): expected EMFILE got success",
			      N + 16);
			close(fd);
			break;
		}
		extra[nextra++] = fd;
	}
	for (int i = 0; i < nextra; i++)
		close(extra[i]);
	for (int i = 0; i < N; i++) {
		munmap(areas[i], WORDS * sizeof(unsigned long));
		close(fds[i]);
	}
	return kt_failed;
}
