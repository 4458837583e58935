// SPDX-License-Identifier: MIT
/*
 * Path lookup at the sandbox level: which file system a guest (dirfd, path)
 * pair names. Inside a mount the file system walks the rest itself (and
 * hands back what leaves it, see tmpfs.h); here only the first step is
 * decided: an absolute path by its prefix, a relative one by where its
 * starting directory is (a mount cwd, a mount directory fd, or a host
 * directory whose path leads into a mount).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

enum path_step path_next(const char **p, size_t *n)
{
	while (**p == '/')
		(*p)++;
	*n = (size_t)(strchrnul(*p, '/') - *p);
	if (!*n)
		return PATH_END;
	if (*n == 1 && (*p)[0] == '.')
		return PATH_DOT;
	if (*n == 2 && (*p)[0] == '.' && (*p)[1] == '.')
		return PATH_DOTDOT;
	return PATH_NAME;
}

void path_pop(const char *buf, size_t *o)
{
	while (*o > 0 && buf[--*o] != '/')
		;
}

int path_normalize(const char *in, char *out, size_t len)
{
	enum path_step k;
	size_t o = 0, n;

	for (const char *p = in; (k = path_next(&p, &n)) != PATH_END; p += n) {
		if (k == PATH_DOTDOT) {
			path_pop(out, &o);
		} else if (k == PATH_NAME) {
			if (o + n + 2 > len)
				return -ENAMETOOLONG;
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/*
 * Walks an absolute path lexically, component by component: the first prefix
 * that lies in a mount decides, since a walk that enters a mount is the
 * mount's to finish (it may leave again: "/mnt/t/d/../../x"). The path handed
 * on is that mount's own path followed by the rest, as written.
 */
static int classify_walk(struct sys_call *c, const char *path, struct path_ref *p)
{
	char prefix[PATH_MAX];
	size_t o = 0;

	for (const char *s = path; *s;) {
		const char *end;
		size_t n;

		while (*s == '/')
			s++;
		end = strchrnul(s, '/');
		n = (size_t)(end - s);
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 0 && prefix[--o] != '/')
				;
		} else if (n && !(n == 1 && *s == '.')) {
			if (o + n + 2 > sizeof(prefix))
				return 0; /* too long for any mount: the host answers */
			prefix[o++] = '/';
			memcpy(prefix + o, s, n);
			o += n;
			prefix[o] = '\0';
			p->mnt = mount_find(c->sb, prefix);
			/* (a graft lies in a mount, whose shorter prefix comes first) */
			if (p->mnt && (p->mnt->host_root >= 0 || p->mnt->alias))
				return -EXDEV;
			if (p->mnt) {
				if (o + strlen(end) + 1 > sizeof(p->buf))
					return -ENAMETOOLONG;
				memmove(p->buf + o, end, strlen(end) + 1);
				memcpy(p->buf, prefix, o);
				return 0;
			}
		}
		s = end;
	}
	return 0;
}

/* No mount prefix: a magic link of /proc on the way may still lead into one (procfs.c). */
static int classify_proc(struct sys_call *c, const char *base, struct path_ref *p)
{
	int r = p->mnt ? 1 : proc_resolve(c, base, p->lflags, p);

	return r < 0 ? r : 0;
}

static int classify_absolute(struct sys_call *c, struct path_ref *p)
{
	char copy[PATH_MAX];
	int r;

	memcpy(copy, p->buf, strlen(p->buf) + 1);
	r = classify_walk(c, copy, p);
	return r ? r : classify_proc(c, NULL, p);
}

/* A relative path from a host directory (`link` names it in /proc): into a mount? */
static int classify_host_relative(struct sys_call *c, const char *link, struct path_ref *p)
{
	char base[PATH_MAX], joined[2 * PATH_MAX + 2], norm[PATH_MAX];
	ssize_t n = readlink(link, base, sizeof(base) - 1);
	int r;

	(void)c;
	if (n <= 0 || base[0] != '/')
		return 0;
	base[n] = '\0';
	snprintf(joined, sizeof(joined), "%s/%s", base, p->buf);
	if (strlen(joined) >= sizeof(norm))
		return 0;
	memcpy(norm, joined, strlen(joined) + 1);
	/* Into a mount: the mount sees the absolute path; else the host resolves it as given. */
	r = classify_walk(c, norm, p);
	return r ? r : classify_proc(c, base, p);
}

