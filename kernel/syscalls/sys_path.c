// SPDX-License-Identifier: MIT
/*
 * Path calls (pcall.h), shared by every family that names files by path:
 * sys_stat.c, sys_names.c, sys_rename.c, sys_attr.c, sys_cwd.c, sys_open.c,
 * sys_mknod.c, sys_socket.c. A path inside a mount is served by its file
 * system; any other path is the host's, and the host runs the syscall
 * untouched.
 *
 * When a walk inside a mount leaves it (a symlink to the host, ".." above the
 * mount root) the file system hands back the rest of the path: the call goes
 * on there, in the next mount or on the host, done by the supervisor with
 * the guest's credentials and umask (cred_host_enter()). rename and link
 * across the edge answer EXDEV after their lookups, as Linux; chdir to the
 * host answers EXDEV (documented in the README).
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



/*
 * A call that changes the host, whose walk left a mount: Linux finishes it
 * there, with the caller's credentials and umask, and so does the
 * supervisor, only as the guest (an unprivileged supervisor cannot take
 * its identity: the answer stays EXDEV). The umask is the process's,
 * swapped for the call; no other supervisor thread creates files.
 */
bool host_change_begin(const struct tmpfs_cred *cred, mode_t *old_umask)
{
	if (cred_host_enter(cred))
		return false;
	*old_umask = umask((mode_t)cred->umask & 0777);
	return true;
}

int64_t host_change_end(int ret, mode_t old_umask)
{
	int64_t r = ret ? -errno : 0;

	umask(old_umask);
	cred_host_leave();
	return r;
}

void pcall_reset(struct pcall *pc)
{
	memset(&pc->w, 0, sizeof(pc->w));
	pc->exits = 0;
	pc->graft = NULL;
	pc->graft_root = false;
	pc->bind = NULL;
}

/*
 * Looks the path up. Returns 0 with the mount in pc->p.mnt, SYS_CONTINUE
 * when the host's, or -errno.
 */
bool pcall_no_name(struct sys_call *c, uint64_t upath, int at_flags)
{
	char ch;

	if (!(at_flags & AT_EMPTY_PATH))
		return false;
	return !upath || (!guest_read(c->tid, &ch, upath, 1) && ch == '\0');
}

/* pcall_start() after its lookup's answer err. */
static int64_t pcall_begin(struct sys_call *c, struct pcall *pc, int err)
{
	const struct guest_cred *cr;

	pcall_reset(pc);
	if (err)
		return err;
	if (!pc->p.mnt)
		return SYS_CONTINUE;
	err = sys_cred(c, &cr);
	if (err)
		return err;
	pc->cred = &cr->fs;
	return 0;
}

int64_t pcall_start(struct sys_call *c, struct pcall *pc, int dirfd, uint64_t upath,
			   int lflags)
{
	return pcall_begin(c, pc, path_lookup(c, dirfd, upath, lflags, &pc->p));
}

int64_t pcall_start_read(struct sys_call *c, struct pcall *pc, int dirfd, long n, int lflags)
{
	return pcall_begin(c, pc, path_lookup_read(c, dirfd, n, lflags, &pc->p));
}

/* "", "/", "/.", "/./": a rest that names the graft's root itself ("." crosses no mount) */
static bool names_root(const char *rest)
{
	for (const char *p = rest; *p;) {
		size_t n = strcspn(p, "/");

		if (n > 1 || (n == 1 && *p != '.'))
			return false;
		p += n + (p[n] == '/');
	}
	return true;
}

/* A walk into a graft: the rest (of the guest path in p.buf) is the host's, below the graft's detached mount. */
static int pcall_graft(struct pcall *pc, struct mount *m, int64_t *ret, char **host)
{
	char rest[PATH_MAX];
	int err;

	/*
	 * A path that ends at the graft's root names its directory (Linux's
	 * walk steps into the mount at its last component), never the magic
	 * link /proc/PID/fd/N that reaches it here: lstat, readlink,
	 * O_NOFOLLOW and link's old name would see that link (a symlink, its
	 * target the supervisor's). "N/." is the directory. Calls that take the
	 * last component from its parent (mkdir, unlink, rmdir, rename) find
	 * the mount point in the mount below and do not come here.
	 */
	snprintf(rest, sizeof(rest), "%s", pc->p.buf[m->len] ? pc->p.buf + m->len : "/.");
	err = graft_host_path(m, rest, pc->p.buf, sizeof(pc->p.buf));
	pc->graft = m;
	pc->graft_root = names_root(rest);
	pc->p.path = pc->p.buf;
	pc->p.dir = NULL;
	*host = err ? NULL : pc->p.buf;
	*ret = err ? err : -EXDEV;
	return 0;
}

