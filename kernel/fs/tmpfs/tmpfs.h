/* ukcov tmpfs: an in-memory file system with Linux tmpfs semantics.
 *
 * A library without global state: every call takes the struct tmpfs_mount
 * it works on.  Calls return 0 (or a count) on success and -errno on
 * failure, the values Linux's tmpfs returns for the same syscall.  Buffers
 * are host buffers; copying from and to the guest is the caller's job, as
 * are fd numbers and the fd table (FD_CLOEXEC lives there).  An open file
 * description is a struct tmpfs_file with its own offset and status flags;
 * dup() shares it (tmpfs_file_get), close() drops it (tmpfs_file_put).
 *
 * Paths.  A path given to the core is either relative to a directory of
 * the mount (an open directory file, a cwd inode, or NULL for the mount
 * root) or absolute in the guest's view.  Absolute paths under the mount
 * point are resolved from the mount root.  When resolution leaves the mount
 * (an absolute path or symlink target outside it, or ".." above the mount
 * root), the call returns -TMPFS_EXIT and stores the remaining path, which
 * is absolute in the guest's view, in walk->host_path: the caller continues
 * the operation there (on the host, or in another mount) with walk->hops
 * symlinks already followed.
 *
 * Concurrency.  None inside: the caller serializes all calls on a mount
 * (one supervisor thread, or one mutex per mount).
 */
#ifndef UKCOV_TMPFS_H
#define UKCOV_TMPFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct statfs;
struct statx;

/* returned as -TMPFS_EXIT: out of errno's range, never seen by a guest */
#define TMPFS_EXIT 0x10000
/* symlinks followed before ELOOP, as fs/namei.c's MAXSYMLINKS */
#define TMPFS_MAXSYMLINKS 40

/* capability bits, the subset of the effective set that file systems test */
#define TMPFS_CAP_CHOWN (1u << 0)
#define TMPFS_CAP_DAC_OVERRIDE (1u << 1)
#define TMPFS_CAP_DAC_READ_SEARCH (1u << 2)
#define TMPFS_CAP_FOWNER (1u << 3)
#define TMPFS_CAP_FSETID (1u << 4)
/* Linux's number 27: device nodes (vfs_mknod()) */
#define TMPFS_CAP_LINUX_IMMUTABLE (1u << 9)
#define TMPFS_CAP_MKNOD (1u << 27)
#define TMPFS_CAP_ALL (0x1fu | TMPFS_CAP_LINUX_IMMUTABLE | TMPFS_CAP_MKNOD)
/* not dropped with the fsuid: trusted.* and security.* xattrs (21), file
 * capabilities (31, security.capability) */
#define TMPFS_CAP_SYS_ADMIN (1u << 21)
#define TMPFS_CAP_SETFCAP (1u << 31)
#define TMPFS_CAP_XATTR (TMPFS_CAP_SYS_ADMIN | TMPFS_CAP_SETFCAP)

#define TMPFS_NGROUPS_MAX 64

/* One extent of a uid_map or gid_map: ids first.. of the namespace are the host's lower.. */
struct tmpfs_id_extent {
	uint32_t first, lower, count;
};
/* Linux's limit on a map's lines (UID_GID_MAP_MAX_EXTENTS) */
#define TMPFS_ID_EXTENTS_MAX 340
struct tmpfs_idmap {
	uint32_t n;
	struct tmpfs_id_extent e[TMPFS_ID_EXTENTS_MAX];
};
/*
 * A caller in a user namespace other than the mount's: its maps (host ids)
 * and the capabilities it holds there, which count only on inodes whose
 * owner and group it maps (capable_wrt_inode_uidgid()).
 */
struct tmpfs_userns {
	struct tmpfs_idmap uid, gid;
	uint32_t caps; /* TMPFS_CAP_* effective in that namespace */
};
/* map_id_down(): the host id of a namespace's id, or (uint32_t)-1 when unmapped. */
uint32_t tmpfs_id_down(const struct tmpfs_idmap *m, uint32_t id);
/* map_id_up(): a host id as the namespace sees it, or (uint32_t)-1 when unmapped. */
uint32_t tmpfs_id_up(const struct tmpfs_idmap *m, uint32_t id);
struct tmpfs_cred;
/* chown's ids from the caller's namespace to the host's ((uid_t)-1 stays): 0, or -EINVAL when one is unmapped. */
int tmpfs_chown_ids(const struct tmpfs_cred *c, uid_t *uid, gid_t *gid);

/*
 * The caller's identity, read from /proc/TID/status.  Permission checks
 * use fsuid/fsgid and caps, as Linux does; uid/gid (real) are used by
 * access(2) and faccessat(2) without AT_EACCESS.  umask is the caller's
 * (not a credential in Linux, but every create needs it).
 */
