// SPDX-License-Identifier: MIT
/*
 * rename and link: two paths, each looked up as its own call (pcall.h).
 * Both must end in the same mount (or both on the host): across the edge
 * they answer EXDEV after their lookups, as Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pcall.h"
#include "sys.h"
#include "../vfs/vfs.h"

/* The old name's lookup that Linux makes before it looks at the new name at all. */
typedef int64_t old_name_first_fn(struct sys_call *c, struct pcall *a, int odirfd, int flags);

/*
 * Two paths (rename, link): both in one mount is the mount's call, both on
 * the host is the host's, one in each is EXDEV as between two file systems.
 * The new name's own errors (getname()'s EFAULT, ENAMETOOLONG, ENOENT for
 * "", its dirfd's EBADF) come after old_first's: do_renameat2() and
 * do_linkat() get both names as struct filename pointers and look at the
 * new one only once the old one is found.
 */
/*
 * linkat(2) with AT_EMPTY_PATH, the old name relative to a dirfd: by
 * someone other than the dirfd's opener (other credentials) it needs
 * CAP_DAC_READ_SEARCH, else ENOENT. path_init() checks it (for any
 * name, "" or not) before anything of the walk, ENOTDIR included.
 */
static int64_t linkat_empty_allowed(struct sys_call *c, int odirfd, const char *name)
{
	const struct guest_cred *gc;
	struct tmpfs_file *tf;
	struct kfile *f;

	if (odirfd == AT_FDCWD || name[0] == '/' || sys_cred(c, &gc) || fd_get(c, odirfd, &f) ||
	    !(tf = tmpfs_file_of(f)))
		return 0;
	return tmpfs_file_linkat_empty_ok(tf, &gc->fs);
}

static int64_t two_paths(struct sys_call *c, struct pcall *a, int odirfd, uint64_t opath,
			 struct pcall *b, int ndirfd, uint64_t npath, int olflags,
			 old_name_first_fn *old_first, int flags)
{
	int64_t ra, rb, r;
	long na, nb;

	/*
	 * Both names read first, as the syscalls' getname()s do, in one
	 * process_vm_readv() when they are short (no caller passes
	 * LOOKUP_NULL_OK: a NULL name is EFAULT). Looked up as before, the
	 * old one first.
	 */
	guest_read_strs(c->tid, a->p.buf, opath, &na, b->p.buf, npath, &nb, sizeof(a->p.buf));
	/* flags: linkat's (rename's callers pass none) */
	if (na >= 0 && nb >= 0 && (flags & AT_EMPTY_PATH) &&
	    (r = linkat_empty_allowed(c, odirfd, a->p.buf)))
		return r;
	ra = pcall_start_read(c, a, odirfd, na, olflags);
	if (ra < 0 && ra != SYS_CONTINUE)
		return ra;
	rb = pcall_start_read(c, b, ndirfd, nb, 0);
	if (rb < 0 && rb != SYS_CONTINUE) {
		r = old_first(c, a, odirfd, flags);
		return r ? r : rb;
	}
	if (ra == SYS_CONTINUE && rb == SYS_CONTINUE)
		return SYS_CONTINUE;
	if (ra == SYS_CONTINUE || rb == SYS_CONTINUE || a->p.mnt != b->p.mnt)
		return -EXDEV;
	return 0;
}

/* A guest path's start on the host, opened by the supervisor from its /proc link (AT_FDCWD: absolute). */
static int host_base_open(struct sys_call *c, int dirfd, const char *path)
{
	char link[64];

	if (path[0] == '/')
		return AT_FDCWD;
	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", c->tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", c->tid, dirfd);
	return open(link, O_PATH | O_CLOEXEC);
}

/*
 * filename_parentat() on the host, as the guest: the directory of the last
 * component must be found, be a directory, and be searchable (link_path_walk()
 * checks may_lookup() before every component, the last one included).
 */
static int64_t host_parent_check(const struct tmpfs_cred *cred, int dfd, const char *path)
{
	char parent[PATH_MAX];
	size_t n = strlen(path);
	struct stat st;
	int64_t r;

	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	if (n >= sizeof(parent))
		return -ENAMETOOLONG;
	memcpy(parent, n ? path : ".", n ? n : 2);
	parent[n ? n : 1] = '\0';
	r = cred_host_enter(cred);
	if (r)
		return r;
	r = fstatat(dfd, parent, &st, 0) ? -errno : 0;
	if (!r && !S_ISDIR(st.st_mode))
		r = -ENOTDIR;
	if (!r && faccessat(dfd, parent, X_OK, AT_EACCESS))
		r = -errno;
	cred_host_leave();
	return r;
}

