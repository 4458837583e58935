/*
 * Helpers shared by the kcov conformance tests.
 *
 * Every test is a guest program written against the Linux kcov ABI only
 * (<linux/kcov.h>): it must pass under `ukcov run` and on a real x86-64
 * Linux >= 5.18 built with CONFIG_KCOV (5.18 moved the area allocation from
 * mmap to KCOV_INIT_TRACE, checks the INIT size before the busy state, and
 * allows any number of mmaps in any state). Exit status: 0 pass, 1 fail, 77 skip.
 *
 * Environment:
 *   UKCOV_REQUIRE_KCOV=1  a missing /sys/kernel/debug/kcov is a failure, not a skip
 *   UKCOV_EXPECT_CMP=1    KCOV_ENABLE(KCOV_TRACE_CMP) may succeed (see cmp_mode.c)
 *   UKCOV_MODE=counters   ukcov's counter mode: coverage is a set of blocks per
 *                         syscall (no duplicates, no order) and comparison
 *                         operands are ENOTSUPP; tests relax what only a trace has
 *   UKCOV_MODE=trace      ukcov's trace mode: the comparison and 2025 ioctls must work
 *
 * Include this header first: it defines _GNU_SOURCE.
 */
#ifndef KCOV_TEST_H
#define KCOV_TEST_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kcov.h>

/* Kernel-internal errno: KCOV_ENABLE(KCOV_TRACE_CMP) on a kernel without
 * CONFIG_KCOV_ENABLE_COMPARISONS returns it raw; libc has no name for it. */
#ifndef ENOTSUPP
#define ENOTSUPP 524
#endif

/* The 2025 proposals (not in mainline headers). */
#ifndef KCOV_UNIQUE_ENABLE
#define KCOV_UNIQUE_ENABLE _IOW('c', 103, unsigned long)
#endif
#ifndef KCOV_RESET_TRACE
#define KCOV_RESET_TRACE _IO('c', 104)
#endif

#define KT_PATH		"/sys/kernel/debug/kcov"
#define KT_COVER_SIZE	(64UL << 10)	/* words, as in the kcov documentation */
#define KT_SKIP		77

/* x86-64 kernel text and modules; older syzkaller dropped PCs outside it. */
#define KT_PC_MIN	0xffffffff80000000UL
#define KT_PC_MAX	0xffffffffff000000UL

static int kt_failed __attribute__((unused));

/* ukcov's counter mode (UKCOV_MODE=counters): a set per syscall, no comparison operands. */
static inline int kt_counters(void)
{
	const char *m = getenv("UKCOV_MODE");

	return m && strcmp(m, "counters") == 0;
}

/* ukcov's trace mode (UKCOV_MODE=trace): everything must be there. */
static inline int kt_trace(void)
{
	const char *m = getenv("UKCOV_MODE");

	return m && strcmp(m, "trace") == 0;
}

__attribute__((format(printf, 3, 4)))
static inline void kt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	kt_failed = 1;
}

/* Messages read "what: expected X got Y". */
#define CHECK(cond, ...) \
	do { if (!(cond)) kt_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)
#define REQUIRE(cond, ...) \
	do { if (!(cond)) { kt_fail(__FILE__, __LINE__, __VA_ARGS__); exit(1); } } while (0)

static inline const char *kt_errname(int e)
{
	switch (e) {
	case 0:		return "no error";
	case EPERM:	return "EPERM";
	case ENOENT:	return "ENOENT";
	case EBADF:	return "EBADF";
	case ENOMEM:	return "ENOMEM";
	case EACCES:	return "EACCES";
	case EFAULT:	return "EFAULT";
	case EBUSY:	return "EBUSY";
	case EEXIST:	return "EEXIST";
	case ENODEV:	return "ENODEV";
	case EINVAL:	return "EINVAL";
	case ENOTTY:	return "ENOTTY";
	case ENOSYS:	return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOTSUPP:	return "ENOTSUPP(524)";
	default:	return "unknown errno";
	}
}

static inline int kt_check_err(const char *file, int line, const char *what,
			       long r, int e, int want)
{
	if (r == -1 && e == want)
		return 1;
	if (r == -1)
		kt_fail(file, line, "%s: expected %s got %s (%d)", what,
			kt_errname(want), kt_errname(e), e);
	else
		kt_fail(file, line, "%s: expected %s got success (%#lx)", what,
			kt_errname(want), r);
	return 0;
}

static inline int kt_check_ok(const char *file, int line, const char *what,
			      long r, int e)
{
	if (r != -1)
		return 1;
	kt_fail(file, line, "%s: expected success got %s (%d)", what,
		kt_errname(e), e);
	return 0;
}

/* expr must fail with errno err. */
#define CHECK_ERR(expr, err) do {					\
	errno = 0;							\
	long kt_r_ = (long)(expr);					\
	kt_check_err(__FILE__, __LINE__, #expr, kt_r_, errno, (err));	\
} while (0)

/* expr must not return -1; evaluates to its result. */
#define CHECK_OK(expr) ({						\
	errno = 0;							\
	long kt_r_ = (long)(expr);					\
	kt_check_ok(__FILE__, __LINE__, #expr, kt_r_, errno);		\
	kt_r_;								\
})
#define REQUIRE_OK(expr) ({						\
	errno = 0;							\
	long kt_r_ = (long)(expr);					\
	if (!kt_check_ok(__FILE__, __LINE__, #expr, kt_r_, errno))	\
		exit(1);						\
	kt_r_;								\
})