struct tmpfs_cred {
	uint32_t uid, gid;
	uint32_t fsuid, fsgid;
	uint32_t ngroups;
	uint32_t groups[TMPFS_NGROUPS_MAX];
	uint32_t caps;	    /* TMPFS_CAP_* in the effective set */
	/* NULL in the mount's user namespace; else ids the caller passes are
	 * its namespace's (chown: -EINVAL when unmapped), and its caps there
	 * count as capable_wrt_inode_uidgid() says. Valid for one call only. */
	const struct tmpfs_userns *userns;
	uint32_t caps_perm; /* permitted set, for access(2) as root */
	/* the whole effective set (Linux's numbers) for what the caller does
	 * on the host for this caller; the tmpfs core ignores it */
	uint64_t host_caps, host_caps_perm;
	uint32_t umask;
	/* identity of the kernel's struct cred, when the caller can tell
	 * (bumped on each commit_creds()); 0: compare the fields instead */
	uint64_t serial;
	/* RLIMIT_FSIZE, when has_fsize (rlimit(RLIMIT_FSIZE) in Linux's
	 * generic_write_checks() and inode_newsize_ok()): a write at or a
	 * truncate past it is -EFBIG, and the caller sends SIGXFSZ */
	int has_fsize;
	uint64_t fsize;
};

/* size= or nr_inodes= 0 in Linux's mount options: no limit */
#define TMPFS_UNLIMITED UINT64_MAX
/* in tmpfs_mount_opts.mode: mode= was given (mode=0 is a mode too) */
#define TMPFS_MODE_SET 0x80000000u
/* in tmpfs_mount_opts.seen: huge=, inode32 or inode64 was given */
#define TMPFS_SEEN_HUGE 1u
#define TMPFS_SEEN_INUMS 2u

struct tmpfs_inode;

struct tmpfs_mount_opts {
	const char *mountpoint; /* absolute guest path, no trailing slash */
	/* bytes, rounded up to pages; 0: half of RAM, as
	 * shmem_default_max_blocks(); TMPFS_UNLIMITED: no limit (size=0) */
	uint64_t size;
	/* 0: half of RAM's pages, as shmem_default_max_inodes();
	 * TMPFS_UNLIMITED: no limit (nr_inodes=0) */
	uint64_t nr_inodes;
	uint32_t mode;		/* of the root; 0 means 01777 as Linux tmpfs;
				 * with TMPFS_MODE_SET, exactly mode & 07777 */
	uint32_t uid, gid;	/* of the root */
	/* huge= (0 never, 1 always, 2 within_size, 3 advise), inode64 or
	 * inode32, noswap: kept and shown (mountinfo), nothing else; @seen
	 * says which of huge= and inode32/64 a remount named (TMPFS_SEEN_*) */
	uint8_t huge;
	bool inode64, noswap;
	unsigned seen;
	uint64_t dev;		/* st_dev to report */
	uint64_t mnt_id;	/* statx's stx_mnt_id (the mount's line in mountinfo) */
	/* st_blksize of a block device node of number @rdev (as mknod(2)
	 * encodes it): bdev_statx() reports the device's minimum I/O size
	 * when the device exists; return 0 for the file system's.  NULL:
	 * always the file system's */
	uint32_t (*bdev_blksize)(uint32_t rdev);
	/* an event (IN_* bits, TMPFS_FSN_RENAME) on directory @dir that a
	 * dnotify on it asked for (tmpfs_inode_dnotify_mask()), from the call
	 * that made it: the directory's own, a child's (fsnotify_parent()),
	 * a name's. NULL: none is told */
	void (*dnotify)(struct tmpfs_inode *dir, uint32_t mask);
	/* fs.protected_regular and fs.protected_fifos (may_create_in_sticky()),
	 * fs.protected_symlinks (may_follow_link()); Linux's default 0 (a
	 * Debian system's sysctl.d sets all three) */
	int protected_regular, protected_fifos, protected_symlinks;
	/* keep file data in memfds even when a private host tmpfs could be
	 * made (store.c; the unprivileged supervisor's way, forced) */
	int no_private_store;
};

/* In/out state of one path resolution, carried across mounts. */
struct tmpfs_walk {
	int hops;	 /* in/out: symlinks followed so far */
	char *host_path; /* out on -TMPFS_EXIT: malloc'ed, caller frees */
	/* out on -TMPFS_EXIT: the directory a mount is on, when the walk
	 * crossed into that mount; else NULL */
	const struct tmpfs_inode *exit_dir;
	/*
	 * out on -TMPFS_EXIT: the mount the walk left by ".." at its root,
	 * else NULL; the rest of the path is host_path + exit_rest. Linux
	 * goes on from the mount point's parent in the mount below
	 * (follow_dotdot()), not from the path that names it, which a newer
	 * mount on an ancestor may hide.
	 */
	const struct tmpfs_mount *exit_up;
	size_t exit_rest;
};

struct tmpfs_mount;
struct tmpfs_inode;
struct tmpfs_file;

/*
 * A path that names @dir itself, as a magic link (/proc/self/fd/N) names
 * the open file it stands for: pass this very pointer, with the file's
 * inode as @dir, to a call that follows a final symlink (stat, chmod,
 * chown, utimensat, access, truncate, open).  Calls that create or remove
 * names (mkdir, unlink, rename...) must not get it.
 */
