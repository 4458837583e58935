/*
 * Soak guest (run by tests/soak/soak.sh under `ukcov run --tmpfs=MNT`): for
 * SECONDS, rounds of short-lived processes run in parallel, each one of:
 *   - a kcov client (open, INIT, mmap, ENABLE, probes, DISABLE, close);
 *   - a threaded client (4 threads, a kcov each, probing at once);
 *   - a tmpfs worker (create, write, read back, rename, link, unlink);
 *   - a forking client (a kcov enabled in a child that forks and execs).
 * Every probe's PCs must be exactly the reference set taken at start: the
 * coverage stays exact under load. Prints a status line every 10 s; exits
 * non-zero on the first wrong result (and says which).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORDS 4096
#define PROBES 20

static unsigned long ref[WORDS];
static size_t nref;
static const char *mnt;

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The sorted, unique PCs of one read(-1) probe, into out; returns the count or -1. */
static long probe_set(unsigned long *area, unsigned long *out)
{
	unsigned long n;
	size_t k = 0;

	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	if (read(-1, NULL, 0) != -1 || errno != EBADF)
		return -1;
	n = __atomic_load_n(&area[0], __ATOMIC_ACQUIRE);
	if (n == 0 || n >= WORDS)
		return -1;
	memcpy(out, area + 1, n * sizeof(*out));
	qsort(out, n, sizeof(*out), cmp_ul);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || out[k - 1] != out[i])
			out[k++] = out[i];
	return (long)k;
}

static int kcov_open_map(unsigned long **area)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);

	if (fd < 0 || ioctl(fd, KCOV_INIT_TRACE, (unsigned long)WORDS))
		return -1;
	*area = mmap(NULL, WORDS * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return *area == MAP_FAILED ? -1 : fd;
}

/* One kcov client: PROBES probes, each exactly the reference. 0 or a reason. */
static const char *kcov_client(void)
{
	static __thread unsigned long got[WORDS];
	unsigned long *area;
	int fd = kcov_open_map(&area);

	if (fd < 0)
		return "kcov open/init/mmap failed";
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
		return "KCOV_ENABLE failed";
	for (int i = 0; i < PROBES; i++) {
		long k = probe_set(area, got);

		if (k != (long)nref || memcmp(got, ref, nref * sizeof(*ref)))
			return "a probe's PCs differ from the reference";
	}
	if (ioctl(fd, KCOV_DISABLE, 0UL))
		return "KCOV_DISABLE failed";
	munmap(area, WORDS * 8);
	close(fd);
	return NULL;
}

static void *thread_client(void *arg)
{
	(void)arg;
	return (void *)kcov_client();
}

static const char *threaded_client(void)
{
	pthread_t t[4];
	void *r;
	const char *why = NULL;

	for (int i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, thread_client, NULL))
			return "pthread_create failed";
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		if (r && !why)
			why = r;
	}
	return why;
}

static const char *tmpfs_worker(void)
{
	char dir[256], a[300], b[300], buf[4096], back[4096];

	snprintf(dir, sizeof(dir), "%s/w%d", mnt, getpid());
	if (mkdir(dir, 0755))
		return "mkdir failed";
	memset(buf, 'a' + getpid() % 26, sizeof(buf));
	for (int i = 0; i < 20; i++) {
		int fd;

		snprintf(a, sizeof(a), "%s/f%d", dir, i);
		snprintf(b, sizeof(b), "%s/g%d", dir, i);
		fd = open(a, O_CREAT | O_RDWR | O_TRUNC, 0644);
		if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) ||
		    pread(fd, back, sizeof(back), 0) != sizeof(back) || memcmp(buf, back, sizeof(buf)))
			return "tmpfs write/read back failed";
		close(fd);
		if (rename(a, b) || link(b, a) || unlink(a) || unlink(b))
			return "tmpfs rename/link/unlink failed";
	}
	return rmdir(dir) ? "rmdir failed" : NULL;
}

/* kcovtrace's shape: enabled in a child, which forks a grandchild and execs true. */
static const char *forking_client(void)
{
	unsigned long *area;
	int fd = kcov_open_map(&area), st;
	pid_t p;

	if (fd < 0)
		return "kcov open/init/mmap failed";
	p = fork();
	if (p == 0) {
		if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
			_exit(3);
		__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
		if (fork() == 0)
			_exit(0);
		wait(NULL);
		execlp("true", "true", (char *)NULL);
		_exit(4);
	}
	waitpid(p, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return "the traced child failed";
	if (__atomic_load_n(&area[0], __ATOMIC_ACQUIRE) == 0)
		return "no PCs from the traced child's fork and exec";
	munmap(area, WORDS * 8);
	close(fd);
	return NULL;
}

static const char *(*const kinds[])(void) = { kcov_client, threaded_client, tmpfs_worker,
					      forking_client };
static const char *const kind_names[] = { "kcov", "threads", "tmpfs", "fork" };

int main(int argc, char **argv)
{
	unsigned long *area;
	long rounds = 0, procs = 0;
	time_t start = time(NULL), last = start;
	int fd, secs;

	if (argc != 3) {
		fprintf(stderr, "usage: %s MOUNT SECONDS\n", argv[0]);
		return 2;
	}
	mnt = argv[1];
	secs = atoi(argv[2]);
	fd = kcov_open_map(&area);
	if (fd < 0 || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC) || (nref = (size_t)probe_set(area, ref)) == 0) {
		fprintf(stderr, "soak: no reference probe\n");
		return 1;
	}
	ioctl(fd, KCOV_DISABLE, 0UL);
	while (time(NULL) - start < secs) {
		pid_t pids[8];
		int st;

		for (int i = 0; i < 8; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				const char *why = kinds[i % 4]();

				if (why)
					fprintf(stderr, "soak: %s worker: %s\n", kind_names[i % 4], why);
				_exit(why != NULL);
			}
		}
		for (int i = 0; i < 8; i++) {
			if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
				fprintf(stderr, "soak: round %ld: a %s worker failed (status %d)\n", rounds,
					kind_names[i % 4], st);
				return 1;
			}
		}
		rounds++;
		procs += 8;
		if (time(NULL) - last >= 10) {
			last = time(NULL);
			printf("soak: %lds: %ld rounds, %ld worker processes, 0 errors\n",
			       (long)(last - start), rounds, procs);
			fflush(stdout);
		}
	}
	printf("soak: done: %ld rounds, %ld worker processes, 0 errors\n", rounds, procs);
	return 0;
}
