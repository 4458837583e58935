/*
 * KCOV_REMOTE_ENABLE: every check of Linux's kcov_ioctl() and its errno, in
 * its order (EFAULT, EINVAL for too many handles, the state checks, the
 * mode, bad handles, EEXIST), the empty probe, and the state afterwards: the
 * caller's own syscalls are not traced, it cannot enable another kcov, and
 * DISABLE frees its handles for others.
 */
#include <pthread.h>

#include "kcov_test.h"

#define USB_HANDLE(n) ((1ULL << 56) | (n))

/* struct kcov_remote_arg with room for two handles. */
struct arg2 {
	__u32 trace_mode, area_size, num_handles;
	__aligned_u64 common_handle;
	__aligned_u64 handles[2];
};

static int remote(int fd, unsigned int mode, unsigned int nh, unsigned long long h0,
		  unsigned long long h1, unsigned long long common)
{
	struct arg2 *r = calloc(1, sizeof(*r));
	int ret;

	r->trace_mode = mode;
	r->area_size = 1024;
	r->num_handles = nh;
	r->common_handle = common;
	r->handles[0] = h0;
	r->handles[1] = h1;
	ret = ioctl(fd, KCOV_REMOTE_ENABLE, r);
	free(r);
	return ret;
}

static int other_fd;
static int other_errno;

static void *other_thread(void *p)
{
	(void)p;
	errno = 0;
	if (remote(other_fd, KCOV_TRACE_PC, 1, USB_HANDLE(0x77), 0, 0) == 0)
		other_errno = 0, ioctl(other_fd, KCOV_DISABLE, 0UL);
	else
		other_errno = errno;
	return NULL;
}

int main(void)
{
	unsigned long *area, *area2;
	int fresh = kt_open();
	int fd = kt_setup(KT_COVER_SIZE, &area);
	int fd2 = kt_setup(KT_COVER_SIZE, &area2);
	pthread_t th;

	CHECK_ERR(ioctl(fd, KCOV_REMOTE_ENABLE, NULL), EFAULT);
	CHECK_ERR(remote(fd, KCOV_TRACE_PC, 0x101, 0, 0, 0), EINVAL);
	CHECK_ERR(remote(fresh, KCOV_TRACE_PC, 0, 0, 0, 0), EINVAL); /* not initialised */
	CHECK_OK(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_ERR(remote(fd, KCOV_TRACE_PC, 0, 0, 0, 0), EBUSY); /* this thread has fd2 */
	CHECK_ERR(remote(fd2, KCOV_TRACE_PC, 0, 0, 0, 0), EINVAL); /* fd2 is enabled */
	CHECK_OK(ioctl(fd2, KCOV_DISABLE, 0UL));
	CHECK_ERR(remote(fd, 2, 0, 0, 0, 0), EINVAL);
	if (kt_counters())
		CHECK_ERR(remote(fd, KCOV_TRACE_CMP, 0, 0, 0, 0), ENOTSUPP);
	CHECK_ERR(remote(fd, KCOV_TRACE_PC, 1, 0x42, 0, 0), EINVAL);          /* COMMON in handles[] */
	CHECK_ERR(remote(fd, KCOV_TRACE_PC, 1, USB_HANDLE(1ULL << 40), 0, 0), EINVAL); /* bytes 4..6 */
	CHECK_ERR(remote(fd, KCOV_TRACE_PC, 1, 2ULL << 56, 0, 0), EINVAL);    /* no such subsystem */
	CHECK_ERR(remote(fd, KCOV_TRACE_PC, 0, 0, 0, USB_HANDLE(1)), EINVAL); /* common must be COMMON */
	CHECK_ERR(remote(fd, KCOV_TRACE_PC, 0, 0, 0, 1ULL << 40), EINVAL);
	CHECK_ERR(remote(fd, KCOV_TRACE_PC, 2, USB_HANDLE(0x76), USB_HANDLE(0x76), 0), EEXIST);
	/* The empty probe succeeds (syzkaller checks for remote coverage with it). */
	CHECK_OK(remote(fd, KCOV_TRACE_PC, 0, 0, 0, 0));
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));

	CHECK_OK(remote(fd, KCOV_TRACE_PC, 1, USB_HANDLE(0x77), 0, 0x4242));
	/* Another kcov may not register a handle this one holds. */
	other_fd = fd2;
	REQUIRE(pthread_create(&th, NULL, other_thread, NULL) == 0, "pthread_create");
	pthread_join(th, NULL);
	CHECK(other_errno == EEXIST, "REMOTE_ENABLE of a held handle: expected EEXIST got %s",
	      kt_errname(other_errno));
	/* The caller's own syscalls are not traced; it has a kcov, so nothing else enables. */
	__atomic_store_n(&area[0], 0, __ATOMIC_RELAXED);
	kt_probe();
	CHECK(kt_count(area, KT_COVER_SIZE) == 0, "own syscall after REMOTE_ENABLE: expected 0 PCs got %lu",
	      kt_count(area, KT_COVER_SIZE));
	CHECK_ERR(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);
	CHECK_ERR(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC), EBUSY);
	CHECK_ERR(ioctl(fd, KCOV_DISABLE, 1UL), EINVAL);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	/* Freed: another thread may now take the handle. */
	REQUIRE(pthread_create(&th, NULL, other_thread, NULL) == 0, "pthread_create");
	pthread_join(th, NULL);
	CHECK(other_errno == 0, "REMOTE_ENABLE after the holder disabled: expected success got %s",
	      kt_errname(other_errno));
	close(fd);
	close(fd2);
	close(fresh);
	return kt_failed;
}