extern const char tmpfs_path_self[];

/* mount.c */
/* returns 0 and *out, or -ENOMEM / -EINVAL */
int tmpfs_mount_create(const struct tmpfs_mount_opts *opts,
		       struct tmpfs_mount **out);
/* frees everything; files and inodes still referenced become invalid */
void tmpfs_mount_destroy(struct tmpfs_mount *m);
/* the root directory (no reference taken) */
struct tmpfs_inode *tmpfs_root(struct tmpfs_mount *m);
/* returns 0; fills f_type TMPFS_MAGIC, block and inode counts */
int tmpfs_statfs(struct tmpfs_mount *m, struct statfs *sf);
/* bytes of file data in use (pages * 4096), for tests */
uint64_t tmpfs_used_bytes(struct tmpfs_mount *m);
/* 1: the data lives in a private host tmpfs of the mount's size (store.c); 0: in memfds */
int tmpfs_mount_private_store(const struct tmpfs_mount *m);
/*
 * A host tmpfs mounted nowhere (fsopen/fsmount): @bytes of data (0: no
 * limit), no inode limit, root 0700 and owned by the caller's fsuid,
 * reachable only through the returned root fd. Returns it or -errno.
 */
int tmpfs_host_private_mount(uint64_t bytes);
/*
 * mkdtemp(3) of "DIR/@prefix-XXXXXX" into @buf (@len bytes, which also bounds
 * the name): DIR is $TMPDIR, or /tmp when TMPDIR is unset, relative, too
 * long or no host directory (a user sets it to a mount's path, for the
 * guest). Returns 0 or -errno.
 */
int tmpfs_host_mkdtemp(char *buf, size_t len, const char *prefix);
/*
 * MS_RDONLY on or off (mount(2), MS_REMOUNT): every change answers -EROFS
 * where Linux's mnt_want_write() or sb_permission() would.  With @sb (the
 * super block goes read-only now, sb_prepare_remount_readonly()), a file
 * open for writing or an inode alive with no link (unlinked while open,
 * O_TMPFILE, a removed cwd) is -EBUSY; without (a remount's MNT_READONLY
 * alone, which set_mount_attributes() sets unchecked) nothing is.
 * Returns 0 or -EBUSY.
 */
int tmpfs_mount_set_rdonly(struct tmpfs_mount *m, int rdonly, int sb);
int tmpfs_mount_rdonly(const struct tmpfs_mount *m);
/*
 * what statfs's f_flags says of the mount besides ST_RDONLY (ST_NOSUID...);
 * ST_NOSYMFOLLOW also makes every symlink in it ELOOP to follow (pick_link()),
 * ST_NODEV every device in it EACCES to open (may_open())
 */
void tmpfs_mount_set_stflags(struct tmpfs_mount *m, unsigned long st_flags);
/* include/linux/statfs.h; not in glibc 2.36's <sys/statvfs.h> */
#ifndef ST_NOSYMFOLLOW
#define ST_NOSYMFOLLOW 0x2000
#endif
/*
 * shmem_reconfigure(): a remount's size= and nr_inodes= (0 in @o: not
 * given; TMPFS_UNLIMITED: 0, no limit), huge=, inode32/64 and noswap (by
 * @o->seen); mode=, uid= and gid= are ignored, as Linux ignores them.
 * -EINVAL, changing nothing, for a limit below what is in use, one set on
 * a file system mounted without, or noswap on one mounted without.
 */
int tmpfs_mount_reconfigure(struct tmpfs_mount *m, const struct tmpfs_mount_opts *o);

/* What tmpfs_opts_parse() finds besides the file system's own options. */
struct tmpfs_opts_vfs {
	/* in and out: MS_RDONLY, MS_SYNCHRONOUS, MS_DIRSYNC, MS_MANDLOCK and
	 * MS_LAZYTIME, set or cleared by ro, rw, sync, async... as
	 * vfs_parse_sb_flag() does, over what mount(2)'s flags said */
	unsigned long flags;
	/* out: the flags an option named (fc->sb_flags_mask's additions) */
	unsigned long mask;
	/* in: mount(2)'s source, or NULL; out: source= (into @data) when none */
	const char *source;
	/* on -EINVAL: what the option that failed takes, for a CLI user */
	const char *why;
};
/*
 * Linux tmpfs's mount options (mount(2)'s data, mount(8)'s -o), parsed as
 * Linux parses them (shmem_parse_monolithic(), vfs_parse_fs_param(),
 * shmem_parse_one(); memparse()'s suffixes, kstrtouint()'s bases) into @o
 * and @v, @data cut up in place. Returns 0 or -EINVAL ("Unknown
 * parameter", a bad value).
 */
int tmpfs_opts_parse(char *data, struct tmpfs_mount_opts *o, struct tmpfs_opts_vfs *v);
/*
 * The file system's options /proc/PID/mountinfo shows of the mount
 * (shmem_show_options(): what differs from the defaults), each with its
 * leading comma, into @buf. Returns 0, or -ERANGE when cut.
 */
