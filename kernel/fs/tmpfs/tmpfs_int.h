/* ukcov tmpfs internals, shared by the files of kernel/fs/tmpfs/ only.
 *
 * Object lifetimes (mirroring the dentry/inode split of mm/shmem.c):
 *   - a directory entry holds one link (i_nlink) on its inode;
 *   - open files, cwd holders and child directories (".." of a directory,
 *     kept even after rmdir, as a dentry pins its parent) hold references;
 *   - an inode is freed when it has neither links nor references, which is
 *     when an unlinked-but-open file releases its pages.
 */
#ifndef UKCOV_TMPFS_INT_H
#define UKCOV_TMPFS_INT_H

/*
 * KERNEL_NOCOV of kernel/kernel.h, for this leaf (which includes nothing
 * above it): clang's attribute, which gcc (that also builds this code for
 * tests) does not know.
 */
#ifdef __clang__
#define TMPFS_NOCOV __attribute__((no_sanitize("coverage"), noinline))
#else
#define TMPFS_NOCOV __attribute__((noinline))
#endif

#include <linux/falloc.h>
#include <stdbool.h>

#include "tmpfs.h"

#define TMPFS_PAGE_SHIFT 12
#define TMPFS_PAGE_SIZE (1u << TMPFS_PAGE_SHIFT)
#define TMPFS_MAGIC_NR 0x01021994
#define TMPFS_NAME_MAX 255
#define TMPFS_PATH_MAX 4096
/* as mm/shmem.c: a directory's size grows by BOGO_DIRENT_SIZE per entry */
#define TMPFS_BOGO_DIRENT 20
/* as mm/shmem.c: what an inode (or extra link) costs of nr_inodes' space */
#define TMPFS_BOGO_INODE 1024
/* as mm/shmem.c: symlinks shorter than this live in the inode, no page */
#define TMPFS_SHORT_SYMLINK 128
/* include/linux/falloc.h (6.18): the exclusive modes, WRITE_ZEROES new in 6.17 */
#define TMPFS_FALLOC_FL_WRITE_ZEROES 0x80
#define TMPFS_FALLOC_MODE_MASK (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_COLLAPSE_RANGE | \
				FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | \
				FALLOC_FL_UNSHARE_RANGE | TMPFS_FALLOC_FL_WRITE_ZEROES)
/* as MAX_LFS_FILESIZE on 64-bit */
#define TMPFS_MAX_FILESIZE INT64_MAX
/* fs/libfs.c simple_offset: first entry cookie, end-of-directory marker */
#define TMPFS_DIR_OFFSET_FIRST 2
#define TMPFS_DIR_OFFSET_MIN 3
#define TMPFS_DIR_OFFSET_EOD 2147483647LL

/* the kernel's O_LARGEFILE; glibc defines it as 0 for 64-bit programs */
#define TMPFS_O_LARGEFILE 0100000
/* the kernel's __O_TMPFILE; glibc's also has O_DIRECTORY in it */
#define TMPFS_O_TMPFILE_BIT 020000000

#define TMPFS_MAY_EXEC 1
#define TMPFS_MAY_WRITE 2
#define TMPFS_MAY_READ 4

struct tmpfs_dirent {
	struct tmpfs_dirent *next, *prev; /* d_children order (dir.c) */
	struct tmpfs_dirent *hname, *hcookie; /* hash chains (dir.c) */
	uint32_t hash;  /* of the name */
	struct tmpfs_inode *inode;
	int64_t cookie; /* stable d_off, as simple_offset_add() */
	size_t namelen;
	char name[];
};

