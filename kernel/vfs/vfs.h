/* SPDX-License-Identifier: MIT */
/*
 * kernel/vfs/: the sandbox's VFS. It owns the fd layer (fd.c: which guest
 * fds are sandbox files, struct kfile in file.h), mounts of user-space file
 * systems in the guest's view (mount.c), the caller's credentials (cred.c),
 * per-process working directories (fsctx.c), the path lookup that decides
 * whether a guest path is the host's or a mount's (namei.c), /proc's magic
 * links judged by the object they lead to (procfs.c), /proc objects opened
 * for a guest by a helper holding its identity (asguest.c), and the
 * release of files the guest closed for good (release.c, run from the
 * notification loop, uninstrumented).
 *
 * May call: task/, the tmpfs core (fs/tmpfs/tmpfs.h), lib/. The files
 * above it (fs/) reach it through struct kfile_ops; it never calls them.
 */
#ifndef UKCOV_VFS_H
#define UKCOV_VFS_H

#include <limits.h>

#include "../fs/tmpfs/tmpfs.h"
#include "../task/task.h"
#include "file.h"

struct mount {
	char *path;               /* absolute, normalized, no trailing slash */
	size_t len;
	struct tmpfs_mount *fs;
	unsigned int id;          /* in the sandbox's life, never reused (mnt_id, host node names) */
	/*
	 * st_dev is MOUNT_DEV_BASE + dev_slot: the lowest slot no live tmpfs
	 * mount holds, as get_anon_bdev() takes the lowest free minor and
	 * kill_anon_super() gives it back (a new mount after an umount has
	 * the old one's device number on Linux).
	 */
	unsigned int dev_slot;
	unsigned long flags;      /* MS_RDONLY, MS_NOSUID... as mount(2) gave them */
	/*
	 * a tmpfs's super block flags: MS_RDONLY, MS_SYNCHRONOUS, MS_DIRSYNC,
	 * MS_MANDLOCK, MS_LAZYTIME from mount(2)'s flags as its options ("ro",
	 * "rw", "sync"...) changed them; the file system is read-only when
	 * the mount or the super block is
	 */
	unsigned long sb_flags;
	/* a mount made by the guest's mount(2): on directory `covered` of `parent` */
	struct mount *parent;
	struct tmpfs_inode *covered;
	/* umount2(MNT_DETACH) while busy: out of every path, alive for its open files and cwds */
	bool detached;
	bool expiry_mark;         /* umount2(MNT_EXPIRE) marked it: the next one unmounts */
	/* a graft (graft.c): the detached host mount's fd, and fs NULL; else -1 */
	int host_root;
	/* for /proc/PID/mounts and mountinfo (mountinfo.c): mount(2)'s source and type */
	char *source, *type;
	/* a bind mount (MS_BIND): the guest path of its source; fs NULL */
	char *alias;
	/* a bind of a directory onto itself: listed, and nothing in a walk changes (covered NULL) */
	bool transparent;
};
/* A sandbox tmpfs mount's st_dev: this + its dev_slot (major 45, clear of the host's anonymous 0:N). */
#define MOUNT_DEV_BASE 0x2d00u
/* the flags a super block takes from mount(2)'s (MS_RMT_MASK's, and MS_DIRSYNC) */
#define MOUNT_SB_FLAGS (MS_RDONLY | MS_SYNCHRONOUS | MS_DIRSYNC | MS_MANDLOCK | MS_LAZYTIME)
/* MS_RMT_MASK: the super block flags a remount changes (and its options may name) */
#define MOUNT_RMT_FLAGS (MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_LAZYTIME)
/* mount(2)'s data: copy_mount_options() takes a page */
#define MOUNT_DATA_MAX 4096
/* The mnt_id of a sandbox tmpfs mount (statx, mountinfo): above the host's small numbers. */
#define MOUNT_ID_BASE 0x100000u

/* mount.c: "PATH[:OPT,...]" with Linux tmpfs's size=, nr_inodes=, mode=, uid=, gid=; returns 0 or -EINVAL / -ENOMEM. */
int mount_add(struct sandbox *sb, const char *spec, const char **why);
/* After a rename: the paths of mounts on directories it moved follow them (mount(2)'s mounts). */
void mount_paths_refresh(struct sandbox *sb);
/* The mount whose tree holds the absolute, normalized `path` (the innermost), or NULL. */
struct mount *mount_find(struct sandbox *sb, const char *path);
/*
 * The mount a guest path lies in, through bind mounts: `path` (absolute,
 * normalized) is rewritten to their sources' paths; *out is a tmpfs mount, a
 * graft, or NULL (the host). *bind (may be NULL): the bind mount whose root
 * the path named exactly, else NULL. Returns 0, -ENAMETOOLONG or -ELOOP.
 */