bool pcall_exit_up(struct sys_call *c, const struct tmpfs_walk *w, struct path_ref *p)
{
	struct tmpfs_inode *dir;
	const char *rest;
	struct mount *m;

	if (!w->exit_up || w->exit_rest > strlen(p->buf) || !(m = mount_dotdot(c->sb, w->exit_up, &dir)))
		return false;
	rest = p->buf + w->exit_rest;
	rest += strspn(rest, "/");
	if (!*rest)
		rest = ".";
	memmove(p->buf, rest, strlen(rest) + 1);
	p->mnt = m;
	p->dir = dir;
	p->path = p->buf;
	return true;
}

/*
 * After a file-system call: a walk that left the mount continues in the
 * mount its remaining path lies in (returns 1: call again with pc updated),
 * or ends (returns 0; *host is set when the rest is on the host, -EXDEV
 * otherwise).
 */
int pcall_exit(struct sys_call *c, struct pcall *pc, int64_t *ret, char **host)
{
	struct mount *m;
	int r, err;

	*host = NULL;
	if (*ret != -TMPFS_EXIT) {
		/* the walk's path_put(): mntput() takes back an umount2(MNT_EXPIRE) mark */
		if (!(pc->p.lflags & LOOKUP_MOUNTPOINT))
			mount_walk_end(pc->p.mnt);
		return 0;
	}
	/*
	 * A walk crosses at most two mount edges per path component ("w/..")
	 * and a path is at most PATH_MAX long for each symlink followed: past
	 * that the mount table would be inconsistent (a walk sent back and
	 * forth between two mounts), and the loop must end, not spin the
	 * serving loop.
	 */
	if (++pc->exits > (TMPFS_MAXSYMLINKS + 1) * (PATH_MAX / 2))
		pc->w.hops = TMPFS_MAXSYMLINKS + 1;
	if (!pc->w.host_path || pc->w.hops > TMPFS_MAXSYMLINKS) {
		free(pc->w.host_path);
		pc->w.host_path = NULL;
		*ret = pc->w.hops > TMPFS_MAXSYMLINKS ? -ELOOP : -EXDEV;
		return 0;
	}
	if (strlen(pc->w.host_path) >= sizeof(pc->p.buf)) {
		free(pc->w.host_path);
		pc->w.host_path = NULL;
		*ret = -ENAMETOOLONG;
		return 0;
	}
	strcpy(pc->p.buf, pc->w.host_path);
	free(pc->w.host_path);
	pc->w.host_path = NULL;
	pc->p.path = pc->p.buf;
	pc->p.dir = NULL;
	if (pcall_exit_up(c, &pc->w, &pc->p)) {
		pc->bind = NULL;
		return 1;
	}
	c->sb->mount_hint = pc->w.exit_dir;
	err = graft_resolve(c->sb, pc->cred, pc->p.buf, sizeof(pc->p.buf), pc->p.lflags & LOOKUP_FDLINK,
			    &pc->w.hops, &m, &pc->bind);
	c->sb->mount_hint = NULL;
	if (err) {
		*ret = err;
		return 0;
	}
	if (m && m->host_root >= 0)
		return pcall_graft(pc, m, ret, host);
	if (m) {
		pc->p.mnt = m;
		return 1;
	}
	/* A magic link of /proc may lead back into a mount (vfs/procfs.c). */
	r = proc_resolve(c, NULL, pc->p.lflags, &pc->p);
	if (r <= 0) {
		*ret = r;
		return !r;
	}
	/* Into /proc: judged by what the path resolves to, as the guest (vfs/procfs.c). */
	r = proc_host_path(c, &pc->p);
	if (r) {
		*ret = r;
		return 0;
	}
	*host = pc->p.buf;
	*ret = -EXDEV;
	return 0;
}

/* Flags are checked before the dirfd is looked up: a bad flag is EINVAL even with a bad fd. */
int pcall_at_check(struct sys_call *c, enum tmpfs_at_call call, int flags, uint64_t arg)
{
	return c->sb->nmounts ? tmpfs_at_check(call, flags, arg) : 0;
}

/*
 * Path calls ukcov's file systems do not implement (xattrs, mknod, utimes,
 * inotify watches...): EOPNOTSUPP inside a mount, the host's answer outside.
 * `arg` is the index of the path argument; *at forms pass their dirfd before it.
 */
static int64_t path_unsupported(struct sys_call *c, int dirfd, uint64_t upath)
{
	struct pcall pc;
	int64_t r = pcall_start(c, &pc, dirfd, upath, 0);

	return r ? r : -EOPNOTSUPP;
}

int64_t sys_path_unsupported(struct sys_call *c)
{
	return path_unsupported(c, AT_FDCWD, c->args[0]);
}

int64_t sys_path_unsupported_1(struct sys_call *c)
{
	return path_unsupported(c, AT_FDCWD, c->args[1]);
}