struct tmpfs_dir {
	struct tmpfs_dirent *head;
	/*
	 * Entries by name and by cookie, 1 << hbits chains each (one
	 * allocation, NULL while the directory is empty): lookup, create and a
	 * getdents resumed where the last one stopped cost the same in a
	 * directory of 100,000 entries as in one of 10.
	 */
	struct tmpfs_dirent **byname, **bycookie;
	unsigned hbits;
	int64_t next_cookie;
	uint64_t nentries;
	struct tmpfs_inode *parent; /* referenced; the root points to itself */
	struct tmpfs_dirent *self;  /* our entry in parent; NULL once removed */
	/* the host directory whose descriptions are the guest's (store.c), or -1 */
	int hostfd;
	/* mounts on this directory (tmpfs_dir_mount_mark()): walks leave here */
	int mounted;
};

/*
 * A regular file's data is a memfd of the supervisor's (regfile.c), so that
 * an open description of it can be a host description of that memfd, which
 * the host kernel maps and locks as Linux's tmpfs would (the page cache is
 * the same shmem code). Its size is always @size.
 */
struct tmpfs_regfile {
	int fd;		 /* the data file (store.c), or -1 while the file never had data */
	int64_t size;
	uint64_t npages; /* pages charged to the mount (regfile.c keeps it exact) */
	/*
	 * Never mapped (no host mmap of the memfd was let through): then only
	 * our own writes and truncates add or free pages, npages is what the
	 * memfd holds without asking it, and the pages below @dense are known
	 * present, so a write there adds none.
	 */
	bool mapped;
	int64_t dense;
	/* the data file's mtime when we last wrote or looked: a later one is a
	 * mapping's write (the host's file_update_time() at the fault) */
	struct timespec host_mtime;
	/* its names in the store (store.c): openers 1..names, a bit per TMPFS_DESC_* combination */
	int names, variants;
};

struct tmpfs_symlink {
	char *target;
	size_t len;
};

struct tmpfs_inode {
	struct tmpfs_mount *mnt;
	uint64_t ino;
	uint32_t mode, uid, gid, nlink;
	uint32_t rdev; /* device nodes: the encoded number mknod(2) got */
	uint32_t fsflags; /* TMPFS_FL_*: chattr's, as shmem_inode_info's */
	int deny_write;   /* programs running it (i_writecount < 0): ETXTBSY for writers */
	int refs;
	/* alive with no link, counted in the mount's nremoved (tmpfs_inode_nlink_changed()) */
	bool removed;
	/* an O_TMPFILE without O_EXCL, not linked yet (I_LINKABLE) */
	bool linkable;
	struct tmpfs_xattr *xattrs; /* xattr.c */
	struct tmpfs_acl *acl_access, *acl_default; /* acl.c: POSIX ACLs beyond the mode */
	char *gone_path; /* dpath.c: where its last name was, once gone while held */
	/*
	 * fsnotify.c: a guest's inotify watch was put on its host object (a
	 * regular file's data file, else its shadow: wfd, an O_PATH fd, or
	 * -1), named "INO" or, after an odd number of moves, "INO~"
	 */
	int wfd;
	bool watched, wmoved;
	bool wnamed; /* a regular file's anchor still has its name (fsnotify.c) */
	/* a non-directory's latest name, made or looked up (dir.c), which
	 * its events in a watched directory carry: NULL once that name is gone */
	struct tmpfs_inode *lparent;
	struct tmpfs_dirent *lde;
	/* fsnotify.c: descriptions of the inode's names in watched mirrors,
	 * one per guest description open (their closes are its IN_CLOSE_*) */
	struct tmpfs_wdesc *wdescs;
	size_t nwdescs;
	/* a directory: the events (IN_*, TMPFS_FSN_RENAME) some dnotify on it
	 * wants (tmpfs_inode_dnotify_mask()), told to mnt->dnotify */
	uint32_t dn_mask;
	struct timespec atime, mtime, ctime, btime;
	union {
		struct tmpfs_regfile reg;
		struct tmpfs_dir dir;
		struct tmpfs_symlink lnk;
	};
};