int mount_resolve(struct sandbox *sb, char *path, size_t len, struct mount **out, struct mount **bind);
/*
 * MS_BIND of `source` (an absolute guest path, canonical) onto directory
 * `dir` of `parent`. Returns 0, -EINVAL for a source below `dir` (not
 * modelled), -ENOMEM.
 */
int mount_bind(struct sandbox *sb, struct mount *parent, struct tmpfs_inode *dir, const char *source,
	       unsigned long flags);
/* The latest bind of directory `dir` onto itself, or NULL (umount2 of it). */
struct mount *mount_self_bind(struct sandbox *sb, struct tmpfs_inode *dir);
/*
 * The top of the stack of live mounts on directory `dir` (the newest on
 * it, the newest on that one's root, ...), or NULL: where umount2's walk
 * ends when it stops on a covered directory ("." or a symlink to one).
 */
struct mount *mount_covering(struct sandbox *sb, const void *dir);
/*
 * Where ".." at the root of file system `fs`'s mount leads, by the mount
 * tree as follow_dotdot() and step_into() go (past mounts stacked on a
 * root, to the mount point's parent, into the top mount on that): the
 * mount, with *dir its directory to go on from; NULL where the path
 * decides (the host above a --tmpfs mount, a bind's or a graft's tree).
 */
struct mount *mount_dotdot(struct sandbox *sb, const struct tmpfs_mount *fs, struct tmpfs_inode **dir);
/*
 * A walk ended in mount `m` (NULL: the host's): path_put()'s mntput()
 * takes an umount2(MNT_EXPIRE) mark back, whatever the call's answer.
 * Not for umount2's own walk (mntput_no_expire()).
 */
static inline void mount_walk_end(struct mount *m)
{
	if (m)
		m->expiry_mark = false;
}
/*
 * mount(2) of a new tmpfs on directory `dir` of mount `parent` (as the
 * guest's, with mount(2)'s flags and tmpfs's options in `data`, may be
 * NULL); its root is `owner`'s fsuid and fsgid unless uid= and gid= say.
 * Returns 0, -EINVAL for an option tmpfs does not take, -ENOMEM.
 */
int mount_tmpfs(struct sandbox *sb, struct mount *parent, struct tmpfs_inode *dir,
		const struct tmpfs_cred *owner, const char *source, unsigned long flags,
		const char *data);
/* tmpfs's options in `data`, after mount(2)'s `source` (NULL: none), as mount_tmpfs() takes them: 0 or -EINVAL */
int mount_tmpfs_opts_check(const char *data, const char *source);
/* MS_REMOUNT of `m`: MS_RDONLY and tmpfs's options. Returns 0, -EBUSY, -EINVAL. */
int mount_remount(struct sandbox *sb, struct mount *m, unsigned long flags, const char *data);
/* umount2(2) of `m` with MNT_DETACH or not. Returns 0, or -EBUSY, -EINVAL. */
int mount_umount(struct sandbox *sb, struct mount *m, int flags);
/* Frees the detached mounts that nothing holds any more (after a file or cwd is released). */
void mounts_reap(struct sandbox *sb);
/* A graft (detached host mount `host_root`, which it takes) on directory `dir` of `parent`. */
int mount_graft(struct sandbox *sb, struct mount *parent, struct tmpfs_inode *dir, const char *source,
		const char *type, unsigned long flags, int host_root);

/*
 * mountinfo.c: /proc/{self,thread-self,TID}/{mounts,mountinfo} (and
 * /proc/mounts, /etc/mtab): the host's lines of the guest's namespace and a
 * line per sandbox mount, in a sealed memfd opened read-only; the caller's
 * fdinfo/N of a mount file with statx's mnt_id and ino. Returns the
 * fd, 0 when `path` (absolute, normalized) is no such file, or -errno.
 */
int mountinfo_open(struct sys_call *c, const char *path);

/*
 * graft.c: a host file system of `type` from `source` as a detached mount
 * (mount(2)'s flags and options); returns its fd or -errno.
 */