int tmpfs_mount_show_options(const struct tmpfs_mount *m, char *buf, size_t len);
/* totalram_pages(): the RAM the host manages, in pages (at least 2) */
uint64_t tmpfs_ram_pages(void);
/* Linux's kstrtouint(): 0, -EINVAL or -ERANGE, as its callers' options and files parse numbers */
int tmpfs_kstrtouint(const char *s, int base, unsigned int *res);
/* umount2(2)'s EBUSY: 1 while a file is open or a directory is somebody's cwd */
int tmpfs_mount_busy(struct tmpfs_mount *m);
/*
 * Another file system mounted on directory @dir (@on 1; 0 when it goes):
 * a walk that reaches @dir ends with -TMPFS_EXIT and @dir's guest path
 * followed by the rest (the caller's mount table says what lies there),
 * rmdir and rename of it answer -EBUSY, and @dir holds a reference.
 * Returns 0, or -ENOTDIR.
 */
int tmpfs_dir_mount_mark(struct tmpfs_inode *dir, int on);
/* the directory @dir is in (the root: itself; no reference taken) */
struct tmpfs_inode *tmpfs_dir_parent(struct tmpfs_inode *dir);
/* the guest path of directory @dir (mount point + tmpfs_dir_path()); as tmpfs_dir_path() */
int tmpfs_dir_guest_path(struct tmpfs_inode *dir, char *buf, size_t len);
/*
 * The mount point moved (a rename of a directory above it in the file
 * system it is mounted on): walks that leave the mount use the new path.
 * Returns 0 or -ENOMEM (the old path stays).
 */
int tmpfs_mount_move(struct tmpfs_mount *m, const char *mountpoint);
/*
 * The mount was lazily unmounted (umount_tree() disconnects it from its
 * parent): ".." at its root stays there, and an absolute path walks from
 * the process root, never into it by its old mount point.
 */
void tmpfs_mount_detach(struct tmpfs_mount *m);

/* inode.c: references for holders such as a cwd */
void tmpfs_inode_get(struct tmpfs_inode *ino);
void tmpfs_inode_put(struct tmpfs_inode *ino);
/* fsnotify's FS_RENAME: a name moved within its directory (dnotify's DN_RENAME) */
#define TMPFS_FSN_RENAME 0x10000000u
/* fsnotify.c: the events (IN_*, TMPFS_FSN_RENAME) that directory @dir's dnotify wants told */
void tmpfs_inode_dnotify_mask(struct tmpfs_inode *dir, uint32_t mask);
/* returns the file's inode (no reference taken) */
struct tmpfs_inode *tmpfs_file_inode(struct tmpfs_file *f);
struct tmpfs_mount *tmpfs_file_mount(struct tmpfs_file *f);
/* writes the mount-relative path of a directory ("/" for the root) into
 * buf; returns its length, -ENOENT if it was removed, -ERANGE if too long */
int tmpfs_dir_path(struct tmpfs_inode *dir, char *buf, size_t len);
/* dpath.c: the mount-relative path of any object, as d_path() prints it;
 * *deleted set when it has no name left (the path is where it was).
 * Returns its length, -ENOENT when unknown, -ERANGE if too long */
int tmpfs_inode_path(struct tmpfs_inode *ino, char *buf, size_t len, int *deleted);

/* Open file descriptions. */
void tmpfs_file_get(struct tmpfs_file *f);
/* the last put releases the description; an unlinked inode is freed here */
void tmpfs_file_put(struct tmpfs_file *f);
/*
 * linkat(2) with AT_EMPTY_PATH and this file as olddirfd (path_init()'s
 * LOOKUP_LINKAT_EMPTY): allowed to the opener's credentials or with
 * CAP_DAC_READ_SEARCH; returns 0 or -ENOENT.  The caller checks it before
 * calling tmpfs_linkat(), after the fd lookup.
 */
int tmpfs_file_linkat_empty_ok(struct tmpfs_file *f, const struct tmpfs_cred *c);
/*
 * @f serves @other's calls from now on (their state loaded per call with
 * tmpfs_file_set_state()): returns the number naming @other's opener
 * (f_cred, for linkat(AT_EMPTY_PATH)) among @f's, 1..@max (0: no limit),
 * or 0 when there are too many (then any of them is accepted), -ENOMEM.
 */
int tmpfs_file_add_opener(struct tmpfs_file *f, const struct tmpfs_file *other, size_t max);
/*
 * @f serves several descriptions (a sandbox's, one host description
 * each), @open_w of which are open for writing now, its own among them
 * when it writes: the mount counts them all as writers (remount
 * read-only is EBUSY while any is open), not @f's own mode alone.
 */
void tmpfs_file_set_writers(struct tmpfs_file *f, uint64_t open_w);
/*
 * F_CREATED_QUERY: 1 when the open of the loaded description created the
 * file (the file's first opener; descriptions merged in later did not)
 */
int tmpfs_file_created(const struct tmpfs_file *f);
/* F_GETFL: returns the status and access flags */
int tmpfs_file_getfl(struct tmpfs_file *f);
/* F_SETFL: only O_APPEND, O_NONBLOCK, O_NOATIME, O_DIRECT, O_ASYNC change */
int tmpfs_file_setfl(struct tmpfs_file *f, const struct tmpfs_cred *c,
		     int flags);
