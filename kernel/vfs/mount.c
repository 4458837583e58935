// SPDX-License-Identifier: MIT
/* Mounts of user-space file systems in the guest's view (--tmpfs=PATH[:OPTIONS], Linux tmpfs's options). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../sandbox.h"
#include "vfs.h"


static int mount_parse_add(struct sandbox *sb, const char *spec, const char **why);
static unsigned long mount_st_flags(unsigned long flags);
static void mount_apply_flags(struct mount *m);

static bool mount_dev_slot_taken(const struct sandbox *sb, unsigned int slot)
{
	for (int i = 0; i < sb->nmounts; i++)
		if (sb->mounts[i]->fs && sb->mounts[i]->dev_slot == slot)
			return true;
	return false;
}

/* The lowest st_dev slot no tmpfs mount in the table holds (detached ones alive included). */
static unsigned int mount_dev_slot(const struct sandbox *sb)
{
	unsigned int slot = 0;

	while (mount_dev_slot_taken(sb, slot))
		slot++;
	return slot;
}

/* A struct mount of a new tmpfs at guest path `path`, not in the table yet. */
static int mount_new(struct sandbox *sb, const char *path, struct tmpfs_mount_opts *o, struct mount **out)
{
	struct mount *v = tmpfs_calloc(1, sizeof(*v));
	int err = -ENOMEM;

	if (!v || !(v->path = tmpfs_strdup(path)))
		goto fail;
	v->len = strlen(path);
	v->id = sb->mount_ids;
	v->host_root = -1;
	o->mountpoint = v->path;
	/* A device number of its own per mount, as each Linux tmpfs mount has. */
	v->dev_slot = mount_dev_slot(sb);
	o->dev = MOUNT_DEV_BASE + (uint64_t)v->dev_slot;
	o->mnt_id = MOUNT_ID_BASE + v->id;
	o->no_private_store = !!(sb->feat.forced & SANDBOX_FALLBACK_TMPFS_STORE);
	err = tmpfs_mount_create(o, &v->fs);
	if (err)
		goto fail;
	sb->mount_ids++;
	*out = v;
	return 0;
fail:
	if (v)
		free(v->path);
	free(v);
	return err;
}

