// SPDX-License-Identifier: MIT
/*
 * ioctl(2), mmap(2), fstat(2), fcntl(2) and the other calls on an fd. A
 * sandbox file serves them through its kfile_ops; a file without an
 * operation gets the answer Linux's VFS gives for such a file; host files
 * are left to the host.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../fs/fs.h"
#include "../vfs/file.h"
#include "sys.h"
#include "../vfs/vfs.h"

#define FD_ARG(c) ((int)(c)->args[0])

/* The sandbox file in arg0, or (as the handler's answer) EBADF / SYS_CONTINUE. */
#define GET_FILE_OR_RETURN(c, f)                        \
	do {                                            \
		int64_t r_ = fd_get((c), FD_ARG(c), &(f)); \
		if (r_)                                 \
			return r_;                      \
	} while (0)

/* The same for calls a host_io file leaves to the host (I/O on a FIFO or device). */
#define GET_IO_FILE_OR_RETURN(c, f)                        \
	do {                                               \
		int64_t r_ = fd_get_io((c), FD_ARG(c), &(f)); \
		if (r_)                                    \
			return r_;                         \
	} while (0)

/*
 * FS_IOC_SETFLAGS and FS_IOC_FSSETXATTR on a FIFO or device node of a
 * mount, whose host object the host answers for (ENOTTY, as Linux's tmpfs
 * has no fileattr_set for them): on a read-only mount Linux's
 * mnt_want_write_file() answers EROFS first, once the argument was read
 * (ioctl_setflags(), ioctl_fssetxattr()).
 */
static int64_t node_setattr_ioctl(struct sys_call *c, struct kfile *f, unsigned int cmd)
{
	struct fsxattr fa;
	struct mount *m;
	int flags;

	if (!f->ops->node_inode || (f->flags & O_PATH) || !f->ops->node_inode(f, &m) || !m->fs ||
	    !tmpfs_mount_rdonly(m->fs))
		return SYS_CONTINUE;
	if (cmd == FS_IOC_SETFLAGS ? guest_read(c->tid, &flags, c->args[2], sizeof(flags))
				   : guest_read(c->tid, &fa, c->args[2], sizeof(fa)))
		return -EFAULT;
	return -EROFS;
}

/* Implements ioctl(2). */
int64_t sys_ioctl(struct sys_call *c)
{
	unsigned int cmd = (unsigned int)c->args[1];
	struct kfile *f;

	GET_FILE_OR_RETURN(c, f);
	/* fd_get_io(): a host_io file's ioctls are the host's */
	if (f->ops->host_io)
		return cmd == FS_IOC_SETFLAGS || cmd == FS_IOC_FSSETXATTR ? node_setattr_ioctl(c, f, cmd)
									  : SYS_CONTINUE;
	if (f->flags & O_PATH)
		return -EBADF;
	switch (cmd) {
	case FIONBIO:
	case FIOASYNC:
		/* They set O_NONBLOCK, O_ASYNC on the host description: fd_get() asks it from now on. */
		if (f->ops->host_desc)
			f->open_fl = -1;
		return SYS_CONTINUE;
	case FIOCLEX:
	case FIONCLEX:
		/* do_vfs_ioctl() serves these for every file: fd-table state the host keeps. */
		return SYS_CONTINUE;
	default:
		return f->ops->ioctl ? f->ops->ioctl(c, f, cmd, c->args[2]) : -ENOTTY;
	}
}

/* Implements mmap(2) of file-backed mappings. */
int64_t sys_mmap(struct sys_call *c)
{
	struct kfile *f;
	int64_t r = fd_get_io(c, (int)c->args[4], &f);

	/* An invalid fd: the host's do_mmap() checks the other arguments first. */
	if (r == -EBADF)
		return SYS_CONTINUE;
	if (r)
		return r;
	/* mmap's page-offset check, then ksys_mmap_pgoff()'s fget(), which takes no O_PATH file */
	if (f->flags & O_PATH)
		return c->args[5] & 4095 ? -EINVAL : -EBADF;
	if (!f->ops->mmap)
		return -ENODEV;
	return f->ops->mmap(c, f, c->args[1], (int)c->args[2], (int)c->args[3], c->args[5]);
}

