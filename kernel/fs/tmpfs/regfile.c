/* ukcov tmpfs: regular file data.
 *
 * A file's data lives in a host file of the caller's (the supervisor's),
 * made with the file's first page or first open (tmpfs_file_data_fd()),
 * and kept at the file's size: an O_TMPFILE file of the mount's private
 * host tmpfs, or a memfd (store.c).  Reads and writes are pread/pwrite on
 * it; a hole has no page, costs nothing and reads as zeros, as in shmem,
 * which both are.  Keeping the data there rather than in our own pages
 * lets an open description be a host description of that file: mmap,
 * msync and file locks are then the host kernel's, exactly Linux's tmpfs
 * semantics, while every read, write and attribute change still comes
 * here.
 *
 * Accounting: pages are charged to the mount when first written (not on
 * truncate up), as shmem_get_folio() does, and a write stops at the first
 * page the mount cannot hold.  In a private host tmpfs the host refuses
 * that page itself, for write() and for a mapping's fault (SIGBUS) alike,
 * and its count is the mount's (mount.c).  A memfd's pages first touched
 * through a writable shared mapping cannot be refused: they are charged
 * when the file is next written, truncated or stat'ed (tmpfs_reg_sync(),
 * from the memfd's st_blocks), even past the limit.
 *
 * Times: a write through a shared mapping moves the host file's mtime and
 * ctime (file_update_time() at the fault, as on Linux's tmpfs); the same
 * fstat that counts the pages sees it and takes them over.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sys/inotify.h>

#include "tmpfs_int.h"

#define PAGE_MASK_ ((int64_t)TMPFS_PAGE_SIZE - 1)

static int64_t page_up(int64_t x)
{
	return x > INT64_MAX - PAGE_MASK_ ? INT64_MAX & ~PAGE_MASK_ : (x + PAGE_MASK_) & ~PAGE_MASK_;
}

static void reg_sync(struct tmpfs_inode *ino, int own);

/* the data file, made now if the file never had one: its fd or -errno */
static int data_fd(struct tmpfs_inode *ino)
{
	int fd;

	if (ino->reg.fd >= 0)
		return ino->reg.fd;
	fd = tmpfs_store_file(ino->mnt);
	if (fd < 0)
		return fd;
	if (ino->reg.size && ftruncate(fd, ino->reg.size)) {
		close(fd);
		return -ENOMEM;
	}
	ino->reg.fd = fd;
	reg_sync(ino, 1);
	return fd;
}

int tmpfs_reg_data_fd(struct tmpfs_inode *ino)
{
	return data_fd(ino);
}

int tmpfs_file_data_fd(struct tmpfs_file *f)
{
	if (!S_ISREG(f->inode->mode))
		return -EINVAL;
	return data_fd(f->inode);
}

/* A directory's host object is only ever opened and locked: it stays empty. */
int tmpfs_file_host_fd(struct tmpfs_file *f)
{
	struct tmpfs_inode *ino = f->inode;

	if (!S_ISDIR(ino->mode))
		return tmpfs_file_data_fd(f);
	if (ino->dir.hostfd < 0)
		ino->dir.hostfd = tmpfs_store_dir(ino->mnt, ino->ino);
	return ino->dir.hostfd;
}

int tmpfs_file_desc_open(struct tmpfs_file *f, int opener, int variant, int flags,
			 const struct stat *host)
{
	struct tmpfs_inode *ino = f->inode;
	int fd = tmpfs_file_host_fd(f);

	if (fd < 0)
		return fd;
	if (!tmpfs_store_private(ino->mnt) || opener < 1)
		return -EOPNOTSUPP;
	if (S_ISDIR(ino->mode))
		return tmpfs_store_dir_open(ino->mnt, ino->ino, fd, flags, host);
	fd = tmpfs_store_desc_open(ino->mnt, ino->ino, fd, opener, variant, flags, host);
	if (fd >= 0 && opener > ino->reg.names)
		ino->reg.names = opener;
	if (fd >= 0)
		ino->reg.variants |= 1 << variant;
	return fd;
}

/*
 * The data file is about to be mapped (the guest's mmap of a description
 * trapped), or written by the host through a description (splice(2),
 * sendfile(2), copy_file_range(2) let through): from then on its faults
 * and the host's writes may add pages, grow it and move its times behind
 * our back, so each sync asks the host (reg_sync()). Before, only our own
 * writes and truncates change it. What they did is taken now, so that a
 * later change is known to be a mapping's.
 */
