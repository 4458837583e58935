// SPDX-License-Identifier: MIT
/*
 * Working directories inside mounts, carried by the guest process itself.
 *
 * Nothing under a mount exists on the host, so a process whose cwd is in a
 * mount keeps its host cwd where it was; the sandbox must know the mount
 * directory instead, with Linux's sharing rules: fork and vfork copy it,
 * threads share it, exec keeps it, and a process the sandbox never saw (a
 * child of a child that made no trapped syscall) has its parent's.
 *
 * A table keyed by PID can only guess those (the sandbox does not see a fork
 * happen), so the cwd lives where the kernel itself copies and shares it: in
 * the process's fd table. chdir into a mount installs, at one reserved fd
 * number (sb->fd_cwd, the top of the window), a placeholder memfd that names
 * an immutable record {mount, directory}. fork copies the fd table, so the
 * child holds the same record, i.e. the cwd its parent had at fork time; a
 * later chdir of either installs a new record in its own table only. Threads
 * share the table, as CLONE_FS threads share fs_struct. The fd is not
 * close-on-exec, so exec keeps it. A record dies with the last process that
 * holds it (inotify IN_IGNORED on the placeholder, as for open tmpfs files).
 *
 * The slot is the sandbox's: every fd syscall on it answers EBADF, dup2/dup3
 * onto it EBADF, and close_range over it runs without it (see sys_file.c),
 * so a guest cannot drop its cwd and land on the host by accident. An empty slot, or the "host" record, means the cwd is
 * the process's real host cwd. The guest's first process starts with the host
 * record in the slot (supervisor.c), so the slot is never free: an fd the host
 * allocates (open, dup, F_DUPFD, ADDFD's lowest free fd) never lands there,
 * where the guest could not use it and a chdir would replace it.
 *
 * The record of a mount directory is a removed ("dead") host directory,
 * which the guest's own thread also makes its host cwd (fsctx_chdir()), so
 * that relative calls the sandbox does not trap fail on the host instead of
 * acting on the directory the process left (fail closed; docs/proc-view.md).
 *
 * Deviation: the record follows the fd table's sharing (CLONE_FILES), not
 * fs_struct's (CLONE_FS); they differ only for clone() with one flag and not
 * the other, and for unshare() of one of them (documented in the README).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

static void fsctx_release(struct kfile *f)
{
	struct fsctx *fc = f->priv;

	if (!fc)
		return; /* the host record lives as long as the sandbox */
	if (fc->cwd)
		tmpfs_inode_put(fc->cwd);
	else
		close(fc->hostdir);
	free(fc);
}

/* No operations: the slot is hidden from the guest (fd_get() answers EBADF for it). */
static const struct kfile_ops fsctx_ops = {
	.name = "cwd",
	.release = fsctx_release,
};

/* The record in the cwd slot of the process behind handle h (*out NULL: the host cwd), or -errno. */
static int fsctx_of_handle(struct sandbox *sb, int h, const struct fsctx **out)
{
	struct kfile *f;
	struct stat st;
	int hfd = thread_getfd(sb, h, sb->fd_cwd), err;

	*out = NULL;
	if (hfd < 0) {
		/*
		 * EBADF: an empty slot, the host cwd. Anything else (EPERM for a
		 * non-dumpable guest, EMFILE) leaves the cwd unknown: fail closed
		 * rather than guess the host.
		 */
		if (hfd != -EBADF)
			return hfd == -EMFILE || hfd == -ENFILE ? -ENFILE : hfd;
		return 0;
	}
	err = fstat(hfd, &st) ? -errno : 0;
	close(hfd);
	if (err)
		return err;
	f = kfile_find(sb, st.st_dev, st.st_ino);
	/* Something else in the slot was never a record of ours: the host cwd. */
	if (f && f->ops == &fsctx_ops)
		*out = f->priv;
	return 0;
}

int fsctx_get(struct sys_call *c, const struct fsctx **out)
{
	int pidfd, err;

	*out = NULL;
	if (!c->sb->nmounts)
		return 0;
	if (c->fsctx_known) {
		*out = c->fsctx;
		return 0;
	}
	pidfd = sys_pidfd(c);
	if (pidfd < 0)
		return pidfd;
	err = fsctx_of_handle(c->sb, pidfd, out);
	if (err)
		return err;
	c->fsctx = *out;
	c->fsctx_known = true;
	return 0;
}

