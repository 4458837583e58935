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
#include <unistd.h>

#include "vfs.h"

/* mount(2)'s per-mount flags as fsmount(2)'s attributes */
static unsigned int graft_attrs(unsigned long flags)
{
	static const struct { unsigned long ms; unsigned int attr; } map[] = {
		{ MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID },
		{ MS_NODEV, MOUNT_ATTR_NODEV }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ MS_NOATIME, MOUNT_ATTR_NOATIME }, { MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
		{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME },
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

int graft_create(const char *type, const char *source, unsigned long flags, const char *data)
{
	int fs = fsopen(type, FSOPEN_CLOEXEC), mnt = -1, err = 0;

	if (fs < 0)
		return -errno;
	if (source && fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0))
		err = -errno;
	if (!err)
		err = graft_options(fs, data);
	if (!err && (flags & MS_RDONLY) && fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0))
		err = -errno;
	if (!err && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		err = -errno;
	if (!err && (mnt = fsmount(fs, FSMOUNT_CLOEXEC, graft_attrs(flags))) < 0)
		err = -errno;
	close(fs);
	return err ? err : mnt;
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
