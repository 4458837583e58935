// SPDX-License-Identifier: MIT
/* The fd layer: from a guest fd number to the sandbox file behind it. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vfs.h"


static unsigned int file_bucket(dev_t dev, ino_t ino)
{
	return (unsigned int)((ino * 0x9e3779b97f4a7c15ull + dev) >> 56) % KFILE_BUCKETS;
}

KERNEL_NOCOV struct kfile *kfile_find(struct sandbox *sb, dev_t dev, ino_t ino)
{
	struct kfile *f;

	for (f = sb->files[file_bucket(dev, ino)]; f; f = f->next)
		if (f->dev == dev && f->ino == ino)
			return f;
	return NULL;
}

struct kfile *kfile_new(struct sandbox *sb, int hostfd, const struct kfile_ops *ops, void *priv,
			int flags)
{
	struct stat st;

	return fstat(hostfd, &st) ? NULL : kfile_new_stat(sb, &st, ops, priv, flags);
}

struct kfile *kfile_new_stat(struct sandbox *sb, const struct stat *st, const struct kfile_ops *ops,
			     void *priv, int flags)
{
	struct kfile *f, **head;

	/*
	 * An inode number is unique among live inodes only: a file we made
	 * earlier whose inode the host has since freed and reused is dead, and
	 * its entry is replaced.
	 */
	f = kfile_find(sb, st->st_dev, st->st_ino);
	if (f && f->wd >= 0 && f->ops->release) {
		/* Its placeholder died and the number was reused before we heard: release it now. */
		f->ops->release(f);
		sb->nwatches--;
		mounts_reap(sb);
	}
	if (!f) {
		f = tmpfs_calloc(1, sizeof(*f));
		if (!f)
			return NULL;
		head = &sb->files[file_bucket(st->st_dev, st->st_ino)];
		f->next = *head;
		*head = f;
	}
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->wd = -1;
	/* host_io files live in the private directory, host_desc ones maybe in a private tmpfs */
	if (!ops->host_io && !ops->host_desc && S_ISREG(st->st_mode))
		sb->memfd_dev = st->st_dev;
	f->ops = ops;
	f->priv = priv;
	f->flags = flags;
	f->remote_handle = 0;
	f->opened = f->closed = f->opened_w = f->closed_w = 0;
	f->merged = false;
	f->open_fl = f->host_fl = -1;
	return f;
}

/*
 * Unhooks f from the table, releases what it stands for and frees it.
 * exact: every description's final close was seen (or none was made).
 */
static void kfile_release(struct sandbox *sb, struct kfile **pp, bool exact)
{
	struct kfile *f = *pp;

	*pp = f->next;
	/*
	 * The memfd lives on (its inode is the tmpfs file's data). After an
	 * exact count no close of this file's descriptions is left to come, so
	 * its watch may stay (an inotify_rm_watch() costs a few us). Released
	 * by a walk, a close may still be on its way (a process's fd is gone
	 * before its __fput() queues the event) and would be counted for a
	 * later description of the file: the watch goes now.
	 */
	if (f->ops->host_desc && f->wd >= 0) {
		if (exact)
			files_linger(sb, f->wd);
		else
			inotify_rm_watch(sb->inotify_fd, f->wd);
	}
	dnotify_free(f); /* before release: it clears a mark on the inode */
	if (f->ops->release)
		f->ops->release(f);
	if (f->wd >= 0)
		sb->nwatches--;
	lease_free(f);
	free(f);
	mounts_reap(sb); /* it may have been the last file of a detached mount */
}

KERNEL_NOCOV bool kfile_has_nodes_of(struct sandbox *sb, const struct mount *m)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile *f = sb->files[b]; f; f = f->next) {
			struct mount *nm = NULL;

			if (f->ops->node_inode && f->ops->node_inode(f, &nm) && nm == m)
				return true;
		}
	return false;
}

KERNEL_NOCOV void kfile_release_nodes_of(struct sandbox *sb, const struct mount *m)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile **pp = &sb->files[b]; *pp;) {
			struct mount *nm = NULL;

			if ((*pp)->ops->node_inode && (*pp)->ops->node_inode(*pp, &nm) && nm == m)
				kfile_release(sb, pp, false);
			else
				pp = &(*pp)->next;
		}
}

void kfile_release_wd(struct sandbox *sb, int wd)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile **pp = &sb->files[b]; *pp; pp = &(*pp)->next)
			if ((*pp)->wd == wd) {
				kfile_release(sb, pp, true);
				return;
			}
}

