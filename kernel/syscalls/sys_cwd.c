// SPDX-License-Identifier: MIT
/*
 * The working directory: chdir and getcwd (the cwd record of a process
 * inside a mount: vfs/fsctx.c).
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

/* ---- working directory and file systems --------------------------------- */

/*
 * chdir to a host path by a process whose cwd may be in a mount: the host
 * does the chdir (the supervisor cannot move a guest's cwd), and the record
 * must say "host" once it has, and not if it fails. So the supervisor first
 * checks, as the guest, what the host's set_fs_pwd() path would check (a
 * directory with search permission); a path the check cannot settle is left
 * to the host with the record unchanged, as before the check.
 */
static int64_t chdir_host(struct sys_call *c, struct pcall *pc)
{
	const struct guest_cred *cr;
	const struct fsctx *now;
	struct stat st;
	int r = fsctx_get(c, &now);

	if (r)
		return r;
	if (!now)
		return SYS_CONTINUE; /* host to host: nothing of ours changes */
	if (pc->p.buf[0] != '/')
		return SYS_CONTINUE; /* cannot happen: a relative path from a mount cwd stays in it */
	r = sys_cred(c, &cr);
	if (r)
		return r;
	r = cred_host_enter(&cr->fs);
	if (r)
		return r;
	r = stat(pc->p.buf, &st) ? -errno : !S_ISDIR(st.st_mode) ? -ENOTDIR
	    : faccessat(AT_FDCWD, pc->p.buf, X_OK, AT_EACCESS) ? -errno : 0;
	cred_host_leave();
	if (r)
		return r;
	r = fsctx_chdir(c, NULL, NULL);
	return r ? r : SYS_CONTINUE;
}

/*
 * chdir into a graft: the guest's cwd record names the host directory (the
 * supervisor cannot move the guest's own cwd there), opened as the guest,
 * which must be allowed to search it (set_fs_pwd()'s caller's checks).
 */
static int64_t chdir_graft(struct sys_call *c, struct pcall *pc)
{
	int fd, err = 0;

	cred_host_enter(pc->cred);
	fd = open(pc->p.buf, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || faccessat(fd, "", X_OK, AT_EACCESS | AT_EMPTY_PATH))
		err = -errno;
	cred_host_leave();
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	return fsctx_chdir_graft(c, pc->graft, fd);
}

/* Implements chdir(2). */
int64_t sys_chdir(struct sys_call *c)
{
	struct tmpfs_inode *dir;
	struct pcall pc;
	char *host;
	int64_t r = pcall_start(c, &pc, AT_FDCWD, c->args[0], LOOKUP_FDLINK);

	if (r == SYS_CONTINUE)
		return chdir_host(c, &pc);
	if (r)
		return r;
	do {
		r = tmpfs_lookup_dir(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, &pc.w, &dir);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && pc.graft)
		return chdir_graft(c, &pc);
	if (host)
		return -EXDEV; /* the guest's own cwd cannot be moved to another host directory */
	if (r)
		return r;
	r = fsctx_chdir(c, pc.p.mnt, dir);
	tmpfs_inode_put(dir);
	/* Redirected: the notification is gone, the restarted call answers. */
	return r == FSCTX_REDIRECTED ? SYS_CONTINUE : r;
}

/*
 * Implements chroot(2) for paths in mounts: set_fs_root()'s lookup
 * (a directory the caller may search), then EPERM: a guest's root cannot
 * move into a mount (its host root would stay), Linux's answer to a caller
 * without CAP_SYS_CHROOT. Host paths are the host's.
 */
int64_t sys_chroot(struct sys_call *c)
{
	struct tmpfs_inode *dir = NULL;
	struct pcall pc;
	char *host;
	int64_t r = pcall_start(c, &pc, AT_FDCWD, c->args[0], LOOKUP_FDLINK);

	if (r)
		return r;
	do {
		r = tmpfs_lookup_dir(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, &pc.w, &dir);
	} while (pcall_exit(c, &pc, &r, &host));
	if (dir)
		tmpfs_inode_put(dir);
	return host || !r ? -EPERM : r;
}

/* Implements getcwd(2): the raw syscall returns the length with the NUL. */
int64_t sys_getcwd(struct sys_call *c)
{
	const struct fsctx *fc;
	char out[PATH_MAX];
	size_t len;
	int n = fsctx_get(c, &fc);

	if (n)
		return n;
	if (!fc)
		return SYS_CONTINUE;
	/*
	 * As Linux's getcwd(2), the path is built in a PATH_MAX buffer: past
	 * it ENAMETOOLONG whatever the caller's size (which is what makes
	 * glibc walk ".." itself); ERANGE only for a buffer too small.
	 */
	n = fsctx_getcwd(fc, out, sizeof(out));
	if (n < 0)
		return n == -ERANGE ? -ENAMETOOLONG : n;
	len = (size_t)n;
	if (len + 1 > c->args[1])
		return -ERANGE;
	return guest_write(c->tid, c->args[0], out, len + 1) ? -EFAULT : (int64_t)len + 1;
}