/*
 * One name of a rename: its parent, in mounts and then on the host. *in
 * is the mount the parent lies in (pc then names it there), NULL on the host.
 */
static int64_t rename_parent(struct sys_call *c, struct pcall *pc, int dirfd, struct mount **in)
{
	const struct guest_cred *cr;
	char *host;
	int64_t r;
	int dfd;

	*in = NULL;
	if (pc->p.mnt) {
		free(pc->w.host_path);
		memset(&pc->w, 0, sizeof(pc->w));
		do {
			r = tmpfs_parent_lookup(pc->p.mnt->fs, pc->cred, pc->p.dir, pc->p.path, &pc->w);
		} while (pcall_exit(c, pc, &r, &host));
		if (!host)
			*in = pc->p.mnt;
		return host ? host_parent_check(pc->cred, AT_FDCWD, host) : r;
	}
	r = sys_cred(c, &cr);
	if (r)
		return r;
	dfd = host_base_open(c, dirfd, pc->p.buf);
	if (dfd == -1)
		return -EBADF;
	r = host_parent_check(&cr->fs, dfd, pc->p.buf);
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* filename_parentat() of a rename's old name (do_renameat2()'s first lookup). */
static int64_t rename_old_first(struct sys_call *c, struct pcall *a, int odirfd, int flags)
{
	struct mount *in;

	(void)flags;
	return rename_parent(c, a, odirfd, &in);
}

/*
 * Both parents on the host (a walk that left a mount, into a graft or the
 * host's tree): the host's rename, done as the guest, which could have
 * named those paths itself.
 */
static int64_t rename_on_host(struct sys_call *c, struct pcall *a, int odirfd, struct pcall *b,
			      int ndirfd, unsigned int flags)
{
	const struct guest_cred *cr;
	int64_t r = sys_cred(c, &cr);
	int da, db;
	mode_t um;

	if (r)
		return r;
	da = host_base_open(c, odirfd, a->p.buf);
	db = host_base_open(c, ndirfd, b->p.buf);
	if (da == -1 || db == -1)
		r = -EBADF;
	else if (!host_change_begin(&cr->fs, &um))
		r = -EXDEV;
	else
		r = host_change_end((int)syscall(SYS_renameat2, da, a->p.buf, db, b->p.buf, flags), um);
	if (da >= 0)
		close(da);
	if (db >= 0)
		close(db);
	return r;
}

/*
 * A rename between a mount and elsewhere (or whose walk left the mount):
 * do_renameat2() looks both parents up and compares their mounts only
 * then, so their lookup errors come before EXDEV. Both parents in one
 * mount (a mount on a directory of another): the rename is that mount's,
 * a round deeper for each mount the walks cross.
 */
static int64_t rename_xdev(struct sys_call *c, struct pcall *a, int odirfd, struct pcall *b,
			   int ndirfd, unsigned int flags)
{
	struct mount *ma, *mb;
	int64_t r = -EXDEV;

	for (int round = 0; round < 16 && r == -EXDEV; round++) {
		r = rename_parent(c, a, odirfd, &ma);
		if (!r)
			r = rename_parent(c, b, ndirfd, &mb);
		if (r)
			return r;
		if (!ma && !mb && (a->graft || b->graft))
			return rename_on_host(c, a, odirfd, b, ndirfd, flags);
		if (!ma || ma != mb)
			return -EXDEV;
		free(a->w.host_path);
		memset(&a->w, 0, sizeof(a->w));
		r = tmpfs_renameat2(ma->fs, a->cred, a->p.dir, a->p.path, b->p.dir, b->p.path, flags, &a->w);
		if (r == -TMPFS_EXIT)
			r = -EXDEV;
	}
	return r;
}

static int64_t renameat_common(struct sys_call *c, int odirfd, uint64_t opath, int ndirfd,
			       uint64_t npath, unsigned int flags)
{
	struct pcall *a = tmpfs_malloc(sizeof(*a)), *b = tmpfs_malloc(sizeof(*b));
	int64_t r = pcall_at_check(c, TMPFS_AT_RENAMEAT2, (int)flags, 0);

	if (!r)
		r = a && b ? two_paths(c, a, odirfd, opath, b, ndirfd, npath, 0, rename_old_first, 0)
			   : -ENOMEM;
	if (!r) {
		r = tmpfs_renameat2(a->p.mnt->fs, a->cred, a->p.dir, a->p.path, b->p.dir, b->p.path,
				    flags, &a->w);
		if (r == -TMPFS_EXIT)
			r = rename_xdev(c, a, odirfd, b, ndirfd, flags);
	} else if (r == -EXDEV) {
		r = rename_xdev(c, a, odirfd, b, ndirfd, flags);
	}
	c->sb->unlinked |= !r; /* it may have replaced a file */
	if (!r)
		nodes_name_removed(c->sb); /* or a FIFO or device */
	if (!r && c->sb->nmounts > 1)
		mount_paths_refresh(c->sb);
	free(a);
	free(b);
	return r;
}