int fsctx_of_pid(struct sys_call *c, pid_t pid, const struct fsctx **out)
{
	const struct guest_cred *gc;
	pid_t tgid = proc_tgid(pid);
	int h, err;

	*out = NULL;
	if (tgid <= 0)
		return tgid ? tgid : -ESRCH;
	if (pid == c->tid || (!sys_cred(c, &gc) && gc->tgid == tgid))
		return fsctx_get(c, out);
	if (c->sb->feat.pidfd_thread) {
		h = (int)syscall(SYS_pidfd_open, tgid, 0);
	} else {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%d", pid);
		h = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	if (h < 0)
		return -ENOENT; /* gone: so is its /proc directory */
	err = fsctx_of_handle(c->sb, h, out);
	close(h);
	return err;
}

/*
 * The host cwd of a process whose cwd is in a mount (fail closed): a
 * directory that is gone, so that any relative call the sandbox does not
 * trap fails (ENOENT: Linux refuses lookups and creations in a dead
 * directory, IS_DEADDIR(), whoever asks) instead of acting on the host
 * directory the process left. Its parent is dead too, and the one above
 * that is the sandbox's private 0700 directory, which stays empty. One per
 * record: its fd is the record's marker in the cwd slot, which the guest's
 * own thread then makes its cwd (fchdir(2), redirected by fsctx_chdir()),
 * so the record lives while a process holds it as its cwd slot or its host
 * cwd (inotify's IN_DELETE_SELF comes with the last reference).
 */
static int fsctx_dead_dir(struct sandbox *sb)
{
	static unsigned long long serial;
	char name[32];
	int a, fd = -1;

	if (sb->fsctx_dir_fd < 0) {
		a = tmpfs_host_mkdtemp(sb->fsctx_dir, sizeof(sb->fsctx_dir), "ukcov-cwd");
		if (a)
			return sb->fsctx_dir[0] = '\0', a;
		sb->fsctx_dir_fd = open(sb->fsctx_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sb->fsctx_dir_fd < 0) {
			rmdir(sb->fsctx_dir);
			sb->fsctx_dir[0] = '\0';
			return -errno;
		}
	}
	snprintf(name, sizeof(name), "%llu", ++serial);
	if (mkdirat(sb->fsctx_dir_fd, name, 0700))
		return -errno;
	a = openat(sb->fsctx_dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (a >= 0 && !mkdirat(a, "d", 0555)) {
		fd = openat(a, "d", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;
		unlinkat(a, "d", AT_REMOVEDIR);
	} else {
		fd = -errno;
	}
	if (a >= 0)
		close(a);
	unlinkat(sb->fsctx_dir_fd, name, AT_REMOVEDIR);
	return fd;
}

void fsctx_cleanup(struct sandbox *sb)
{
	if (sb->fsctx_dir_fd >= 0) {
		close(sb->fsctx_dir_fd);
		rmdir(sb->fsctx_dir);
		sb->fsctx_dir_fd = -1;
	}
}

/*
 * Registers a placeholder that names record fc (NULL: the host cwd). Returns
 * its fd or -errno. Dropping the record, when the last process holding it is
 * gone, is background work for the process that made it: a remote section of
 * its common kcov handle, as the release of its open files (vfs/release.c).
 */
static int fsctx_marker_new(struct sys_call *c, struct fsctx *fc)
{
	struct sandbox *sb = c->sb;
	char path[64];
	struct kfile *f;
	int fd = fc ? fsctx_dead_dir(sb) : placeholder_new("ukcov-cwd"), wd = -1;

	if (fd < 0)
		return fd;
	if (fc) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		wd = inotify_add_watch(sb->inotify_fd, path, IN_DELETE_SELF);
	}
	f = fc && wd < 0 ? NULL : kfile_new(sb, fd, &fsctx_ops, fc, 0);
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	f->wd = wd;
	if (wd >= 0)
		sb->nwatches++;
	f->remote_handle = fc ? remote_handle_of(c) : 0;
	return fd;
}

int fsctx_host_record(struct sandbox *sb)
{
	/* The host record is nobody's remote section: the call only names the sandbox. */
	struct sys_call c = { .sb = sb };

	if (sb->fsctx_host_fd < 0) {
		int fd = fsctx_marker_new(&c, NULL);

		if (fd < 0)
			return fd;
		sb->fsctx_host_fd = fd;
	}
	return sb->fsctx_host_fd;
}

static int fsctx_install(struct sys_call *c, int fd)
{
	int err = guest_install_fd(c->sb->listener, c->id, fd, c->sb->fd_cwd);

	/* ENOENT: the thread is gone and nobody waits for the answer. */
	if (err == -ENOENT)
		err = 0;
	/* EBADF: the slot is past the process's RLIMIT_NOFILE; EMFILE is what fits a chdir worst. */
	return err == -EBADF ? -EMFILE : err;
}

/* Installs a new record (which the placeholder's release frees) in the caller's slot. */
static int fsctx_record_install(struct sys_call *c, struct fsctx *fc)
{
	int fd = fsctx_marker_new(c, fc), err;
	bool installed;

	if (fd < 0) {
		fsctx_release(&(struct kfile){ .priv = fc });
		return fd;
	}
	/* Our copy goes now; the guest's is the record's only holder (released by inotify). */
	err = guest_install_fd(c->sb->listener, c->id, fd, c->sb->fd_cwd);
	installed = !err;
	err = err == -ENOENT ? 0 : err == -EBADF ? -EMFILE : err; /* as fsctx_install() */
	close(fd);
	c->fsctx_known = false;
	/*
	 * The guest's own thread makes the record's dead directory its host
	 * cwd: its chdir becomes fchdir(slot), which traps again and runs on
	 * the host (sys_fchdir()). Only once the record is in the slot, and
	 * only a thread still blocked in the call is seized (it wakes at once
	 * for the interrupt; one that left could be in a sleep the wait would
	 * share); the same call restarted after a signal is (this answer would
	 * not reach it, and a guest whose signals come faster than a chdir is
	 * served would never get one). A thread that
	 * cannot be seized (traced by another tracer) keeps its old host cwd
	 * (docs/proc-view.md).
	 */
	if (installed && (c->nr == SYS_chdir || c->nr == SYS_fchdir) && thread_waits_in(c->sb->listener, c->id, c->tid, c->nr) &&
	    !guest_syscall_redirect(c->tid, c->nr, SYS_fchdir, (uint64_t)c->sb->fd_cwd))
		return FSCTX_REDIRECTED;
	return err;
}

int fsctx_chdir(struct sys_call *c, struct mount *mnt, struct tmpfs_inode *dir)
{
	const struct fsctx *now;
	struct fsctx *fc;
	int fd, err;

	if (!mnt) {
		err = fsctx_get(c, &now);
		if (err || !now)
			return err;
		fd = fsctx_host_record(c->sb);
		return fd < 0 ? fd : fsctx_install(c, fd);
	}
	fc = tmpfs_calloc(1, sizeof(*fc));
	if (!fc)
		return -ENOMEM;
	fc->mnt = mnt;
	fc->cwd = dir;
	fc->hostdir = -1;
	tmpfs_inode_get(dir);
	return fsctx_record_install(c, fc);
}

int fsctx_chdir_graft(struct sys_call *c, struct mount *mnt, int hostdir)
{
	struct fsctx *fc = tmpfs_calloc(1, sizeof(*fc));

	if (!fc) {
		close(hostdir);
		return -ENOMEM;
	}
	fc->mnt = mnt;
	fc->hostdir = hostdir;
	return fsctx_record_install(c, fc);
}

/*
 * The mount's path and @rel. For getcwd(), a detached mount (MNT_DETACH),
 * no longer reachable from the root, as Linux's getcwd() says it:
 * "(unreachable)" and the path from its own root (umount_tree()
 * disconnects each mount of the tree from its parent).
 */
static int fsctx_join(const struct mount *m, const char *rel, size_t n, bool getcwd, char *buf,
		      size_t len)
{
	bool gone = getcwd && m->detached;
	const char *pfx = gone ? "(unreachable)" : "";
	size_t skip = gone ? m->len : 0, plen = strlen(pfx);

	if (gone && !n) {
		rel = "/";
		n = 1;
	}
	if (plen + m->len - skip + n + 1 > len)
		return -ERANGE;
	memcpy(buf, pfx, plen);
	memcpy(buf + plen, m->path + skip, m->len - skip);
	memcpy(buf + plen + m->len - skip, rel, n);
	buf[plen + m->len - skip + n] = '\0';
	return (int)(plen + m->len - skip + n);
}

static int fsctx_path_as(const struct fsctx *fc, bool getcwd, char *buf, size_t len)
{
	char rel[PATH_MAX], link[64];
	ssize_t n;

	if (fc->cwd) {
		n = tmpfs_dir_path(fc->cwd, rel, sizeof(rel));
	} else {
		/* a directory of a detached mount reads as its path from the mount's root */
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fc->hostdir);
		n = readlink(link, rel, sizeof(rel) - 1);
		n = n <= 0 || rel[0] != '/' ? -ENOENT : n;
		if (n > 0)
			rel[n] = '\0';
	}
	if (n < 0)
		return (int)n;
	if (!strcmp(rel, "/"))
		n = 0;
	return fsctx_join(fc->mnt, rel, (size_t)n, getcwd, buf, len);
}

int fsctx_path(const struct fsctx *fc, char *buf, size_t len)
{
	return fsctx_path_as(fc, false, buf, len);
}

int fsctx_getcwd(const struct fsctx *fc, char *buf, size_t len)
{
	return fsctx_path_as(fc, true, buf, len);
}

bool fsctx_slot_is_mount(struct sys_call *c, int fd)
{
	const struct fsctx *fc;

	return c->sb->nmounts && fd == c->sb->fd_cwd && !fsctx_get(c, &fc) && fc;
}