struct tmpfs_file {
	struct tmpfs_mount *mnt;
	struct tmpfs_inode *inode;
	int refs;
	int flags; /* as F_GETFL reports them */
	int64_t pos;
	struct tmpfs_cred cred; /* the opener's, as f_cred */
	/* tmpfs_file_add_opener(): the openers of the descriptions this one
	 * serves; opener: whose is the loaded one (1: cred, n: more_creds[n-2],
	 * 0: unknown, any of them) */
	struct tmpfs_cred *more_creds;
	size_t nmore_creds;
	int opener;
	int created; /* this open made the file (FMODE_CREATED): its first opener's */
	bool trunc_pending; /* O_TRUNC with TMPFS_O_TRUNC_LATER: tmpfs_open_truncate() does it */
	/*
	 * The mount's writers this one counts: its own open's (fixed at the
	 * open: the flags change with the description loaded,
	 * tmpfs_file_set_state()) and, tmpfs_file_set_writers(), the others'.
	 */
	int own_writer;
	int64_t more_writers;
};

struct tmpfs_mount {
	char *mountpoint;
	size_t mplen;
	bool detached; /* tmpfs_mount_detach(): no parent, no path */
	uint64_t dev;
	uint64_t mnt_id;
	uint64_t max_pages, used_pages;
	bool unlimited_pages; /* size=0 (max_pages is then only a bound) */
	/*
	 * Inode space, as shmem_reserve_inode() counts it since Linux 6.6:
	 * with nr_inodes= (max_inodes, 0: unlimited) each inode and each
	 * extra hard link costs TMPFS_BOGO_INODE bytes of free_ispace, and
	 * each xattr of a name and value simple_xattr_space().
	 */
	uint64_t max_inodes, used_inodes, free_ispace;
	uint64_t next_ino;
	/* the options mountinfo shows (tmpfs_mount_show_options()) */
	uint32_t root_mode, root_uid, root_gid;
	uint8_t huge;
	bool inode64, noswap;
	/* store.c: the private host tmpfs (its root) or -1 for memfds; its
	 * ballast file, holding ballast_pages pages charged but not data */
	int store_fd, ballast_fd;
	int watch_root; /* store.c: the store's "w", where shadows live (fsnotify.c), or -1 */
	size_t nwdescs; /* fsnotify.c: stand-in descriptions held, all inodes */
	uint64_t ballast_pages;
	uint32_t store_uid; /* the store root's owner (mode 0700): the store is used as it */
	int data_locked;    /* memfd data files are mode 0000 (store.c: data_lockable()) */
	struct tmpfs_inode *root;
	uint32_t (*bdev_blksize)(uint32_t rdev);
	void (*dnotify)(struct tmpfs_inode *dir, uint32_t mask);
	int protected_regular, protected_fifos, protected_symlinks;
	/* MS_RDONLY (sb_rdonly()): EROFS wherever mnt_want_write() fails */
	int rdonly;
	/* statfs's f_flags of the mount but ST_RDONLY (ST_NOSUID, ST_RELATIME...) */
	unsigned long st_flags;
	/* open file descriptions, and those open for writing (umount's and
	 * remount read-only's EBUSY) */
	uint64_t nfiles, nwriters;
	/*
	 * Inodes alive with no link (unlinked or removed while open, a
	 * cwd, O_TMPFILE): Linux's s_remove_count, which makes a remount
	 * read-only EBUSY (sb_prepare_remount_readonly())
	 */
	uint64_t nremoved;
};

/* mount.c: page and inode accounting, as shmem_inode_acct_blocks(), of
 * pages that are no file data (a long symlink's: the store's ballast
 * holds them); data pages are the data file's (regfile.c) */
int tmpfs_acct_pages(struct tmpfs_mount *m, uint64_t n);
void tmpfs_unacct_pages(struct tmpfs_mount *m, uint64_t n);
/* shmem_reserve_inode() / shmem_free_inode(): @bytes of inode space;
 * returns 0 or -ENOSPC (always 0 without nr_inodes) */
