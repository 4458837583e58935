// SPDX-License-Identifier: MIT
/*
 * read(2) and write(2) families and lseek(2) on sandbox files, with the
 * VFS's checks in Linux's order (fs/read_write.c). Data moves between the
 * guest and the file in bounded chunks through a supervisor buffer, so a
 * guest length never sizes an allocation.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "../vfs/vfs.h"
#include "sys.h"

#define FD_ARG(c) ((int)(c)->args[0])
/* Linux's MAX_RW_COUNT: one call moves at most INT_MAX rounded down to a page. */
#define MAX_RW_COUNT (INT_MAX & ~4095L)
#define CHUNK (64u << 10)

/*
 * preadv2(2)/pwritev2(2) flags, as Linux 6.18 names them (older headers
 * lack the newer ones). RWF_KNOWN is its RWF_SUPPORTED.
 */
#define RWF_ATOMIC_ 0x40
#define RWF_DONTCACHE_ 0x80
#define RWF_NOSIGNAL_ 0x100
#define RWF_KNOWN (RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND | \
		   RWF_ATOMIC_ | RWF_DONTCACHE_ | RWF_NOSIGNAL_)

/* A guest iovec array, read once (it is guest memory). */
struct guest_iov {
	struct iovec *v;
	int n;
};

/*
 * access_ok(): the range ends inside the user address space (x86-64's
 * USER_PTR_MAX with 4-level page tables) without wrapping. Linux checks it
 * before the file's own answer (a read of a directory into kernel space
 * is EFAULT, not EISDIR).
 */
static bool access_ok_(uint64_t addr, uint64_t len)
{
	return addr + len >= addr && addr + len <= 0x00007ffffffff000ull;
}

static int iov_import(struct sys_call *c, uint64_t uiov, uint64_t count, struct guest_iov *out)
{
	size_t total = 0;

	if (count > UIO_MAXIOV)
		return -EINVAL;
	out->n = (int)count;
	out->v = tmpfs_calloc(count ? count : 1, sizeof(struct iovec));
	if (!out->v)
		return -ENOMEM;
	if (guest_read(c->tid, out->v, uiov, count * sizeof(struct iovec))) {
		free(out->v);
		return -EFAULT;
	}
	for (int i = 0; i < out->n; i++) {
		if ((ssize_t)out->v[i].iov_len < 0) {
			free(out->v);
			return -EINVAL;
		}
		if (!access_ok_((uint64_t)(uintptr_t)out->v[i].iov_base, out->v[i].iov_len)) {
			free(out->v);
			return -EFAULT;
		}
		/* Past MAX_RW_COUNT in all, the rest is ignored (import_iovec()). */
		if (out->v[i].iov_len > (size_t)MAX_RW_COUNT - total)
			out->v[i].iov_len = (size_t)MAX_RW_COUNT - total;
		total += out->v[i].iov_len;
	}
	return 0;
}

static uint64_t iov_total(const struct guest_iov *iov)
{
	uint64_t total = 0;

	for (int i = 0; i < iov->n; i++)
		total += iov->v[i].iov_len;
	return total;
}

/* Reads the file into guest memory at `dst`; returns bytes moved or -errno. */
static int64_t read_to_guest(struct sys_call *c, struct kfile *f, uint64_t dst, size_t len,
			     int64_t *pos, void *buf)
{
	int64_t done = 0;

	/* At least one call: read(dirfd, buf, 0) is EISDIR, from the file itself. */
	do {
		size_t want = len - (size_t)done < CHUNK ? len - (size_t)done : CHUNK;
		int64_t n = f->ops->read(c, f, buf, want, *pos);

		if (n < 0)
			return done ? done : n;
		ssize_t w = guest_write_some(c->tid, dst + (uint64_t)done, buf, (size_t)n);

		if (w < n) {
			/*
			 * A short copy_to_user(): the bytes before the fault count
			 * (shmem_file_read_iter()), the rest is not read.
			 */
			w = w < 0 ? 0 : w;
			if (*pos < 0 && f->ops->llseek)
				f->ops->llseek(f, w - n, SEEK_CUR);
			else if (*pos >= 0)
				*pos += w;
			done += w;
			return done ? done : -EFAULT;
		}
		done += n;
		if (*pos >= 0)
			*pos += n;
		if ((size_t)n < want || n == 0)
			break;
	} while ((size_t)done < len);
	return done;
}