int graft_create(const char *type, const char *source, unsigned long flags, const char *data);
/* MS_REMOUNT of a graft: MS_RDONLY. Returns 0 or -errno. */
int graft_remount(int host_root, unsigned long flags);
/* The graft (in the table, attached) whose file system has device @dev (0: any graft), or NULL. */
struct mount *mount_graft_of_dev(struct sandbox *sb, dev_t dev);
/* guest processes hold an fd, a mapping or a cwd in the graft (umount2 EBUSY) */
bool graft_busy(int host_root);
/* The host path of `rest` ("" or "/...") below graft m's root. Returns 0 or -ENAMETOOLONG. */
int graft_host_path(const struct mount *m, const char *rest, char *buf, size_t len);
/*
 * mount_resolve() for a lookup as the guest (@cred) that may go into a
 * graft: there the supervisor walks the path itself up to the first symlink
 * (the last component only with @follow_last or a trailing slash) or ".."
 * above the graft's root, since the host would resolve an absolute target
 * from its own root and stop ".." at the detached root: the path becomes
 * the guest path they lead to, resolved again from the guest's root
 * (*hops counts them: -ELOOP past 40). Returns 0 or -errno.
 */
int graft_resolve(struct sandbox *sb, const struct tmpfs_cred *cred, char *path, size_t len, bool follow_last,
		  int *hops, struct mount **out, struct mount **bind);
struct mount *mount_of_fs(struct sandbox *sb, const struct tmpfs_mount *fs);
/* The host's setting of a file-system sysctl (/proc/sys/fs/...), which the sandbox follows as Linux does (0 when unreadable). */
int host_sysctl(const char *path);
/* `ukcov run -v`: where the mounts keep their data, on stderr (after features_report()). */
void mount_report(const struct sandbox *sb);

/* fown.c: the process and fd that set something on a description (a lease, a dnotify). */
struct holder {
	pid_t tgid;
	int fd;
};
/* Whether h's fd still leads to f (else its description was closed there). */
bool holder_alive(const struct kfile *f, const struct holder *h);
/* Whether fd of process tgid is h's description (kcmp(KCMP_FILE)). */
bool holder_same_desc(pid_t tgid, int fd, const struct holder *h);
/* Whether process tgid has h's fd table (fl_owner_t: CLONE_FILES shares it). */
bool holder_same_files(pid_t tgid, const struct holder *h);
/* fown.c: send_sigio() of one description: whom, which signal, which si_fd. */
struct sigio {
	int type;     /* F_OWNER_TID, F_OWNER_PID or F_OWNER_PGRP */
	pid_t pid;    /* the owner */
	int sig;      /* F_SETSIG's, or 0: SIGIO */
	pid_t holder; /* whose credentials judge (sigio_perm()) */
	int fd;       /* si_fd */
};
/* The signal h's description sends now (its owner, F_GETSIG): 0, or -errno when none. */
int sigio_of(const struct kfile *f, const struct holder *h, struct sigio *s);
/* Sends it now or (@later) once the call is answered (task/sigsend.c). */
void sigio_send(const struct sigio *s, bool later);

/*
 * dnotify.c: fcntl(F_NOTIFY) on sandbox file f (guest fd @fd, its
 * description loaded by fd_get()), as fs/notify/dnotify/dnotify.c: the
 * fcntl's answer or -errno.
 */
int64_t dnotify_fcntl(struct sys_call *c, struct kfile *f, int fd, unsigned int arg);
/* The tmpfs core's callback (tmpfs_mount_opts.dnotify): an event on a watched directory. */
void dnotify_event(struct tmpfs_inode *dir, uint32_t mask);
/* f is released: its dnotify goes. */
void dnotify_free(struct kfile *f);

/*
 * lease.c: leases of regular tmpfs files, kept by ukcov (F_SETLEASE,
 * F_GETLEASE on the guest's fd, whose description fd_get() loaded). Return
 * the fcntl's answer or -errno.
 */
int64_t lease_set(struct sys_call *c, struct kfile *f, int fd, int type);
int64_t lease_get(struct sys_call *c, struct kfile *f, int fd);
/* F_GETFL of fd's description f (getfl set): with FASYNC while it holds a lease */
int lease_getfl(struct sys_call *c, struct kfile *f, int fd);
/*
 * A new description of f opened with flags (a truncate() by path: O_WRONLY)
 * breaks the leases it conflicts with: their holders are signalled. Returns
 * 0 (no conflict left), -EWOULDBLOCK for an O_NONBLOCK opener while the
 * break lasts, or SYS_PENDING: the caller is parked until the leases
 * change or the break times out, then makes its call again.
 */