struct kfile *kfile_find_wd(struct sandbox *sb, int wd)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile *f = sb->files[b]; f; f = f->next)
			if (f->wd == wd)
				return f;
	return NULL;
}

uint64_t kfile_remote_handle_wd(struct sandbox *sb, int wd)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile *f = sb->files[b]; f; f = f->next)
			if (f->wd == wd)
				return f->remote_handle;
	return 0;
}

/*
 * Which files some process still holds, by the inodes its fds and mapped
 * files (/proc/PID/fd, /proc/PID/map_files) lead to on the devices `dev`
 * (memfds, and each mount's private tmpfs). Whatever cannot be looked at
 * counts as held (unsure).
 */
#define HELD_DEVS 32

struct held {
	dev_t dev[HELD_DEVS];
	size_t ndev;
	struct { dev_t dev; ino_t ino; } *ino;
	size_t n, cap;
	bool unsure;
	bool writable; /* only fds open for writing count (no mappings) */
	/* kfile_held_only_by(): the description every fd of only_ino must be (no mappings) */
	struct { pid_t tgid; int fd; ino_t ino; } only;
	long pid;      /* the process whose fds are looked at */
	bool other;    /* one fd of only_ino is another description */
	bool cwd;      /* kfile_dev_held(): cwds count too... */
	bool cwd_held; /* ...and one is on a device of dev[] */
};

/* /proc/PID/fd/NAME's description is open for writing ("flags:" of its fdinfo). */
static bool fd_writable(const char *fddir, const char *name)
{
	char p[512], line[128];
	unsigned int flags = 0;
	bool found = false;
	FILE *f;

	snprintf(p, sizeof(p), "%.*sinfo/%s", (int)strlen(fddir), fddir, name);
	f = fopen(p, "re");
	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "flags: %o", &flags) == 1;
	if (f)
		fclose(f);
	/* Unreadable (the fd went away meanwhile): not a writer any more. */
	return found && (flags & O_ACCMODE) != O_RDONLY;
}

KERNEL_NOCOV static bool held_dev(const struct held *h, dev_t dev)
{
	for (size_t i = 0; i < h->ndev; i++)
		if (h->dev[i] == dev)
			return true;
	return false;
}

/* Adds dev to the devices looked at; too many is unsure. */
KERNEL_NOCOV static void held_add_dev(struct held *h, dev_t dev)
{
	if (held_dev(h, dev))
		return;
	if (h->ndev == HELD_DEVS)
		h->unsure = true;
	else
		h->dev[h->ndev++] = dev;
}

KERNEL_NOCOV static void held_scan_dir(struct held *h, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		h->unsure |= errno != ENOENT; /* ENOENT: the process exited, it holds nothing */
		return;
	}
	while ((e = readdir(d))) {
		char p[512];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
		if (stat(p, &st) || !held_dev(h, st.st_dev))
			continue;
		if (h->writable && !fd_writable(path, e->d_name))
			continue;
		if (h->only.tgid && st.st_ino == h->only.ino &&
		    syscall(SYS_kcmp, h->only.tgid, (pid_t)h->pid, KCMP_FILE, h->only.fd, atoi(e->d_name)))
			h->other = true;
		if (h->n == h->cap) {
			void *v = tmpfs_realloc(h->ino, (h->cap = h->cap ? 2 * h->cap : 64) * sizeof(*h->ino));

			if (!v) {
				h->unsure = true;
				break;
			}
			h->ino = v;
		}
		h->ino[h->n].dev = st.st_dev;
		h->ino[h->n++].ino = st.st_ino;
	}
	closedir(d);
}

KERNEL_NOCOV static void held_scan_pid(struct held *h, long pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	h->pid = pid;
	held_scan_dir(h, path);
	if (h->writable || h->only.tgid)
		return;
	snprintf(path, sizeof(path), "/proc/%ld/map_files", pid);
	held_scan_dir(h, path);
	/* a cwd there holds the file system too (the inode list takes it as an fd's) */
	snprintf(path, sizeof(path), "/proc/%ld/cwd", pid);
	if (h->cwd && !stat(path, &st) && held_dev(h, st.st_dev))
		h->cwd_held = true;
}

/* Every process on the host but us. */
KERNEL_NOCOV static void held_scan_all(struct held *h)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;

	if (!proc) {
		h->unsure = true;
		return;
	}
	while ((e = readdir(proc)) && !h->unsure) {
		long pid = strtol(e->d_name, NULL, 10);

		if (pid > 0 && pid != (long)getpid())
			held_scan_pid(h, pid);
	}
	closedir(proc);
}

