// SPDX-License-Identifier: MIT
/*
 * /proc's magic links judged by the object they lead to, not by how the
 * path is spelled.
 *
 * A guest process whose cwd is in a mount, or which holds an fd of a mount
 * file, has on the host a cwd and an fd that are something else (its old
 * host directory, a placeholder memfd). Linux's /proc/PID/cwd, root and
 * fd/N jump to the object itself (nd_jump_link()), so the sandbox must do
 * the same wherever such a link appears in a path: /proc/self/cwd/f,
 * /proc/./123/fd/4/../x, /proc/thread-self/cwd, a host symlink to
 * /proc/self/cwd, /dev/fd/5/... A lexical reading cannot see those, so the
 * path is walked here the way the host walks it, component by component,
 * symlinks read and followed, ".." applied to the resolved prefix, and
 * "self" and "thread-self" read as the calling guest's. Where the walk
 * reaches a magic link (of any process: Linux lets a caller follow the
 * links of processes it may ptrace-read, which the lookup as the guest
 * decides), the object is asked of the sandbox: a mount object continues
 * the walk in its mount; anything else is the host's.
 *
 * The walk is costly, so it runs only when it may matter: when the host,
 * asked to resolve the path without magic links, answers ELOOP, or when
 * the path names "self" (which the supervisor reads as itself).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

/* Linux's MAXSYMLINKS: the host answers ELOOP past it, and so does the guest's own walk. */
#define PROC_MAXSYMLINKS 40

enum magic_kind { MAGIC_NONE, MAGIC_CWD, MAGIC_ROOT, MAGIC_FD, MAGIC_OTHER };

struct pwalk {
	struct sys_call *c;
	char done[PATH_MAX];          /* the resolved prefix: no symlink, no "." or ".." */
	size_t dlen;
	char todo[2 * PATH_MAX + 2];  /* what is left to walk */
	int hops;
	bool canon;                   /* proc_canonical(): stop at a final magic link */
	bool complete;                /* the whole path was walked (done is all of it) */
};