int64_t lease_break(struct sys_call *c, struct kfile *f, int flags);
/* A description of f was closed for good: a holder's lease goes with it. */
void lease_closed(struct kfile *f);
/* Whether any file has leases (an open need not look). */
bool lease_any(void);
void lease_free(struct kfile *f);

/* cred.c: the calling thread's credentials (read once per syscall). */
struct guest_cred {
	struct tmpfs_cred fs;
	uint32_t euid, suid, egid, sgid; /* with fs.uid, fs.gid: what peer credentials show */
	pid_t tgid, ppid;
	uint64_t cap_eff;         /* every effective capability (fs.caps: the file ones only) */
	bool cap_sys_admin;       /* mount(2), umount2(2): may_mount() */
	/* In a user namespace of its own (fs.userns then points here): its maps, as the host reads them. */
	bool foreign_ns;
	struct tmpfs_userns userns;
};
int sys_cred(struct sys_call *c, const struct guest_cred **out);
/*
 * The owner and group a guest is shown (stat, statx): host ids as its user
 * namespace maps them (from_kuid_munged(): the overflow id 65534 when
 * unmapped); unchanged in the supervisor's namespace.
 */
void cred_shown_ids(const struct guest_cred *gc, uint32_t *uid, uint32_t *gid);
/* The same for a call's caller (nothing when its credentials cannot be read). */
void cred_shown_stat(struct sys_call *c, uint32_t *uid, uint32_t *gid);
/* A write or truncate answered r: -EFBIG past RLIMIT_FSIZE sends SIGXFSZ to the thread, as Linux. */
void cred_fsize_exceeded(struct sys_call *c, int64_t r);
struct pending_ident;
/* The whole identity of the caller, for a helper thread that acts as it (pending.h). */
void cred_ident(const struct guest_cred *gc, struct pending_ident *out);
/*
 * Credential generations: Linux tells credentials apart by identity (a
 * file's f_cred against current_cred()), and every commit_creds() makes new
 * ones even with equal values. A process gets a fresh generation when first
 * seen (fork copies credentials) and at each credential-changing syscall.
 */
struct credgen {
	pid_t tgid;
	uint64_t start;           /* the process's start time: a reused tgid is another process */
	uint64_t gen;
	struct credgen *next;
};
void credgen_bump(struct sandbox *sb, pid_t tgid);
/*
 * The server thread takes a guest's file-system identity (fsuid, fsgid,
 * groups, file capabilities) for a call it finishes on the host, and gives
 * it back. Only the file capabilities the guest holds stay effective (none of
 * the supervisor's others). Returns 0, or -EACCES when it cannot (an
 * unprivileged supervisor serving another identity): the caller fails the
 * call, never acts as the supervisor (docs/security.md).
 */
int cred_host_enter(const struct tmpfs_cred *as);
/* The same, for an object of the guest's own /proc/TGID or /proc/TID (see cred.c). */
int cred_host_enter_own_proc(const struct tmpfs_cred *as);
/* cred_host_enter() for a call on host path `host`: the own-/proc variant where it is the guest's. */
int cred_host_enter_for(struct sys_call *c, const struct tmpfs_cred *as, const char *host);
void cred_host_leave(void);

/* fsctx.c: a process's working directory inside a mount (see fsctx.c for how it is carried). */
struct fsctx {
	struct mount *mnt;
	struct tmpfs_inode *cwd;  /* with a reference; the record never changes */
	int hostdir;              /* cwd NULL, mnt a graft: its directory (O_PATH), else -1 */
};
/*
 * The caller's process's cwd inside a mount (*out), or *out NULL when its cwd
 * is the host's. Returns 0, or -errno when it cannot be known (fail closed).
 */
int fsctx_get(struct sys_call *c, const struct fsctx **out);
/* The same for process (or thread) `pid` of the sandbox, as seen by the caller of c. */
int fsctx_of_pid(struct sys_call *c, pid_t pid, const struct fsctx **out);
/*
 * The "host cwd" record, made on first use and kept for the sandbox's life.
 * Returns the supervisor's fd of it (installed at the cwd slot of the guest's
 * first process before it runs), or -errno.
 */
