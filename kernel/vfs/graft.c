// SPDX-License-Identifier: MIT
/*
 * Grafts: a host file system (LTP's loop-device ext2/ext4) that the guest
 * mounts onto a directory of a mount. The supervisor makes it as a
 * detached mount (fsopen/fsmount): it is in no directory of the host, and
 * goes when its fd does (the sandbox's end, or a crash). Paths below the
 * mount point lead into it through /proc/PID/fd/N of that fd (sys_path.c),
 * so the host's file system answers every call there.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfs.h"

/* mount(2)'s per-mount flags as fsmount(2)'s attributes */
static unsigned int graft_attrs(unsigned long flags)
{
	static const struct { unsigned long ms; unsigned int attr; } map[] = {
		{ MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID },
		{ MS_NODEV, MOUNT_ATTR_NODEV }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ MS_NOATIME, MOUNT_ATTR_NOATIME }, { MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
		{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME }, { MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW },
	};
	unsigned int attr = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (flags & map[i].ms)
			attr |= map[i].attr;
	return attr;
}

/* The options string of mount(2), one fsconfig() each, as the legacy parser does. */
static int graft_options(int fs, const char *data)
{
	char buf[4096], *save = NULL;

	if (!data)
		return 0;
	snprintf(buf, sizeof(buf), "%s", data);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *v = strchr(t, '=');
		int r;

		if (v)
			*v++ = '\0';
		r = v ? fsconfig(fs, FSCONFIG_SET_STRING, t, v, 0) : fsconfig(fs, FSCONFIG_SET_FLAG, t, NULL, 0);
		if (r)
			return -errno;
	}
	return 0;
}

static const struct {
	unsigned long ms;
	const char *name;
} sb_flags[] = {
	{ MS_RDONLY, "ro" }, { MS_SYNCHRONOUS, "sync" }, { MS_DIRSYNC, "dirsync" },
	{ MS_LAZYTIME, "lazytime" }, { MS_MANDLOCK, "mand" },
};

int graft_create(const char *type, const char *source, unsigned long flags, const char *data)
{
	int fs = fsopen(type, FSOPEN_CLOEXEC), mnt = -1, err = 0;

	if (fs < 0)
		return -errno;
	if (source && fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0))
		err = -errno;
	if (!err)
		err = graft_options(fs, data);
	/* the super block's flags of mount(2) (do_new_mount()'s sb_flags), by their option names */
	for (size_t i = 0; i < sizeof(sb_flags) / sizeof(sb_flags[0]) && !err; i++)
		if ((flags & sb_flags[i].ms) && fsconfig(fs, FSCONFIG_SET_FLAG, sb_flags[i].name, NULL, 0))
			err = -errno;
	if (!err && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		err = -errno;
	if (!err && (mnt = fsmount(fs, FSMOUNT_CLOEXEC, graft_attrs(flags))) < 0)
		err = -errno;
	close(fs);
	return err ? err : mnt;
}

/*
 * A graft's files are host fds of the guests, its cwds host directories:
 * it is busy while a guest process holds an fd, a mapping or a cwd on its
 * device (a file system of its own: a graft is never a bind). Unsure (a
 * process that could not be looked at): busy, as EBUSY is the safe answer.
 */
bool graft_busy(int mnt)
{
	struct stat st;

	return fstat(mnt, &st) || kfile_dev_held(st.st_dev) != 0;
}

int graft_remount(int mnt, unsigned long flags)
{
	struct mount_attr a = { .attr_set = flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0,
				.attr_clr = flags & MS_RDONLY ? 0 : MOUNT_ATTR_RDONLY };

	return mount_setattr(mnt, "", AT_EMPTY_PATH, &a, sizeof(a)) ? -errno : 0;
}

