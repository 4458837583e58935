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
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vfs.h"

/* Lexical normalization of an absolute path into out ("/a/./b/../c" -> "/a/c"). */
static int normalize(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const char *p = in; *p;) {
		const char *end;
		size_t n;

		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		n = (size_t)(end - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
		} else if (n && !(n == 1 && *p == '.')) {
			if (o + n + 2 > len)
				return -ENAMETOOLONG;
			out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = end;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return 0;
}

/* An absolute path: in a mount when its normalized form is. */
static int classify_absolute(struct sys_call *c, struct path_ref *p)
{
	char norm[PATH_MAX];

	if (normalize(p->buf, norm, sizeof(norm)))
		return 0; /* too long for a mount path: the host answers */
	p->mnt = mount_find(c->sb, norm);
	return 0;
}

/* A relative path from a host directory (`link` names it in /proc): into a mount? */
static int classify_host_relative(struct sys_call *c, const char *link, struct path_ref *p)
{
	char base[PATH_MAX], joined[2 * PATH_MAX + 2], norm[PATH_MAX];
	ssize_t n = readlink(link, base, sizeof(base) - 1);

	(void)c;
	if (n <= 0 || base[0] != '/')
		return 0;
	base[n] = '\0';
	snprintf(joined, sizeof(joined), "%s/%s", base, p->buf);
	if (normalize(joined, norm, sizeof(norm)) || !(p->mnt = mount_find(c->sb, norm)))
		return 0;
	/* The mount sees the absolute path; it lies within buf's size by normalize(). */
	memcpy(p->buf, norm, strlen(norm) + 1);
	return 0;
}

int path_lookup(struct sys_call *c, int dirfd, uint64_t upath, int flags, struct path_ref *p)
{
	long n = guest_read_str(c->tid, p->buf, upath, sizeof(p->buf));
	char link[64];
	struct kfile *f;
	int64_t r;

	p->mnt = NULL;
	p->dir = NULL;
	p->path = p->buf;
	if (n < 0)
		return (int)n;
	if (n == 0 && !(flags & LOOKUP_EMPTY_OK))
		return -ENOENT;
	if (p->buf[0] == '/')
		return classify_absolute(c, p);
	if (dirfd == AT_FDCWD) {
		struct fsctx *fc = fsctx_get(c);

		if (fc) {
			p->mnt = fc->mnt;
			p->dir = fc->cwd;
			return 0;
		}
		snprintf(link, sizeof(link), "/proc/%d/cwd", c->tid);
		return classify_host_relative(c, link, p);
	}
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