static inline int kt_open(void)
{
	const char *req = getenv("UKCOV_REQUIRE_KCOV");
	int fd = open(KT_PATH, O_RDWR);

	if (fd >= 0)
		return fd;
	if ((errno == ENOENT || errno == EACCES || errno == EPERM ||
	     errno == ENODEV) && !(req && strcmp(req, "1") == 0)) {
		fprintf(stderr, "SKIP: cannot open %s: %s\n", KT_PATH,
			strerror(errno));
		exit(KT_SKIP);
	}
	kt_fail(__FILE__, __LINE__, "open(%s): expected success got %s",
		KT_PATH, kt_errname(errno));
	exit(1);
}

static inline unsigned long *kt_map(int fd, unsigned long size, int prot)
{
	void *p = mmap(NULL, size * sizeof(unsigned long), prot, MAP_SHARED,
		       fd, 0);

	REQUIRE(p != MAP_FAILED, "mmap(kcov fd %d, %lu words): expected success got %s",
		fd, size, kt_errname(errno));
	return p;
}

/* open + INIT_TRACE(size) + read-write map. */
static inline int kt_setup(unsigned long size, unsigned long **area)
{
	int fd = kt_open();

	REQUIRE_OK(ioctl(fd, KCOV_INIT_TRACE, size));
	*area = kt_map(fd, size, PROT_READ | PROT_WRITE);
	return fd;
}

/* The standard probe: a syscall that fails early but runs kernel code. */
#define kt_probe() kt_probe_at(__FILE__, __LINE__)
static inline void kt_probe_at(const char *file, int line)
{
	errno = 0;
	ssize_t r = read(-1, NULL, 0);

	if (r != -1 || errno != EBADF) {
		kt_fail(file, line, "probe read(-1, NULL, 0): expected EBADF got %s",
			r == -1 ? kt_errname(errno) : "success");
		exit(1);
	}
}

/*
 * area[0] is ordinary memory: load it once, atomically (another thread or the
 * kernel may be storing it), and refuse to index with a value that overflows.
 */
#define kt_count(area, size) kt_count_at(__FILE__, __LINE__, (area), (size))
static inline unsigned long kt_count_at(const char *file, int line,
					unsigned long *area, unsigned long size)
{
	unsigned long n = __atomic_load_n(&area[0], __ATOMIC_ACQUIRE);

	if (n > size - 1) {
		kt_fail(file, line, "area[0]: expected <= %lu got %lu", size - 1, n);
		exit(1);
	}
	return n;
}

static inline int kt_pc_ok(unsigned long pc)
{
	return pc >= KT_PC_MIN && pc < KT_PC_MAX;
}

/* Index of the first of area[1..n] outside the kernel range, or 0. */
static inline unsigned long kt_first_bad_pc(const unsigned long *area,
					    unsigned long n)
{
	for (unsigned long i = 1; i <= n; i++)
		if (!kt_pc_ok(area[i]))
			return i;
	return 0;
}

#define CHECK_PCS(area, n) do {						\
	unsigned long kt_i_ = kt_first_bad_pc((area), (n));		\
	CHECK(kt_i_ == 0, "area[%lu]: expected a PC in [%#lx, %#lx) got %#lx", \
	      kt_i_, KT_PC_MIN, KT_PC_MAX, kt_i_ ? (area)[kt_i_] : 0UL); \
} while (0)

/* Spin without making a syscall. */
static inline void kt_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

static inline void kt_wait_for(atomic_int *v, int want)
{
	while (atomic_load(v) != want)
		kt_relax();
}

/*
 * On real Linux a thread preempted or migrated in user mode runs rseq
 * bookkeeping (kernel/rseq.c, instrumented) on its way back to user mode,
 * and kcov records it although the thread made no syscall. Tests asserting
 * "no kernel work in this window" re-exec themselves once with glibc's rseq
 * registration turned off. Harmless under ukcov.
 */
static inline void kt_no_rseq(char **argv)
{
	const char *old = getenv("GLIBC_TUNABLES");
	char buf[1024];

	if (old && strstr(old, "glibc.pthread.rseq=0"))
		return;
	snprintf(buf, sizeof(buf), "%s%sglibc.pthread.rseq=0",
		 old ? old : "", old && *old ? ":" : "");
	if (setenv("GLIBC_TUNABLES", buf, 1) == 0)
		execv("/proc/self/exe", argv);
	/* could not re-exec: go on, at the risk of rare rseq noise */
}

/* A growable set of PCs: add, then kt_set_finish() (sort + dedup), then query. */
struct kt_set {
	unsigned long *v;
	size_t n, cap;
};

static inline void kt_set_add(struct kt_set *s, unsigned long pc)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		REQUIRE(s->v != NULL, "realloc: expected success got NULL");
	}
	s->v[s->n++] = pc;
}

static inline void kt_set_add_trace(struct kt_set *s, unsigned long *area,
				    unsigned long size)
{
	unsigned long n = kt_count(area, size);

	for (unsigned long i = 1; i <= n; i++)
		kt_set_add(s, area[i]);
}

static inline int kt_cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static inline void kt_set_finish(struct kt_set *s)
{
	size_t j = 0;

	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), kt_cmp_ul);
	for (size_t i = 0; i < s->n; i++)
		if (j == 0 || s->v[j - 1] != s->v[i])
			s->v[j++] = s->v[i];
	s->n = j;
}

static inline int kt_set_has(const struct kt_set *s, unsigned long pc)
{
	return s->n && bsearch(&pc, s->v, s->n, sizeof(*s->v), kt_cmp_ul) != NULL;
}

#endif /* KCOV_TEST_H */
