/* ukcov tmpfs: path walk within one mount, as fs/namei.c link_path_walk().
 *
 * The remaining path lives in one heap buffer; following a symlink
 * replaces the consumed prefix by the target, so nested links need no
 * recursion.  Every component needs search (exec) permission on the
 * directory it is looked up in, the last one included (may_lookup()).
 * Leaving the mount ends the walk with -TMPFS_EXIT and the rest of the
 * path, absolute in the guest's view, in nd->w->host_path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfs_int.h"

void tmpfs_nd_init(struct tmpfs_nd *nd, struct tmpfs_mount *m,
		   const struct tmpfs_cred *c, struct tmpfs_inode *dir,
		   struct tmpfs_walk *w, unsigned flags)
{
	memset(nd, 0, sizeof(*nd));
	nd->m = m;
	nd->c = c;
	nd->w = w ? w : &nd->wlocal;
	nd->base = dir ? dir : m->root;
	nd->flags = flags;
}

/* a walk that may cross no mount edge (RESOLVE_BENEATH: one it could follow back up) */
static bool no_xdev(const struct tmpfs_nd *nd)
{
	return (nd->flags & TMPFS_WALK_NOXDEV) || (nd->resolve & (RESOLVE_NO_XDEV | RESOLVE_BENEATH));
}

/* host_path = prefix[0..plen) + rest; rest is "" or starts with '/' */
static int exit_mount(struct tmpfs_nd *nd, const char *prefix, size_t plen,
		      const char *rest)
{
	size_t rlen = strlen(rest);
	char *hp;

	if (no_xdev(nd))
		return -EXDEV;
	hp = tmpfs_malloc(plen + rlen + 2);
	if (!hp)
		return -ENOMEM;
	memcpy(hp, prefix, plen);
	memcpy(hp + plen, rest, rlen + 1);
	if (!hp[0]) {
		hp[0] = '/';
		hp[1] = 0;
	}
	free(nd->w->host_path);
	nd->w->host_path = hp;
	nd->w->exit_dir = NULL;
	nd->w->exit_up = NULL;
	nd->w->exit_rest = plen;
	return -TMPFS_EXIT;
}

/* *p points at '/': continue from the root of the mount, of openat2's
 * RESOLVE_IN_ROOT, or leave the mount */
static int walk_absolute(struct tmpfs_nd *nd, const char **p,
			 struct tmpfs_inode **cur)
{
	const char *s = *p;
	struct tmpfs_mount *m = nd->m;

	if (nd->resolve & RESOLVE_BENEATH)
		return -EXDEV;
	if (nd->resolve & RESOLVE_IN_ROOT) {
		*cur = nd->base;
		return 0;
	}
	/* RESOLVE_NO_XDEV: an absolute symlink jumps to the process root,
	 * on another mount (nd_jump_root()), and an absolute path walks
	 * down from it across the mount point (traverse_mounts()) */
	if ((nd->resolve & RESOLVE_NO_XDEV) && m->mplen)
		return -EXDEV;
	if (!m->detached && !strncmp(s, m->mountpoint, m->mplen) &&
	    (s[m->mplen] == '/' || !s[m->mplen])) {
		*cur = m->root;
		*p = s + m->mplen;
		return 0;
	}
	return exit_mount(nd, "", 0, s);
}

int tmpfs_dotdot_check(const struct tmpfs_nd *nd, const struct tmpfs_inode *dir)
{
	const struct tmpfs_mount *m = nd->m;
	bool edge;

	if (dir == nd->base && (nd->resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)))
		return (nd->resolve & RESOLVE_BENEATH) ? -EXDEV : 0;
	/* into a mount on the parent, or out of this one (walk_dotdot()) */
	edge = dir != m->root ? dir->dir.parent->dir.mounted : m->mplen && !m->detached;
	return edge && no_xdev(nd) ? -EXDEV : 0;
}

/* "..": as follow_dotdot(); above the mount root continues on the host in
 * the directory containing the mount point */
static int walk_dotdot(struct tmpfs_nd *nd, const char *rest,
		       struct tmpfs_inode **cur)
{
	struct tmpfs_mount *m = nd->m;
	const char *slash;
	int err = tmpfs_dotdot_check(nd, *cur);

	if (err || (*cur == nd->base && (nd->resolve & RESOLVE_IN_ROOT)))
		return err;
	if (*cur != m->root) {
		*cur = (*cur)->dir.parent;
		/* step_into(): ".." to a directory a mount is on lands in that mount (handle_mounts()) */
		return (*cur)->dir.mounted ? tmpfs_walk_mounted(nd, *cur, rest) : 0;
	}
	/* follow_dotdot(): no mount above (the sandbox's root, or a detached one): stay */
	if (!m->mplen || m->detached)
		return 0;
	slash = strrchr(m->mountpoint, '/');
	err = exit_mount(nd, m->mountpoint, (size_t)(slash - m->mountpoint), rest);
	if (err == -TMPFS_EXIT)
		nd->w->exit_up = m;
	return err;
}