static int64_t put_stat(struct sys_call *c, struct kfile *f, uint64_t ubuf)
{
	struct stat st;
	int err;

	memset(&st, 0, sizeof(st));
	err = f->ops->getattr ? f->ops->getattr(f, &st) : 0;
	if (err)
		return err;
	cred_shown_stat(c, &st.st_uid, &st.st_gid);
	return guest_write(c->tid, ubuf, &st, sizeof(st));
}

/* Implements fstat(2). */
int64_t sys_fstat(struct sys_call *c)
{
	struct kfile *f;

	GET_FILE_OR_RETURN(c, f);
	return put_stat(c, f, c->args[1]);
}

#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#define F_ALL_SEALS_ (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | \
		      F_SEAL_EXEC)

/*
 * memfd_fcntl() on a sandbox file: a tmpfs regular file not made by
 * memfd_create() is born sealed with F_SEAL_SEAL (shmem_get_inode()), so
 * it shows 1 and takes no seal; other files have no seals (EINVAL).
 */
static int64_t fcntl_seals(struct kfile *f, int cmd, uint64_t arg)
{
	struct stat st = { 0 };
	bool shmem;

	if (f->flags & O_PATH)
		return -EBADF; /* check_fcntl_cmd() */
	shmem = tmpfs_file_of(f) && f->ops->getattr && !f->ops->getattr(f, &st) && S_ISREG(st.st_mode);
	if (cmd == F_GET_SEALS)
		return shmem ? F_SEAL_SEAL : -EINVAL;
	if (arg > UINT32_MAX)
		return -EINVAL;
	/* memfd_add_seals() */
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (arg & ~(uint64_t)F_ALL_SEALS_)
		return -EINVAL;
	return shmem ? -EPERM : -EINVAL;
}

/*
 * F_SETSIG/F_GETSIG: the host description's, unless it holds ukcov's tag
 * there (a mount without its store): then the guest's signal stays 0 and
 * only 0 is taken (a documented deviation).
 */
static int64_t fcntl_sig(struct kfile *f, int cmd, uint64_t arg)
{
	if (tmpfs_desc_sig_own(f))
		return SYS_CONTINUE;
	if (cmd == F_GETSIG)
		return 0;
	return (unsigned long)(int)arg ? -EINVAL : 0; /* valid_signal(), then ours */
}


/*
 * Implements fcntl(2): file status flags are the file's; fd flags and dups
 * are the fd table's; record locks on regular tmpfs files the host's.
 */
/* F_LINUX_SPECIFIC_BASE + 4 (Linux 6.12); older headers lack it */
#define F_CREATED_QUERY_NR 1028