static int path_classify(struct sys_call *c, int dirfd, long n, int flags, struct path_ref *p);

/*
 * A relative path from a cwd in a graft: the same path made absolute in the
 * guest's view, which the walk of the graft's parent mount takes into the
 * graft (where the call finishes on the host, sys_path.c).
 */
static int classify_graft_cwd(struct sys_call *c, const struct fsctx *fc, struct path_ref *p)
{
	char cwd[PATH_MAX], joined[2 * PATH_MAX + 2];
	int n = fsctx_path(fc, cwd, sizeof(cwd));

	if (n < 0)
		return n == -ERANGE ? -ENAMETOOLONG : n;
	if ((size_t)snprintf(joined, sizeof(joined), "%s/%s", cwd, p->buf) >= sizeof(p->buf))
		return -ENAMETOOLONG;
	memcpy(p->buf, joined, strlen(joined) + 1);
	return classify_absolute(c, p);
}

int path_lookup(struct sys_call *c, int dirfd, uint64_t upath, int flags, struct path_ref *p)
{
	long n = upath == 0 && (flags & LOOKUP_NULL_OK) ? (p->buf[0] = '\0', 0)
						     : guest_read_str(c->tid, p->buf, upath, sizeof(p->buf));

	return path_lookup_read(c, dirfd, n, flags, p);
}

int path_lookup_read(struct sys_call *c, int dirfd, long n, int flags, struct path_ref *p)
{
	p->mnt = NULL;
	p->dir = NULL;
	p->path = p->buf;
	p->lflags = flags;
	p->magic = false;
	p->via_magic = false;
	if (n < 0)
		return (int)n;
	/* path_init(): LOOKUP_IN_ROOT starts an absolute path at dirfd (`ukcov fuzz` found it at "/") */
	if ((flags & LOOKUP_IN_ROOT) && p->buf[0] == '/') {
		size_t skip = strspn(p->buf, "/");

		n -= (long)skip;
		memmove(p->buf, p->buf + skip, (size_t)n + 1);
		if (n == 0)
			memcpy(p->buf, ".", 2), n = 1;
	}
	return path_classify(c, dirfd, n, flags, p);
}

int path_lookup_str(struct sys_call *c, int dirfd, const char *path, struct path_ref *p)
{
	size_t n = strlen(path);

	p->mnt = NULL;
	p->dir = NULL;
	p->path = p->buf;
	p->lflags = 0;
	p->magic = false;
	p->via_magic = false;
	if (n >= sizeof(p->buf))
		return -ENAMETOOLONG;
	memcpy(p->buf, path, n + 1);
	return path_classify(c, dirfd, (long)n, 0, p);
}

/*
 * /proc/self/fd/N, /proc/thread-self/fd/N, /proc/TID/fd/N (the caller's
 * thread or process), /dev/fd/N and /dev/std{in,out,err}: the caller's fd N,
 * with what follows it in *rest. Returns the fd, or -1 for any other path.
 */
/*
 * /dev/fd and /dev/std* are links the host's /dev may have (udev and
 * systemd make them, a bare initramfs has none): they lead to the caller's
 * fds only where they are there, pointing into /proc/self/fd. Read once.
 */
static bool host_dev_link(int i)
{
	static const char *const link[] = { "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/fd" };
	static const char *const target[] = { "/proc/self/fd/0", "/proc/self/fd/1", "/proc/self/fd/2",
					      "/proc/self/fd" };
	static signed char known[4] = { -1, -1, -1, -1 };
	char buf[64];
	ssize_t n;

	if (known[i] < 0) {
		n = readlink(link[i], buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		known[i] = !strcmp(buf, target[i]);
	}
	return known[i];
}

static int fdlink_parse(struct sys_call *c, const char *s, const char **rest)
{
	static const char *const std[] = { "/dev/stdin", "/dev/stdout", "/dev/stderr" };
	const struct guest_cred *gc;
	const char *q = NULL;
	char *end;
	long v;

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, std[i]) && host_dev_link(i)) {
			*rest = s + strlen(s);
			return i;
		}
	if (!strncmp(s, "/dev/fd/", 8) && host_dev_link(3))
		q = s + 8;
	else if (!strncmp(s, "/proc/self/fd/", 14))
		q = s + 14;
	else if (!strncmp(s, "/proc/thread-self/fd/", 21))
		q = s + 21;
	else if (!strncmp(s, "/proc/", 6) && s[6] >= '1' && s[6] <= '9') {
		v = strtol(s + 6, &end, 10);
		if (strncmp(end, "/fd/", 4) ||
		    (v != c->tid && (sys_cred(c, &gc) || v != gc->tgid)))
			return -1;
		q = end + 4;
	}
	if (!q || *q < '0' || *q > '9')
		return -1;
	v = strtol(q, &end, 10);
	if (v > INT_MAX || (*end && *end != '/'))
		return -1;
	while (*end == '/')
		end++;
	/* "N/": the file must be a directory, as "." after it says */
	*rest = *end || end[-1] != '/' ? end : ".";
	return (int)v;
}