int tmpfs_ispace_get(struct tmpfs_mount *m, uint64_t bytes);
void tmpfs_ispace_put(struct tmpfs_mount *m, uint64_t bytes);

/* store.c */
void tmpfs_store_init(struct tmpfs_mount *m, int private);
void tmpfs_store_fini(struct tmpfs_mount *m);
/* the store's size to the mount's (a remount's size=); 0 or -errno */
int tmpfs_store_resize(struct tmpfs_mount *m);
int tmpfs_store_private(const struct tmpfs_mount *m);
int tmpfs_store_file(struct tmpfs_mount *m);
int tmpfs_store_dir(struct tmpfs_mount *m, uint64_t ino);
void tmpfs_store_dir_free(struct tmpfs_mount *m, uint64_t ino);
/* host: fstat() of hostfd (datafd), or NULL (tmpfs_file_desc_open()) */
int tmpfs_store_dir_open(struct tmpfs_mount *m, uint64_t ino, int hostfd, int flags,
			 const struct stat *host);
int tmpfs_store_desc_open(struct tmpfs_mount *m, uint64_t ino, int datafd, int opener,
			  int variant, int flags, const struct stat *host);
/* the name tmpfs_store_desc_open() would open, made ahead: 0 or -errno */
int tmpfs_store_desc_link(struct tmpfs_mount *m, uint64_t ino, int datafd, int opener, int variant);
void tmpfs_store_desc_unlink(struct tmpfs_mount *m, uint64_t ino, int openers, int variants);
int tmpfs_store_used(const struct tmpfs_mount *m, uint64_t *pages);
int tmpfs_store_ballast_get(struct tmpfs_mount *m);
/* the directory of the inotify shadows (fsnotify.c), made with the first: its fd or -errno */
int tmpfs_store_watch_root(struct tmpfs_mount *m);
void tmpfs_store_ballast_put(struct tmpfs_mount *m);

/* inode.c */
struct timespec tmpfs_now(void);
int tmpfs_inode_alloc(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		      struct tmpfs_inode *dir, mode_t mode,
		      struct tmpfs_inode **out);
void tmpfs_inode_maybe_free(struct tmpfs_inode *ino);
int tmpfs_in_group(const struct tmpfs_cred *c, uint32_t gid);
int tmpfs_permission(const struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		     int mask);
int tmpfs_is_owner(const struct tmpfs_inode *ino, const struct tmpfs_cred *c);

/* userns.c */
/* capable_wrt_inode_uidgid(): cap (TMPFS_CAP_*) in c->caps, or held in c's own namespace, which maps ino's owner and group. */
int tmpfs_capable(const struct tmpfs_inode *ino, const struct tmpfs_cred *c, uint32_t cap);
void tmpfs_touch_atime(struct tmpfs_inode *ino);
void tmpfs_touch_mc(struct tmpfs_inode *ino);
void tmpfs_touch_c(struct tmpfs_inode *ino);
void tmpfs_fill_stat(struct tmpfs_inode *ino, struct stat *st);
void tmpfs_fill_statx(struct tmpfs_inode *ino, unsigned mask,
		      struct statx *sx);
int tmpfs_setmode(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		  mode_t mode);
int tmpfs_setowner(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		   uid_t uid, gid_t gid);
int tmpfs_settimes(struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		   const struct timespec *times);
void tmpfs_kill_priv(struct tmpfs_inode *ino, const struct tmpfs_cred *c);
/* S_IMMUTABLE, S_APPEND (shmem_set_inode_flags()) */
#define IS_IMMUTABLE(ino) ((ino)->fsflags & TMPFS_FL_IMMUTABLE)
#define IS_APPEND(ino) ((ino)->fsflags & TMPFS_FL_APPEND)
/* inode_newsize_ok(): growing past the caller's RLIMIT_FSIZE */
int tmpfs_newsize_big(const struct tmpfs_inode *ino, const struct tmpfs_cred *c,
		       int64_t len);

