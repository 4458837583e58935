// SPDX-License-Identifier: MIT
/*
 * /proc/PID/mounts and /proc/PID/mountinfo as the guest sees them: the
 * host's lines (its mount namespace is the guest's), then one line per
 * sandbox mount, so that df, findmnt and statx's stx_mnt_id agree with
 * the mounts the guest has. The file is a snapshot in a sealed memfd
 * (Linux's is generated at each read; a reader that reopens sees changes).
 * The caller's /proc/PID/fdinfo/N of a mount file, likewise: the host's
 * lines with the mount's mnt_id and the file's inode number.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "vfs.h"

enum mounts_kind { MOUNTS_NONE, MOUNTS_MOUNTS, MOUNTS_INFO, MOUNTS_FDINFO };

/* "fdinfo/N": N, or -1 */
static int fdinfo_fd(const char *rest)
{
	char *end;
	long fd;

	if (strncmp(rest, "fdinfo/", 7) || rest[7] < '0' || rest[7] > '9')
		return -1;
	fd = strtol(rest + 7, &end, 10);
	return *end || fd > INT32_MAX ? -1 : (int)fd;
}

/*
 * /proc/{self,thread-self,mounts}, the caller's /proc/TID and /proc/TGID, /etc/mtab -> /proc/self/mounts;
 * their fdinfo/N (*fd = N)
 */
static enum mounts_kind mounts_kind(struct sys_call *c, const char *path, int *fd)
{
	const struct guest_cred *gc;
	const char *rest = NULL;
	char mtab[64];
	ssize_t n;
	long pid;
	char *end;

	if (!strcmp(path, "/proc/mounts"))
		return MOUNTS_MOUNTS;
	if (!strcmp(path, "/etc/mtab")) {
		n = readlink("/etc/mtab", mtab, sizeof(mtab) - 1);
		mtab[n > 0 ? n : 0] = '\0';
		return strstr(mtab, "proc/self/mounts") || strstr(mtab, "proc/mounts") ? MOUNTS_MOUNTS : MOUNTS_NONE;
	}
	if (!strncmp(path, "/proc/self/", 11))
		rest = path + 11;
	else if (!strncmp(path, "/proc/thread-self/", 18))
		rest = path + 18;
	else if (!strncmp(path, "/proc/", 6) && path[6] >= '1' && path[6] <= '9') {
		pid = strtol(path + 6, &end, 10);
		if (*end == '/' && (pid == c->tid || (!sys_cred(c, &gc) && pid == gc->tgid)))
			rest = end + 1;
	}
	if (!rest)
		return MOUNTS_NONE;
	*fd = fdinfo_fd(rest);
	if (*fd >= 0)
		return MOUNTS_FDINFO;
	return !strcmp(rest, "mounts") ? MOUNTS_MOUNTS : !strcmp(rest, "mountinfo") ? MOUNTS_INFO : MOUNTS_NONE;
}

/* show_path()'s mangle(): space, tab, newline and backslash as octal escapes */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			fprintf(f, "\\%03o", (unsigned char)*s);
		else
			fputc(*s, f);
}

/*
 * The mnt_id and device number of a mount, as statx and stat report them
 * for its files: the st_dev mount.c gave it, split as the C library and
 * statx split it.
 */
static void mount_ids(const struct mount *m, unsigned long long *id, unsigned int *maj, unsigned int *min)
{
	struct statx sx;

	*id = MOUNT_ID_BASE + m->id;
	*maj = major((dev_t)(MOUNT_DEV_BASE + m->dev_slot));
	*min = minor((dev_t)(MOUNT_DEV_BASE + m->dev_slot));
	if (m->host_root >= 0 && !statx(m->host_root, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx)) {
		*id = sx.stx_mnt_id;
		*maj = sx.stx_dev_major;
		*min = sx.stx_dev_minor;
	}
}

struct flag_name {
	unsigned long flag;
	const char *name;
};

/* show_sb_opts(): the super block's flags (mount(2)'s and the options' sync, dirsync...) */
static const struct flag_name sb_opts[] = {
	{ MS_SYNCHRONOUS, ",sync" }, { MS_DIRSYNC, ",dirsync" }, { MS_MANDLOCK, ",mand" },
	{ MS_LAZYTIME, ",lazytime" }, { 0, NULL }
};

