/*
 * The syzkaller executor's shape: several worker threads, each with its own
 * kcov dup2'd to a fixed high fd (216 + i), INIT 512 << 10 words, mapped with
 * guard pages around it, reset before every syscall. All run at once; each
 * must see only its own probes' PCs, every trace non-empty, never one
 * worker's coverage in another's area.
 */
#include "kcov_test.h"
#include <pthread.h>

#define WORKERS 6
#define ITERS 300
#define SIZE (512UL << 10)

static atomic_int go;

struct worker {
	int index;
	int fd;
	unsigned long *area;
	int which;            /* the probe this worker makes */
	unsigned long empty;  /* traces with no PC */
	unsigned long foreign; /* PCs another probe kind produced */
	struct kt_set own;
};

static void probe(int which)
{
	char c = 0;

	switch (which % 3) {
	case 0:
		kt_probe();
		break;
	case 1:
		CHECK_ERR(write(-1, &c, 1), EBADF);
		break;
	default:
		CHECK_ERR(close(-1), EBADF);
		break;
	}
}

static unsigned long *map_guarded(int fd)
{
	size_t len = SIZE * sizeof(unsigned long), page = 4096;
	char *base = mmap(NULL, len + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	REQUIRE(base != MAP_FAILED, "reserve: expected success");
	void *p = mmap(base + page, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	REQUIRE(p == base + page, "MAP_FIXED kcov map: expected %p got %p", (void *)(base + page), p);
	return p;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	CHECK_OK(ioctl(w->fd, KCOV_ENABLE, KCOV_TRACE_PC));
	/* Learn this worker's own probe alone, before the others start. */
	for (int i = 0; i < 5; i++) {
		__atomic_store_n(&w->area[0], 0, __ATOMIC_RELAXED);
		probe(w->which);
		kt_set_add_trace(&w->own, w->area, SIZE);
	}
	kt_set_finish(&w->own);
	atomic_fetch_add(&go, 1);
	kt_wait_for(&go, WORKERS);
	for (int i = 0; i < ITERS; i++) {
		__atomic_store_n(&w->area[0], 0, __ATOMIC_RELAXED);
		probe(w->which);
		unsigned long n = kt_count(w->area, SIZE);

		w->empty += n == 0;
		for (unsigned long j = 1; j <= n; j++)
			w->foreign += !kt_set_has(&w->own, w->area[j]);
	}
	CHECK_OK(ioctl(w->fd, KCOV_DISABLE, 0UL));
	return NULL;
}

int main(void)
{
	struct worker w[WORKERS];
	pthread_t t[WORKERS];

	for (int i = 0; i < WORKERS; i++) {
		int fd = kt_open();

		w[i] = (struct worker){ .index = i, .fd = 216 + i, .which = i };
		REQUIRE(dup2(fd, w[i].fd) == w[i].fd, "dup2 to %d", w[i].fd);
		close(fd);
		CHECK_OK(ioctl(w[i].fd, KCOV_INIT_TRACE, SIZE));
		w[i].area = map_guarded(w[i].fd);
	}
	/* Workers learn their sets one at a time: go counts them in. */
	for (int i = 0; i < WORKERS; i++) {
		int before = atomic_load(&go);

		REQUIRE(pthread_create(&t[i], NULL, worker_main, &w[i]) == 0, "pthread_create");
		kt_wait_for(&go, before + 1);
	}
	for (int i = 0; i < WORKERS; i++) {
		pthread_join(t[i], NULL);
		CHECK(w[i].empty == 0, "worker %d: %lu of %d traces empty", i, w[i].empty, ITERS);
		CHECK(w[i].foreign == 0, "worker %d: %lu PCs not of its own probe", i, w[i].foreign);
	}
	return kt_failed;
}