pid_t proc_tgid(pid_t pid)
{
	char path[64], buf[4096], *s;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	n = proc_read(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return n;
	s = strstr(buf, "\nTgid:");
	return s ? (pid_t)strtol(s + 6, NULL, 10) : -ESRCH;
}

/* "/proc/N/..." or "/proc/N/task/T/...": the process named, and the component after it. */
const char *proc_pid_part(const char *path, pid_t *pid)
{
	char *end;
	long v;

	if (strncmp(path, "/proc/", 6) || path[6] < '1' || path[6] > '9')
		return NULL;
	v = strtol(path + 6, &end, 10);
	if (*end != '/' || v > INT_MAX)
		return NULL;
	*pid = (pid_t)v;
	if (!strncmp(end, "/task/", 6) && end[6] >= '1' && end[6] <= '9') {
		v = strtol(end + 6, &end, 10);
		if (*end != '/' || v > INT_MAX)
			return NULL;
		*pid = (pid_t)v;
	}
	return end + 1;
}

/* Which magic link the resolved path `path` is, if any. */
static enum magic_kind magic_kind(const char *path, pid_t *pid)
{
	const char *s = proc_pid_part(path, pid);

	if (!s)
		return MAGIC_NONE;
	if (!strcmp(s, "cwd"))
		return MAGIC_CWD;
	if (!strcmp(s, "root"))
		return MAGIC_ROOT;
	if (!strncmp(s, "fd/", 3) && s[3] >= '0' && s[3] <= '9' && !strchr(s + 3, '/'))
		return MAGIC_FD;
	if (!strcmp(s, "exe") || (!strncmp(s, "map_files/", 10) && !strchr(s + 10, '/')))
		return MAGIC_OTHER;
	return MAGIC_NONE;
}

ssize_t proc_graft_link(struct sandbox *sb, const char *host, char *target, ssize_t n, size_t len)
{
	struct mount *m;
	struct stat st;
	size_t top;
	pid_t pid;

	/* "/" only: pipes, sockets and anonymous files read "pipe:[N]" and the like */
	/* never the supervisor's own links (its graft roots): the guest's to read as itself, or not */
	if (n <= 0 || target[0] != '/' || !mount_graft_of_dev(sb, 0) ||
	    magic_kind(host, &pid) == MAGIC_NONE || proc_tgid(pid) == getpid() || stat(host, &st) ||
	    !(m = mount_graft_of_dev(sb, st.st_dev)))
		return n;
	/* the graft's root itself: its mount point alone */
	if (n == 1)
		n = 0;
	top = strlen(m->path);
	if (top + (size_t)n > len)
		return -ENAMETOOLONG;
	memmove(target + top, target, (size_t)n);
	memcpy(target, m->path, top);
	return (ssize_t)(top + (size_t)n);
}

/* Whether "/proc" is procfs (the only place its magic links are looked for). Read once. */
static bool proc_is_procfs(void)
{
	static int known = -1;
	struct statfs sf;

	if (known < 0)
		known = !statfs("/proc", &sf) && sf.f_type == PROC_SUPER_MAGIC;
	return known;
}

/* The mount object a file of the sandbox is, if any. */
static struct tmpfs_inode *kfile_object(struct sandbox *sb, struct kfile *f, struct mount **mnt)
{
	struct tmpfs_file *tf = tmpfs_file_of(f);

	*mnt = NULL;
	if (tf) {
		*mnt = mount_of_fs(sb, tmpfs_file_mount(tf));
		return *mnt ? tmpfs_file_inode(tf) : NULL;
	}
	if (f->ops->node_inode)
		return f->ops->node_inode(f, mnt);
	return NULL;
}

/*
 * The object magic link `path` (of process pid) leads to: 0 with *ino and
 * *mnt for a mount object, 1 for the host's, or -errno when the guest may
 * not follow it (the lookup, as the guest, of the link's target: EACCES
 * for another user's process, ENOENT for a closed fd), which the host
 * then answers the guest itself.
 */
static int magic_object(struct sys_call *c, const char *path, enum magic_kind kind, pid_t pid,
			struct mount **mnt, struct tmpfs_inode **ino)
{
	const struct fsctx *fc;
	struct kfile *f;
	struct stat st;
	int err;

	*ino = NULL;
	if (stat(path, &st))
		return -errno;
	if (kind == MAGIC_CWD) {
		err = fsctx_of_pid(c, pid, &fc);
		if (err || !fc)
			return err ? err : 1;
		*mnt = fc->mnt;
		*ino = fc->cwd;
		return 0;
	}
	if (kind != MAGIC_FD)
		return 1;
	f = kfile_find(c->sb, st.st_dev, st.st_ino);
	if (f)
		*ino = kfile_object(c->sb, f, mnt);
	return *ino ? 0 : 1;
}

/* Replaces what is left with `target` followed by `rest`. Returns 0 or -ENAMETOOLONG. */
static int pwalk_splice(struct pwalk *w, const char *target, const char *rest)
{
	char tmp[sizeof(w->todo)];

	if (strlen(target) + strlen(rest) + 2 > sizeof(tmp))
		return -ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s/%s", target, rest);
	memcpy(w->todo, tmp, strlen(tmp) + 1);
	if (target[0] == '/')
		w->dlen = 0;
	w->done[w->dlen] = '\0';
	return 0;
}

/* Appends a component to the resolved prefix. Returns 0, or 1 when too long for the walk. */
static int pwalk_append(struct pwalk *w, const char *name, size_t n)
{
	if (w->dlen + n + 2 > sizeof(w->done))
		return 1;
	w->done[w->dlen++] = '/';
	memcpy(w->done + w->dlen, name, n);
	w->dlen += n;
	w->done[w->dlen] = '\0';
	return 0;
}

/* "self" and "thread-self" directly under /proc: the calling guest's, not the supervisor's. */
static int pwalk_self(struct pwalk *w, const char *name, size_t n)
{
	const struct guest_cred *gc;
	char sub[64];
	int err;

	if (strcmp(w->done, "/proc") || !proc_is_procfs() ||
	    !((n == 4 && !strncmp(name, "self", 4)) || (n == 11 && !strncmp(name, "thread-self", 11))))
		return 1;
	err = sys_cred(w->c, &gc);
	if (err)
		return err;
	if (n == 4)
		snprintf(sub, sizeof(sub), "%d", gc->tgid);
	else
		snprintf(sub, sizeof(sub), "%d/task/%d", gc->tgid, w->c->tid);
	return pwalk_append(w, sub, strlen(sub)) ? -ENAMETOOLONG : 0;
}

/* What is left after the link, for the mount's walk: "" (the object), "." (a trailing slash) or the rest. */
static int pwalk_hit(const char *rest, struct mount *mnt, struct tmpfs_inode *ino, struct path_ref *p)
{
	const char *r = rest;

	while (*r == '/')
		r++;
	p->mnt = mnt;
	p->dir = ino;
	p->via_magic = true;
	if (!*r && *rest == '/')
		r = ".";
	if (!*r) {
		p->path = tmpfs_path_self;
		return 0;
	}
	if (strlen(r) >= sizeof(p->buf))
		return -ENAMETOOLONG;
	memmove(p->buf, r, strlen(r) + 1);
	p->path = p->buf;
	return 0;
}

/*
 * One step at a magic link: 0 with p set (a mount object), 1 to go on
 * (the walk continues at the host object, when its name can be read), 2
 * when the rest is the host's alone, or -errno.
 */
static int pwalk_magic(struct pwalk *w, enum magic_kind kind, pid_t pid, const char *rest,
		       struct path_ref *p)
{
	struct tmpfs_inode *ino;
	struct mount *mnt;
	char target[PATH_MAX];
	ssize_t n;
	int r = magic_object(w->c, w->done, kind, pid, &mnt, &ino);

	/* Not ours to follow (EACCES), or gone (ENOENT): the host answers the guest itself. */
	if (r < 0)
		return 2;
	if (r == 0)
		return pwalk_hit(rest, mnt, ino, p);
	n = readlink(w->done, target, sizeof(target) - 1);
	if (n <= 0 || target[0] != '/')
		return 2;
	target[n] = '\0';
	if (n > 10 && !strcmp(target + n - 10, " (deleted)"))
		return 2;
	if (++w->hops > PROC_MAXSYMLINKS)
		return 2;
	return pwalk_splice(w, target, rest) ? 2 : 1;
}

/* A final magic link not followed: the object itself for LOOKUP_MAGIC (0), else the host's (1). */
static int pwalk_final_magic(struct pwalk *w, enum magic_kind kind, pid_t pid, int flags,
			     struct path_ref *p)
{
	struct tmpfs_inode *ino;
	struct mount *mnt;
	int r;

	if (!(flags & LOOKUP_MAGIC))
		return 1;
	r = magic_object(w->c, w->done, kind, pid, &mnt, &ino);
	if (r)
		return 1; /* the host's link, or one the host refuses the guest itself */
	p->mnt = mnt;
	p->dir = ino;
	p->path = tmpfs_path_self;
	p->magic = true;
	p->via_magic = true;
	return 0;
}

/*
 * The walk itself. Returns 0 with p set to a mount object and what is left
 * after it, 1 when the path is the host's, or -errno for the guest.
 */
static int pwalk_run(struct pwalk *w, int flags, struct path_ref *p)
{
	char *s = w->todo;

	for (;;) {
		char target[PATH_MAX], *end;
		enum magic_kind kind;
		bool follow;
		struct stat st;
		pid_t pid;
		size_t n;
		ssize_t len;
		int r;

		while (*s == '/')
			s++;
		if (!*s) {
			w->complete = true;
			return 1;
		}
		end = strchrnul(s, '/');
		n = (size_t)(end - s);
		/* A final component is followed by the calls that follow (and by a trailing slash). */
		follow = *end || (flags & LOOKUP_FDLINK);
		if (n == 1 && *s == '.') {
			s = end;
			continue;
		}
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (w->dlen > 0 && w->done[--w->dlen] != '/')
				;
			w->done[w->dlen] = '\0';
			s = end;
			continue;
		}
		r = pwalk_self(w, s, n);
		if (r <= 0) {
			if (r)
				return r;
			s = end;
			continue;
		}
		if (pwalk_append(w, s, n))
			return 1;
		kind = proc_is_procfs() ? magic_kind(w->done, &pid) : MAGIC_NONE;
		if (kind != MAGIC_NONE) {
			w->complete = !*end;
			if (!follow || (w->canon && !*end))
				return w->canon ? 1 : pwalk_final_magic(w, kind, pid, flags, p);
			w->complete = false;
			r = pwalk_magic(w, kind, pid, end, p);
			if (r != 1)
				return r == 2 ? 1 : r;
			s = w->todo;
			continue;
		}
		if (lstat(w->done, &st)) {
			/* canonical: a last name that does not exist yet (mkdir, O_CREAT) is the host's to make */
			if (w->canon && *end)
				return -errno;
			w->complete = !*end;
			return 1; /* the host gives the guest its answer */
		}
		if (!S_ISLNK(st.st_mode) || !follow) {
			s = end;
			continue;
		}
		len = readlink(w->done, target, sizeof(target) - 1);
		if (len <= 0 || ++w->hops > PROC_MAXSYMLINKS)
			return 1;
		target[len] = '\0';
		while (w->dlen > 0 && w->done[--w->dlen] != '/')
			;
		w->done[w->dlen] = '\0';
		if (pwalk_splice(w, target, end))
			return 1;
		s = w->todo;
	}
}

