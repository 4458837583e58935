// SPDX-License-Identifier: MIT
/* Mounts of user-space file systems in the guest's view (--tmpfs=PATH[:OPTIONS], Linux tmpfs's options). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "../sandbox.h"
#include "vfs.h"


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

/* memparse(): a number with an optional k, m, g, t, p or e (powers of 1024); *end after it */
static int memparse(const char *s, uint64_t *out, char **end)
{
	static const char units[] = "kmgtpe";
	unsigned long long v;
	const char *u;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, end, 0);
	if (errno)
		return -EINVAL;
	u = **end ? strchr(units, **end | 0x20) : NULL;
	if (u) {
		unsigned shift = 10 * (unsigned)(u - units + 1);

		if (v > UINT64_MAX >> shift)
			return -EINVAL;
		v <<= shift;
		(*end)++;
	}
	*out = v;
	return 0;
}

/* shmem_parse_one()'s size=: bytes or N% of RAM, 0 for no limit */
static int size_parse(const char *s, uint64_t *out)
{
	struct sysinfo si;
	uint64_t v;
	char *end;

	if (memparse(s, &v, &end))
		return -EINVAL;
	if (*end == '%') {
		if (sysinfo(&si) || v > UINT64_MAX / ((uint64_t)si.totalram * si.mem_unit))
			return -EINVAL;
		v = v * si.totalram * si.mem_unit / 100;
		end++;
		if (!v) /* a percentage too small for one page still limits, as Linux's */
			v = 1;
	}
	if (*end)
		return -EINVAL;
	*out = v ? v : TMPFS_UNLIMITED;
	return 0;
}

static int u32_parse(const char *s, int base, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* One option of Linux's tmpfs: size=, nr_inodes=, mode=, uid=, gid=. */
static int opt_parse(char *opt, struct tmpfs_mount_opts *o, const char **why)
{
	uint64_t v;
	char *end;

	if (!strncmp(opt, "size=", 5)) {
		*why = "size=N[k|m|g|%] takes a number";
		return size_parse(opt + 5, &o->size);
	}
	if (!strncmp(opt, "nr_inodes=", 10)) {
		*why = "nr_inodes=N[k|m|g] takes a number";
		if (memparse(opt + 10, &v, &end) || *end || v > UINT64_MAX / 1024)
			return -EINVAL;
		o->nr_inodes = v ? v : TMPFS_UNLIMITED;
		return 0;
	}
	if (!strncmp(opt, "mode=", 5)) {
		*why = "mode= takes an octal number";
		if (u32_parse(opt + 5, 8, &o->mode))
			return -EINVAL;
		/* 0 is a mode too: keep it apart from "not given" */
		o->mode = (o->mode & 07777) | TMPFS_MODE_SET;
		return 0;
	}
	if (!strncmp(opt, "uid=", 4) || !strncmp(opt, "gid=", 4)) {
		*why = "uid= and gid= take a number";
		return u32_parse(opt + 4, 10, opt[0] == 'u' ? &o->uid : &o->gid);
	}
	*why = "the options are size=, nr_inodes=, mode=, uid=, gid= (comma-separated)";
	return -EINVAL;
}

static int opts_parse(char *opts, struct tmpfs_mount_opts *o, const char **why)
{
	char *save = NULL;

	for (char *opt = strtok_r(opts, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		int err = opt_parse(opt, o, why);

		if (err)
			return err;
	}
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
	struct tmpfs_mount_opts o = { .bdev_blksize = bdev_blksize,
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
	if (!err && opts && opts_parse(opts, &o, why)) {
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