/* Implements rename(2). */
int64_t sys_rename(struct sys_call *c)
{
	return renameat_common(c, AT_FDCWD, c->args[0], AT_FDCWD, c->args[1], 0);
}

/* Implements renameat(2). */
int64_t sys_renameat(struct sys_call *c)
{
	return renameat_common(c, (int)c->args[0], c->args[1], (int)c->args[2], c->args[3], 0);
}

/* Implements renameat2(2). */
int64_t sys_renameat2(struct sys_call *c)
{
	return renameat_common(c, (int)c->args[0], c->args[1], (int)c->args[2], c->args[3],
			       (unsigned int)c->args[4]);
}

static bool trailing_slash(const char *path)
{
	size_t n = strlen(path);

	return n > 1 && path[n - 1] == '/';
}

/*
 * A name of a link on the host, looked up by the supervisor as the guest
 * from the guest's cwd or dirfd (their /proc links are opened as the
 * supervisor first: the guest's own credentials could not search
 * /proc/TID/fd of a task with other ids). The old name (creating false):
 * 0, or the lookup's error. The new name, as filename_create(): its
 * parent's lookup errors, then EEXIST for a name that exists, else 0.
 */
static int64_t link_name_on_host(struct sys_call *c, int dirfd, const char *path, int stflags,
				 bool creating)
{
	const struct guest_cred *cr;
	struct stat st;
	int64_t r = sys_cred(c, &cr);
	int dfd, err;

	if (r)
		return r;
	dfd = host_base_open(c, dirfd, path);
	if (dfd == -1)
		return -EBADF;
	if (creating)
		r = host_parent_check(&cr->fs, dfd, path);
	if (!r)
		r = cred_host_enter(&cr->fs);
	if (!r) {
		err = fstatat(dfd, path, &st, stflags) ? errno : 0;
		/* filename_create(): a new name with a trailing slash must exist */
		r = creating ? (!err ? -EEXIST : trailing_slash(path) ? -ENOENT : 0) : -err;
		cred_host_leave();
	}
	if (dfd >= 0)
		close(dfd);
	return r;
}

/* The old name of a link, on the host. */
/*
 * The guest's own /proc/TGID/... (resolved): proc_fd_permission() lets a
 * thread group into its own fd/ whatever its fsuid, which the
 * supervisor's thread, another process, cannot stand for as the guest.
 */
static bool own_proc(struct sys_call *c, const char *path)
{
	pid_t pid;

	return proc_pid_part(path, &pid) && proc_tgid(pid) == proc_tgid(c->tid);
}

static int64_t link_old_on_host(struct sys_call *c, struct pcall *a, int odirfd, int stflags)
{
	/*
	 * "self" is the guest's, not the supervisor's (linkat of /proc/self/fd/N:
	 * its fd N). Not for a graft's path: that one is the supervisor's own
	 * /proc/self/fd/ROOT/... on purpose (proc_host_path() refuses it: EACCES
	 * where LTP's linkat02 wants EROFS).
	 */
	int64_t r = a->p.buf[0] == '/' && !a->graft ? proc_host_path(c, &a->p) : 0;
	struct stat st;

	if (!r && a->p.buf[0] == '/' && own_proc(c, a->p.buf))
		return fstatat(AT_FDCWD, a->p.buf, &st, stflags) ? -errno : 0;
	return r ? r : link_name_on_host(c, odirfd, a->p.buf, stflags, false);
}

/* Both names in one graft: the host's link, as the guest. */
static int64_t link_in_graft(struct sys_call *c, struct pcall *a, struct pcall *b, int flags)
{
	const struct guest_cred *cr;
	int64_t r = sys_cred(c, &cr);
	mode_t um;

	if (r)
		return r;
	if (!host_change_begin(&cr->fs, &um))
		return -EXDEV;
	return host_change_end(linkat(AT_FDCWD, a->p.buf, AT_FDCWD, b->p.buf, flags & AT_SYMLINK_FOLLOW), um);
}

