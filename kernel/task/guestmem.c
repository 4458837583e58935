// SPDX-License-Identifier: MIT
/*
 * Guest memory access. process_vm_readv() copies from the guest's address
 * space as the guest itself could read it: a bad pointer is -EFAULT, never a
 * fault in the supervisor. Values read are only as stable as the guest lets
 * them be; a decision based on them is revalidated with notif_id_valid().
 */
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

#include "task.h"

/*
 * Fault injection (vfs/failnth.c): the served thread's fail-nth counts
 * copies from the guest too, as Linux's fail_usercopy counts
 * copy_from_user() and strncpy_from_user(): a call's arguments (structs,
 * paths). Not the data of a write (guest_read_some(), which also carries
 * what a write to fail-nth itself says, and must not fail it), nor copies
 * to the guest: those come after the call's work, and a copy-out that
 * fails leaves that work done, on Linux too, which no comparison with
 * Linux could tell from a bug.
 */
static __thread unsigned int *copy_nth;

void guest_fault_arm(unsigned int *nth)
{
	copy_nth = nth;
}

static bool copy_fails(void)
{
	return copy_nth && *copy_nth && --*copy_nth == 0;
}

ssize_t guest_read_some(pid_t tid, void *dst, uint64_t addr, size_t len)
{
	struct iovec local = { dst, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	return n > 0 ? n : -EFAULT;
}

ssize_t guest_write_some(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	return n > 0 ? n : -EFAULT;
}

int guest_read(pid_t tid, void *dst, uint64_t addr, size_t len)
{
	if (len && copy_fails())
		return -EFAULT;
	return guest_read_some(tid, dst, addr, len) == (ssize_t)len ? 0 : -EFAULT;
}

int guest_write(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	return guest_write_some(tid, addr, src, len) == (ssize_t)len ? 0 : -EFAULT;
}

/*
 * The next read of a string at addr, got bytes of it read: page by page, as
 * a string may end just before an unmapped page. The first read stops at
 * 256 bytes: most paths are shorter, and copying the rest of a 4 KiB page
 * for them is wasted (the guest-memory copies are a quarter of a trapped
 * stat(); perf).
 */
static size_t str_chunk(uint64_t addr, size_t got, size_t max)
{
	size_t chunk = 4096 - ((addr + got) & 4095);

	if (!got && chunk > 256)
		chunk = 256;
	return chunk > max - got ? max - got : chunk;
}

/* guest_read_str() with its first got bytes in dst already, none of them NUL. */
static long read_str_from(pid_t tid, char *dst, uint64_t addr, size_t max, size_t got)
{
	while (got < max) {
		size_t chunk = str_chunk(addr, got, max);
		struct iovec local, remote;
		ssize_t n;
		char *nul;

		local = (struct iovec){ dst + got, chunk };
		remote = (struct iovec){ (void *)(uintptr_t)(addr + got), chunk };
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return -EFAULT;
		nul = memchr(dst + got, '\0', (size_t)n);
		if (nul)
			return nul - dst;
		got += (size_t)n;
	}
	return -ENAMETOOLONG;
}

long guest_read_str(pid_t tid, char *dst, uint64_t addr, size_t max)
{
	if (copy_fails())
		return -EFAULT;
	return read_str_from(tid, dst, addr, max, 0);
}

void guest_read_strs(pid_t tid, char *a, uint64_t ua, long *na, char *b, uint64_t ub, long *nb,
		     size_t max)
{
	size_t la = str_chunk(ua, 0, max), lb = str_chunk(ub, 0, max);
	struct iovec local[2] = { { a, la }, { b, lb } };
	struct iovec remote[2] = { { (void *)(uintptr_t)ua, la }, { (void *)(uintptr_t)ub, lb } };
	/*
	 * Both first chunks in one call. It stops at the first fault: a string
	 * whose chunk it did not copy whole is read again on its own, which
	 * gives that fault where guest_read_str() gives it.
	 */
	ssize_t n;
	char *nul;

	/* two strncpy_from_user() to Linux: a fault site each, in order */
	if (copy_fails()) {
		*na = -EFAULT;
		*nb = guest_read_str(tid, b, ub, max);
		return;
	}
	if (copy_fails()) {
		*na = guest_read_str(tid, a, ua, max);
		*nb = -EFAULT;
		return;
	}
	n = process_vm_readv(tid, local, 2, remote, 2, 0);

	if (n >= (ssize_t)la) {
		nul = memchr(a, '\0', la);
		*na = nul ? nul - a : read_str_from(tid, a, ua, max, la);
	} else {
		*na = guest_read_str(tid, a, ua, max);
	}
	if (n == (ssize_t)(la + lb)) {
		nul = memchr(b, '\0', lb);
		*nb = nul ? nul - b : read_str_from(tid, b, ub, max, lb);
	} else {
		*nb = guest_read_str(tid, b, ub, max);
	}
}

int notif_id_valid(int listener, uint64_t id)
{
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) ? -ENOENT : 0;
}

int guest_install_fd(int listener, uint64_t id, int srcfd, int target)
{
	struct seccomp_notif_addfd addfd = {
		.id = id,
		.flags = SECCOMP_ADDFD_FLAG_SETFD,
		.srcfd = (uint32_t)srcfd,
		.newfd = (uint32_t)target,
	};

	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0 ? -errno : 0;
}

int guest_install_fd_any(int listener, uint64_t id, int srcfd, unsigned int newfd_flags)
{
	struct seccomp_notif_addfd addfd = {
		.id = id,
		.srcfd = (uint32_t)srcfd,
		.newfd_flags = newfd_flags,
	};
	int fd = ioctl(listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);

	return fd < 0 ? -errno : fd;
}

int proc_read(int dirfd, const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -ESRCH;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	return (int)n;
}