int fsctx_host_record(struct sandbox *sb);
/* Removes the private directory of dead host cwds, when the sandbox ends. */
void fsctx_cleanup(struct sandbox *sb);
/*
 * chdir into `dir` of `mnt` (takes a reference), or back to the host cwd
 * with mnt NULL. Returns 0, -errno, or FSCTX_REDIRECTED when the guest's
 * call was made to restart as fchdir(2) to its new host cwd (the answer is
 * then the restarted call's).
 */
#define FSCTX_REDIRECTED 1
int fsctx_chdir(struct sys_call *c, struct mount *mnt, struct tmpfs_inode *dir);
/* Whether fd is the cwd slot holding a record of a mount (its fchdir(2) is the host's). */
bool fsctx_slot_is_mount(struct sys_call *c, int fd);
/* chdir into host directory `hostdir` (O_PATH, which it takes) of graft `mnt`. */
int fsctx_chdir_graft(struct sys_call *c, struct mount *mnt, int hostdir);
/* The guest path of a cwd record (its mount's path and the directory's). Returns its length or -errno. */
int fsctx_path(const struct fsctx *fc, char *buf, size_t len);
/* the same as getcwd(2) says it: "(unreachable)/..." in a detached mount */
int fsctx_getcwd(const struct fsctx *fc, char *buf, size_t len);

/* namei.c: where a (dirfd, path) pair of a syscall leads. */
struct path_ref {
	struct mount *mnt;        /* NULL: the host's */
	struct tmpfs_inode *dir;  /* mnt's directory to resolve from; NULL with an absolute path */
	const char *path;         /* into buf */
	int lflags;               /* LOOKUP_* of the lookup */
	bool magic;               /* LOOKUP_MAGIC: the path is a magic link of mount object p->dir */
	bool via_magic;           /* the lookup went through a magic link (RESOLVE_NO_MAGICLINKS) */
	char buf[PATH_MAX];
};
#define LOOKUP_EMPTY_OK 1     /* AT_EMPTY_PATH: "" names dirfd itself */
#define LOOKUP_NULL_OK 2      /* and so does a NULL path (fstatat, statx: Linux 6.11+) */
/*
 * The call follows a final symlink: /proc/self/fd/N, /dev/fd/N (and the
 * caller's /proc/TID/fd/N, /dev/std*) of a tmpfs file or node leads to it,
 * as Linux's magic links do. With components after N, every call does.
 */
#define LOOKUP_FDLINK 4
/* openat2's RESOLVE_IN_ROOT: an absolute path is relative to dirfd, its root */
#define LOOKUP_IN_ROOT 16
/*
 * A final magic link (/proc/PID/cwd, fd/N) of a mount object is looked up
 * as itself, not followed (readlink): p->magic, with the object in p->dir.
 */
#define LOOKUP_MAGIC 8
/*
 * umount2's walk: it leaves the mount's MNT_EXPIRE mark, which any other
 * walk ending in the mount clears (mntput() against mntput_no_expire()).
 */
#define LOOKUP_MOUNTPOINT 32
/*
 * A path's walk, one component at a time (path_normalize(), the graft walk):
 * *p moves past the slashes to the component, whose length is *n; what it
 * is comes back. The caller goes on at *p + *n.
 */
enum path_step { PATH_END, PATH_DOT, PATH_DOTDOT, PATH_NAME };
enum path_step path_next(const char **p, size_t *n);
/* "..": buf's last component off (buf[0..*o), components each after a '/' but the first). */
void path_pop(const char *buf, size_t *o);
/*
 * An absolute path read lexically into out: empty and "." components dropped,
 * ".." applied (never above "/"). Returns 0 or -ENAMETOOLONG.
 */
int path_normalize(const char *in, char *out, size_t len);
/* Returns 0, or -errno for the guest (EFAULT, ENAMETOOLONG, ENOENT, EBADF, ENOTDIR). */
int path_lookup(struct sys_call *c, int dirfd, uint64_t upath, int flags, struct path_ref *p);
/* The same for a name read into p->buf already: n is guest_read_str()'s answer. */
int path_lookup_read(struct sys_call *c, int dirfd, long n, int flags, struct path_ref *p);
/* The same for a path already in the supervisor (a socket address's sun_path). */
int path_lookup_str(struct sys_call *c, int dirfd, const char *path, struct path_ref *p);
/*
 * procfs.c: path p->buf of the host (absolute, or relative to directory
 * `base`, an absolute path; NULL for none) walked as the host walks it,
 * /proc's magic links judged by their object. Returns 0 with p set to a
 * mount object and what is left after it, 1 when the path is the host's,
 * or -errno for the guest.
 */