void tmpfs_file_mapped(struct tmpfs_file *f)
{
	struct tmpfs_inode *ino = f->inode;

	if (!S_ISREG(ino->mode) || ino->reg.mapped)
		return;
	reg_sync(ino, 1);
	ino->reg.mapped = true;
	ino->reg.dense = 0; /* a mapping may punch holes (MADV_REMOVE) */
}

/* the data file's own count of its pages (st_blocks) */
static uint64_t host_pages(const struct tmpfs_inode *ino)
{
	struct stat st;

	if (ino->reg.fd < 0 || fstat(ino->reg.fd, &st))
		return ino->reg.npages;
	return (uint64_t)st.st_blocks / (TMPFS_PAGE_SIZE / 512);
}

uint64_t tmpfs_reg_pages(const struct tmpfs_inode *ino)
{
	return ino->reg.mapped ? host_pages(ino) : ino->reg.npages;
}

static int ts_eq(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static int ts_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/*
 * One fstat of the data file (none while it was never mapped and the
 * change is not ours): its pages (a mapping's are in already:
 * charged even past a memfd's limit) and its mtime.  Unless @own (our own
 * write or truncate just moved it), a new mtime is a mapping's write: the
 * file takes the host's times, as Linux's fault path sets them (never
 * before the core's own last change: the clocks' granularity differs).
 */
static void reg_sync(struct tmpfs_inode *ino, int own)
{
	struct stat st;
	uint64_t now;

	/* Never mapped: nothing but our own writes and truncates changes it. */
	if (!own && !ino->reg.mapped)
		return;
	if (ino->reg.fd < 0 || fstat(ino->reg.fd, &st))
		return;
	now = (uint64_t)st.st_blocks / (TMPFS_PAGE_SIZE / 512);
	ino->mnt->used_pages += now - ino->reg.npages;
	ino->reg.npages = now;
	/* a host write through a description (splice, sendfile) may have grown it */
	if (!own && st.st_size > ino->reg.size)
		ino->reg.size = st.st_size;
	if (!own && !ts_eq(st.st_mtim, ino->reg.host_mtime)) {
		ino->mtime = ts_before(st.st_mtim, ino->mtime) ? tmpfs_now() : st.st_mtim;
		ino->ctime = ts_before(st.st_ctim, ino->mtime) ? ino->mtime : st.st_ctim;
	}
	ino->reg.host_mtime = st.st_mtim;
}

void tmpfs_reg_sync(struct tmpfs_inode *ino)
{
	reg_sync(ino, 0);
}

/* Reads within i_size; holes read as zeros.  Returns the bytes read. */
ssize_t tmpfs_reg_read(struct tmpfs_inode *ino, void *buf, size_t len,
		       int64_t off)
{
	size_t done = 0;

	tmpfs_reg_sync(ino);
	if (off >= ino->reg.size || !len)
		return 0;
	if ((uint64_t)len > (uint64_t)(ino->reg.size - off))
		len = (size_t)(ino->reg.size - off);
	tmpfs_fsn_child(ino, IN_ACCESS);
	while (ino->reg.fd >= 0 && done < len) {
		ssize_t n = pread(ino->reg.fd, (char *)buf + done, len - done,
				  off + (int64_t)done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (ino->reg.fd >= 0 && done < len)
		return done ? (ssize_t)done : -EIO;
	if (ino->reg.fd < 0)
		memset(buf, 0, len);
	return (ssize_t)len;
}

/* cachestat(2) (Linux 6.5): its number, range and answer */
#define NR_CACHESTAT 451
struct cachestat_range_ {
	uint64_t off, len;
};
struct cachestat_ {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

/*
 * Pages of [@pos, @end) that a hole to SEEK_DATA still holds: allocated by
 * fallocate(2) and not written yet (shmem's unwritten folios, which
 * mincore() does not report either).  cachestat(2) counts every folio of
 * the memfd's page cache, and its swapped pages as evicted (a memfd's
 * mapping has no other evicted entries).  0 when it cannot tell (then the
 * pages count as missing, as before Linux 6.5).
 */
static uint64_t unwritten_pages(int fd, int64_t pos, int64_t end)
{
	struct cachestat_range_ r = { (uint64_t)pos, (uint64_t)(end - pos) };
	struct cachestat_ cs;

	if (syscall(NR_CACHESTAT, fd, &r, &cs, 0))
		return 0;
	return cs.nr_cache + cs.nr_evicted;
}

/*
 * How many bytes of a write at @off fit the mount: all of them unless the
 * pages it would add exceed what is free; then up to the first page that
 * cannot be charged.  Present pages are found with SEEK_DATA/SEEK_HOLE,
 * and in holes with mincore() (pages fallocate(2) allocated).
 */
static size_t write_fits(struct tmpfs_inode *ino, int fd, int64_t off,
			 size_t len)
{
	struct tmpfs_mount *m = ino->mnt;
	uint64_t avail = m->used_pages >= m->max_pages ? 0 :
						       m->max_pages - m->used_pages;
	int64_t pos = off & ~PAGE_MASK_, end = page_up(off + (int64_t)len);

	if ((uint64_t)((end - pos) >> TMPFS_PAGE_SHIFT) <= avail)
		return len;
	while (pos < end) {
		int64_t next = end, d;
		int hole = 1;

		if (pos < ino->reg.size) {
			d = lseek(fd, pos, SEEK_DATA);
			if (d == pos) {
				hole = 0;
				d = lseek(fd, pos, SEEK_HOLE);
				next = d < 0 ? end : page_up(d);
			} else if (d > pos) {
				next = d & ~PAGE_MASK_;
			}
		}
		if (next <= pos)
			next = pos + TMPFS_PAGE_SIZE;
		if (next > end)
			next = end;
		if (hole) {
			uint64_t pages = (uint64_t)(next - pos) >> TMPFS_PAGE_SHIFT;

			if (pages > avail)
				pages -= unwritten_pages(fd, pos, next);
			if (pages > avail) {
				int64_t stop = pos + (int64_t)(avail << TMPFS_PAGE_SHIFT);

				return stop > off ? (size_t)(stop - off) : 0;
			}
			avail -= pages;
		}
		pos = next;
	}
	return len;
}

/*
 * When the mount is full part way, returns what was written, and -ENOSPC
 * only if nothing was, as generic_perform_write().  The caller has checked
 * @off + @len against the maximum file size.
 */
ssize_t tmpfs_reg_write(struct tmpfs_inode *ino, const void *buf, size_t len,
			int64_t off)
{
	int fd = data_fd(ino), err = -ENOMEM;
	size_t fits, done = 0;

	if (fd < 0)
		return fd;
	tmpfs_reg_sync(ino);
	/* a private host tmpfs stops the write at the page it cannot hold */
	fits = tmpfs_store_private(ino->mnt) ? len : write_fits(ino, fd, off, len);
	if (fits)
		tmpfs_fsn_child(ino, IN_MODIFY);
	while (done < fits) {
		ssize_t n = pwrite(fd, (const char *)buf + done, fits - done,
				   off + (int64_t)done);

		if (n <= 0) {
			err = n < 0 && errno == ENOSPC ? -ENOSPC : -ENOMEM;
			break;
		}
		done += (size_t)n;
	}
	if (done && off + (int64_t)done > ino->reg.size)
		ino->reg.size = off + (int64_t)done;
	/* within pages known present, the write added none: no fstat */
	if (ino->reg.mapped || off + (int64_t)done > ino->reg.dense)
		reg_sync(ino, 1);
	if (!ino->reg.mapped && done && off <= ino->reg.dense &&
	    page_up(off + (int64_t)done) > ino->reg.dense)
		ino->reg.dense = page_up(off + (int64_t)done);
	if (done)
		return (ssize_t)done;
	return fits < len ? -ENOSPC : err;
}

/*
 * A write whose buffer faults at its first byte. Since Linux 6.14
 * ("filemap: move prefaulting out of hot write path") generic_perform_write()
 * calls shmem_write_begin() before it touches the buffer: the page at @off
 * is allocated (or the write is -ENOSPC), the copy moves nothing, and
 * shmem_write_end() zeroes a page that was not uptodate (a hole, or
 * fallocate()d), marks it uptodate, and moves i_size up to @off (pos + 0
 * bytes copied). A page past i_size stays in the page cache, uptodate:
 * data to SEEK_DATA once i_size grows over it.
 *
 * The data file is a tmpfs file of the host's (or a memfd, shmem too):
 * the same faulting write on it, from an address that is never mapped,
 * runs that very code, so its pages, its size and what SEEK_DATA finds
 * are the host's tmpfs's, and a page with data is left as it is (a shared
 * mapping may be writing it). Zeros written by hand could not do it for a
 * page past the end. Returns 0 or -errno.
 */
int tmpfs_reg_fault_page(struct tmpfs_inode *ino, int64_t off)
{
	int fd = data_fd(ino);
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return fd;
	tmpfs_reg_sync(ino);
	if (!tmpfs_store_private(ino->mnt) && !write_fits(ino, fd, off, 1))
		return -ENOSPC;
	/* NULL: the lowest page is never mapped (mmap_min_addr), so the copy faults */
	n = pwrite(fd, NULL, 1, off);
	if (n >= 0)
		return -EIO;
	if (errno != EFAULT)
		return errno == ENOSPC ? -ENOSPC : -ENOMEM;
	if (fstat(fd, &st))
		return -errno;
	ino->reg.size = st.st_size;
	reg_sync(ino, 1);
	return 0;
}

/*
 * shmem_fallocate() on the data file, a tmpfs of the host's, which does
 * it with Linux's code.  In a private store the host refuses what the
 * mount cannot hold itself (its size= is the mount's, ballast included),
 * with shmem's checks: a range longer than the whole mount, then the
 * first page it cannot charge, after which it frees what this call
 * allocated.  A memfd has no limit: the same answer is worked out before
 * (the pages the range lacks against what is free).  Returns 0 or -errno.
 */
int tmpfs_reg_fallocate(struct tmpfs_inode *ino, int mode, int64_t off, int64_t len)
{
	struct tmpfs_mount *m = ino->mnt;
	int64_t first = off & ~PAGE_MASK_;
	int fd = data_fd(ino);

	if (fd < 0)
		return fd;
	tmpfs_reg_sync(ino);
	if (!(mode & FALLOC_FL_PUNCH_HOLE) && !tmpfs_store_private(m)) {
		uint64_t pages = (uint64_t)(page_up(off + len) - first) >> TMPFS_PAGE_SHIFT;

		if (pages > m->max_pages || write_fits(ino, fd, off, (size_t)len) < (size_t)len)
			return -ENOSPC;
	}
	tmpfs_fsn_child(ino, IN_MODIFY);
	if (fallocate(fd, mode, off, len))
		return errno == ENOSPC || errno == EINTR ? -errno : -ENOMEM;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && off + len > ino->reg.size)
		ino->reg.size = off + len;
	/* a hole below @dense: pages there are no longer known present */
	if ((mode & FALLOC_FL_PUNCH_HOLE) && ino->reg.dense > first)
		ino->reg.dense = first;
	reg_sync(ino, 1);
	return 0;
}

/* Sets i_size; shrinking frees whole pages past the end and zeroes the
 * tail of the last one (the memfd's shmem_undo_range()).  Returns 0. */
int tmpfs_reg_truncate(struct tmpfs_inode *ino, int64_t len)
{
	tmpfs_reg_sync(ino);
	if (ino->reg.fd >= 0)
		tmpfs_fsn_child(ino, IN_MODIFY);
	if (ino->reg.fd >= 0 && ftruncate(ino->reg.fd, len))
		return -errno;
	ino->reg.size = len;
	reg_sync(ino, 1);
	if (ino->reg.dense > page_up(len))
		ino->reg.dense = page_up(len);
	return 0;
}

/*
 * SEEK_DATA (@hole 0) / SEEK_HOLE (@hole 1): the memfd's own answer, the
 * same shmem code as Linux's tmpfs, since its size is ours (-ENXIO at or
 * past i_size; at 2^63 the kernel's loff_t arithmetic gives LLONG_MIN,
 * which is passed on).
 */
int64_t tmpfs_reg_seek_data(struct tmpfs_inode *ino, int64_t off, int hole)
{
	int64_t r;

	tmpfs_reg_sync(ino);
	if (off < 0 || off >= ino->reg.size)
		return -ENXIO;
	if (ino->reg.fd < 0)
		return hole ? off : -ENXIO;
	errno = 0;
	r = lseek(ino->reg.fd, off, hole ? SEEK_HOLE : SEEK_DATA);
	if (r == -1 && errno)
		return -errno;
	return r;
}

void tmpfs_reg_free(struct tmpfs_inode *ino)
{
	tmpfs_reg_sync(ino);
	/* data pages: the data file's own, gone with it (no ballast to give back) */
	ino->mnt->used_pages -= ino->reg.npages;
	ino->reg.npages = 0;
	tmpfs_store_desc_unlink(ino->mnt, ino->ino, ino->reg.names, ino->reg.variants);
	if (ino->reg.fd >= 0)
		close(ino->reg.fd);
	ino->reg.fd = -1;
}