struct tmpfs_nd;
/* pathops.c, for special.c */
int tmpfs_walk_create(struct tmpfs_nd *nd, const char *path, int want_dir);
int tmpfs_may_create(struct tmpfs_nd *nd);
int tmpfs_create_node(struct tmpfs_nd *nd, mode_t mode,
		      struct tmpfs_inode **out);

/* dir.c */
struct tmpfs_dirent *tmpfs_dir_lookup(struct tmpfs_inode *dir,
				      const char *name, size_t len);
/*
 * An entry in two steps, for a caller that must not fail once it has
 * changed something (rename): the allocation, then an insert that cannot fail.
 */
struct tmpfs_dirent *tmpfs_dirent_new(const char *name, size_t len);
void tmpfs_dir_insert(struct tmpfs_inode *dir, struct tmpfs_dirent *de, struct tmpfs_inode *ino);
int tmpfs_dir_add(struct tmpfs_inode *dir, const char *name, size_t len,
		  struct tmpfs_inode *ino);
void tmpfs_dir_remove(struct tmpfs_inode *dir, struct tmpfs_dirent *de);
void tmpfs_dir_move_head(struct tmpfs_inode *from, struct tmpfs_dirent *de,
			 struct tmpfs_inode *to);
void tmpfs_dir_set_parent(struct tmpfs_inode *child, struct tmpfs_inode *dir,
			  struct tmpfs_dirent *de);
int tmpfs_dir_empty(const struct tmpfs_inode *dir);
void tmpfs_dir_free(struct tmpfs_inode *dir);
int tmpfs_dir_getdents(struct tmpfs_file *f, void *buf, size_t len);
int64_t tmpfs_dir_lseek(struct tmpfs_file *f, int64_t off, int whence);

/* regfile.c */
ssize_t tmpfs_reg_read(struct tmpfs_inode *ino, void *buf, size_t len,
		       int64_t off);
ssize_t tmpfs_reg_write(struct tmpfs_inode *ino, const void *buf, size_t len,
			int64_t off);
int tmpfs_reg_truncate(struct tmpfs_inode *ino, int64_t len);
int tmpfs_reg_fallocate(struct tmpfs_inode *ino, int mode, int64_t off, int64_t len);
int tmpfs_reg_fault_page(struct tmpfs_inode *ino, int64_t off);
int64_t tmpfs_reg_seek_data(struct tmpfs_inode *ino, int64_t off, int hole);
/* pages the data really holds (also those first touched through a mapping) */
uint64_t tmpfs_reg_pages(const struct tmpfs_inode *ino);
/* charges or refunds the mount for pages touched through mappings */
void tmpfs_reg_sync(struct tmpfs_inode *ino);
void tmpfs_reg_free(struct tmpfs_inode *ino);
/* the data file, made now if the file never had one: its fd (the inode's) or -errno */
int tmpfs_reg_data_fd(struct tmpfs_inode *ino);

/*
 * fsnotify.c: what Linux's fsnotify hooks report, made on the host objects
 * guests' inotify instances watch: an inode's own event (_self), that and
 * a directory's event in its parent (_change, fsnotify_change()), names
 * made, removed and moved in a directory (fsnotify_create(),
 * fsnotify_delete(), fsnotify_move(): @other is the replaced or exchanged
 * inode), and an inode freed (IN_DELETE_SELF, IN_IGNORED).
 */
int tmpfs_inode_watch_fd(struct tmpfs_inode *ino);
void tmpfs_fsn_self(struct tmpfs_inode *ino, uint32_t mask);
void tmpfs_fsn_change(struct tmpfs_inode *ino, uint32_t mask);
void tmpfs_fsn_create(struct tmpfs_inode *dir, const char *name, const struct tmpfs_inode *ino);
void tmpfs_fsn_delete(struct tmpfs_inode *dir, const char *name, int isdir);
void tmpfs_fsn_move(struct tmpfs_inode *odir, const char *oname, struct tmpfs_inode *ndir,
		    const char *nname, struct tmpfs_inode *ino, struct tmpfs_inode *other,
		    unsigned flags);