int64_t sys_fcntl(struct sys_call *c)
{
	int cmd = (int)c->args[1];
	struct kfile *f;

	GET_FILE_OR_RETURN(c, f);
	/* check_fcntl_cmd(): an O_PATH file takes only these (`ukcov fuzz` found locks EINVAL) */
	if (f->ops->getfl && (f->ops->getfl(f) & O_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC &&
	    cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL)
		return -EBADF;
	switch (cmd) {
	case F_GETFL:
		return f->ops->getfl ? lease_getfl(c, f, FD_ARG(c)) : SYS_CONTINUE;
	case F_SETFL:
		return f->ops->setfl ? f->ops->setfl(c, f, (int)c->args[2]) : SYS_CONTINUE;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_GETFD:
	case F_SETFD:
	/*
	 * The owner and signal of SIGIO are the description's (f_owner): the
	 * host description that stands for the guest's is its own, shared by
	 * dup and fork as the guest's is.
	 */
	case F_SETOWN:
	case F_GETOWN:
	case F_SETOWN_EX:
	case F_GETOWN_EX:
		return SYS_CONTINUE;
	case F_SETSIG:
	case F_GETSIG:
		return fcntl_sig(f, cmd, c->args[2]);
	case F_CREATED_QUERY_NR:
		return tmpfs_file_of(f) ? tmpfs_file_created(tmpfs_file_of(f)) : 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		/*
		 * Record locks on a host description of a regular file's data
		 * file or a directory's host directory are the host's, with Linux's semantics (see
		 * fs/tmpfs_kfile.c); a blocking one waits in the guest's thread.
		 */
		if (f->ops->host_desc)
			return SYS_CONTINUE;
		return f->ops->getfl ? -EINVAL : SYS_CONTINUE;
	case F_GET_SEALS:
	case F_ADD_SEALS:
		return f->ops->getfl ? fcntl_seals(f, cmd, c->args[2]) : SYS_CONTINUE;
	/* Leases of mount files are ukcov's (vfs/lease.c): the host's would see the supervisor's opens. */
	case F_SETLEASE:
		if (f->ops->tmpfs)
			return lease_set(c, f, FD_ARG(c), (int)c->args[2]);
		return f->ops->getfl ? -EINVAL : SYS_CONTINUE;
	case F_GETLEASE:
		if (f->ops->tmpfs)
			return lease_get(c, f, FD_ARG(c));
		return f->ops->getfl ? -EINVAL : SYS_CONTINUE;
	/* dnotify of mount directories is ukcov's (vfs/dnotify.c): the host's description is of an empty directory. */
	case F_NOTIFY:
		return dnotify_fcntl(c, f, FD_ARG(c), (unsigned int)c->args[2]);
	default:
		/* pipes: the placeholder (or memfd) would answer for the wrong object. */
		return f->ops->getfl ? -EINVAL : SYS_CONTINUE;
	}
}

/* `answer` for a sandbox file; for any other fd, what fd_get() says (EBADF, or the host). */
static int64_t on_sandbox_file(struct sys_call *c, int64_t answer)
{
	struct kfile *f;

	GET_FILE_OR_RETURN(c, f);
	return answer;
}

/*
 * close, dup*, syncfs, sync_file_range, readahead: the host does them
 * on the host file that stands for the sandbox file, which is what Linux
 * would do to it; invalid fds are answered here (they are the kcov probes of
 * the fd layer). An O_PATH sandbox file is a readable description on the
 * host (ADDFD cannot pass O_PATH): the calls that use fdget(), which sees
 * no O_PATH file, answer EBADF here.
 */
/*
 * The calls that look the fd up with fdget() (which finds no O_PATH file)
 * and that the host would answer otherwise on a placeholder: the socket
 * calls' sockfd_lookup_light() is ENOTSOCK on a memfd, inotify_rm_watch's
 * fd is EINVAL (no instance).
 */
static bool opath_is_ebadf(int nr)
{
	static const int nrs[] = { SYS_readahead, SYS_syncfs, SYS_sync_file_range, SYS_listen,
				   SYS_accept, SYS_accept4, SYS_recvfrom, SYS_recvmsg, SYS_recvmmsg,
				   SYS_sendmmsg, SYS_shutdown, SYS_getsockopt, SYS_setsockopt,
				   SYS_inotify_rm_watch };

	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		if (nrs[i] == nr)
			return true;
	return false;
}

int64_t sys_fd_passthrough(struct sys_call *c)
{
	struct kfile *f;
	int64_t r;

	/* The cwd slot is hidden: not open as far as the guest can tell, and never replaced. */
	if ((c->nr == SYS_dup2 || c->nr == SYS_dup3) && fd_reserved(c->sb, (int)c->args[1]))
		return -EBADF;
	r = fd_get(c, FD_ARG(c), &f);
	/* Invalid fds too: the host's answer is Linux's, in Linux's check order (dup3(fd, fd)). */
	if (r == -EBADF && fd_reserved(c->sb, FD_ARG(c)))
		return -EBADF;
	if (!r && (f->flags & O_PATH) && opath_is_ebadf(c->nr))
		return -EBADF;
	return SYS_CONTINUE;
}

/*
 * Implements close_range(2) while a file system is mounted. A range that
 * covers the cwd slot would drop the process's cwd record (and land its
 * relative paths on the host), or mark it close-on-exec, and the supervisor
 * cannot close a guest's fds itself: the guest's own thread runs it over
 * the range without the slot (the redirect of task/redirect.c: its call
 * becomes close_range(lo, slot - 1, flags), which traps again and runs on
 * the host). The slot is the guest's last fd: only a guest that raised
 * its limit past it holds fds above it, and one with fds on both sides
 * (two calls would be needed, and a redirect makes one) gets ENOSYS, as a
 * kernel before 5.9, so that C libraries close fd by fd; so does a thread
 * that cannot be seized (traced by another tracer).
 */
#define CLOSE_RANGE_UNSHARE_ (1u << 1)
#define CLOSE_RANGE_CLOEXEC_ (1u << 2)

/* Whether thread tid's process has an fd above fd (past the limit it was given). */
static bool fd_any_above(pid_t tid, int fd)
{
	char path[64];
	struct dirent *d;
	bool any = false;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", tid);
	dir = opendir(path);
	if (!dir)
		return true; /* unknown: as if there were */
	while (!any && (d = readdir(dir)))
		any = d->d_name[0] != '.' && atoi(d->d_name) > fd;
	closedir(dir);
	return any;
}

int64_t sys_close_range(struct sys_call *c)
{
	unsigned int lo = (unsigned int)c->args[0], hi = (unsigned int)c->args[1];
	unsigned int slot = (unsigned int)c->sb->fd_cwd;
	uint64_t args[3] = { lo, slot - 1, c->args[2] };

	if (!c->sb->nmounts)
		return SYS_CONTINUE;
	/* Linux checks the flags and the range before anything else. */
	if ((c->args[2] & ~(uint64_t)(CLOSE_RANGE_UNSHARE_ | CLOSE_RANGE_CLOEXEC_)) || lo > hi)
		return -EINVAL;
	if (lo > slot || slot > hi)
		return SYS_CONTINUE;
	if (hi > slot && fd_any_above(c->tid, (int)slot)) {
		if (lo < slot)
			return -ENOSYS;
		args[0] = slot + 1;
		args[1] = hi;
	} else if (lo == slot) {
		/* nothing of the guest's to close: the call only unshares (UNSHARE), past any fd */
		args[0] = args[1] = ~0u;
	}
	if (thread_waits_in(c->sb->listener, c->id, c->tid, c->nr) &&
	    !guest_syscall_redirect3(c->tid, c->nr, SYS_close_range, args))
		return SYS_CONTINUE; /* withdrawn: the new call traps again */
	return -ENOSYS;
}

/* Implements fsync(2) and fdatasync(2): vfs_fsync_range() is -EINVAL without ->fsync. */
int64_t sys_fsync(struct sys_call *c)
{
	struct kfile *f;

	GET_IO_FILE_OR_RETURN(c, f);
	return f->ops->fsync ? f->ops->fsync(f) : -EINVAL;
}

/* Implements ftruncate(2): only regular files open for writing may be truncated. */
int64_t sys_ftruncate(struct sys_call *c)
{
	struct kfile *f;

	/* do_sys_ftruncate() checks the length before it looks at the fd. */
	if ((int64_t)c->args[1] < 0)
		return c->sb->nmounts ? -EINVAL : SYS_CONTINUE;
	GET_IO_FILE_OR_RETURN(c, f);
	if (f->ops->ftruncate) {
		int64_t r = f->ops->ftruncate(c, f, (int64_t)c->args[1]);

		cred_fsize_exceeded(c, r);
		return r;
	}
	return (f->flags & O_ACCMODE) == O_RDONLY ? -EINVAL : 0;
}

/*
 * getdents(2)'s records from getdents64(2)'s, in place: struct linux_dirent
 * has d_name where linux_dirent64 has d_type, and d_type in its last byte;
 * both round 20 bytes + the name up to 8 (filldir() and filldir64()), so
 * every record keeps its length and d_off.
 */
static void dirents_old(char *buf, int64_t n)
{
	for (int64_t off = 0; off + 19 < n;) {
		unsigned short reclen;
		char *rec = buf + off, type;

		memcpy(&reclen, rec + 16, sizeof(reclen));
		if (reclen < 20 || off + reclen > n)
			return;
		type = rec[18];
		memmove(rec + 18, rec + 19, strnlen(rec + 19, reclen - 19u) + 1u);
		rec[reclen - 1] = type;
		off += reclen;
	}
}

/* Implements getdents64(2) and getdents(2). */
int64_t sys_getdents(struct sys_call *c)
{
	enum { CHUNK = 64 << 10 };
	char buf[CHUNK];
	size_t len = c->args[2] < CHUNK ? (size_t)c->args[2] : CHUNK;
	struct kfile *f;
	int64_t n;

	GET_IO_FILE_OR_RETURN(c, f);
	if (!f->ops->getdents64)
		return -ENOTDIR;
	n = f->ops->getdents64(f, buf, len);
	if (n > 0 && c->nr == SYS_getdents)
		dirents_old(buf, n);
	if (n > 0 && guest_write(c->tid, c->args[1], buf, (size_t)n))
		return -EFAULT;
	return n;
}

/*
 * fchdir to a host directory: as chdir_host() in sys_path.c, the record says
 * "host" only once the host's fchdir is sure to succeed (a directory the
 * guest may search).
 */
static int64_t fchdir_host(struct sys_call *c)
{
	const struct guest_cred *cr;
	const struct fsctx *now;
	struct mount *graft;
	struct stat st;
	int hfd, pidfd, r = fsctx_get(c, &now);

	if (r)
		return r;
	/* a host cwd stays the host's unless the directory may be a graft's: only then look at it */
	if (!now && !mount_graft_of_dev(c->sb, 0))
		return SYS_CONTINUE;
	pidfd = sys_pidfd(c);
	if (pidfd < 0)
		return pidfd;
	hfd = thread_getfd(c->sb, pidfd, FD_ARG(c));
	if (hfd < 0)
		return SYS_CONTINUE; /* an O_PATH fd: not ours to see; the record stays */
	r = fstat(hfd, &st) ? -errno : 0;
	/* a directory of a graft: a cwd record of it, as chdir's (the host would name it from the graft's root) */
	graft = r ? NULL : mount_graft_of_dev(c->sb, st.st_dev);
	if (!now && !graft) {
		close(hfd);
		return SYS_CONTINUE;
	}
	if (!r)
		r = sys_cred(c, &cr);
	if (!r && !S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	if (!r)
		r = cred_host_enter(&cr->fs);
	if (!r) {
		r = faccessat(hfd, "", X_OK, AT_EACCESS | AT_EMPTY_PATH) ? -errno : 0;
		cred_host_leave();
	}
	if (!r && graft)
		return fsctx_chdir_graft(c, graft, hfd);
	close(hfd);
	if (!r)
		r = fsctx_chdir(c, NULL, NULL);
	return r ? r : SYS_CONTINUE;
}

/* Implements fchdir(2). */
int64_t sys_fchdir(struct sys_call *c)
{
	struct tmpfs_inode *dir;
	struct tmpfs_file *tf;
	const struct guest_cred *cr;
	struct kfile *f;
	int64_t r;

	/* The cwd slot's dead directory: the host cwd of a cwd in a mount (fsctx.c). */
	if (fsctx_slot_is_mount(c, FD_ARG(c)))
		return SYS_CONTINUE;
	r = fd_get(c, FD_ARG(c), &f);
	if (r == SYS_CONTINUE && c->sb->nmounts)
		return fchdir_host(c);
	if (r)
		return r;
	tf = tmpfs_file_of(f);
	if (!tf)
		return -ENOTDIR;
	r = sys_cred(c, &cr);
	if (!r)
		r = tmpfs_file_chdir(tf, &cr->fs, &dir);
	if (!r) {
		r = fsctx_chdir(c, mount_of_fs(c->sb, tmpfs_file_mount(tf)), dir);
		tmpfs_inode_put(dir);
	}
	/* Redirected: the notification is gone, the restarted call answers. */
	return r == FSCTX_REDIRECTED ? SYS_CONTINUE : r;
}

/* Implements fchmod(2). */
int64_t sys_fchmod(struct sys_call *c)
{
	struct kfile *f;

	GET_FILE_OR_RETURN(c, f);
	return f->ops->fchmod ? f->ops->fchmod(c, f, (mode_t)c->args[1]) : SYS_CONTINUE;
}

/* Implements fchown(2). */
int64_t sys_fchown(struct sys_call *c)
{
	struct kfile *f;

	GET_FILE_OR_RETURN(c, f);
	return f->ops->fchown ? f->ops->fchown(c, f, (uid_t)c->args[1], (gid_t)c->args[2])
			      : SYS_CONTINUE;
}

/* Implements fstatfs(2). */
int64_t sys_fstatfs(struct sys_call *c)
{
	struct statfs sf;
	struct kfile *f;
	int err;

	GET_FILE_OR_RETURN(c, f);
	if (!f->ops->statfs)
		return SYS_CONTINUE;
	memset(&sf, 0, sizeof(sf));
	err = f->ops->statfs(f, &sf);
	return err ? err : guest_write(c->tid, c->args[1], &sf, sizeof(sf));
}

/* `answer` for a sandbox file whose I/O is the sandbox's; the host's for the rest (a FIFO: ESPIPE). */
static int64_t on_sandbox_io_file(struct sys_call *c, int64_t answer)
{
	struct kfile *f;

	GET_IO_FILE_OR_RETURN(c, f);
	return answer;
}

/* Implements fallocate(2): a file without ->fallocate is -EOPNOTSUPP (an O_PATH one -EBADF). */
int64_t sys_fallocate(struct sys_call *c)
{
	int64_t off = (int64_t)c->args[2], len = (int64_t)c->args[3], r;
	struct kfile *f;

	GET_IO_FILE_OR_RETURN(c, f);
	if (f->flags & O_PATH)
		return -EBADF;
	if (!f->ops->fallocate)
		return -EOPNOTSUPP;
	r = f->ops->fallocate(c, f, (int)c->args[1], off, len);
	/*
	 * vfs_fallocate()'s EFBIG of a range past any file's end comes without
	 * SIGXFSZ (a negative length was EINVAL: the guest's, not to overflow)
	 */
	if (len >= 0 && off <= INT64_MAX - len)
		cred_fsize_exceeded(c, r);
	return r;
}

/* Implements fadvise64(2): generic_fadvise() accepts any regular file. */
int64_t sys_fadvise64(struct sys_call *c)
{
	return on_sandbox_io_file(c, 0);
}

/*
 * Implements flock(2): a regular tmpfs file's and a directory's descriptions
 * are host descriptions of its host object, so the host locks them exactly as Linux
 * (per description, waits in the guest's thread); a FIFO's or device's lock
 * is its host object's; an O_PATH fd is EBADF, after the command's EINVAL.
 */
int64_t sys_flock(struct sys_call *c)
{
	unsigned int cmd = (unsigned int)c->args[1] & ~(unsigned int)LOCK_NB;
	struct kfile *f;

	/* flock_translate_cmd(), before the fd is looked at */
	if (cmd != LOCK_SH && cmd != LOCK_EX && cmd != LOCK_UN)
		return -EINVAL;
	GET_IO_FILE_OR_RETURN(c, f);
	if (f->flags & O_PATH)
		return -EBADF; /* fdget() skips O_PATH files */
	return f->ops->host_desc ? SYS_CONTINUE : -EOPNOTSUPP;
}

/*
 * Calls that would act on the placeholder instead of the file (xattrs,
 * sendfile/splice/copy_file_range, locks): refused on sandbox files with
 * EOPNOTSUPP, left to the host for host files.
 */
int64_t sys_fd_unsupported(struct sys_call *c)
{
	return on_sandbox_file(c, -EOPNOTSUPP);
}