int graft_host_path(const struct mount *m, const char *rest, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "/proc/%d/fd/%d%s", (int)getpid(), m->host_root, rest) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* path = @head (up to @n bytes of it) + "/" + @mid + @tail; 1, or -ENAMETOOLONG */
static int graft_rewrite(char *path, size_t len, const char *head, size_t n, const char *mid, const char *tail)
{
	char out[PATH_MAX];

	if ((size_t)snprintf(out, sizeof(out), "%.*s%s%s%s", (int)n, head, *mid ? "/" : "", mid, tail) >= sizeof(out) ||
	    strlen(out) >= len)
		return -ENAMETOOLONG;
	memcpy(path, out, strlen(out) + 1);
	return 1;
}

/* ".." at the graft's root: the mount point's parent, in the guest's view */
static int graft_dotdot(const struct mount *m, char *path, size_t len, const char *tail)
{
	const char *slash = strrchr(m->path, '/');
	size_t n = slash && slash != m->path ? (size_t)(slash - m->path) : 0;

	return graft_rewrite(path, len, n ? m->path : "/", n ? n : 1, "", tail);
}

/* the symlink at @rel (graft-relative) read, and path rewritten to where it leads */
static int graft_symlink(const struct mount *m, const char *rel, char *path, size_t len, const char *tail)
{
	char target[PATH_MAX], dir[PATH_MAX];
	const char *slash = strrchr(rel, '/');
	ssize_t n = readlinkat(m->host_root, rel, target, sizeof(target) - 1);

	if (n < 0)
		return -errno;
	target[n] = '\0';
	if (!n)
		return -ENOENT;
	if (target[0] == '/')
		return graft_rewrite(path, len, target, (size_t)n, "", tail);
	/* relative: from the link's directory, in the guest's view */
	if (slash)
		snprintf(dir, sizeof(dir), "%s/%.*s", m->path, (int)(slash - rel), rel);
	else
		snprintf(dir, sizeof(dir), "%s", m->path);
	return graft_rewrite(path, len, dir, strlen(dir), target, tail);
}

static int graft_walk(const struct mount *m, char *path, size_t len, bool follow_last)
{
	char rest[PATH_MAX], rel[PATH_MAX];
	size_t o = 0, n;
	enum path_step k;
	struct stat st;

	snprintf(rest, sizeof(rest), "%s", path + m->len);
	for (const char *s = rest; (k = path_next(&s, &n)) != PATH_END; s += n) {
		const char *end = s + n;

		if (k == PATH_DOT)
			continue;
		if (k == PATH_DOTDOT) {
			if (!o)
				return graft_dotdot(m, path, len, end);
			path_pop(rel, &o);
			continue;
		}
		if (o + n + 2 > sizeof(rel))
			return 0; /* the host says ENAMETOOLONG */
		if (o)
			rel[o++] = '/';
		memcpy(rel + o, s, n);
		o += n;
		rel[o] = '\0';
		/* the last component, no trailing slash: followed only when asked */
		if (!*end && !follow_last)
			return 0;
		if (fstatat(m->host_root, rel, &st, AT_SYMLINK_NOFOLLOW))
			return 0; /* the host's walk gives the error */
		if (S_ISLNK(st.st_mode))
			return graft_symlink(m, rel, path, len, end);
	}
	return 0;
}

/* 1: path rewritten (a hop), 0: it stays in graft m as written, or -errno */
static int graft_follow(const struct mount *m, const struct tmpfs_cred *cred, char *path, size_t len, bool follow_last)
{
	int r = cred_host_enter(cred);

	if (r)
		return r;
	r = graft_walk(m, path, len, follow_last);
	cred_host_leave();
	return r;
}

int graft_resolve(struct sandbox *sb, const struct tmpfs_cred *cred, char *path, size_t len, bool follow_last,
		  int *hops, struct mount **out, struct mount **bind)
{
	int r;

	for (;;) {
		r = mount_resolve(sb, path, len, out, bind);
		if (r || !*out || (*out)->host_root < 0)
			return r;
		r = graft_follow(*out, cred, path, len, follow_last);
		if (r <= 0)
			return r;
		if (++*hops > TMPFS_MAXSYMLINKS)
			return -ELOOP;
	}
}