/*
 * A magic link to an open tmpfs file or node leads to it, as Linux's do
 * (nd_jump_link()), where the host would reach its placeholder or private
 * object: with components after it (a directory's fd) for every call, on
 * its own for calls that follow a final symlink (LOOKUP_FDLINK). Returns 0
 * with p set, or 1 when the path is no such link (the caller goes on).
 */
static int classify_fdlink(struct sys_call *c, int flags, struct path_ref *p)
{
	struct tmpfs_inode *ino = NULL;
	struct tmpfs_file *tf;
	struct mount *mnt = NULL;
	const char *rest;
	struct kfile *f;
	int fd = fdlink_parse(c, p->buf, &rest);

	if (fd < 0 || fd_get(c, fd, &f))
		return 1;
	if ((tf = tmpfs_file_of(f))) {
		ino = tmpfs_file_inode(tf);
		mnt = mount_of_fs(c->sb, tmpfs_file_mount(tf));
	} else if (f->ops->node_inode) {
		ino = f->ops->node_inode(f, &mnt);
	}
	if (!ino || !mnt || (!*rest && !(flags & (LOOKUP_FDLINK | LOOKUP_MAGIC))))
		return 1;
	p->magic = !*rest && !(flags & LOOKUP_FDLINK);
	p->via_magic = true;
	p->mnt = mnt;
	p->dir = ino;
	p->path = *rest ? rest : tmpfs_path_self;
	return 0;
}

static int path_classify(struct sys_call *c, int dirfd, long n, int flags, struct path_ref *p)
{
	char link[64];
	struct kfile *f;
	int64_t r;

	if (p->buf[0] == '/' && c->sb->nmounts && !classify_fdlink(c, flags, p))
		return 0;
	if (n == 0 && !(flags & LOOKUP_EMPTY_OK))
		return -ENOENT;
	if (p->buf[0] == '/')
		return classify_absolute(c, p);
	if (dirfd == AT_FDCWD) {
		const struct fsctx *fc;
		int err = fsctx_get(c, &fc);

		if (err)
			return err;
		if (fc && !fc->cwd)
			return classify_graft_cwd(c, fc, p);
		if (fc) {
			p->mnt = fc->mnt;
			p->dir = fc->cwd;
			return 0;
		}
		snprintf(link, sizeof(link), "/proc/%d/cwd", c->tid);
		return classify_host_relative(c, link, p);
	}
	/*
	 * With a name, dirfd is only where the walk starts (path_init() takes
	 * its f_path); a stat of the file itself reads its inode. p keeps only
	 * the inode: nothing of the description is read. Other calls on the
	 * file itself load it all (linkat()'s AT_EMPTY_PATH checks the opener).
	 */
	if (n > 0 || c->nr == SYS_newfstatat || c->nr == SYS_statx)
		r = fd_get_file_only(c, dirfd, &f);
	else
		r = fd_get(c, dirfd, &f);
	if (r == -EBADF)
		return -EBADF;
	if (r == 0) {
		struct tmpfs_file *tf = tmpfs_file_of(f);

		if (!tf)
			return n ? -ENOTDIR : 0;
		p->mnt = mount_of_fs(c->sb, tmpfs_file_mount(tf));
		p->dir = tmpfs_file_inode(tf);
		return 0;
	}
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", c->tid, dirfd);
	return classify_host_relative(c, link, p);
}