void tmpfs_fsn_free(struct tmpfs_inode *ino);
/* a non-directory lost a name (vfs_unlink()'s fsnotify_link_count()) */
void tmpfs_fsn_unlinked(struct tmpfs_inode *ino);
/* a regular file's data read, written, truncated (the host reports its own
 * event): the event of its name in a watched directory, before */
void tmpfs_fsn_child(struct tmpfs_inode *ino, uint32_t mask);
/* a guest description of the inode opened (@flags: its open flags) and
 * seen closed (@write: IN_CLOSE_WRITE), or all of them */
void tmpfs_fsn_open(struct tmpfs_inode *ino, int flags);
void tmpfs_fsn_close(struct tmpfs_inode *ino, int write);
void tmpfs_fsn_close_all(struct tmpfs_inode *ino);

/*
 * acl.c: POSIX ACLs. from_xattr: the ACL in Linux's xattr format, its tags and ids checked
 * (NULL for none), or -EINVAL/-EOPNOTSUPP/-ENOMEM; to_xattr: its size,
 * copied when @size is non-zero, or -ERANGE; equiv_mode: the mode's
 * permission bits in *mode, 1 when the ACL says more; check: for a
 * caller who is not the owner, 0, -EACCES, or -EAGAIN (no ACL decides:
 * the mode does); chmod: the access ACL follows the mode; umask: the mode
 * of a new inode in @dir (the umask unless a default ACL replaces it);
 * create: a new inode's ACLs and mode from @dir's default ACL, 0 or
 * -ENOMEM; replace: installs @acl (NULL removes) as the access or default ACL.
 */
struct tmpfs_acl;
int tmpfs_acl_from_xattr(const void *value, size_t size, struct tmpfs_acl **out);
/* posix_acl_valid(): the tags in order, one mask wherever named entries are; 0 or -EINVAL */
int tmpfs_acl_valid(const struct tmpfs_acl *acl);
int64_t tmpfs_acl_to_xattr(const struct tmpfs_acl *acl, void *buf, size_t size);
int tmpfs_acl_equiv_mode(const struct tmpfs_acl *acl, mode_t *mode);
int tmpfs_acl_check(const struct tmpfs_inode *ino, const struct tmpfs_cred *c, int mask);
void tmpfs_acl_chmod(struct tmpfs_inode *ino);
mode_t tmpfs_acl_umask(const struct tmpfs_inode *dir, const struct tmpfs_cred *c, mode_t mode);
int tmpfs_acl_create(const struct tmpfs_inode *dir, struct tmpfs_inode *ino);
void tmpfs_acl_replace(struct tmpfs_inode *ino, int deflt, struct tmpfs_acl *acl);
const struct tmpfs_acl *tmpfs_acl_get(const struct tmpfs_inode *ino, int deflt);
void tmpfs_acl_free(struct tmpfs_inode *ino);

/* xattr.c */
void tmpfs_xattr_free(struct tmpfs_inode *ino);
void tmpfs_xattr_kill_caps(struct tmpfs_inode *ino);

/* pathops.c: the inode @path names (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH) */
int tmpfs_lookup_inode(struct tmpfs_mount *m, const struct tmpfs_cred *c,
		       struct tmpfs_inode *dir, const char *path, int flags,
		       struct tmpfs_walk *w, struct tmpfs_inode **out);

/* symlink.c */
int tmpfs_symlink_init(struct tmpfs_inode *ino, const char *target);
void tmpfs_symlink_free(struct tmpfs_inode *ino);

