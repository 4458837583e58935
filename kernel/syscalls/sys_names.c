// SPDX-License-Identifier: MIT
/*
 * Calls that add or remove names: mkdir, unlink, rmdir, symlink, and
 * readlink of what a symlink names.
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

/* ---- namespace changes ---------------------------------------------------- */

static int64_t mkdirat_common(struct sys_call *c, int dirfd, uint64_t upath, mode_t mode)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r = pcall_start(c, &pc, dirfd, upath, 0);

	if (r)
		return r;
	do {
		r = tmpfs_mkdirat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, mode, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(mkdir(host, mode), um);
	return r;
}

/* Implements mkdir(2). */
int64_t sys_mkdir(struct sys_call *c)
{
	return mkdirat_common(c, AT_FDCWD, c->args[0], (mode_t)c->args[1]);
}

/* Implements mkdirat(2). */
int64_t sys_mkdirat(struct sys_call *c)
{
	return mkdirat_common(c, (int)c->args[0], c->args[1], (mode_t)c->args[2]);
}

static int64_t unlinkat_common(struct sys_call *c, int dirfd, uint64_t upath, int flags)
{
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r;

	r = pcall_at_check(c, TMPFS_AT_UNLINKAT, flags, 0);
	if (r)
		return r;
	r = pcall_start(c, &pc, dirfd, upath, 0);
	if (r)
		return r;
	do {
		r = tmpfs_unlinkat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, flags, &pc.w);
		c->sb->unlinked |= !r; /* files_reap_closed() looks at open unlinked files */
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(unlinkat(AT_FDCWD, host, flags), um);
	else if (!r && !host)
		nodes_name_removed(c->sb);
	return r;
}

/* Implements unlink(2). */
int64_t sys_unlink(struct sys_call *c)
{
	return unlinkat_common(c, AT_FDCWD, c->args[0], 0);
}

/* Implements rmdir(2). */
int64_t sys_rmdir(struct sys_call *c)
{
	return unlinkat_common(c, AT_FDCWD, c->args[0], AT_REMOVEDIR);
}

/* Implements unlinkat(2). */
int64_t sys_unlinkat(struct sys_call *c)
{
	return unlinkat_common(c, (int)c->args[0], c->args[1], (int)c->args[2]);
}