/* The table keeps its room for one more (mount_insert() cannot fail then). */
static int mount_reserve(struct sandbox *sb)
{
	struct mount **v = tmpfs_realloc(sb->mounts, (size_t)(sb->nmounts + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	sb->mounts = v;
	return 0;
}

static void mount_insert(struct sandbox *sb, struct mount *m)
{
	sb->mounts[sb->nmounts++] = m;
}

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

int host_sysctl(const char *path)
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

static int mount_parse_add(struct sandbox *sb, const char *spec, const char **why)
{
	char path[4096], *copy = tmpfs_strdup(spec), *opts;
	struct tmpfs_mount_opts o = { .bdev_blksize = bdev_blksize, .dnotify = dnotify_event,
				      .protected_regular = host_sysctl("/proc/sys/fs/protected_regular"),
				      .protected_fifos = host_sysctl("/proc/sys/fs/protected_fifos"),
				      .protected_symlinks = host_sysctl("/proc/sys/fs/protected_symlinks") };
	struct tmpfs_opts_vfs vf = { 0 };
	char *source = NULL;
	struct mount *v;
	int err;

	if (!copy)
		return -ENOMEM;
	opts = strchr(copy, ':');
	if (opts)
		*opts++ = '\0';
	*why = "the mount point must be an absolute path other than /, without ..";
	err = mountpoint_normalize(copy, path, sizeof(path));
	if (!err && opts && tmpfs_opts_parse(opts, &o, &vf)) {
		*why = vf.why;
		err = -EINVAL;
	} else if (!err && mount_find(sb, path)) {
		*why = "it lies inside another --tmpfs mount";
		err = -EINVAL;
	} else if (!err) {
		err = mount_reserve(sb);
	}
	if (!err && vf.source && !(source = tmpfs_strdup(vf.source)))
		err = -ENOMEM;
	if (!err) {
		*why = "cannot create the file system";
		err = mount_new(sb, path, &o, &v);
	}
	free(copy);
	if (err) {
		free(source);
		return err;
	}
	v->source = source;
	/* its options apply as mount(8)'s -o: ro makes the mount read-only too */
	v->flags = vf.flags & MS_RDONLY;
	v->sb_flags = vf.flags & MOUNT_SB_FLAGS;
	mount_apply_flags(v);
	mount_insert(sb, v);
	return 0;
}

/*
 * A mount's path after a rename moved its covered directory: Linux hangs a
 * mount on a dentry, not on a name, so it moves with the directory (a walk
 * through the new name reaches it, the old name is gone). Returns 0 or
 * -ENOMEM (the old path stays).
 */
static int mount_move(struct mount *m, const char *path, size_t len)
{
	char *p = tmpfs_strndup(path, len);

	if (!p || (m->fs && tmpfs_mount_move(m->fs, p))) {
		free(p);
		return -ENOMEM;
	}
	free(m->path);
	m->path = p;
	m->len = len;
	return 0;
}

void mount_paths_refresh(struct sandbox *sb)
{
	char path[PATH_MAX];

	/* parents were mounted first, so each is up to date before its children */
	for (int i = 0; i < sb->nmounts; i++) {
		struct mount *m = sb->mounts[i];
		int n;

		if (!m->parent || !m->covered || m->detached)
			continue;
		n = tmpfs_dir_guest_path(m->covered, path, sizeof(path));
		if (n < 0 || ((size_t)n == m->len && !memcmp(path, m->path, m->len)))
			continue;
		if (mount_move(m, path, (size_t)n))
			fprintf(stderr, "ukcov: out of memory moving the mount on %s\n", m->path);
	}
}

static bool mount_holds(const struct mount *m, const char *path)
{
	return !m->detached && !m->transparent && !strncmp(path, m->path, m->len) &&
	       (path[m->len] == '/' || path[m->len] == '\0');
}

/* the mount @m was made on, a self-bind (transparent) standing for its own */
static struct mount *mount_under(const struct mount *m)
{
	struct mount *p = m->parent;

	while (p && p->transparent)
		p = p->parent;
	return p;
}

struct mount *mount_covering(struct sandbox *sb, const void *dir)
{
	struct mount *top = NULL;

	while (dir) {
		struct mount *next = NULL;

		for (int i = 0; i < sb->nmounts; i++)
			if (sb->mounts[i]->covered == dir && !sb->mounts[i]->detached)
				next = sb->mounts[i];
		if (!next)
			break;
		top = next;
		dir = top->fs ? tmpfs_root(top->fs) : NULL;
	}
	return top;
}

struct mount *mount_dotdot(struct sandbox *sb, const struct tmpfs_mount *fs, struct tmpfs_inode **dir)
{
	struct mount *m = mount_of_fs(sb, fs), *top;

	/* choose_mountpoint(): past the mounts stacked on a mount's root */
	while (m && m->parent && m->parent->fs && m->covered == tmpfs_root(m->parent->fs))
		m = m->parent;
	/* the host above a --tmpfs mount, or a bind's or graft's tree: by path */
	if (!m || m->detached || !m->parent || !m->parent->fs || !m->covered)
		return NULL;
	*dir = tmpfs_dir_parent(m->covered);
	/* step_into(): a mount on that directory is entered */
	top = mount_covering(sb, *dir);
	if (!top)
		return m->parent;
	if (!top->fs)
		return NULL;
	*dir = tmpfs_root(top->fs);
	return top;
}

/*
 * The mount a walk of path ends in, as Linux's walk crosses mounts: from
 * the innermost of the mounts made on no other (the --tmpfs ones), down
 * through the mounts made on the one reached so far, the first along the
 * path at each step (of equal ones the last mounted, on top). A mount made
 * on a directory that a newer mount above it covers is not reached.
 */
struct mount *mount_find(struct sandbox *sb, const char *path)
{
	struct mount *best = NULL, *next;

	/* a walk crossing into the mount on a directory enters that mount (once) */
	if (sb->mount_hint) {
		best = mount_covering(sb, sb->mount_hint);
		sb->mount_hint = NULL;
		if (best && mount_holds(best, path))
			return best;
		best = NULL;
	}

	for (int i = 0; i < sb->nmounts; i++) {
		struct mount *m = sb->mounts[i];

		if (!m->parent && mount_holds(m, path) && (!best || m->len >= best->len))
			best = m;
	}
	for (; best; best = next) {
		next = NULL;
		for (int i = 0; i < sb->nmounts; i++) {
			struct mount *m = sb->mounts[i];

			/* mount_holds() first: a detached mount's parent may be gone */
			if (m->parent && mount_holds(m, path) && mount_under(m) == best &&
			    (!next || m->len <= next->len))
				next = m;
		}
		if (!next)
			return best;
	}
	return NULL;
}

struct mount *mount_of_fs(struct sandbox *sb, const struct tmpfs_mount *fs)
{
	for (int i = 0; i < sb->nmounts; i++)
		if (sb->mounts[i]->fs == fs)
			return sb->mounts[i];
	return NULL;
}

void mount_report(const struct sandbox *sb)
{
	if (sb->nmounts && tmpfs_mount_private_store(sb->mounts[0]->fs))
		fprintf(stderr, "ukcov: tmpfs data: a private host tmpfs per mount (size= and SIGBUS are the host's)\n");
	else if (sb->nmounts)
		fprintf(stderr, "ukcov: tmpfs data: memfds (fallback for a private host tmpfs: fsopen needs "
			"CAP_SYS_ADMIN)%s\n", sb->feat.forced & SANDBOX_FALLBACK_TMPFS_STORE ? " (forced by UKCOV_FORCE_FALLBACKS)" : "");
}

/* ---- mount(2) and umount2(2) of the guest's tmpfs mounts ---------------- */

/*
 * The per-mount flags path_mount() separates from @flags, as statfs's
 * f_flags reports them (flags_by_mnt(), flags_by_sb()) but ST_RDONLY:
 * relatime unless noatime or strictatime.
 */
static unsigned long mount_st_flags(unsigned long flags)
{
	unsigned long st = flags & MS_NOATIME ? ST_NOATIME : ST_RELATIME;

	st |= (flags & MS_NOSUID ? ST_NOSUID : 0) | (flags & MS_NODEV ? ST_NODEV : 0) |
	      (flags & MS_NOEXEC ? ST_NOEXEC : 0) | (flags & MS_NODIRATIME ? ST_NODIRATIME : 0) |
	      (flags & MS_SYNCHRONOUS ? ST_SYNCHRONOUS : 0) | (flags & MS_MANDLOCK ? ST_MANDLOCK : 0) |
	      (flags & MS_NOSYMFOLLOW ? ST_NOSYMFOLLOW : 0);
	return flags & MS_STRICTATIME ? st & ~(unsigned long)(ST_RELATIME | ST_NOATIME) : st;
}

/*
 * parses @data (NULL: none) into @o and @vf, cut up in @buf (source= points
 * into it): the guest's string is a page at most
 */
static int mount_opts_parse(const char *data, char buf[static MOUNT_DATA_MAX], struct tmpfs_mount_opts *o,
			    struct tmpfs_opts_vfs *vf)
{
	if (!data)
		return 0;
	snprintf(buf, MOUNT_DATA_MAX, "%s", data);
	return tmpfs_opts_parse(buf, o, vf);
}

/*
 * statfs's f_flags come from the mount's flags (flags_by_mnt()) and the
 * super block's (flags_by_sb(): sync and mand there only, which the
 * options may have cleared: "async")
 */
static unsigned long mount_statfs_flags(const struct mount *m)
{
	return (m->flags & ~(unsigned long)(MS_SYNCHRONOUS | MS_MANDLOCK)) | m->sb_flags;
}

/* a tmpfs mount's flags and its super block's into the file system (read-only, statfs's f_flags) */
static void mount_apply_flags(struct mount *m)
{
	tmpfs_mount_set_rdonly(m->fs, !!((m->flags | m->sb_flags) & MS_RDONLY), 1);
	tmpfs_mount_set_stflags(m->fs, mount_st_flags(mount_statfs_flags(m)));
}

int mount_tmpfs_opts_check(const char *data, const char *source)
{
	struct tmpfs_mount_opts o = { 0 };
	struct tmpfs_opts_vfs vf = { .source = source };
	char buf[MOUNT_DATA_MAX];

	return mount_opts_parse(data, buf, &o, &vf);
}

int mount_tmpfs(struct sandbox *sb, struct mount *parent, struct tmpfs_inode *dir,
		const struct tmpfs_cred *owner, const char *source, unsigned long flags,
		const char *data)
{
	/* Linux's defaults: half of RAM's pages (the core's), the root 01777 and the caller's fsuid and fsgid */
	struct tmpfs_mount_opts o = { .bdev_blksize = bdev_blksize,
				      .dnotify = dnotify_event,
				      .uid = owner->fsuid, .gid = owner->fsgid,
				      .protected_regular = host_sysctl("/proc/sys/fs/protected_regular"),
				      .protected_fifos = host_sysctl("/proc/sys/fs/protected_fifos"),
				      .protected_symlinks = host_sysctl("/proc/sys/fs/protected_symlinks") };
	struct tmpfs_opts_vfs vf = { .flags = flags, .source = source };
	char path[PATH_MAX], buf[MOUNT_DATA_MAX];
	struct mount *m;
	int err = mount_opts_parse(data, buf, &o, &vf);

	if (err)
		return err;
	source = vf.source;
	err = tmpfs_dir_guest_path(dir, path, sizeof(path));
	if (err < 0)
		return err == -ERANGE ? -ENAMETOOLONG : err;
	err = mount_reserve(sb);
	if (!err)
		err = mount_new(sb, path, &o, &m);
	if (err)
		return err;
	m->flags = flags;
	m->sb_flags = vf.flags & MOUNT_SB_FLAGS;
	m->parent = parent;
	m->covered = dir;
	/* show_mountinfo(): a mount(2) without a source is "none" */
	m->source = tmpfs_strdup(source ? source : "none");
	mount_apply_flags(m);
	tmpfs_dir_mount_mark(dir, 1);
	mount_insert(sb, m);
	return 0;
}

int mount_remount(struct sandbox *sb, struct mount *m, unsigned long flags, const char *data)
{
	const unsigned long atime = MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;
	struct tmpfs_mount_opts o = { 0 };
	struct tmpfs_opts_vfs vf = { .flags = flags };
	char buf[MOUNT_DATA_MAX];
	int err = mount_opts_parse(data, buf, &o, &vf);
	bool ro = tmpfs_mount_rdonly(m->fs);

	/*
	 * reconfigure_super(): the options may name only MS_RMT_MASK's flags
	 * ("dirsync" is EINVAL); the super block takes those, from mount(2)'s
	 * flags as the options changed them, and keeps its others
	 */
	unsigned long sbf = (m->sb_flags & ~MOUNT_RMT_FLAGS) | (vf.flags & MOUNT_RMT_FLAGS);
	/* either read-only makes the file system so; a super block going so also waits for unlinked files */
	bool want_ro = ((flags | sbf) & MS_RDONLY) != 0, sb_to_ro = (sbf & ~m->sb_flags & MS_RDONLY) != 0;

	if (!err && (vf.mask & ~MOUNT_RMT_FLAGS))
		err = -EINVAL;
	if (err)
		return err;
	err = tmpfs_mount_set_rdonly(m->fs, want_ro, sb_to_ro);
	if (err == -EBUSY) {
		/* files whose close events merged may be held by nobody: ask, as mount_umount() */
		files_collect_stale(sb);
		files_recount_writers(sb);
		err = tmpfs_mount_set_rdonly(m->fs, want_ro, sb_to_ro);
	}
	if (!err && (err = tmpfs_mount_reconfigure(m->fs, &o)))
		tmpfs_mount_set_rdonly(m->fs, ro, 0);
	if (err)
		return err;
	/* the per-mount flags are replaced, but the atime ones when none is named */
	if (!(flags & atime))
		flags |= m->flags & atime;
	m->flags = flags & ~(unsigned long)MS_REMOUNT;
	m->sb_flags = sbf;
	tmpfs_mount_set_stflags(m->fs, mount_st_flags(mount_statfs_flags(m)));
	return 0;
}

/* Another mount on a directory of `m`: m is busy. */
static bool mount_has_children(struct sandbox *sb, struct mount *m)
{
	for (int i = 0; i < sb->nmounts; i++)
		if (sb->mounts[i]->parent == m && !sb->mounts[i]->detached)
			return true;
	return false;
}

/* Any mount made on a directory of `m`, detached or not: a mount that points at m. */
KERNEL_NOCOV static bool mount_has_any_child(struct sandbox *sb, const struct mount *m)
{
	for (int i = 0; i < sb->nmounts; i++)
		if (sb->mounts[i]->parent == m)
			return true;
	return false;
}

/*
 * A record for a guest's mount on `dir` of `parent` (its path computed,
 * an id and a slot in the table taken), not in the table yet. Returns 0
 * with *out, or -errno.
 */
static int mount_record(struct sandbox *sb, struct mount *parent, struct tmpfs_inode *dir,
			unsigned long flags, struct mount **out)
{
	char path[PATH_MAX];
	struct mount *m;
	int err = tmpfs_dir_guest_path(dir, path, sizeof(path));

	if (err < 0)
		return err == -ERANGE ? -ENAMETOOLONG : err;
	err = mount_reserve(sb);
	m = err ? NULL : tmpfs_calloc(1, sizeof(*m));
	if (!m || !(m->path = tmpfs_strdup(path))) {
		free(m);
		return err ? err : -ENOMEM;
	}
	m->len = strlen(path);
	m->id = sb->mount_ids++;
	m->flags = flags;
	m->parent = parent;
	m->host_root = -1;
	*out = m;
	return 0;
}

int mount_graft(struct sandbox *sb, struct mount *parent, struct tmpfs_inode *dir, const char *source,
		const char *type, unsigned long flags, int host_root)
{
	struct mount *m;
	int err = mount_record(sb, parent, dir, flags, &m);

	if (err)
		return err;
	m->covered = dir;
	m->host_root = host_root;
	m->sb_flags = flags & MOUNT_SB_FLAGS;
	/* show_mountinfo(): a mount(2) without a source is "none" */
	m->source = tmpfs_strdup(source ? source : "none");
	m->type = tmpfs_strdup(type);
	tmpfs_dir_mount_mark(dir, 1);
	mount_insert(sb, m);
	return 0;
}

/* Takes m out of the table and frees it, its tmpfs with it. */
static void mount_free(struct sandbox *sb, struct mount *m)
{
	int i;

	for (i = 0; i < sb->nmounts && sb->mounts[i] != m; i++)
		;
	memmove(&sb->mounts[i], &sb->mounts[i + 1], (size_t)(sb->nmounts - i - 1) * sizeof(*sb->mounts));
	sb->nmounts--;
	/* out of the table first: a release may reap detached mounts, never this one twice */
	kfile_release_nodes_of(sb, m);
	if (m->fs)
		tmpfs_mount_destroy(m->fs);
	free(m->source);
	free(m->type);
	free(m->alias);
	free(m->path);
	free(m);
}

/*
 * A detached tmpfs mount that nothing holds any more: no open file or cwd
 * in it (tmpfs_mount_busy()), no mount below it still in the table (their
 * parent pointers). Grafts and bind mounts are kept: cwd records point at
 * them without a reference the table could see.
 */
KERNEL_NOCOV static struct mount *mount_unheld(struct sandbox *sb)
{
	for (int i = 0; i < sb->nmounts; i++) {
		struct mount *m = sb->mounts[i];

		if (m->detached && m->fs && !tmpfs_mount_busy(m->fs) && !mount_has_any_child(sb, m))
			return m;
	}
	return NULL;
}

/*
 * Linux frees a lazily unmounted mount when its last reference goes
 * (mntput()); kept, it would stay in the table for good and every later
 * walk would step over it (the walk's coverage would depend on what was
 * unmounted long before, not on the path).
 */
void mounts_reap(struct sandbox *sb)
{
	struct mount *m;

	while ((m = mount_unheld(sb)))
		mount_free(sb, m);
}

/* off its mount point: the directory shows again (its mark and reference go) */
static void mount_uncover(struct mount *m)
{
	if (m->covered)
		tmpfs_dir_mount_mark(m->covered, 0);
	m->covered = NULL;
}

/*
 * Lazily unmounted, disconnected from its parent (disconnect_mount()):
 * ".." stays at its root, and a walk in its parent no longer steps into it.
 */
static void mount_detach(struct mount *m)
{
	m->detached = true;
	mount_uncover(m);
	if (m->fs)
		tmpfs_mount_detach(m->fs);
}

struct mount *mount_graft_of_dev(struct sandbox *sb, dev_t dev)
{
	struct stat st;

	for (int i = 0; i < sb->nmounts; i++)
		if (sb->mounts[i]->host_root >= 0 && !sb->mounts[i]->detached &&
		    (!dev || (!fstat(sb->mounts[i]->host_root, &st) && st.st_dev == dev)))
			return sb->mounts[i];
	return NULL;
}

int mount_umount(struct sandbox *sb, struct mount *m, int flags)
{
	bool busy = (m->fs && tmpfs_mount_busy(m->fs)) || mount_has_children(sb, m) ||
		    (m->host_root >= 0 && graft_busy(m->host_root));
	int i;

	if (!m->parent)
		return -EBUSY; /* a --tmpfs mount: its host path has nothing under it */
	if ((busy || kfile_has_nodes_of(sb, m)) && m->fs) {
		/*
		 * files whose close events merged may be held by nobody: EBUSY is
		 * seen at once, so ask; a node's record held by a guest (an open
		 * FIFO or device of the mount) holds the mount, as its open file
		 * does on Linux
		 */
		files_collect_stale(sb);
		busy = tmpfs_mount_busy(m->fs) || mount_has_children(sb, m) || kfile_has_nodes_of(sb, m);
	}
	if (busy && !(flags & MNT_DETACH))
		return -EBUSY;
	/* do_umount(): MNT_EXPIRE marks an idle mount first (EAGAIN), unmounts it the next time */
	if ((flags & MNT_EXPIRE) && !m->expiry_mark) {
		m->expiry_mark = true;
		return -EAGAIN;
	}
	/* a detached graft's files keep its host mount; nothing reaches it by path */
	if (m->host_root >= 0)
		close(m->host_root);
	mount_uncover(m);
	if (busy) {
		/* lazy (umount_tree()): it and the mounts below it go from every path; files and cwds keep them */
		mount_detach(m);
		for (bool more = true; more;) {
			more = false;
			for (i = 0; i < sb->nmounts; i++) {
				struct mount *k = sb->mounts[i];

				if (!k->detached && k->parent && k->parent->detached) {
					mount_detach(k);
					more = true;
				}
			}
		}
		return 0;
	}
	mount_free(sb, m);
	return 0;
}

int mount_resolve(struct sandbox *sb, char *path, size_t len, struct mount **out, struct mount **bind)
{
	char rest[PATH_MAX];

	if (bind)
		*bind = NULL;
	for (int hops = 0; hops < 40; hops++) {
		struct mount *m = mount_find(sb, path);

		if (bind && m && m->alias)
			*bind = !path[m->len + (path[m->len] == '/')] ? m : NULL;
		if (!m || !m->alias) {
			*out = m;
			return 0;
		}
		snprintf(rest, sizeof(rest), "%s", path + m->len);
		if (strlen(m->alias) + strlen(rest) + 1 > len)
			return -ENAMETOOLONG;
		/* "/" + "/x": the alias of the root has no slash of its own */
		snprintf(path, len, "%s%s", strcmp(m->alias, "/") ? m->alias : "", rest[0] ? rest : "");
		if (!path[0])
			snprintf(path, len, "/");
	}
	return -ELOOP;
}

int mount_bind(struct sandbox *sb, struct mount *parent, struct tmpfs_inode *dir, const char *source,
	       unsigned long flags)
{
	struct mount *m;
	int err = mount_record(sb, parent, dir, flags, &m);

	if (err)
		return err;
	/* a source below the target would alias itself without end */
	if (!strncmp(source, m->path, m->len) && source[m->len] == '/')
		err = -EINVAL;
	else if (!(m->alias = tmpfs_strdup(source)))
		err = -ENOMEM;
	if (err) {
		free(m->path);
		free(m);
		return err;
	}
	m->transparent = !strcmp(source, m->path);
	if (!m->transparent) {
		m->covered = dir;
		tmpfs_dir_mount_mark(dir, 1);
	}
	mount_insert(sb, m);
	return 0;
}

struct mount *mount_self_bind(struct sandbox *sb, struct tmpfs_inode *dir)
{
	char path[PATH_MAX];

	if (tmpfs_dir_guest_path(dir, path, sizeof(path)) < 0)
		return NULL;
	for (int i = sb->nmounts - 1; i >= 0; i--)
		if (sb->mounts[i]->transparent && !sb->mounts[i]->detached && !strcmp(sb->mounts[i]->path, path))
			return sb->mounts[i];
	return NULL;
}