/* Whether a component of path is "self" or "thread-self" (which the supervisor reads as its own). */
static bool names_self(const char *path)
{
	for (const char *s = path; (s = strstr(s, "self")); s += 4) {
		const char *start = s >= path + 7 && !strncmp(s - 7, "thread-", 7) ? s - 7 : s;

		if ((start == path || start[-1] == '/') && (s[4] == '/' || !s[4]))
			return true;
	}
	return false;
}

/* Whether the host sees a magic link on the way (ELOOP without them), or "self" may hide one. */
static bool may_pass_magic(const char *abs, int flags)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_MAGICLINKS };
	int fd;

	if (names_self(abs))
		return true;
	if (!(flags & (LOOKUP_FDLINK | LOOKUP_MAGIC)))
		how.flags |= O_NOFOLLOW;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, abs, &how, sizeof(how));
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return errno == ELOOP;
}

static struct pwalk *pwalk_new(struct sys_call *c, bool canon)
{
	struct pwalk *w = tmpfs_malloc(sizeof(*w));

	if (!w)
		return NULL;
	w->c = c;
	w->hops = 0;
	w->dlen = 0;
	w->done[0] = '\0';
	w->canon = canon;
	w->complete = false;
	return w;
}

/* The walk, as the guest when the supervisor can take its identity. */
static int pwalk_as_guest(struct pwalk *w, int flags, struct path_ref *p)
{
	const struct guest_cred *gc;
	int r = sys_cred(w->c, &gc);

	/* Never as the supervisor: a walk it cannot make as the guest fails (docs/security.md). */
	if (!r)
		r = cred_host_enter(&gc->fs);
	if (r)
		return r;
	r = pwalk_run(w, flags, p);
	cred_host_leave();
	return r;
}

