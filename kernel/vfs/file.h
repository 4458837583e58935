/* SPDX-License-Identifier: MIT */
/*
 * Sandbox files: one struct kfile per open file description the sandbox
 * created. The guest holds a host fd for it (the memfd of a kcov, ...); the
 * sandbox recognizes it by that host file's (st_dev, st_ino), so it follows
 * the file through dup(), dup2() to any number, fork() and SCM_RIGHTS, which
 * an fd-number table would not.
 */
#ifndef UKCOV_FILE_H
#define UKCOV_FILE_H

#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>

#include "../kernel.h"

/*
 * The operations of a sandbox file, after Linux's struct file_operations.
 * Buffers are the supervisor's; sys_*.c copies from and to the guest. Each
 * returns a count or 0, or -errno. A NULL operation gets the answer Linux's
 * VFS gives for a file without it (see sys_*.c).
 */
struct kfile_ops {
	const char *name;
	/* Linux's nonseekable_open(): pread/pwrite/lseek answer ESPIPE. */
	bool nonseekable;
	/*
	 * The guest's fd is the real host object (a FIFO, a device): I/O,
	 * ioctl, mmap, lseek, ftruncate, fsync are the host's (fd_get_io());
	 * only the ops given here (attributes of the node) are the sandbox's.
	 */
	bool host_io;
	/*
	 * One kfile per host inode whose open descriptions are the guest's
	 * own host descriptions (a tmpfs file's data memfd): mmap and locks
	 * are the host's; each call's description (offset, status flags) is
	 * loaded by fd_get() with desc_load() and written back with
	 * desc_save() when the call ends (kfile_desc_put()). The file is
	 * released when as many descriptions were closed (inotify
	 * IN_CLOSE_*) as were made (opened), or, unlinked, when no process
	 * holds it any more (files.c).
	 */
	bool host_desc;
	/*
	 * The file reads what else it keeps in the description (its tag) from
	 * hfd: 0 or -EBADF. hfd -1: the call needs no tag (fd.c's
	 * desc_flags_only(), desc_tag_unused()), which then reads as "unknown".
	 */
	int (*desc_load)(struct kfile *f, int hfd, int flags, int64_t pos);
	void (*desc_save)(struct kfile *f, int *flags, int64_t *pos);
	/* host_desc: the file has no name left (its space goes with its last description) */
	bool (*unlinked)(struct kfile *f);
	/* host_desc: one description seen closed (@write: IN_CLOSE_WRITE), for the file's own watchers */
	void (*desc_closed)(struct kfile *f, bool write);
	/* fsnotify_access() of a vectored read that moved nothing (vfs_readv(): any that did not fail) */
	void (*notify_access)(struct kfile *f);
	/*
	 * off < 0: at the file position, which advances. rwf: pwritev2(2)'s
	 * RWF_APPEND or RWF_NOAPPEND, or 0 (the description's O_APPEND rules).
	 * write: buf NULL when the caller's buffer faults at its first byte:
	 * the file's checks answer (EFBIG...), else -EFAULT.
	 */
	int64_t (*read)(struct sys_call *c, struct kfile *f, void *buf, size_t len, int64_t off);
	int64_t (*write)(struct sys_call *c, struct kfile *f, const void *buf, size_t len, int64_t off,
			 int rwf);
	int64_t (*llseek)(struct kfile *f, int64_t off, int whence);
	int64_t (*ioctl)(struct sys_call *c, struct kfile *f, unsigned int cmd, unsigned long arg);
	int64_t (*mmap)(struct sys_call *c, struct kfile *f, uint64_t len, int prot, int flags,
			uint64_t off);
	int (*getattr)(struct kfile *f, struct stat *st);
	int (*statx)(struct kfile *f, unsigned int mask, struct statx *stx);
	int64_t (*getdents64)(struct kfile *f, void *buf, size_t len);
	int (*fsync)(struct kfile *f);
	int (*ftruncate)(struct sys_call *c, struct kfile *f, int64_t len);
	int (*fallocate)(struct sys_call *c, struct kfile *f, int mode, int64_t off, int64_t len);
	int (*fchmod)(struct sys_call *c, struct kfile *f, mode_t mode);
	int (*fchown)(struct sys_call *c, struct kfile *f, uid_t uid, gid_t gid);
	int (*futimens)(struct sys_call *c, struct kfile *f, const struct timespec *times);
	int (*getfl)(struct kfile *f);
	int (*setfl)(struct sys_call *c, struct kfile *f, int flags);
	int (*statfs)(struct kfile *f, struct statfs *sf);
	/* The guest dropped its last reference to the open file. */
	void (*release)(struct kfile *f);
	/* priv is a struct tmpfs_file: an open file of a mount (tmpfs_file_of()). */
	bool tmpfs;
	/* A mount node whose object is the host's (a FIFO, a device): its inode and mount. */
	struct tmpfs_inode *(*node_inode)(struct kfile *f, struct mount **mnt);
};