/* show_mnt_opts(), of the mount's flags as path_mount() turned them into MNT_* */
static const struct flag_name mnt_opts[] = {
	{ MS_NOSUID, ",nosuid" }, { MS_NODEV, ",nodev" }, { MS_NOEXEC, ",noexec" },
	{ MS_NOATIME, ",noatime" }, { MS_NODIRATIME, ",nodiratime" }, { MS_RELATIME, ",relatime" },
	{ MS_NOSYMFOLLOW, ",nosymfollow" }, { 0, NULL }
};

/* path_mount(): relatime unless noatime; strictatime drops both */
static unsigned long mnt_atime(unsigned long flags)
{
	if (!(flags & MS_NOATIME))
		flags |= MS_RELATIME;
	if (flags & MS_STRICTATIME)
		flags &= ~(unsigned long)(MS_RELATIME | MS_NOATIME);
	return flags;
}

static void show_flags(unsigned long flags, const struct flag_name *names, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; names->name; names++)
		if ((flags & names->flag) && n + strlen(names->name) < len)
			n += (size_t)snprintf(buf + n, len - n, "%s", names->name);
}

/* What a line says of a mount (a bind mount: its source's file system, from the source directory). */
struct mount_view {
	const char *root, *ro, *mnt_ro, *sb_ro, *type, *source;
	/* after ro/rw, each with its comma: show_sb_opts(), show_mnt_opts(), the file system's */
	char sb_opts[48], mnt_opts[80], opts[256];
	unsigned long long id, parent_id;
	unsigned int maj, min;
};

static void mount_view(struct sandbox *sb, const struct mount *m, unsigned long long root_id,
		       struct mount_view *v)
{
	const struct mount *src = m->alias ? mount_find(sb, m->alias) : m;
	unsigned long long sid;
	unsigned int pmaj, pmin;

	if (!src)
		src = m; /* a bind of a host directory */
	v->root = m->alias && src != m && m->alias[src->len] ? m->alias + src->len : "/";
	/* the mount's own, the super block's, and either (show_vfsmnt()'s __mnt_is_readonly()) */
	v->mnt_ro = m->flags & MS_RDONLY ? "ro" : "rw";
	v->sb_ro = src->fs ? (src->sb_flags & MS_RDONLY ? "ro" : "rw") : v->mnt_ro;
	v->ro = m->fs ? (tmpfs_mount_rdonly(m->fs) ? "ro" : "rw") : v->mnt_ro;
	v->type = src->type ? src->type : "tmpfs";
	v->source = src->source ? src->source : "tmpfs";
	v->opts[0] = '\0';
	if (src->fs)
		tmpfs_mount_show_options(src->fs, v->opts, sizeof(v->opts));
	show_flags(src->sb_flags, sb_opts, v->sb_opts, sizeof(v->sb_opts));
	show_flags(mnt_atime(m->flags), mnt_opts, v->mnt_opts, sizeof(v->mnt_opts));
	v->parent_id = root_id;
	mount_ids(m, &v->id, &v->maj, &v->min);
	if (src != m)
		mount_ids(src, &sid, &v->maj, &v->min);
	if (m->parent)
		mount_ids(m->parent, &v->parent_id, &pmaj, &pmin);
}

/* show_mountinfo() */
static void mountinfo_line(FILE *f, const struct mount *m, const struct mount_view *v)
{
	fprintf(f, "%llu %llu %u:%u ", v->id, v->parent_id, v->maj, v->min);
	put_escaped(f, v->root);
	fputc(' ', f);
	put_escaped(f, m->path);
	fprintf(f, " %s%s - %s ", v->mnt_ro, v->mnt_opts, v->type);
	put_escaped(f, v->source);
	fprintf(f, " %s%s%s\n", v->sb_ro, v->sb_opts, v->opts);
}

/* show_vfsmnt() */
static void mounts_line(FILE *f, const struct mount *m, const struct mount_view *v)
{
	put_escaped(f, v->source);
	fputc(' ', f);
	put_escaped(f, m->path);
	fprintf(f, " %s %s%s%s%s 0 0\n", v->type, v->ro, v->sb_opts, v->mnt_opts, v->opts);
}