/* namei.c */
#define TMPFS_WALK_FOLLOW 1    /* follow a final symlink */
#define TMPFS_WALK_PARENT 2    /* stop at the parent of the last component */
#define TMPFS_WALK_EMPTY 4     /* "" names the start inode (AT_EMPTY_PATH) */
#define TMPFS_WALK_NOXDEV 8    /* leaving the mount is -EXDEV */
/*
 * with WALK_PARENT: a last component longer than NAME_MAX is no error of
 * the walk (Linux's link_path_walk() looks no last component up): it sets
 * last_long, and the caller's lookup of it answers ENAMETOOLONG in its
 * own order
 */
#define TMPFS_WALK_LONG 16
struct tmpfs_nd {
	struct tmpfs_mount *m;
	const struct tmpfs_cred *c;
	struct tmpfs_walk *w;
	struct tmpfs_walk wlocal;
	uint64_t resolve;	  /* RESOLVE_* of openat2 */
	struct tmpfs_inode *base; /* start dir, the root for IN_ROOT/BENEATH */
	unsigned flags;
	/* results */
	struct tmpfs_inode *parent; /* WALK_PARENT: directory of last */
	struct tmpfs_inode *inode;  /* final inode, or NULL if absent */
	struct tmpfs_dirent *de;    /* entry of inode in parent, if any */
	char last[TMPFS_NAME_MAX + 1];
	int last_type;	  /* LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT */
	int trailing_slash;
	int last_long;	  /* WALK_LONG: the last component is too long (last is "") */
	const char *stackbuf; /* tmpfs_walk()'s copy of the path, not to be freed */
};
#define TMPFS_LAST_NORM 0
#define TMPFS_LAST_DOT 1
#define TMPFS_LAST_DOTDOT 2
#define TMPFS_LAST_ROOT 3
/* inode.c: vfs_prepare_mode()'s mode_strip_sgid(), before the umask */
mode_t tmpfs_strip_sgid(const struct tmpfs_inode *dir, const struct tmpfs_cred *c, mode_t mode);
/*
 * After a change of @ino's nlink: to 0 it counts in the mount's nremoved
 * (drop_nlink(), clear_nlink()), back above 0 it leaves it (inc_nlink());
 * freeing it leaves it too (__destroy_inode()).
 */
void tmpfs_inode_nlink_changed(struct tmpfs_inode *ino);
/* file.c: open for writing (counted in the mount's nwriters) */
int tmpfs_file_writer(const struct tmpfs_file *f);

void tmpfs_nd_init(struct tmpfs_nd *nd, struct tmpfs_mount *m,
		   const struct tmpfs_cred *c, struct tmpfs_inode *dir,
		   struct tmpfs_walk *w, unsigned flags);
int tmpfs_walk(struct tmpfs_nd *nd, const char *path);
/*
 * handle_dots()'s errors for a ".." from @dir, without the step (the walk's
 * own, and open_last_lookups()' of a last ".."): openat2's RESOLVE_BENEATH
 * at the start, or a mount edge where the walk may cross none. 0 or -EXDEV.
 */
int tmpfs_dotdot_check(const struct tmpfs_nd *nd, const struct tmpfs_inode *dir);
/*
 * step_into()'s handle_mounts() of directory @dir, another file system
 * mounted on it: the walk goes on there with @rest (-TMPFS_EXIT), or
 * -EXDEV under RESOLVE_NO_XDEV; a walk's last component for the calls
 * that step into it after their own checks (open's O_CREAT).
 */
int tmpfs_walk_mounted(struct tmpfs_nd *nd, struct tmpfs_inode *dir, const char *rest);

/* dpath.c: de, in dir, is the last name of its inode: remember where it was (for d_path). */
void tmpfs_inode_last_name(struct tmpfs_inode *dir, const struct tmpfs_dirent *de);
void tmpfs_inode_forget_path(struct tmpfs_inode *ino);
/* an O_TMPFILE inode made in dir: "DIR/#INO", as shmem's d_tmpfile() names its dentry */
void tmpfs_inode_tmpfile_path(struct tmpfs_inode *dir, struct tmpfs_inode *ino);

#endif