struct kfile {
	dev_t dev;
	ino_t ino;
	int flags;                /* open flags */
	const struct kfile_ops *ops;
	void *priv;
	int wd;                   /* inotify watch on the placeholder (host_desc: the inode), or -1 */
	/*
	 * host_desc: descriptions made, and final closes seen (fewer, when
	 * inotify merged some), in all and (_w) of those open for writing,
	 * whose close is IN_CLOSE_WRITE where the others' is IN_CLOSE_NOWRITE:
	 * the two never merge. merged: an event may have stood for several
	 * closes (release.c), so closed may be short.
	 */
	uint64_t opened, closed, opened_w, closed_w;
	bool merged;
	/*
	 * host_desc: the open flags every description was made with, or -1
	 * once they differ or one's status flags changed (F_SETFL, FIONBIO,
	 * FIOASYNC); while they hold, host_fl is the F_GETFL they all answer
	 * (-1 until asked once), and fd_get() need not ask again.
	 */
	int open_fl, host_fl;
	/* The opener's common kcov handle: its release runs in a remote section of it. */
	uint64_t remote_handle;
	struct lease *lease;      /* host_desc: its leases (lease.c), or NULL */
	struct dnotify *dnotify;  /* host_desc directory: its dnotify (dnotify.c), or NULL */
	struct kfile *next;
};

/* Registers the open file whose host object is `hostfd`. Returns the file or NULL (ENOMEM). */
struct kfile *kfile_new(struct sandbox *sb, int hostfd, const struct kfile_ops *ops, void *priv,
			int flags);
/* The same, for a host object the caller has fstat()ed already. */
struct kfile *kfile_new_stat(struct sandbox *sb, const struct stat *st, const struct kfile_ops *ops,
			     void *priv, int flags);
struct kfile *kfile_find(struct sandbox *sb, dev_t dev, ino_t ino);
/*
 * The placeholder watched by `wd` died (or a host_desc file's last
 * description, by an exact count): release it.
 */
void kfile_release_wd(struct sandbox *sb, int wd);
/* The file watched by `wd`, or NULL. */
struct kfile *kfile_find_wd(struct sandbox *sb, int wd);
/*
 * The end of a call: the description fd_get() loaded for a host_desc file
 * gets its offset and flags back, and the supervisor's copy is closed.
 */
void kfile_desc_put(struct sys_call *c);
/* The remote_handle of the file watched by `wd`, or 0. */
uint64_t kfile_remote_handle_wd(struct sandbox *sb, int wd);
/*
 * Releases the files on device `dev` (0: on any) that `candidate` accepts and no process
 * holds (by fd or mapping) any more. Returns how many, or -EAGAIN when the
 * processes could not all be looked at (then nothing is released).
 */
int kfile_collect(struct sandbox *sb, dev_t dev, bool (*candidate)(struct kfile *f));
/*
 * Whether some guest process holds a description of f open for writing
 * (a walk of their fds): 1, 0, or -EAGAIN when not all could be looked at.
 */
int kfile_held_writable(struct kfile *f);
/*
 * Whether a guest process holds anything of the file system of device
 * @dev: an fd, a mapping or its cwd (a graft's umount EBUSY). 1, 0, or
 * -EAGAIN when the guests could not all be looked at.
 */
int kfile_dev_held(dev_t dev);
/*
 * Releases the records of mount m's nodes (FIFOs, sockets, devices: they
 * hold their inodes, not the mount), before m's file system goes: else
 * they would point into it (a use after free that the fuzzer found).
 */
void kfile_release_nodes_of(struct sandbox *sb, const struct mount *m);
/* Whether mount m's nodes have records (an open FIFO, device or socket of it, or one not collected yet). */
bool kfile_has_nodes_of(struct sandbox *sb, const struct mount *m);
/*
 * Whether every guest fd of f is description `fd` of process tgid (a walk
 * of their fds, kcmp(KCMP_FILE)): 1, 0, or -EAGAIN when not all could be
 * looked at.
 */
int kfile_held_only_by(struct kfile *f, pid_t tgid, int fd);

/*
 * The sandbox file behind guest fd arg of this call. Returns 0 with *f set
 * when it is one; otherwise the handler's answer: -EBADF for a closed or
 * invalid fd, SYS_CONTINUE for a host file.
 */
int64_t fd_get(struct sys_call *c, int fd, struct kfile **f);
/*
 * fd_get() for a use of which file it is and nothing of the description
 * (a dirfd a walk starts from): a host_desc file's description is not
 * loaded at all (its F_GETFL and lseek spared), so the kfile's flags and
 * its anchor's state are another description's; the caller reads neither.
 */
int64_t fd_get_file_only(struct sys_call *c, int fd, struct kfile **f);
/* The cwd slot (fsctx.c): the sandbox's, never the guest's to use. */
bool fd_reserved(const struct sandbox *sb, int fd);
/* fd_get() for I/O calls: a host_io file is SYS_CONTINUE (the host serves it). */
int64_t fd_get_io(struct sys_call *c, int fd, struct kfile **f);
/* statx from getattr, for files without ->statx. */
int kfile_statx(struct kfile *f, struct statx *stx);
/* The lowest free fd number of the sandbox's window in the calling process, or -EMFILE. */
int fd_alloc_window(struct sys_call *c);


#endif