/* Appends the children of every thread of `pid` to *v (n of cap). Returns false on ENOMEM. */
static bool children_of(long pid, long **v, size_t *n, size_t *cap)
{
	char path[96];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%ld/task", pid);
	d = opendir(path);
	if (!d)
		return true; /* it exited: its children went to us */
	while ((e = readdir(d))) {
		FILE *f;
		long c;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/task/%.20s/children", pid, e->d_name);
		f = fopen(path, "re");
		while (f && fscanf(f, "%ld", &c) == 1) {
			if (*n == *cap) {
				long *nv = tmpfs_realloc(*v, (*cap = *cap ? 2 * *cap : 64) * sizeof(*nv));

				if (!nv) {
					fclose(f);
					closedir(d);
					return false;
				}
				*v = nv;
			}
			(*v)[(*n)++] = c;
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	return true;
}

/*
 * Only the guest can hold a sandbox file, and every guest process is below
 * us (we are their child subreaper): walk that tree through
 * /proc/PID/task/TID/children, each process's fds before its children, so a
 * file moved to a child forked meanwhile is seen in one or the other.
 * Without those files (CONFIG_PROC_CHILDREN), every process is looked at.
 */
KERNEL_NOCOV static void held_scan(struct held *h)
{
	char self[64];
	long *v = NULL;
	size_t n = 0, cap = 0, i = 0;

	snprintf(self, sizeof(self), "/proc/self/task/%ld/children", (long)getpid());
	if (access(self, R_OK)) {
		held_scan_all(h);
		return;
	}
	if (!children_of(getpid(), &v, &n, &cap))
		h->unsure = true;
	for (; i < n && !h->unsure; i++) {
		held_scan_pid(h, v[i]);
		if (!children_of(v[i], &v, &n, &cap))
			h->unsure = true;
	}
	free(v);
}

KERNEL_NOCOV static bool held_has(const struct held *h, dev_t dev, ino_t ino)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->ino[i].ino == ino && h->ino[i].dev == dev)
			return true;
	return false;
}

KERNEL_NOCOV int kfile_collect(struct sandbox *sb, dev_t dev, bool (*candidate)(struct kfile *f))
{
	struct held h = { .ndev = 0 };
	int n = 0;

	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile *f = sb->files[b]; f; f = f->next)
			if (candidate(f) && (!dev || f->dev == dev))
				held_add_dev(&h, f->dev);
	if (!h.ndev)
		return 0;
	held_scan(&h);
	if (h.unsure) {
		free(h.ino);
		return -EAGAIN;
	}
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++) {
		for (struct kfile **pp = &sb->files[b]; *pp;) {
			if (candidate(*pp) && held_dev(&h, (*pp)->dev) &&
			    !held_has(&h, (*pp)->dev, (*pp)->ino)) {
				kfile_release(sb, pp, false);
				n++;
			} else {
				pp = &(*pp)->next;
			}
		}
	}
	free(h.ino);
	return n;
}

int kfile_held_writable(struct kfile *f)
{
	struct held h = { .ndev = 0, .writable = true };
	bool has;

	held_add_dev(&h, f->dev);
	held_scan(&h);
	has = held_has(&h, f->dev, f->ino);
	free(h.ino);
	return h.unsure ? -EAGAIN : has;
}

int kfile_dev_held(dev_t dev)
{
	struct held h = { .ndev = 0, .cwd = true };

	held_add_dev(&h, dev);
	held_scan(&h);
	free(h.ino);
	return h.unsure ? -EAGAIN : h.n > 0 || h.cwd_held;
}

int kfile_held_only_by(struct kfile *f, pid_t tgid, int fd)
{
	struct held h = { .ndev = 0, .only = { tgid, fd, f->ino } };

	held_add_dev(&h, f->dev);
	held_scan(&h);
	free(h.ino);
	return h.unsure ? -EAGAIN : !h.other;
}

int sys_pidfd(struct sys_call *c)
{
	if (c->task->pidfd >= 0)
		return c->task->pidfd;
	if (c->pidfd < 0)
		c->pidfd = pidcache_get(c->sb, c->tid, c->id);
	return c->pidfd;
}