/* The host's file for the caller (its namespace), then the sandbox's mounts. */
static int mounts_fill(struct sys_call *c, FILE *out, enum mounts_kind kind)
{
	char path[64], line[8192];
	unsigned long long root_id = 1;
	bool first = true;
	FILE *in;

	snprintf(path, sizeof(path), "/proc/%d/%s", c->tid, kind == MOUNTS_INFO ? "mountinfo" : "mounts");
	in = fopen(path, "re");
	if (!in)
		return -errno;
	while (fgets(line, sizeof(line), in)) {
		if (first && kind == MOUNTS_INFO)
			sscanf(line, "%llu", &root_id);
		first = false;
		fputs(line, out);
	}
	fclose(in);
	for (int i = 0; i < c->sb->nmounts; i++) {
		const struct mount *m = c->sb->mounts[i];
		struct mount_view v;

		if (m->detached)
			continue;
		mount_view(c->sb, m, root_id, &v);
		(kind == MOUNTS_INFO ? mountinfo_line : mounts_line)(out, m, &v);
	}
	return fflush(out) ? -errno : 0;
}

/*
 * The mount file behind the caller's fd @gfd: its mnt_id and inode number
 * as statx gives them. Returns 0, or -ENOENT for any other fd.
 */
static int fd_ids(struct sys_call *c, int gfd, unsigned long long *mnt_id, unsigned long long *ino)
{
	struct kfile *f;
	struct statx sx;

	if (fd_get(c, gfd, &f) || !f->ops->tmpfs || tmpfs_fstatx(tmpfs_file_of(f), STATX_INO, &sx))
		return -ENOENT;
	*mnt_id = sx.stx_mnt_id;
	*ino = sx.stx_ino;
	return 0;
}

/*
 * fdinfo of a mount file: the host's lines (pos, flags, locks...) with the
 * mount's mnt_id and the file's inode number (@ids), which statx reports,
 * instead of the host object's.
 */
static int fdinfo_fill(struct sys_call *c, FILE *out, int gfd, const unsigned long long ids[2])
{
	char path[64], line[4096];
	struct kfile *f;
	FILE *in;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", c->tid, gfd);
	in = fopen(path, "re");
	if (!in)
		return -errno;
	while (fgets(line, sizeof(line), in)) {
		if (!strncmp(line, "mnt_id:", 7))
			fprintf(out, "mnt_id:\t%llu\n", ids[0]);
		else if (!strncmp(line, "ino:", 4))
			fprintf(out, "ino:\t%llu\n", ids[1]);
		/*
		 * f_flags as F_GETFL shows them (the host description's lack the
		 * guest's O_TMPFILE and carry the store's O_NOFOLLOW mark), with
		 * the fd's O_CLOEXEC, which the host's line has (seq_show())
		 */
		else if (!strncmp(line, "flags:", 6) && !fd_get(c, gfd, &f) && f->ops->getfl)
			fprintf(out, "flags:\t0%o\n", (lease_getfl(c, f, gfd) & ~O_CLOEXEC) |
							  ((int)strtol(line + 6, NULL, 8) & O_CLOEXEC));
		else
			fputs(line, out);
	}
	fclose(in);
	return 0;
}

int mountinfo_open(struct sys_call *c, const char *path)
{
	int gfd = -1;
	enum mounts_kind kind = mounts_kind(c, path, &gfd);
	unsigned long long ids[2];
	char self[64];
	FILE *f;
	int fd, ro, err;

	if (kind == MOUNTS_NONE)
		return 0;
	/* fdinfo of a file not of a mount: the host's own, with nothing to change */
	if (kind == MOUNTS_FDINFO && fd_ids(c, gfd, &ids[0], &ids[1]))
		return 0;
	fd = memfd_create(kind == MOUNTS_INFO ? "mountinfo" : "mounts", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	f = fdopen(dup(fd), "w");
	err = !f ? -ENOMEM : kind == MOUNTS_FDINFO ? fdinfo_fill(c, f, gfd, ids) : mounts_fill(c, f, kind);
	if (f)
		fclose(f);
	if (!err && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE))
		err = -errno;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	ro = err ? -1 : open(self, O_RDONLY | O_CLOEXEC);
	if (!err && ro < 0)
		err = -errno;
	close(fd);
	return err ? err : ro;
}
