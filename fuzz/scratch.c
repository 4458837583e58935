// SPDX-License-Identifier: MIT
/* The fuzz guest's scratch directories and their guard: see scratch.h. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/fsuid.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../tests/tmpfs/fsscript.h"
#include "scratch.h"

/*
 * Level k above W (1: its parent): T followed by FZ_DEPTH - k + 1 "/d",
 * the first of them padded with more d's to make W's path @width long on
 * both sides: getcwd and readlink return lengths.
 */
static void level_path(const struct side *s, int k, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "%s/d%.*s", s->top, (int)s->pad,
				    "dddddddddddddddddddddddddddddddddddddddddddddddd"
				    "dddddddddddddddddddddddddddddddddddddddddddddddd");

	for (int i = 1; i < FZ_DEPTH - k + 1 && n + 3 < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "/d");
}

int scratch_init(struct side *s, const char *name, const char *top, size_t width)
{
	char path[PATH_MAX];
	struct stat st;

	s->name = name;
	snprintf(s->top, sizeof(s->top), "%s", top);
	if (strlen(top) > width || width - strlen(top) > 96)
		return -ENAMETOOLONG;
	s->pad = width - strlen(top);
	for (int k = FZ_DEPTH; k >= 1; k--) {
		level_path(s, k, path, sizeof(path));
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
	}
	level_path(s, 2, path, sizeof(path));
	if (stat(path, &st) < 0)
		return -errno;
	s->level = st;
	level_path(s, 1, path, sizeof(path));
	if ((size_t)snprintf(s->root, sizeof(s->root), "%s/w", path) >= sizeof(s->root))
		return -ENAMETOOLONG;
	return 0;
}

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* getdents64's d_type of a directory (<dirent.h> would clash with struct dirent64 here) */
#define DT_DIR 4

static int rm_tree(int dirfd, const char *name, unsigned char type, int depth);

/*
 * Removes every entry of @fd (just opened) but @keep. Names are gathered a
 * buffer at a time and removed before the directory is read again from its
 * start, so no removal happens under an open readdir position. @once: a
 * buffer the directory did not half fill was all of it, no second reading
 * (the caller's rmdir finds out if not).
 */
static int empty_dir(int fd, const char *keep, int depth, int once)
{
	char buf[8192];
	long n;
	int removed;

	if (depth > 1024)
		return -ELOOP;
	for (int pass = 0;; pass++) {
		removed = 0;
		if (pass && lseek(fd, 0, SEEK_SET) < 0)
			return -errno;
		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		for (long p = 0; p < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + p);

			p += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
			    (keep && !strcmp(d->d_name, keep)))
				continue;
			if (rm_tree(fd, d->d_name, d->d_type, depth + 1) == 0)
				removed++;
		}
		if (!removed || (once && (size_t)n < sizeof(buf) / 2))
			return 0;
	}
}

/* @type: getdents' d_type (DT_UNKNOWN: an unlink tells) */
static int rm_tree(int dirfd, const char *name, unsigned char type, int depth)
{
	int fd, r;

	if (type != DT_DIR) {
		if (unlinkat(dirfd, name, 0) == 0)
			return 0;
		if (errno != EISDIR)
			return -errno;
	}
	for (int tries = 0; tries < 64; tries++) {
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		r = empty_dir(fd, NULL, depth, 1);
		close(fd);
		if (r < 0)
			return r;
		if (unlinkat(dirfd, name, AT_REMOVEDIR) == 0)
			return 0;
		if (errno != ENOTEMPTY)
			return -errno;
	}
	return -ENOTEMPTY;
}

/*
 * Scripts change the file-system identity (su, umask): set from the line
 * that may have changed it until root's is back, so that an input that
 * changed nothing costs no four trapped calls to put it back.
 */
static int identity_changed = 1;

void scratch_line(const char *line)
{
	if (!strncmp(line, "su ", 3) || !strncmp(line, "umask ", 6))
		identity_changed = 1;
}

void scratch_become_root(void)
{
	if (!identity_changed)
		return;
	syscall(SYS_setgroups, 0, NULL);
	setfsgid(0);
	setfsuid(0);
	umask(022);
	identity_changed = 0;
}

/*
 * W and all below it. A script may have removed W and made a file of its
 * name ("rmdir @; mknod @ S_IFREG"): then unlinked, or every later input
 * of the process would find its root not a directory. Tried only when the
 * tree's removal says so: no call more for the usual W.
 */