/*
 * A regular file's data file (made now if it has none yet): an fd the
 * caller may reopen (/proc/self/fd/N) but never close; returns it, or
 * -EINVAL for other file types, -ENOMEM.  Its size is the file's; writes
 * through its mappings land in the file, once tmpfs_file_mapped() was
 * called (in a private store the host charges their pages at the fault;
 * a memfd's are charged at the file's next write, truncate or stat, or
 * when it is freed).
 */
int tmpfs_file_data_fd(struct tmpfs_file *f);
/*
 * The data file is about to be mapped: call before the first mmap of it.
 * Until then the file counts its pages and keeps its times itself (no
 * fstat per stat or write), since nothing else changes them.
 */
void tmpfs_file_mapped(struct tmpfs_file *f);
/*
 * The host object whose descriptions stand for @f's: a regular file's data
 * file, as above, or a directory's host directory (an empty, removed
 * directory made with its first open, which host locks lock), -EINVAL
 * for other types, -ENOMEM.
 */
int tmpfs_file_host_fd(struct tmpfs_file *f);
/*
 * With a private store (tmpfs_mount_private_store()): a new host
 * description of @f's host object with status flags @flags, opened by a
 * name that records @opener (>= 1, numbered by tmpfs_file_add_opener())
 * and @variant (TMPFS_DESC_*: the open flags the description must show
 * but cannot hold): readlink of /proc/self/fd/N of the description gives
 * them back, for tmpfs_desc_parse().  A directory's name records nothing
 * (its O_NOFOLLOW is in @flags).  @host: the fstat() of
 * tmpfs_file_host_fd(@f) when the caller made one (the description is
 * checked against it), NULL for one made here.  Returns the fd,
 * -EOPNOTSUPP without a store, or -errno.
 */
#define TMPFS_DESC_TMPFILE 1 /* an O_TMPFILE open */
#define TMPFS_DESC_NOFOLLOW 2 /* an O_NOFOLLOW open */
int tmpfs_file_desc_open(struct tmpfs_file *f, int opener, int variant, int flags,
			 const struct stat *host);
/*
 * inotify (fsnotify.c): a guest description of @f's inode is about to be
 * opened with @flags; one was seen closed (@write: IN_CLOSE_WRITE), or
 * (@all) the file released, all of them.
 */
void tmpfs_file_notify_open(struct tmpfs_file *f, int flags);
void tmpfs_file_notify_close(struct tmpfs_file *f, int write, int all);
/*
 * fsnotify_access() that no read of the data reports: vfs_readv() reports
 * every vectored read that did not fail, one that moved nothing too.
 */
void tmpfs_file_notify_access(struct tmpfs_file *f);
/* What the path of such a description says: 0, or -EINVAL (then 0, 0). */
int tmpfs_desc_parse(const char *link, int *opener, int *variant);
/*
 * A description whose offset and status flags the caller keeps elsewhere
 * (a host description of the data memfd): load them into @f before a call
 * on it, read them back after.  @flags as F_GETFL reports them; @opener
 * as tmpfs_file_add_opener() numbered it (0: unknown).
 */
void tmpfs_file_set_state(struct tmpfs_file *f, int flags, int64_t pos, int opener);
void tmpfs_file_state(const struct tmpfs_file *f, int *flags, int64_t *pos);

/*
 * Path calls.  @dir: directory to resolve relative paths from, NULL for the
 * root; @w: may be NULL if the caller does not continue on the host (then
 * -TMPFS_EXIT carries no path).
 */
/* openat(2), openat2(2) with @resolve (RESOLVE_*); returns 0 and *out */
int tmpfs_openat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		 struct tmpfs_inode *dir, const char *path, int flags,
		 mode_t mode, uint64_t resolve, struct tmpfs_walk *w,
		 struct tmpfs_file **out);
/* open(2) flag checks made before any fd or path lookup (O_CREAT with
 * O_DIRECTORY): returns 0 or -EINVAL; tmpfs_openat() repeats them */
int tmpfs_open_check(int flags);
/* The *at calls whose flags (and mode, mask) are checked before the dirfd
 * is even looked up, so an invalid flag is -EINVAL even with a bad fd. */
enum tmpfs_at_call {
	TMPFS_AT_FSTATAT,	/* arg unused */
	TMPFS_AT_STATX,		/* arg: the mask */
	TMPFS_AT_UNLINKAT,
	TMPFS_AT_RENAMEAT2,
	TMPFS_AT_LINKAT,
	TMPFS_AT_FCHMODAT,
	TMPFS_AT_FCHOWNAT,
	TMPFS_AT_UTIMENSAT,
	TMPFS_AT_FACCESSAT,	/* arg: the access mode */
};
/* returns 0 or -EINVAL; the tmpfs_*at() calls repeat the check */
int tmpfs_at_check(enum tmpfs_at_call call, int flags, uint64_t arg);
/* openat2(2)'s extra validation of struct open_how: returns 0 or -EINVAL */
int tmpfs_openat2_check(uint64_t flags, uint64_t mode, uint64_t resolve);
/* chdir(2): returns 0 and *out with a reference, or -ENOTDIR, -EACCES... */
int tmpfs_lookup_dir(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		     struct tmpfs_inode *dir, const char *path,
		     struct tmpfs_walk *w, struct tmpfs_inode **out);