int proc_canonical(struct sys_call *c, const char *path, int flags, char *out, size_t len)
{
	struct path_ref *p = tmpfs_malloc(sizeof(*p));
	struct pwalk *w = pwalk_new(c, true);
	int r = -ENOMEM;

	if (!w || !p)
		goto out;
	r = -ENAMETOOLONG;
	if (strlen(path) >= sizeof(w->todo))
		goto out;
	memcpy(w->todo, path, strlen(path) + 1);
	r = pwalk_as_guest(w, flags, p);
	if (r == 0)
		r = -EXDEV; /* a mount object: not the host's (changed since the caller looked) */
	else if (r == 1 && !w->complete)
		r = -ELOOP;
	else if (r == 1)
		r = (size_t)snprintf(out, len, "%s", w->dlen ? w->done : "/") >= len ? -ENAMETOOLONG : 0;
out:
	free(w);
	free(p);
	return r;
}

int proc_resolve(struct sys_call *c, const char *base, int flags, struct path_ref *p)
{
	struct pwalk *w;
	int r;

	if (!c->sb->nmounts || !proc_is_procfs())
		return 1;
	w = pwalk_new(c, false);
	if (!w)
		return -ENOMEM;
	if (snprintf(w->todo, sizeof(w->todo), "%s/%s", base ? base : "", p->buf) >= (int)sizeof(w->todo) ||
	    !may_pass_magic(w->todo, flags)) {
		free(w);
		return 1;
	}
	r = pwalk_as_guest(w, flags, p);
	free(w);
	return r;
}

int proc_host_path(struct sys_call *c, struct path_ref *p)
{
	char canon[PATH_MAX];
	pid_t pid;

	if (!proc_is_procfs() || proc_canonical(c, p->buf, p->lflags, canon, sizeof(canon)) ||
	    strncmp(canon, "/proc", 5) || (canon[5] && canon[5] != '/'))
		return 0;
	/* The supervisor's own /proc is never reached with its own rights (same_thread_group()). */
	if (proc_pid_part(canon, &pid) && proc_tgid(pid) == getpid())
		return -EACCES;
	memcpy(p->buf, canon, strlen(canon) + 1);
	return 0;
}