int proc_resolve(struct sys_call *c, const char *base, int flags, struct path_ref *p);
/* The thread group of `pid` (a TID of any of its threads), or -errno. */
pid_t proc_tgid(pid_t pid);
/* A resolved "/proc/N/..." or "/proc/N/task/T/...": the component after it, with N (or T) in *pid; else NULL. */
const char *proc_pid_part(const char *path, pid_t *pid);
/*
 * The same walk for a path the supervisor finishes on the host (absolute):
 * its resolved form into out ("self" read as the guest's, every symlink
 * followed but a final magic link). Returns 0, or -errno (-ELOOP when it
 * cannot be resolved that way).
 */
int proc_canonical(struct sys_call *c, const char *path, int flags, char *out, size_t len);
/*
 * A path the supervisor finishes on the host (p->buf, absolute) that
 * resolves into /proc: rewritten to its resolved form ("self" as the
 * guest's), and -EACCES for the supervisor's own /proc/PID (which its
 * thread would reach as itself). Returns 0 or -errno.
 */
int proc_host_path(struct sys_call *c, struct path_ref *p);
/*
 * What readlink(2) of host magic link `host` (resolved: /proc/N/fd/M,
 * cwd, root, exe) read into target (n bytes of a buffer of len), for a
 * file of a graft: the host names it from the graft's own root (its mount
 * is detached), Linux from the graft's mount point, which goes before it.
 * Call with the guest's credentials on. Returns the new length, or
 * -ENAMETOOLONG.
 */
ssize_t proc_graft_link(struct sandbox *sb, const char *host, char *target, ssize_t n, size_t len);
/*
 * asguest.c: opens resolved host path `path` (proc_canonical()) in a helper
 * process holding the guest's whole identity, so that the host judges the
 * guest. Returns the fd, or -errno.
 */
int asguest_open(struct sys_call *c, const char *path, int flags, mode_t mode);
/* The tmpfs file behind sandbox file f (kfile_ops.tmpfs), or NULL. */
struct tmpfs_file *tmpfs_file_of(struct kfile *f);
/* fd.c: an empty memfd sealed against everything, which only names an object. Returns it or -errno. */
int placeholder_new(const char *name);
/*
 * A sandbox file (ops, priv) on a new placeholder, which the call installs
 * (SYS_INSTALL) at fd target (-1: the lowest free one); released when the
 * guest's last reference dies (IN_DELETE_SELF). 0 with *out (if out) set,
 * or -errno: then priv is still the caller's.
 */
int placeholder_install(struct sys_call *c, const char *name, const struct kfile_ops *ops, void *priv,
			int flags, int target, struct kfile **out);
/* fd.c: the calling thread's handle (pidfd cache), borrowed for the call; or -errno. */
int sys_pidfd(struct sys_call *c);

/*
 * release.c: releases files whose last guest reference went away
 * (inotify on the placeholders), from the notification loop. woke: the
 * inotify fd may have events (the exit watch says so, or there is none);
 * false reads none and only looks at open unlinked files (sb->unlinked).
 */
void files_reap_closed(struct sandbox *sb, struct ukcov_task *kernel_task, bool woke);
/*
 * Releases the files whose close events merged, and the fifos' and device
 * nodes' records, that no guest process holds (a walk of them).
 */
void files_collect_stale(struct sandbox *sb);
/* A writer count a merged close left too high: put right from the guests' fds (a remount's EBUSY). */
void files_recount_writers(struct sandbox *sb);
/* Leaves the watch wd of a data memfd whose file was released by an exact count in place. */
void files_linger(struct sandbox *sb, int wd);
/*
 * exectext.c: a program runs from `copy`, the exec copy of the mount file
 * ino: the file refuses writers until the copy dies. Returns 0 or -errno.
 */
int exectext_add(struct sandbox *sb, int copy, struct tmpfs_inode *ino);
/* IN_IGNORED on wd: if it was an exec copy's, its file may be written again. */
bool exectext_release_wd(struct sandbox *sb, int wd);
/* inotify_add_watch() for a kfile (path: /proc/self/fd/N): its wd, or -1 with errno. */
int files_add_watch(struct sandbox *sb, const char *path, uint32_t mask);

/*
 * open(2) of the calling thread's own /proc/.../fail-nth with
 * --fault-injection (failnth.c): SYS_INSTALL or -errno; 1: not that file.
 */
int64_t failnth_open(struct sys_call *c, const char *path, int flags);

#endif
