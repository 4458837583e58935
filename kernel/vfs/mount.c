// SPDX-License-Identifier: MIT
/* Mounts of user-space file systems in the guest's view (--tmpfs=PATH[:size=N]). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sandbox.h"
#include "../nodes.h"
#include "../vfs.h"

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
	struct tmpfs_mount_opts o = { .size = DEFAULT_SIZE, .bdev_blksize = nodes_bdev_blksize,
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