void kfile_desc_put(struct sys_call *c)
{
	struct kfile *f = c->desc.file;
	int64_t pos;
	int flags;

	if (!f)
		return;
	c->desc.file = NULL;
	f->ops->desc_save(f, &flags, &pos);
	/* Neither fails on a memfd description (but F_SETFL of O_DIRECT before 6.6). */
	if (pos != c->desc.pos)
		lseek(c->desc.fd, pos, SEEK_SET);
	if (flags != c->desc.flags) {
		fcntl(c->desc.fd, F_SETFL, flags);
		f->open_fl = -1; /* this description's flags are its own now */
	}
	close(c->desc.fd);
}

/*
 * The guest's fd is a host description of a host_desc file: its offset
 * and status flags are the description's own, loaded for this call. The
 * kfile's flags become the description's (its access mode for the VFS's
 * checks) until the next load; calls are served one at a time.
 */
/*
 * Calls that use neither the description's offset nor its tag (the opener
 * for linkat(), O_NOFOLLOW and O_TMPFILE for F_GETFL): the status flags are
 * all they read, and they change no state but the file's. The others load
 * everything: two syscalls fewer per positional read or write.
 */
static bool desc_flags_only(const struct sys_call *c)
{
	return c->nr == SYS_pread64 || c->nr == SYS_pwrite64 || c->nr == SYS_preadv ||
	       c->nr == SYS_pwritev || c->nr == SYS_fstat || c->nr == SYS_fgetxattr ||
	       c->nr == SYS_fsetxattr || c->nr == SYS_flistxattr || c->nr == SYS_fremovexattr ||
	       /* tf_ioctl(): FIONREAD alone reads the offset */
	       (c->nr == SYS_ioctl && (unsigned int)c->args[1] != FIONREAD);
}

/*
 * Calls that use the offset and status flags but not the tag: reading the
 * tag of a description opened by a name of the store costs a readlink.
 */
static bool desc_tag_unused(const struct sys_call *c)
{
	return c->nr == SYS_read || c->nr == SYS_write || c->nr == SYS_readv || c->nr == SYS_writev ||
	       c->nr == SYS_lseek || c->nr == SYS_getdents64 || c->nr == SYS_getdents ||
	       c->nr == SYS_fsync || c->nr == SYS_fdatasync || c->nr == SYS_ftruncate ||
	       c->nr == SYS_fallocate;
}

static int64_t desc_load(struct sys_call *c, struct kfile *f, int hfd, bool lean)
{
	int flags = f->open_fl >= 0 && f->host_fl >= 0 ? f->host_fl : fcntl(hfd, F_GETFL);
	/* Unloaded, the anchor's offset is 0, and 0 is what kfile_desc_put() compares with. */
	off_t pos = lean ? 0 : lseek(hfd, 0, SEEK_CUR);

	if (flags < 0 || pos < 0) {
		close(hfd);
		return -EBADF;
	}
	kfile_desc_put(c); /* a second fd of the same call (copy_file_range) */
	if (f->ops->desc_load(f, lean || desc_tag_unused(c) ? -1 : hfd, flags, pos)) {
		close(hfd);
		return -EBADF;
	}
	if (f->open_fl >= 0)
		f->host_fl = flags; /* every description's */
	f->flags = flags;
	c->desc.file = f;
	c->desc.fd = hfd;
	c->desc.flags = flags;
	c->desc.pos = pos;
	return 0;
}

/*
 * Without PIDFD_THREAD, the description itself from the process's pidfd:
 * its fd table is its threads'. (Once the leader exited, the process's
 * pidfd shows no fds: EBADF, a deviation the README lists.)
 */
static int desc_from_process(struct sys_call *c, int fd)
{
	const struct guest_cred *cr;
	int r = sys_cred(c, &cr);

	return r ? r : thread_getfd_file(c->sb, sys_pidfd(c), cr->tgid, fd);
}

/* How much of a host_desc file's description fd_load() loads for the call. */
enum desc_need {
	DESC_ALL,   /* offset, status flags and tag (desc_tag_unused(): no tag) */
	DESC_FLAGS, /* the status flags: desc_flags_only() */
	DESC_NONE,  /* nothing: which file it is is all the caller asks */
};