static int64_t symlinkat_common(struct sys_call *c, uint64_t utarget, int dirfd, uint64_t upath)
{
	char target[PATH_MAX];
	long n = guest_read_str(c->tid, target, utarget, sizeof(target));
	struct pcall pc;
	char *host;
	mode_t um;
	int64_t r;

	/* do_symlinkat(): the target's getname() errors before the new name's and its dirfd's */
	if (n < 0)
		return n;
	if (n == 0)
		return -ENOENT;
	r = pcall_start(c, &pc, dirfd, upath, 0);
	if (r)
		return r;
	do {
		r = tmpfs_symlinkat(pc.p.mnt->fs, pc.cred, target, pc.p.dir, pc.p.path, &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && host_change_begin(pc.cred, &um))
		r = host_change_end(symlink(target, host), um);
	return r;
}

/* Implements symlink(2). */
int64_t sys_symlink(struct sys_call *c)
{
	return symlinkat_common(c, c->args[0], AT_FDCWD, c->args[1]);
}

/* Implements symlinkat(2). */
int64_t sys_symlinkat(struct sys_call *c)
{
	return symlinkat_common(c, c->args[0], (int)c->args[1], c->args[2]);
}

/*
 * What /proc's magic link to a mount object reads (proc_pid_readlink(),
 * d_path()): the object's path in the guest's view, " (deleted)" after it
 * once it has no name; truncated to the buffer, without a NUL. In a lazily
 * unmounted mount, d_path() stops at that mount's root, with no
 * "(unreachable)" (getcwd()'s alone).
 */
static int64_t magic_readlink(const struct path_ref *p, char *buf, size_t size)
{
	char rel[PATH_MAX], out[PATH_MAX + 16];
	int deleted, n = tmpfs_inode_path(p->dir, rel, sizeof(rel), &deleted);
	const char *top = p->mnt->detached ? "" : p->mnt->path;

	if (n < 0)
		return n == -ERANGE ? -ENAMETOOLONG : n;
	n = snprintf(out, sizeof(out), "%s%s%s", top, strcmp(rel, "/") || !*top ? rel : "",
		     deleted ? " (deleted)" : "");
	if (n < 0 || (size_t)n >= sizeof(out))
		return -ENAMETOOLONG;
	if ((size_t)n > size)
		n = (int)size;
	memcpy(buf, out, (size_t)n);
	return n;
}

/*
 * readlink(2) of an absolute path the host serves (in no mount), when a
 * graft exists: a /proc magic link to one of its files is read here and
 * named as Linux names it (proc_graft_link()). SYS_CONTINUE for any other
 * path or link: the host's own answer.
 */
static int64_t graft_magic_readlink(struct sys_call *c, const char *path, uint64_t ubuf, int64_t size)
{
	char canon[PATH_MAX], buf[PATH_MAX];
	const struct guest_cred *cr;
	ssize_t n, r;

	if (path[0] != '/' || !mount_graft_of_dev(c->sb, 0) ||
	    proc_canonical(c, path, 0, canon, sizeof(canon)) || sys_cred(c, &cr) ||
	    cred_host_enter(&cr->fs))
		return SYS_CONTINUE;
	n = readlink(canon, buf, sizeof(buf));
	r = n < 0 ? n : proc_graft_link(c->sb, canon, buf, n, sizeof(buf));
	cred_host_leave();
	if (r == n)
		return SYS_CONTINUE;
	if (r < 0)
		return r;
	if (r > size)
		r = size;
	return guest_write(c->tid, ubuf, buf, (size_t)r) ? -EFAULT : r;
}

static int64_t readlinkat_common(struct sys_call *c, int dirfd, uint64_t upath, uint64_t ubuf,
				 int64_t size)
{
	char buf[PATH_MAX];
	struct pcall pc;
	char *host;
	int64_t r;

	if (size <= 0)
		return -EINVAL;
	r = pcall_start(c, &pc, dirfd, upath, LOOKUP_EMPTY_OK | LOOKUP_MAGIC);
	if (r == SYS_CONTINUE)
		return graft_magic_readlink(c, pc.p.buf, ubuf, size);
	if (r)
		return r;
	if (size > (int64_t)sizeof(buf))
		size = sizeof(buf);
	if (pc.p.magic) {
		r = magic_readlink(&pc.p, buf, (size_t)size);
		if (r > 0 && guest_write(c->tid, ubuf, buf, (size_t)r))
			return -EFAULT;
		return r;
	}
	do {
		r = tmpfs_readlinkat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, buf, (size_t)size,
				     &pc.w);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host) {
		ssize_t n;

		r = cred_host_enter_for(c, pc.cred, host);
		if (r)
			return r;
		n = readlink(host, buf, sizeof(buf));
		r = n < 0 ? -errno : proc_graft_link(c->sb, host, buf, n, sizeof(buf));
		cred_host_leave();
		if (r > size)
			r = size;
	}
	if (r > 0 && guest_write(c->tid, ubuf, buf, (size_t)r))
		return -EFAULT;
	return r;
}

/* Implements readlink(2). */
int64_t sys_readlink(struct sys_call *c)
{
	return readlinkat_common(c, AT_FDCWD, c->args[0], c->args[1], (int64_t)(int)c->args[2]);
}

/* Implements readlinkat(2). */
int64_t sys_readlinkat(struct sys_call *c)
{
	return readlinkat_common(c, (int)c->args[0], c->args[1], c->args[2], (int64_t)(int)c->args[3]);
}