/* the same for a mount point: no search permission on the directory itself (path_mount()) */
int tmpfs_lookup_mountpoint(struct tmpfs_mount *m, const struct tmpfs_cred *c,
			    struct tmpfs_inode *dir, const char *path,
			    struct tmpfs_walk *w, struct tmpfs_inode **out);
/* fchdir(2) on a tmpfs file: returns 0 and *out with a reference */
int tmpfs_file_chdir(struct tmpfs_file *f, const struct tmpfs_cred *c,
		     struct tmpfs_inode **out);
/* newfstatat(2)/stat(2)/lstat(2): flags AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH */
int tmpfs_fstatat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		  struct tmpfs_inode *dir, const char *path, int flags,
		  struct tmpfs_walk *w, struct stat *st);
int tmpfs_statx(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		struct tmpfs_inode *dir, const char *path, int flags,
		unsigned mask, struct tmpfs_walk *w, struct statx *sx);
int tmpfs_mkdirat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		  struct tmpfs_inode *dir, const char *path, mode_t mode,
		  struct tmpfs_walk *w);
/* unlinkat(2): flags 0 or AT_REMOVEDIR (rmdir) */
int tmpfs_unlinkat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		   struct tmpfs_inode *dir, const char *path, int flags,
		   struct tmpfs_walk *w);
/* renameat2(2): RENAME_NOREPLACE, RENAME_EXCHANGE; both paths in @m.  A
 * walk that leaves the mount returns -TMPFS_EXIT (-EXDEV with @w NULL):
 * the caller looks both parents up (tmpfs_parent_lookup() here, the
 * host's elsewhere), and answers their first error or -EXDEV, as
 * do_renameat2() */
int tmpfs_renameat2(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *odir, const char *opath,
		    struct tmpfs_inode *ndir, const char *npath,
		    unsigned flags, struct tmpfs_walk *w);
/* filename_parentat(): walks to the parent of @path's last component;
 * returns 0, -errno or -TMPFS_EXIT (the rest in @w) */
int tmpfs_parent_lookup(struct tmpfs_mount *m, const struct tmpfs_cred *c,
			struct tmpfs_inode *dir, const char *path,
			struct tmpfs_walk *w);
/* linkat(2): AT_SYMLINK_FOLLOW, AT_EMPTY_PATH (@opath "" and @odir the
 * file's inode).  When the old name's walk leaves the mount it returns
 * -TMPFS_EXIT: do_linkat() finishes that lookup (its errors come first),
 * then tmpfs_link_xdev() gives the answer (-EXDEV with @w NULL). */
int tmpfs_linkat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		 struct tmpfs_inode *odir, const char *opath,
		 struct tmpfs_inode *ndir, const char *npath, int flags,
		 struct tmpfs_walk *w);
/* link(2) to a new name in @m from an old name found elsewhere (looked up
 * without error): do_linkat()'s filename_create() errors of the new name
 * (its walk, EEXIST, a trailing slash, EROFS), else -EXDEV */
int tmpfs_link_xdev(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *ndir, const char *npath,
		    struct tmpfs_walk *w);
int tmpfs_symlinkat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    const char *target, struct tmpfs_inode *dir,
		    const char *path, struct tmpfs_walk *w);
/* returns the bytes copied (not NUL-terminated, truncated to @len) */
int tmpfs_readlinkat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		     struct tmpfs_inode *dir, const char *path, char *buf,
		     size_t len, struct tmpfs_walk *w);
int tmpfs_truncate(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		   struct tmpfs_inode *dir, const char *path, int64_t len,
		   struct tmpfs_walk *w);
/* fchmodat(2): flags 0 or AT_SYMLINK_NOFOLLOW (-EOPNOTSUPP on a symlink) */
int tmpfs_fchmodat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		   struct tmpfs_inode *dir, const char *path, mode_t mode,
		   int flags, struct tmpfs_walk *w);
/* fchownat(2): (uid_t)-1 / (gid_t)-1 leave a field unchanged */
int tmpfs_fchownat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		   struct tmpfs_inode *dir, const char *path, uid_t uid,
		   gid_t gid, int flags, struct tmpfs_walk *w);
/* utimensat(2): @times NULL means now; UTIME_NOW / UTIME_OMIT honoured */
int tmpfs_utimensat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *dir, const char *path,
		    const struct timespec *times, int flags,
		    struct tmpfs_walk *w);
/* faccessat2(2): flags AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH */
int tmpfs_faccessat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *dir, const char *path, int mode,
		    int flags, struct tmpfs_walk *w);