static int remove_root(const struct side *s)
{
	int r = rm_tree(AT_FDCWD, s->root, DT_DIR, 0);

	if (r == -ENOTDIR)
		r = unlink(s->root) < 0 ? -errno : 0;
	return r;
}

int scratch_fresh(struct side *s)
{
	int r;

	/* the clean-up before did it, unless a script ran since (the other side's) */
	scratch_become_root();
	if (mkdir(s->root, 01777) < 0) {
		if (errno == ENOENT && (r = scratch_init(s, s->name, s->top, strlen(s->top) + s->pad)) < 0)
			return r;
		if (errno == EEXIST && (r = remove_root(s)) < 0)
			return r;
		if (mkdir(s->root, 01777) < 0)
			return -errno;
	}
	return chmod(s->root, 01777) < 0 ? -errno : 0;
}

/* a level above W back as scratch_init made it: mode, owner, only "d" */
static int restore_level(const struct side *s, int k)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, r;

	level_path(s, k, path, sizeof(path));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st) == 0 && ((st.st_mode & 07777) != 0755 || st.st_uid || st.st_gid)) {
		if (fchown(fd, 0, 0) < 0 || fchmod(fd, 0755) < 0) {
			close(fd);
			return -errno;
		}
	}
	r = empty_dir(fd, k == 1 ? NULL : "d", 0, 0);
	close(fd);
	return r;
}

/*
 * The extended attributes and inode flags a script set on a level (a
 * setxattr or setflags through ".."): removed, or the next input, a
 * reproducer's fresh mount, would meet them on one side only.
 */
static int reset_attrs(const struct side *s, int k)
{
	char path[PATH_MAX], names[4096];
	int fd, flags = 0, none = 0;
	ssize_t n;

	level_path(s, k, path, sizeof(path));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	n = flistxattr(fd, names, sizeof(names));
	for (ssize_t p = 0; p < n; p += (ssize_t)strlen(names + p) + 1)
		fremovexattr(fd, names + p);
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && flags)
		ioctl(fd, FS_IOC_SETFLAGS, &none);
	close(fd);
	return 0;
}

/*
 * A level as scratch_init left it, by one stat of its path: a level whose
 * "d" was renamed away leaves the levels below it unreachable (ENOENT).
 */
static int level_intact(const struct side *s, int k)
{
	char path[PATH_MAX];
	struct stat st;

	level_path(s, k, path, sizeof(path));
	if (stat(path, &st) < 0)
		return errno == ENOENT ? -1 : 0;
	return st.st_mode == s->level.st_mode && st.st_uid == 0 && st.st_gid == 0 &&
	       st.st_size == s->level.st_size && st.st_nlink == s->level.st_nlink;
}

int scratch_clean(struct side *s, int up, int attrs)
{
	int r = 0, e, broken = 0;

	if (s->root[0] != '/') /* a side scratch_init() never set */
		return -EINVAL;
	scratch_become_root();
	s->su = 0;
	/*
	 * The cwd stays where the script left it, W's subtree (removed now) or
	 * W: the next chdir into the new W replaces its record, and a chdir out
	 * would cost a trapped call more.
	 */
	if ((e = remove_root(s)) < 0 && e != -ENOENT)
		r = e;
	if (up > FZ_DEPTH)
		up = FZ_DEPTH;
	for (int k = 1; k <= up; k++) {
		int ok = k == 1 || broken ? 0 : level_intact(s, k);

		/* a level cut off below: every level from here up is looked at */
		if (ok < 0)
			broken = 1;
		if (ok <= 0 && (e = restore_level(s, k)) < 0)
			r = e;
		if (attrs && (e = reset_attrs(s, k)) < 0)
			r = e;
	}
	return r;
}

/* inside W: W itself, below it, or W deleted (" (deleted)") */
static int within(const struct side *s, const char *path)
{
	size_t n = strlen(s->root);

	return !strncmp(path, s->root, n) &&
	       (path[n] == 0 || path[n] == '/' || path[n] == ' ');
}

/*
 * Where a directory is, by its own account: the kernel's getcwd() after a
 * fchdir(). /proc's links would not do: a sandbox file's shows the
 * supervisor's store, the cwd's the host cwd the sandbox keeps. Done with
 * root's file-system identity (search permission), as the script's
 * identity is given back after.
 */