/* The new name of a link on the host: its lookup's errors, then the caller's EXDEV. */
static int64_t link_new_on_host(struct sys_call *c, struct pcall *b, int ndirfd)
{
	int64_t r = link_name_on_host(c, ndirfd, b->p.buf, AT_SYMLINK_NOFOLLOW, true);

	return r ? r : -EXDEV;
}

/*
 * do_linkat()'s filename_lookup() of the old name, in mounts and then on
 * the host; *in is the mount it was found in (NULL: on the host).
 */
static int64_t link_old_lookup(struct sys_call *c, struct pcall *a, int odirfd, int flags,
			       struct mount **in)
{
	int stflags = (flags & AT_SYMLINK_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW) | (flags & AT_EMPTY_PATH);
	struct stat st;
	char *host;
	int64_t r;

	*in = NULL;
	free(a->w.host_path);
	memset(&a->w, 0, sizeof(a->w));
	if (!a->p.mnt)
		return link_old_on_host(c, a, odirfd, stflags);
	do {
		r = tmpfs_fstatat(a->p.mnt->fs, a->cred, a->p.dir, a->p.path, stflags, &a->w, &st);
	} while (pcall_exit(c, a, &r, &host));
	if (host)
		return link_old_on_host(c, a, AT_FDCWD, stflags);
	*in = a->p.mnt;
	return r;
}

static int64_t link_old_first(struct sys_call *c, struct pcall *a, int odirfd, int flags)
{
	struct mount *in;

	return link_old_lookup(c, a, odirfd, flags, &in);
}

/*
 * A link whose two names are not in one mount (or whose old name's walk
 * left it): do_linkat() looks the old name up, then makes the new one's
 * filename_create(), and compares the mounts only then, so the errors of
 * both lookups come before EXDEV.
 */
static int64_t link_xdev(struct sys_call *c, struct pcall *a, struct pcall *b, int odirfd,
			 int ndirfd, int flags)
{
	struct mount *ma, *mb;
	int64_t r = link_old_lookup(c, a, odirfd, flags, &ma);

	if (r)
		return r;
	if (!b->p.mnt)
		return link_new_on_host(c, b, ndirfd);
	/* the new name's parent: in the old name's mount (mounts on mounts), the link is its */
	r = rename_parent(c, b, AT_FDCWD, &mb);
	if (!r && !ma && !mb && a->graft && a->graft == b->graft)
		return link_in_graft(c, a, b, flags);
	/* its walk left the mounts: the host's filename_create() (pc names it absolutely) */
	if (!r && !mb)
		return link_new_on_host(c, b, AT_FDCWD);
	if (r || !ma || ma != mb)
		return r ? r : mb ? tmpfs_link_xdev(mb->fs, b->cred, b->p.dir, b->p.path, &b->w) : -EXDEV;
	r = tmpfs_linkat(ma->fs, a->cred, a->p.dir, a->p.path, b->p.dir, b->p.path, flags, &a->w);
	return r == -TMPFS_EXIT ? -EXDEV : r;
}

static int64_t linkat_common(struct sys_call *c, int odirfd, uint64_t opath, int ndirfd,
			     uint64_t npath, int flags)
{
	struct pcall *a = tmpfs_malloc(sizeof(*a)), *b = tmpfs_malloc(sizeof(*b));
	int64_t r = pcall_at_check(c, TMPFS_AT_LINKAT, flags, 0);

	if (!r)
		r = a && b ? two_paths(c, a, odirfd, opath, b, ndirfd, npath,
				       (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0) |
					       (flags & AT_SYMLINK_FOLLOW ? LOOKUP_FDLINK : 0),
				       link_old_first, flags)
			   : -ENOMEM;
	if (!r) {
		r = tmpfs_linkat(a->p.mnt->fs, a->cred, a->p.dir, a->p.path, b->p.dir, b->p.path,
				 flags, &a->w);
		if (r == -TMPFS_EXIT)
			r = link_xdev(c, a, b, odirfd, ndirfd, flags);
	} else if (r == -EXDEV) {
		r = link_xdev(c, a, b, odirfd, ndirfd, flags);
	}
	free(a);
	free(b);
	return r;
}

/* Implements link(2). */
int64_t sys_link(struct sys_call *c)
{
	return linkat_common(c, AT_FDCWD, c->args[0], AT_FDCWD, c->args[1], 0);
}

/* Implements linkat(2). */
int64_t sys_linkat(struct sys_call *c)
{
	return linkat_common(c, (int)c->args[0], c->args[1], (int)c->args[2], c->args[3],
			     (int)c->args[4]);
}