static int64_t write_from_guest(struct sys_call *c, struct kfile *f, uint64_t src, size_t len,
				int64_t *pos, void *buf, int rwf)
{
	int64_t done = 0;

	while ((size_t)done < len) {
		size_t want = len - (size_t)done < CHUNK ? len - (size_t)done : CHUNK;
		int64_t n;

		/* generic_perform_write() writes what it could copy before a fault */
		ssize_t got = guest_read_some(c->tid, buf, src + (uint64_t)done, want);

		/*
		 * A fault at the first byte: the file's checks (EFBIG at
		 * RLIMIT_FSIZE, ...) come first, as generic_write_checks()
		 * runs before the copy; the write op takes NULL for that. A
		 * fault part way is the same at its position (that round's
		 * shmem_write_begin() allocates the page before the copy moves
		 * nothing), and the call answers the bytes before it.
		 */
		if (got < 0) {
			n = f->ops->write(c, f, NULL, want, *pos, rwf);
			return done ? done : n;
		}
		want = (size_t)got;
		n = f->ops->write(c, f, buf, want, *pos, rwf);
		if (n < 0)
			return done ? done : n;
		done += n;
		if (*pos >= 0)
			*pos += n;
		if ((size_t)n < want)
			break;
	}
	return done;
}

/* The VFS's checks before any transfer: access mode, then the operation itself. */
static int rw_check(struct kfile *f, bool write, bool positional)
{
	int acc = f->flags & O_ACCMODE;

	/* OPEN_FMODE(): access mode 3 neither reads nor writes (`ukcov fuzz` found it did both) */
	if ((f->flags & O_PATH) || acc == O_ACCMODE || acc == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if (!(write ? (void *)f->ops->write : (void *)f->ops->read))
		return -EINVAL;
	if (positional && f->ops->nonseekable)
		return -ESPIPE;
	return 0;
}

/*
 * rw_verify_area(): the position (explicit, or the file's own) plus the
 * whole count must stay a valid loff_t, else EINVAL before anything moves.
 */
static int rw_verify_area(struct kfile *f, const struct guest_iov *iov, int64_t pos)
{
	uint64_t total = iov_total(iov);

	if (pos < 0)
		pos = f->ops->llseek && !f->ops->nonseekable ? f->ops->llseek(f, 0, SEEK_CUR) : 0;
	if (pos < 0)
		return 0;
	return total > (uint64_t)INT64_MAX - (uint64_t)pos ? -EINVAL : 0;
}

/*
 * kiocb_set_rw_flags(), for the only files served here (tmpfs files):
 * shmem has neither FMODE_NOWAIT, atomic writes nor FOP_DONTCACHE. What
 * passes is a hint tmpfs ignores, or RWF_APPEND/RWF_NOAPPEND for ->write.
 */
static int rwf_check(int rwf, struct kfile *f)
{
	struct stat st;

	/*
	 * A directory has no ->read_iter: do_loop_readv_writev() takes
	 * RWF_HIPRI alone, before ->read's EISDIR.
	 */
	if ((rwf & ~RWF_HIPRI) && f->ops->getattr && !f->ops->getattr(f, &st) &&
	    S_ISDIR(st.st_mode))
		return -EOPNOTSUPP;
	if (rwf & ~RWF_KNOWN)
		return -EOPNOTSUPP;
	if ((rwf & RWF_APPEND) && (rwf & RWF_NOAPPEND))
		return -EINVAL;
	if (rwf & (RWF_NOWAIT | RWF_ATOMIC_ | RWF_DONTCACHE_))
		return -EOPNOTSUPP;
	return 0;
}

/*
 * A vectored read of at most CHUNK bytes as one read of the file, then
 * scattered: Linux's ->read_iter() is one call for all the segments, and
 * so is what it reports (one IN_ACCESS, where a read per segment made one
 * each). A fault part way counts the bytes before it, as read_to_guest().
 */
static int64_t read_scatter(struct sys_call *c, struct kfile *f, const struct guest_iov *iov,
			    int64_t pos, char *buf, size_t total)
{
	int64_t n = f->ops->read(c, f, buf, total, pos), done = 0;

	for (int i = 0; i < iov->n && done < n; i++) {
		size_t want = iov->v[i].iov_len < (size_t)(n - done) ? iov->v[i].iov_len : (size_t)(n - done);
		ssize_t w = want ? guest_write_some(c->tid, (uint64_t)(uintptr_t)iov->v[i].iov_base,
						    buf + done, want) : 0;

		if (w < (ssize_t)want) {
			done += w < 0 ? 0 : w;
			if (pos < 0 && f->ops->llseek)
				f->ops->llseek(f, done - n, SEEK_CUR);
			return done ? done : -EFAULT;
		}
		done += (int64_t)want;
	}
	return n;
}

/*
 * A vectored write of at most CHUNK bytes gathered, then one write of the
 * file (one IN_MODIFY, as Linux's one ->write_iter()). A fault stops the
 * gathering: what came before it is written; a fault before any byte
 * leaves the checks to the write op (NULL, as write_from_guest()).
 */
static int64_t write_gather(struct sys_call *c, struct kfile *f, const struct guest_iov *iov,
			    int64_t pos, char *buf, size_t total, int rwf)
{
	size_t got = 0;

	for (int i = 0; i < iov->n; i++) {
		size_t len = iov->v[i].iov_len;
		ssize_t r = len ? guest_read_some(c->tid, buf + got,
						  (uint64_t)(uintptr_t)iov->v[i].iov_base, len) : 0;

		got += r > 0 ? (size_t)r : 0;
		if (r < (ssize_t)len)
			break;
	}
	return f->ops->write(c, f, got ? buf : NULL, got ? got : total, pos, rwf);
}

/* One transfer over an iovec array: the common core of all ten syscalls. */
static int64_t rw_iov(struct sys_call *c, struct kfile *f, const struct guest_iov *iov,
		      bool write, int64_t pos, int rwf)
{
	/*
	 * The bounce buffer, one for the process: the notification loop serves
	 * one syscall at a time (helpers make host calls only), and a trapped
	 * read or write allocated 64 KiB every time.
	 */
	static char buf[CHUNK] __attribute__((aligned(64)));
	uint64_t all = iov_total(iov);
	int64_t total = 0;

	if (iov->n > 1 && all <= CHUNK)
		return write ? write_gather(c, f, iov, pos, buf, (size_t)all, rwf)
			     : read_scatter(c, f, iov, pos, buf, (size_t)all);

	for (int i = 0; i < iov->n; i++) {
		uint64_t base = (uint64_t)(uintptr_t)iov->v[i].iov_base;
		size_t len = iov->v[i].iov_len;

		/* vfs_readv()/vfs_writev() move nothing, and call nothing, for empty segments. */
		if (len == 0 && iov->n > 1)
			continue;
		int64_t n = write ? write_from_guest(c, f, base, len, &pos, buf, rwf)
				  : read_to_guest(c, f, base, len, &pos, buf);

		if (n < 0) {
			if (!total)
				total = n;
			break;
		}
		total += n;
		if ((size_t)n < len)
			break;
	}
	return total;
}

/*
 * Every read/write syscall: fd in arg0; buf+len or iovec in arg1/arg2;
 * rwf: preadv2/pwritev2's flags (0 for the others).
 */
static int64_t rw(struct sys_call *c, bool write, bool vectored, bool positional, int64_t pos,
		  int rwf)
{
	struct guest_iov iov = { 0 };
	struct iovec one;
	struct kfile *f;
	int64_t r;

	if (positional && pos < 0)
		return -EINVAL;
	r = fd_get_io(c, FD_ARG(c), &f);
	if (r)
		return r;
	r = rw_check(f, write, positional);
	if (r)
		return r;
	if (vectored) {
		r = iov_import(c, c->args[1], c->args[2], &iov);
		if (r)
			return r;
	} else {
		if (!access_ok_(c->args[1], c->args[2]))
			return -EFAULT;
		one.iov_base = (void *)(uintptr_t)c->args[1];
		one.iov_len = c->args[2] > (uint64_t)MAX_RW_COUNT ? (size_t)MAX_RW_COUNT : c->args[2];
		iov = (struct guest_iov){ &one, 1 };
	}
	/* vfs_readv()/vfs_writev(): nothing to move is 0, before any other check */
	if (vectored && !iov_total(&iov))
		r = 0;
	else if (!(r = rw_verify_area(f, &iov, positional ? pos : -1)) && !(r = rwf_check(rwf, f)))
		r = rw_iov(c, f, &iov, write, positional ? pos : -1, rwf & (RWF_APPEND | RWF_NOAPPEND));
	if (write)
		cred_fsize_exceeded(c, r);
	/* vfs_readv(): fsnotify_access() when it did not fail, also for nothing moved */
	if (vectored && !write && r == 0 && f->ops->notify_access)
		f->ops->notify_access(f);
	if (vectored)
		free(iov.v);
	return r;
}

/* Implements read(2); read(-1, NULL, 0) is kcov's standard probe. */
int64_t sys_read(struct sys_call *c)
{
	return rw(c, false, false, false, -1, 0);
}

/* Implements readv(2). */
int64_t sys_readv(struct sys_call *c)
{
	return rw(c, false, true, false, -1, 0);
}

/* Implements pread64(2). */
int64_t sys_pread64(struct sys_call *c)
{
	return rw(c, false, false, true, (int64_t)c->args[3], 0);
}

/* Implements preadv(2). */
int64_t sys_preadv(struct sys_call *c)
{
	return rw(c, false, true, true, (int64_t)c->args[3], 0);
}

/* Implements preadv2(2): offset -1 means the file position, as readv(2). */
int64_t sys_preadv2(struct sys_call *c)
{
	int64_t pos = (int64_t)c->args[3];

	return rw(c, false, true, pos != -1, pos, (int)c->args[5]);
}

/* Implements write(2). */
int64_t sys_write(struct sys_call *c)
{
	return rw(c, true, false, false, -1, 0);
}

/* Implements writev(2). */
int64_t sys_writev(struct sys_call *c)
{
	return rw(c, true, true, false, -1, 0);
}

/* Implements pwrite64(2). */
int64_t sys_pwrite64(struct sys_call *c)
{
	return rw(c, true, false, true, (int64_t)c->args[3], 0);
}

/* Implements pwritev(2). */
int64_t sys_pwritev(struct sys_call *c)
{
	return rw(c, true, true, true, (int64_t)c->args[3], 0);
}

/* Implements pwritev2(2): offset -1 means the file position, as writev(2). */
int64_t sys_pwritev2(struct sys_call *c)
{
	int64_t pos = (int64_t)c->args[3];

	return rw(c, true, true, pos != -1, pos, (int)c->args[5]);
}

/* Implements lseek(2). */
int64_t sys_lseek(struct sys_call *c)
{
	struct kfile *f;
	int64_t r = fd_get_io(c, FD_ARG(c), &f);

	if (r)
		return r;
	if (f->ops->nonseekable || !f->ops->llseek)
		return -ESPIPE;
	return f->ops->llseek(f, (int64_t)c->args[1], (int)c->args[2]);
}