static int dir_within(const struct side *s, int fd)
{
	char path[PATH_MAX];
	int here = -1, ok = 0, uid = 0, gid = 0;

	if (fd == AT_FDCWD)
		return syscall(SYS_getcwd, path, sizeof(path)) > 0 && within(s, path);
	if (s->su) {
		uid = setfsuid(0);
		gid = setfsgid(0);
	}
	here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fchdir(fd) == 0)
		ok = syscall(SYS_getcwd, path, sizeof(path)) > 0 && within(s, path);
	if (here < 0 || fchdir(here) < 0)
		ok = -1;
	if (here >= 0)
		close(here);
	if (s->su) {
		setfsgid((gid_t)gid);
		setfsuid((uid_t)uid);
	}
	return ok;
}

/* a directory fd outside W is closed; anything else may stay */
/*
 * A directory that is W itself, still at W's path, is inside: one stat of
 * the path, where dir_within() takes four calls (every rename looks at $w).
 */
static int is_root(const struct side *s, const struct stat *st)
{
	struct stat w;

	return stat(s->root, &w) == 0 && w.st_dev == st->st_dev && w.st_ino == st->st_ino;
}

static int guard_fd(struct side *s, const char *var)
{
	struct stat st;
	long fd = fsi_var(s->in, var);
	int ok;

	if (fd < 0 || fstat((int)fd, &st) < 0 || !S_ISDIR(st.st_mode) || is_root(s, &st))
		return 0;
	if ((ok = dir_within(s, (int)fd)) > 0)
		return 0;
	if (ok < 0 && chdir(s->root) < 0)
		return -1; /* the cwd is lost and W is gone */
	close((int)fd);
	fsi_set_var(s->in, var, -1);
	fprintf(s->txf, "# guard: $%s left the scratch root: closed\n", var);
	return 1;
}

static int guard_cwd(struct side *s)
{
	if (dir_within(s, AT_FDCWD) > 0)
		return 0;
	if (chdir(s->root) < 0)
		return -1; /* W is gone (renamed, removed): no cwd to stay in */
	fprintf(s->txf, "# guard: the cwd left the scratch root: back to it\n");
	return 1;
}

/* the last transcript line's result is 0 (a rename that moved something) */
static int last_ok(struct side *s)
{
	size_t n;

	fflush(s->txf);
	n = s->txlen;
	return n >= 6 && !memcmp(s->tx + n - 6, " => 0\n", 6);
}

/* sums the guards' results; -1 (stop) wins */
static int add(int *n, int r)
{
	if (r < 0 || *n < 0)
		*n = -1;
	else
		*n += r;
	return *n;
}

int scratch_guard(struct side *s, const char *line)
{
	const char *bind = strstr(line, " -> $");
	static const char *const vars[] = { "f0", "f1", "f2", "f3", "f4", "f5", "w" };
	char var[8];
	int n = 0;

	if (!strncmp(line, "su ", 3))
		s->su = strncmp(line, "su 0 ", 5) != 0;
	if (!strncmp(line, "rename", 6)) {
		if (!last_ok(s))
			return 0;
		add(&n, guard_cwd(s));
		for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
			add(&n, guard_fd(s, vars[i]));
	}
	if (!strncmp(line, "chdir ", 6) || !strncmp(line, "fchdir ", 7))
		add(&n, guard_cwd(s));
	if (bind) {
		snprintf(var, sizeof(var), "%.3s", bind + 5);
		var[strcspn(var, " \n")] = 0;
		add(&n, guard_fd(s, var));
	}
	if (n < 0)
		fprintf(s->txf, "# guard: the scratch root is gone with the cwd outside it: stop\n");
	return n;
}

int scratch_sets_attrs(const char *script)
{
	return strstr(script, "setxattr") || strstr(script, "setflags");
}

int scratch_reach(const char *script)
{
	int most = 0, links = 0;

	for (const char *l = script; *l;) {
		size_t len = strcspn(l, "\n");
		int dots = 0;

		for (const char *p = l; p + 1 < l + len; p++)
			if (p[0] == '.' && p[1] == '.')
				dots++, p++;
		if (dots > most)
			most = dots;
		if (dots && !strncmp(l, "symlink", 7))
			links = 1;
		l += len + (l[len] == '\n');
	}
	/* without "..", nothing above W is ever named (W itself is removed) */
	return most ? 1 + most + (links ? 40 * FZ_MAX_TARGET_COMPS : 0) : 0;
}