/* A directory another file system is mounted on: the walk goes on there,
 * at the directory's guest path (traverse_mounts()) */
int tmpfs_walk_mounted(struct tmpfs_nd *nd, struct tmpfs_inode *dir, const char *rest)
{
	char path[TMPFS_PATH_MAX];
	int n = tmpfs_dir_guest_path(dir, path, sizeof(path));

	if (n < 0)
		return n == -ERANGE ? -ENAMETOOLONG : n;
	n = exit_mount(nd, path, (size_t)n, rest);
	if (n == -TMPFS_EXIT)
		nd->w->exit_dir = dir;
	return n;
}

/*
 * may_follow_link(), fs.protected_symlinks: a trailing symlink in a sticky
 * world-writable directory is followed only by its owner, or when the
 * directory's owner owns it too (a /tmp symlink planted by another user).
 */
static int may_follow_link(const struct tmpfs_nd *nd, const struct tmpfs_inode *dir,
			   const struct tmpfs_inode *link)
{
	if (!nd->m->protected_symlinks || link->uid == nd->c->fsuid)
		return 0;
	if ((dir->mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH))
		return 0;
	return dir->uid == link->uid ? 0 : -EACCES;
}

/*
 * Replaces the consumed path by target + rest, as pick_link(): the link
 * count first, then (a trailing link, in directory @dir) may_follow_link(),
 * then RESOLVE_NO_SYMLINKS and a nosymfollow mount.
 */
static int walk_symlink(struct tmpfs_nd *nd, struct tmpfs_inode *link, bool trailing,
			const char *rest, char **buf, const char **p,
			struct tmpfs_inode **cur)
{
	size_t tlen = link->lnk.len, rlen = strlen(rest);
	char *nb;
	int err;

	if (++nd->w->hops > TMPFS_MAXSYMLINKS)
		return -ELOOP;
	if (trailing && (err = may_follow_link(nd, *cur, link)))
		return err;
	if ((nd->resolve & RESOLVE_NO_SYMLINKS) || (nd->m->st_flags & ST_NOSYMFOLLOW))
		return -ELOOP;
	tmpfs_touch_atime(link);
	nb = tmpfs_malloc(tlen + rlen + 1);
	if (!nb)
		return -ENOMEM;
	memcpy(nb, link->lnk.target, tlen);
	memcpy(nb + tlen, rest, rlen + 1);
	if (*buf != nd->stackbuf)
		free(*buf);
	*buf = nb;
	*p = nb;
	if (nb[0] == '/')
		return walk_absolute(nd, p, cur);
	return 0;
}

static int classify(const char *s, size_t len)
{
	if (len == 1 && s[0] == '.')
		return TMPFS_LAST_DOT;
	if (len == 2 && s[0] == '.' && s[1] == '.')
		return TMPFS_LAST_DOTDOT;
	return TMPFS_LAST_NORM;
}

static void set_last(struct tmpfs_nd *nd, struct tmpfs_inode *dir,
		     const char *name, size_t len, int type)
{
	nd->parent = dir;
	memcpy(nd->last, name, len);
	nd->last[len] = 0;
	nd->last_type = type;
	nd->de = type == TMPFS_LAST_NORM ? tmpfs_dir_lookup(dir, name, len) :
					   NULL;
	nd->inode = nd->de ? nd->de->inode : NULL;
}

/*
 * A component longer than NAME_MAX: ENAMETOOLONG from the lookup, which a
 * removed directory answers ENOENT first (lookup_slow(): IS_DEADDIR); for
 * WALK_LONG's last component, last_long and no error yet.
 */
static int walk_long(struct tmpfs_nd *nd, struct tmpfs_inode *dir, int last, int *err)
{
	unsigned want = TMPFS_WALK_PARENT | TMPFS_WALK_LONG;

	if (!last || (nd->flags & want) != want)
		return (*err = dir->nlink ? -ENAMETOOLONG : -ENOENT), 1;
	set_last(nd, dir, "", 0, TMPFS_LAST_NORM);
	nd->last_long = 1;
	return 1;
}

/* One component; returns 1 when the walk is complete, 0 to go on. */
static int walk_one(struct tmpfs_nd *nd, char **buf, const char **p,
		    struct tmpfs_inode **cur, int *err)
{
	const char *comp = *p, *next, *q;
	size_t len = strcspn(comp, "/");
	int last, type = classify(comp, len);
	struct tmpfs_dirent *de;