static int64_t fd_load(struct sys_call *c, int fd, struct kfile **f, enum desc_need need)
{
	int h, hfd = -1, err;
	struct stat st;

	*f = NULL;
	if (fd < 0 || fd_reserved(c->sb, fd))
		return -EBADF;
	h = sys_pidfd(c);
	if (h < 0) {
		err = h;
	} else if (c->sb->feat.pidfd_thread) {
		/* The very description: a host_desc file's call needs its offset and flags. */
		hfd = thread_getfd(c->sb, h, fd);
		err = hfd < 0 ? hfd : fstat(hfd, &st) ? 1 : 0;
	} else {
		err = thread_fdstat(c->sb, h, fd, &st);
	}
	if (err == -EBADF)
		return -EBADF;
	/*
	 * We cannot see the file (a non-dumpable guest and an unprivileged
	 * supervisor: EPERM; our fd table full: EMFILE). Fail closed wherever
	 * it may be a sandbox file, or the host would act on its placeholder.
	 */
	if (err < 0 && (c->sb->nmounts || fd >= c->sb->fd_base))
		return err == -EMFILE || err == -ENFILE ? -ENFILE : err;
	if (err) {
		if (hfd >= 0)
			close(hfd);
		return SYS_CONTINUE;
	}
	*f = kfile_find(c->sb, st.st_dev, st.st_ino);
	if (*f && (*f)->ops->host_desc && need != DESC_NONE) {
		if (hfd < 0)
			hfd = desc_from_process(c, fd);
		if (hfd < 0) {
			*f = NULL;
			return hfd == -EMFILE ? -ENFILE : hfd;
		}
		return desc_load(c, *f, hfd, need == DESC_FLAGS);
	}
	if (hfd >= 0)
		close(hfd);
	return *f ? 0 : SYS_CONTINUE;
}

int64_t fd_get(struct sys_call *c, int fd, struct kfile **f)
{
	return fd_load(c, fd, f, desc_flags_only(c) ? DESC_FLAGS : DESC_ALL);
}

int64_t fd_get_file_only(struct sys_call *c, int fd, struct kfile **f)
{
	return fd_load(c, fd, f, DESC_NONE);
}

int64_t fd_get_io(struct sys_call *c, int fd, struct kfile **f)
{
	int64_t r = fd_get(c, fd, f);

	if (r || !(*f)->ops->host_io)
		return r;
	*f = NULL;
	return SYS_CONTINUE;
}

int fd_alloc_window(struct sys_call *c)
{
	for (int fd = c->sb->fd_base; fd < c->sb->fd_exec; fd++) {
		struct stat st;
		int h = sys_pidfd(c), hfd = h < 0 ? h : thread_fdstat(c->sb, h, fd, &st);

		if (hfd == -EBADF)
			return fd;
		/*
		 * Not an answer about the slot: say why (ESRCH, EPERM), never
		 * EMFILE, which would claim the guest's table is full. Our own
		 * table full is the system-wide ENFILE, as in fd_get().
		 */
		if (hfd < 0)
			return hfd == -EMFILE ? -ENFILE : hfd;
	}
	return -EMFILE;
}

bool fd_reserved(const struct sandbox *sb, int fd)
{
	return sb->nmounts && fd == sb->fd_cwd;
}

int kfile_statx(struct kfile *f, struct statx *stx)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	if (f->ops->getattr)
		f->ops->getattr(f, &st);
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (uint32_t)st.st_blksize;
	stx->stx_nlink = (uint32_t)st.st_nlink;
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = (uint16_t)st.st_mode;
	stx->stx_ino = st.st_ino;
	stx->stx_size = (uint64_t)st.st_size;
	stx->stx_blocks = (uint64_t)st.st_blocks;
	stx->stx_dev_major = major(st.st_dev);
	stx->stx_dev_minor = minor(st.st_dev);
	return 0;
}

struct tmpfs_file *tmpfs_file_of(struct kfile *f)
{
	return f && f->ops->tmpfs ? f->priv : NULL;
}

/* A memfd sealed against everything: it only names an open file description, a cwd... */
int placeholder_new(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		close(fd);
		return -errno;
	}
	return fd;
}

int placeholder_install(struct sys_call *c, const char *name, const struct kfile_ops *ops, void *priv,
			int flags, int target, struct kfile **out)
{
	char link[64];
	struct kfile *f;
	int fd = placeholder_new(name), wd;

	if (fd < 0)
		return fd;
	/* The file's release: its placeholder dies with the guest's last reference. */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	wd = files_add_watch(c->sb, link, IN_DELETE_SELF);
	f = wd < 0 ? NULL : kfile_new(c->sb, fd, ops, priv, flags);
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	f->wd = wd;
	c->sb->nwatches++;
	c->install.srcfd = fd;
	c->install.target = target;
	c->install.flags = flags & O_CLOEXEC;
	c->close_install_src = true;
	if (out)
		*out = f;
	return 0;
}