/*
 * mknodat(2) (special.c): S_IFREG (or type 0), S_IFIFO, S_IFSOCK, S_IFCHR,
 * S_IFBLK; @dev is the syscall's 32-bit encoded device number (kept as
 * st_rdev).  Errors in do_mknodat()'s order: the type (EPERM for a
 * directory, EINVAL), the lookup, EEXIST, may_create(), then CAP_MKNOD for
 * device nodes other than the whiteout (0:0).  On success *out (may be
 * NULL) is the new inode, without a reference.
 */
/*
 * inotify_add_watch(2) of a mount path (fsnotify.c): the host object a
 * guest's inotify instance is to watch for the inode @path names (followed
 * unless @nofollow; -ENOTDIR unless a directory with @onlydir; -EACCES
 * unless readable by @c): an fd the inode keeps, or -errno.
 */
int tmpfs_watchat(struct tmpfs_mount *m, const struct tmpfs_cred *c, struct tmpfs_inode *dir,
		  const char *path, int nofollow, int onlydir, struct tmpfs_walk *w);
int tmpfs_mknodat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		  struct tmpfs_inode *dir, const char *path, mode_t mode,
		  uint32_t dev, struct tmpfs_walk *w, struct tmpfs_inode **out);
/* Unlinks the name @path if it still names @ino (undoing a bind(2) whose
 * socket turned out to be bound already); returns 0 or -errno */
int tmpfs_unlink_if(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		    struct tmpfs_inode *dir, const char *path,
		    struct tmpfs_inode *ino);
/* An inode's type and permission bits, st_rdev, and number */
mode_t tmpfs_inode_mode(const struct tmpfs_inode *ino);
uint32_t tmpfs_inode_rdev(const struct tmpfs_inode *ino);
uint64_t tmpfs_inode_ino(const struct tmpfs_inode *ino);
/* fstat, fchmod, fchown, futimens on an open fifo or device: on its node */
void tmpfs_inode_stat(struct tmpfs_inode *ino, struct stat *st);
void tmpfs_inode_statx(struct tmpfs_inode *ino, unsigned mask,
		       struct statx *sx);
int tmpfs_inode_chmod(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		      mode_t mode);
int tmpfs_inode_chown(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		      uid_t uid, gid_t gid);
int tmpfs_inode_utimens(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
			const struct timespec *times);
int tmpfs_inode_unlinked(const struct tmpfs_inode *ino);
/* touch_atime() after a successful connect(2) to a socket node */
void tmpfs_inode_accessed(struct tmpfs_inode *ino);
/* connect(2) to a socket node (unix_find_bsd()): the inode @path names,
 * followed, which must be a socket (else -ECONNREFUSED) the caller may
 * write (-EACCES); returns 0 and *out without a reference */
int tmpfs_lookup_socket(struct tmpfs_mount *m, const struct tmpfs_cred *c,
			struct tmpfs_inode *dir, const char *path,
			struct tmpfs_walk *w, struct tmpfs_inode **out);

/* chattr flags (FS_IOC_GETFLAGS/SETFLAGS), Linux's FS_*_FL numbers */
#define TMPFS_FL_IMMUTABLE 0x10u
#define TMPFS_FL_APPEND 0x20u
#define TMPFS_FL_NODUMP 0x40u
#define TMPFS_FL_NOATIME 0x80u
/* FS_IOC_GETFLAGS: 0 with *flags, or -ENOTTY for a file without them */
int tmpfs_file_getflags(struct tmpfs_file *f, uint32_t *flags);
/* FS_IOC_SETFLAGS, as vfs_fileattr_set() and shmem_fileattr_set();
 * @fsx: FS_IOC_FSSETXATTR asked for attributes beyond the flags
 * (shmem's fileattr_has_fsx(): EOPNOTSUPP after the permission checks) */
int tmpfs_file_setflags(struct tmpfs_file *f, const struct tmpfs_cred *c,
			uint32_t flags, int fsx);

/* A program runs from @ino (+1) or stopped (-1): meanwhile opening it for
 * writing or truncating it is -ETXTBSY (deny_write_access()) */
void tmpfs_inode_deny_write(struct tmpfs_inode *ino, int delta);

/*
 * Extended attributes (xattr.c): one request of the *xattr family, after
 * the syscall layer's checks (flags, name length: ERANGE, size: E2BIG).
 * SET: @value/@size with XATTR_CREATE/REPLACE @flags; GET: into @value
 * (@size 0: just the size); LIST: names into @value; REMOVE.  Returns a
 * size, 0, or -errno as Linux's tmpfs.
 */
enum tmpfs_xattr_kind { TMPFS_XATTR_SET, TMPFS_XATTR_GET, TMPFS_XATTR_LIST, TMPFS_XATTR_REMOVE };
struct tmpfs_xattr_op {
	enum tmpfs_xattr_kind op;
	const char *name;
	void *value;
	size_t size;
	int flags;
};
/* by path: @flags AT_SYMLINK_NOFOLLOW (l*xattr), AT_EMPTY_PATH */
int64_t tmpfs_xattrat(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		      struct tmpfs_inode *dir, const char *path, int flags,
		      struct tmpfs_xattr_op *op, struct tmpfs_walk *w);