	next = comp + len;
	for (q = next; *q == '/'; q++)
		;
	last = !*q;
	nd->trailing_slash = last && *next == '/';
	/* may_lookup() comes first, then the lookup's ENAMETOOLONG */
	*err = tmpfs_permission(*cur, nd->c, TMPFS_MAY_EXEC);
	if (*err)
		return 1;
	if (len > TMPFS_NAME_MAX)
		return walk_long(nd, *cur, last, err);
	if (last && (nd->flags & TMPFS_WALK_PARENT)) {
		set_last(nd, *cur, comp, len, type);
		if (!nd->inode || !S_ISLNK(nd->inode->mode) ||
		    !(nd->flags & TMPFS_WALK_FOLLOW))
			return 1;
	}
	*p = q;
	if (type == TMPFS_LAST_DOT)
		return last ? (nd->inode = *cur, 1) : 0;
	if (type == TMPFS_LAST_DOTDOT) {
		*err = walk_dotdot(nd, next, cur);
		return *err ? 1 : last ? (nd->inode = *cur, 1) : 0;
	}
	de = tmpfs_dir_lookup(*cur, comp, len);
	if (!de)
		return (*err = -ENOENT), 1;
	if (S_ISLNK(de->inode->mode) &&
	    (!last || *next == '/' || (nd->flags & TMPFS_WALK_FOLLOW))) {
		*err = walk_symlink(nd, de->inode, last, next, buf, p, cur);
		return *err != 0;
	}
	if (S_ISDIR(de->inode->mode) && de->inode->dir.mounted)
		return (*err = tmpfs_walk_mounted(nd, de->inode, next)), 1;
	if (!last) {
		if (!S_ISDIR(de->inode->mode))
			return (*err = -ENOTDIR), 1;
		*cur = de->inode;
		return 0;
	}
	if (*next == '/' && !S_ISDIR(de->inode->mode))
		return (*err = -ENOTDIR), 1;
	set_last(nd, *cur, comp, len, type);
	return 1;
}

/*
 * Resolves @path from nd->base.  On success nd->inode is the final inode
 * (NULL with WALK_PARENT when the last component does not exist) and
 * nd->parent/nd->last describe the last component.  Returns 0 or -errno.
 */
const char tmpfs_path_self[] = "";

int tmpfs_walk(struct tmpfs_nd *nd, const char *path)
{
	struct tmpfs_inode *cur = nd->base;
	const char *p;
	/* On the stack: no allocation per walk (a symlink's expansion still allocates). */
	char copy[TMPFS_PATH_MAX], *buf;
	size_t len;
	int err = 0;

	/* the open file a magic link (/proc/self/fd/N) leads to: found as if
	 * by name, so that O_CREAT opens it (EEXIST with O_EXCL) */
	if (path == tmpfs_path_self) {
		if (!cur)
			return -ENOENT;
		/* no directory of ours holds the link (may_create_in_sticky()
		 * looks at /proc/self/fd, which is not sticky) */
		nd->inode = cur;
		nd->parent = NULL;
		nd->de = NULL;
		nd->last[0] = '\0';
		nd->last_type = TMPFS_LAST_NORM;
		nd->trailing_slash = 0;
		return 0;
	}

	/* getname(): a path of PATH_MAX bytes or more, NUL included */
	len = strnlen(path, TMPFS_PATH_MAX);
	if (len >= TMPFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (!*path) {
		if (!(nd->flags & TMPFS_WALK_EMPTY))
			return -ENOENT;
		nd->inode = cur;
		nd->last_type = TMPFS_LAST_ROOT;
		return 0;
	}
	memcpy(copy, path, len + 1);
	buf = copy;
	nd->stackbuf = copy;
	p = buf;
	if (*p == '/')
		err = walk_absolute(nd, &p, &cur);
	while (!err) {
		while (*p == '/')
			p++;
		if (!*p) {
			/* "/" alone, or the mount point itself */
			nd->inode = nd->parent = cur;
			nd->last_type = TMPFS_LAST_ROOT;
			break;
		}
		if (!S_ISDIR(cur->mode)) {
			err = -ENOTDIR;
			break;
		}
		if (walk_one(nd, &buf, &p, &cur, &err))
			break;
	}
	if (buf != copy)
		free(buf);
	nd->stackbuf = NULL;
	/* a caller that passed no walk state does not want the host path */
	if (nd->w == &nd->wlocal) {
		free(nd->wlocal.host_path);
		nd->wlocal.host_path = NULL;
	}
	return err;
}
