// SPDX-License-Identifier: MIT
/* Mounts of user-space file systems in the guest's view (--tmpfs=PATH[:size=N]). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sandbox.h"
#include "vfs.h"

#define DEFAULT_SIZE (64ull << 20)

static int mount_parse_add(struct sandbox *sb, const char *spec, const char **why);

/* "/a//b/./c/" -> "/a/b/c"; ".." is refused (a mount point must be plain). */
/* A mount point: absolute, normalized, not "/", and written without "..". */
static int mountpoint_normalize(const char *in, char *out, size_t len)
{
	if (in[0] != '/')
		return -EINVAL;
	for (const char *p = in; (p = strstr(p, "/..")); p += 3)
		if (p[3] == '/' || p[3] == '\0')
			return -EINVAL;
	if (path_normalize(in, out, len))
		return -ENAMETOOLONG;
	return strcmp(out, "/") ? 0 : -EINVAL; /* "/" itself cannot be replaced */
}

static int size_parse(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end || v == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* The host's setting of a file-system sysctl, which the mounts follow as Linux's tmpfs does (0 when unreadable). */
static int host_sysctl(const char *path)
{
	FILE *f = fopen(path, "re");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* The host block device's minimum I/O size (st_blksize of its nodes), or 0 when there is none. */
static uint32_t bdev_blksize(uint32_t rdev)
{
	unsigned int maj = (rdev & 0xfff00) >> 8, min = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
	char path[96], buf[32] = { 0 };
	unsigned long v;
	int fd;

	/* bdev_io_min(): the queue's, which a partition shares with its disk */
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/minimum_io_size", maj, min);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../queue/minimum_io_size", maj, min);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(fd);
	v = strtoul(buf, NULL, 10);
	return v <= UINT32_MAX ? (uint32_t)v : 0;
}

int mount_add(struct sandbox *sb, const char *spec, const char **what)
{
	static char msg[4200];
	const char *why = "";
	int err = mount_parse_add(sb, spec, &why);

	snprintf(msg, sizeof(msg), "--tmpfs=%s: %s", spec, why);
	*what = msg;
	return err;
}

static int mount_parse_add(struct sandbox *sb, const char *spec, const char **why_out)
{
	const char **why = why_out;
	char path[4096], *copy = strdup(spec), *opts;
	struct tmpfs_mount_opts o = { .size = DEFAULT_SIZE, .bdev_blksize = bdev_blksize,
				      .protected_regular = host_sysctl("/proc/sys/fs/protected_regular"),
				      .protected_fifos = host_sysctl("/proc/sys/fs/protected_fifos") };
	struct mount *v;
	int err;

	if (!copy)
		return -ENOMEM;
	opts = strchr(copy, ':');
	if (opts)
		*opts++ = '\0';
	*why = "the mount point must be an absolute path other than /, without ..";
	err = mountpoint_normalize(copy, path, sizeof(path));
	if (!err && opts && strncmp(opts, "size=", 5)) {
		*why = "the only option is size=N[k|m|g]";
		err = -EINVAL;
	} else if (!err && opts && size_parse(opts + 5, &o.size)) {
		*why = "size=N[k|m|g] takes a positive number";
		err = -EINVAL;
	} else if (!err && mount_find(sb, path)) {
		*why = "it lies inside another --tmpfs mount";
		err = -EINVAL;
	}
	free(copy);
	if (err)
		return err;
	v = realloc(sb->mounts, (size_t)(sb->nmounts + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	sb->mounts = v;
	v = &sb->mounts[sb->nmounts];
	v->path = strdup(path);
	v->len = strlen(path);
	o.mountpoint = v->path;
	/* A device number of its own per mount, as each Linux tmpfs mount has. */
	o.dev = 0x2d00 + (uint64_t)sb->nmounts;
	/*
	 * And a mount id (statx's stx_mnt_id) no host mount has: the host's
	 * come from an IDA counting from 1. /proc/self/mountinfo is the
	 * host's and does not list it (docs/tmpfs-deviations.md).
	 */
	o.mnt_id = UKCOV_MNT_ID_BASE + (uint64_t)sb->nmounts;
	o.no_private_store = !!(sb->feat.forced & SANDBOX_FALLBACK_TMPFS_STORE);
	*why = "cannot create the file system";
	err = v->path ? tmpfs_mount_create(&o, &v->fs) : -ENOMEM;
	if (err) {
		free(v->path);
		return err;
	}
	sb->nmounts++;
	return 0;
}

struct mount *mount_find(struct sandbox *sb, const char *path)
{
	for (int i = 0; i < sb->nmounts; i++) {
		struct mount *m = &sb->mounts[i];

		if (!strncmp(path, m->path, m->len) && (path[m->len] == '/' || path[m->len] == '\0'))
			return m;
	}
	return NULL;
}

struct mount *mount_of_fs(struct sandbox *sb, struct tmpfs_mount *fs)
{
	for (int i = 0; i < sb->nmounts; i++)
		if (sb->mounts[i].fs == fs)
			return &sb->mounts[i];
	return NULL;
}

void mount_report(const struct sandbox *sb)
{
	if (sb->nmounts && tmpfs_mount_private_store(sb->mounts[0].fs))
		fprintf(stderr, "ukcov: tmpfs data: a private host tmpfs per mount (size= and SIGBUS are the host's)\n");
	else if (sb->nmounts)
		fprintf(stderr, "ukcov: tmpfs data: memfds (fallback for a private host tmpfs: fsopen needs "
			"CAP_SYS_ADMIN)%s\n", sb->feat.forced & SANDBOX_FALLBACK_TMPFS_STORE ? " (forced by UKCOV_FORCE_FALLBACKS)" : "");
}