/* f*xattr: -EBADF on O_PATH */
int64_t tmpfs_fxattr(struct tmpfs_file *f, const struct tmpfs_cred *c, struct tmpfs_xattr_op *op);
/* on a node opened as its host object (a fifo, a device) */
int64_t tmpfs_inode_xattr(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
			  struct tmpfs_xattr_op *op);

/* File calls. */
ssize_t tmpfs_read(struct tmpfs_file *f, const struct tmpfs_cred *c,
		   void *buf, size_t len);
ssize_t tmpfs_write(struct tmpfs_file *f, const struct tmpfs_cred *c,
		    const void *buf, size_t len);
ssize_t tmpfs_pread(struct tmpfs_file *f, const struct tmpfs_cred *c,
		    void *buf, size_t len, int64_t off);
ssize_t tmpfs_pwrite(struct tmpfs_file *f, const struct tmpfs_cred *c,
		     const void *buf, size_t len, int64_t off);
/* pwritev2(2)'s RWF_APPEND and RWF_NOAPPEND override O_APPEND for one write */
enum tmpfs_append { TMPFS_APPEND_FILE, TMPFS_APPEND_ON, TMPFS_APPEND_OFF };
/* write at @off, or at the file offset (which advances) when @off < 0 */
ssize_t tmpfs_write_at(struct tmpfs_file *f, const struct tmpfs_cred *c,
		       const void *buf, size_t len, int64_t off,
		       enum tmpfs_append how);
/* readv/writev, and preadv/pwritev when @off >= 0 (-1: use the offset) */
ssize_t tmpfs_readv(struct tmpfs_file *f, const struct tmpfs_cred *c,
		    const struct iovec *iov, int iovcnt, int64_t off);
ssize_t tmpfs_writev(struct tmpfs_file *f, const struct tmpfs_cred *c,
		     const struct iovec *iov, int iovcnt, int64_t off);
/* lseek(2) with SEEK_SET/CUR/END/DATA/HOLE; returns the new offset */
int64_t tmpfs_lseek(struct tmpfs_file *f, int64_t off, int whence);
int tmpfs_fstat(struct tmpfs_file *f, struct stat *st);
int tmpfs_fstatx(struct tmpfs_file *f, unsigned mask, struct statx *sx);
/* getdents64(2): linux_dirent64 records; returns bytes, 0 at the end */
int tmpfs_getdents64(struct tmpfs_file *f, void *buf, size_t len);
int tmpfs_ftruncate(struct tmpfs_file *f, const struct tmpfs_cred *c,
		    int64_t len);
/* fallocate(2): plain and FALLOC_FL_KEEP_SIZE (charged against size=),
 * FALLOC_FL_PUNCH_HOLE | KEEP_SIZE; vfs_fallocate()'s errnos for the rest */
int tmpfs_fallocate(struct tmpfs_file *f, const struct tmpfs_cred *c, int mode,
		    int64_t off, int64_t len);
/* fsync(2)/fdatasync(2): nothing to write back; -EBADF on O_PATH */
int tmpfs_fsync(struct tmpfs_file *f);
int tmpfs_fchmod(struct tmpfs_file *f, const struct tmpfs_cred *c,
		 mode_t mode);
int tmpfs_fchown(struct tmpfs_file *f, const struct tmpfs_cred *c, uid_t uid,
		 gid_t gid);
/* futimens(2) */
int tmpfs_futimens(struct tmpfs_file *f, const struct tmpfs_cred *c,
		   const struct timespec *times);

/*
 * Fault injection (Linux's /proc/PID/task/TID/fail-nth): while a thread's
 * counter is armed (nth non-NULL and nonzero), each allocation of the core,
 * and each one of the layers above that use these wrappers, counts it down,
 * and the one that takes it to 0 fails (NULL; a store call: its errno). The
 * caller arms the counter of the task it serves, and NULL after the call.
 */
/*
 * The caller could not give the guest the file an O_CREAT open made (its
 * own allocations failed after the open): the new name goes again, as
 * Linux, which allocates all it needs before it creates, never created it.
 */
void tmpfs_open_undo(struct tmpfs_file *f);
/*
 * An open flag of the core's (no Linux flag uses the bit): O_TRUNC's
 * checks now, its truncation only when the caller, whose own steps of the
 * open may still fail, calls tmpfs_open_truncate() (handle_truncate() is
 * the last step of Linux's open).
 */
#define TMPFS_O_TRUNC_LATER 010000000000
void tmpfs_open_truncate(struct tmpfs_file *f, const struct tmpfs_cred *c);
void tmpfs_fault_arm(unsigned int *nth);
bool tmpfs_should_fail(void);
void *tmpfs_malloc(size_t size);
void *tmpfs_calloc(size_t n, size_t size);
void *tmpfs_realloc(void *p, size_t size);
char *tmpfs_strdup(const char *s);
char *tmpfs_strndup(const char *s, size_t n);

#ifdef __cplusplus
}
#endif
#endif
