// SPDX-License-Identifier: MIT
/*
 * mount(2) and umount2(2) onto directories of the sandbox's mounts: a new
 * tmpfs there is a new user-space tmpfs (vfs/mount.c), MS_REMOUNT changes
 * a mount's MS_RDONLY and options, umount2 removes a mount the guest made.
 * Targets on the host are the host's. What the sandbox cannot do inside
 * a mount (bind and move mounts, other file system types) answers EPERM,
 * Linux's answer to a caller without CAP_SYS_ADMIN.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pcall.h"
#include "sys.h"
#include "../vfs/vfs.h"

#ifndef MS_NOUSER
#define MS_NOUSER (1ul << 31)
#endif
#define MS_PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

/*
 * The directory a mount(2) or umount2(2) target names, following mounts:
 * 0 with *m and *dir (a reference), SYS_CONTINUE for a host path, -errno.
 * Where the target must be a mount's root (@root_only: umount2,
 * MS_REMOUNT, a propagation change) one that is no directory is none
 * (path_mounted(): EINVAL); a new mount onto it is ENOTDIR, with *file set.
 * @lflags: LOOKUP_FDLINK to follow a final symlink, LOOKUP_MOUNTPOINT (umount2).
 */
static int64_t mount_target(struct sys_call *c, struct pcall *pc, uint64_t upath, int lflags,
			    bool root_only, struct mount **m, struct tmpfs_inode **dir, bool *file)
{
	struct stat st;
	char *host;
	bool nofollow = !(lflags & LOOKUP_FDLINK);
	int64_t r = pcall_start(c, pc, AT_FDCWD, upath, lflags);

	if (r)
		return r;
	do {
		r = tmpfs_fstatat(pc->p.mnt->fs, pc->cred, pc->p.dir, pc->p.path,
				  nofollow ? AT_SYMLINK_NOFOLLOW : 0, &pc->w, &st);
		if (!r && !S_ISDIR(st.st_mode)) {
			*file = true;
			/* a file, or UMOUNT_NOFOLLOW's symlink: no mount point */
			return root_only ? -EINVAL : -ENOTDIR;
		}
		if (!r)
			r = tmpfs_lookup_mountpoint(pc->p.mnt->fs, pc->cred, pc->p.dir, pc->p.path, &pc->w, dir);
	} while (pcall_exit(c, pc, &r, &host));
	if (host && pc->graft_root) {
		*m = pc->graft; /* a graft's root: dir stays NULL */
		return 0;
	}
	if (host && pc->graft) {
		/*
		 * Below a graft's root: what Linux's walk would answer there
		 * (ENOENT, ENOTDIR...), else no mount's root (umount2: EINVAL),
		 * a file (mount: ENOTDIR); a directory in it can take no mount
		 * of ours (EPERM, docs/mounts.md).
		 */
		if (stat(host, &st))
			return -errno;
		if (root_only || !S_ISDIR(st.st_mode))
			return root_only ? -EINVAL : -ENOTDIR;
		return -EPERM;
	}
	if (host)
		return -EPERM; /* a walk out of the mounts: no mount of ours, and none on the host */
	*m = pc->p.mnt;
	if (!r && pc->bind) {
		*m = pc->bind; /* a bind mount's root: dir stays NULL */
		tmpfs_inode_put(*dir);
		*dir = NULL;
	}
	return r;
}

/*
 * MS_BIND: the source directory's guest path becomes the bind mount's
 * alias (vfs/mount.c). A source in a graft, or a relative host path: EPERM.
 */
static int64_t mount_bind_from(struct sys_call *c, struct mount *m, struct tmpfs_inode *dir, unsigned long flags)
{
	char alias[PATH_MAX], *host;
	struct tmpfs_inode *src = NULL;
	struct pcall pc;
	struct stat st;
	int64_t r = pcall_start(c, &pc, AT_FDCWD, c->args[0], LOOKUP_FDLINK);

	if (!dir)
		return -EPERM;
	if (r == SYS_CONTINUE) {
		if (pc.p.buf[0] != '/' || path_normalize(pc.p.buf, alias, sizeof(alias)))
			return -EPERM;
		r = stat(alias, &st) ? -errno : !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
	} else if (!r) {
		do {
			r = tmpfs_lookup_dir(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, &pc.w, &src);
		} while (pcall_exit(c, &pc, &r, &host));
		if (host)
			r = pc.graft || path_normalize(host, alias, sizeof(alias)) ? -EPERM : 0;
		else if (!r) {
			r = tmpfs_dir_guest_path(src, alias, sizeof(alias));
			tmpfs_inode_put(src);
			r = r < 0 ? r : 0;
		}
	}
	/* lock_mount() after the source's lookup: onto a lazily unmounted mount, ENOENT */
	return r ? r : m->detached ? -ENOENT : mount_bind(c->sb, m, dir, alias, flags);
}

/* may_mount(): CAP_SYS_ADMIN */
static int64_t may_mount(struct sys_call *c)
{
	const struct guest_cred *cr;
	int err = sys_cred(c, &cr);

	return err ? err : cr->cap_sys_admin ? 0 : -EPERM;
}

/*
 * A file system type the host knows (get_fs_type()), from /proc/filesystems:
 * 1 one that takes no device ("nodev": its source is only a name), 2 one
 * that does, 0 unknown.
 */
static int fs_type_known(const char *type)
{
	char line[128], name[64];
	FILE *f = fopen("/proc/filesystems", "re");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "nodev %63s", name) == 1)
			found = strcmp(name, type) ? 0 : 1;
		else
			found = sscanf(line, "%63s", name) == 1 && !strcmp(name, type) ? 2 : 0;
	fclose(f);
	return found;
}

/*
 * graft_create() as the guest: its credentials judge the source, and the
 * new file system's root is its fsuid's and fsgid's, as Linux makes it for
 * the caller (ramfs_get_inode()'s current_fsuid()), not the supervisor's.
 */
static int graft_create_as(struct sys_call *c, const char *type, const char *src, unsigned long flags,
			   const char *data)
{
	const struct guest_cred *cr;
	int r = sys_cred(c, &cr), fd;

	if (r)
		return r;
	r = cred_host_enter(&cr->fs);
	if (r)
		return r;
	fd = graft_create(type, src, flags, data);
	cred_host_leave();
	return fd;
}

/*
 * mount(2)'s source for a graft of @type, read into @buf: *src NULL, a
 * host path, or for a type that takes no device (ramfs, proc: "nodev") any
 * name ("none"), which Linux only shows. Returns 0, the name's error,
 * -ENODEV for a type the host does not know, or -EXDEV for a device path
 * in a mount or relative (the host cannot reach it: the callers' own
 * answers).
 */
static int graft_source(struct sys_call *c, const char *type, char buf[static PATH_MAX], const char **src)
{
	long n = c->args[0] ? guest_read_str(c->tid, buf, c->args[0], PATH_MAX) : 0;
	int kind;

	*src = c->args[0] ? buf : NULL;
	if (n < 0)
		return (int)n;
	kind = fs_type_known(type);
	if (!kind)
		return -ENODEV;
	return *src && kind == 2 && (buf[0] != '/' || mount_find(c->sb, buf)) ? -EXDEV : 0;
}

/*
 * Another file system onto a mount's directory: grafted from the host (the
 * guest holds CAP_SYS_ADMIN, so it could mount it there itself) when its
 * source is a host path.
 */
static int64_t mount_graft_fs(struct sys_call *c, struct mount *m, struct tmpfs_inode *dir,
			      unsigned long flags, const char *type, const char *data)
{
	char buf[PATH_MAX];
	const char *src;
	int host_root = graft_source(c, type, buf, &src);
	int64_t n;

	if (host_root == -EXDEV)
		return -EPERM; /* a source in a mount (or relative): the host cannot reach it */
	if (host_root < 0)
		return host_root;
	host_root = graft_create_as(c, type, src, flags, data);
	if (host_root < 0)
		return host_root;
	n = mount_graft(c->sb, m, dir, src, type, flags, host_root);
	if (n)
		close(host_root);
	return n;
}

static int64_t mount_new_fs(struct sys_call *c, struct mount *m, struct tmpfs_inode *dir,
			    unsigned long flags)
{
	const struct guest_cred *cr;
	char type[256], data[4096];
	long n = c->args[2] ? guest_read_str(c->tid, type, c->args[2], sizeof(type)) : -EINVAL;

	if (n < 0)
		return n == -ENAMETOOLONG ? -ENODEV : n;
	if (c->args[4] && (n = guest_read_str(c->tid, data, c->args[4], sizeof(data))) < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	if (!dir)
		return -EPERM; /* onto a graft's root: the host's business, out of our reach */
	if (strcmp(type, "tmpfs"))
		return mount_graft_fs(c, m, dir, flags, type, c->args[4] ? data : NULL);
	if (c->args[0] && (n = guest_read_str(c->tid, type, c->args[0], sizeof(type))) < 0)
		return n;
	if ((n = sys_cred(c, &cr)))
		return n;
	/* lock_mount(): onto a lazily unmounted mount's directory, after the options' EINVAL */
	if (m->detached)
		return (c->args[4] && (n = mount_tmpfs_opts_check(data, c->args[0] ? type : NULL))) ? n : -ENOENT;
	return mount_tmpfs(c->sb, m, dir, &cr->fs, c->args[0] ? type : NULL, flags,
			   c->args[4] ? data : NULL);
}

static int64_t mount_on(struct sys_call *c, struct mount *m, struct tmpfs_inode *dir, unsigned long flags)
{
	char data[4096];
	bool root = !dir || dir == tmpfs_root(m->fs);
	long n;

	if (flags & MS_NOUSER)
		return -EINVAL;
	n = may_mount(c);
	if (n)
		return n;
	if (flags & MS_REMOUNT) {
		/* do_remount(): check_mnt(), a lazily unmounted mount is in no namespace */
		if (!root || m->detached)
			return -EINVAL;
		if (c->args[4] && (n = guest_read_str(c->tid, data, c->args[4], sizeof(data))) < 0)
			return n == -ENAMETOOLONG ? -EINVAL : n;
		if (m->host_root >= 0)
			return graft_remount(m->host_root, flags);
		if (!m->fs)
			return -EPERM; /* a bind mount's own flags: not modelled */
		return mount_remount(c->sb, m, flags, c->args[4] ? data : NULL);
	}
	if (flags & MS_BIND)
		return mount_bind_from(c, m, dir, flags);
	if (flags & MS_MOVE)
		return -EPERM;
	/*
	 * do_change_type(): a mount's root, and one propagation type alone
	 * (flags_to_propagation_type()); every mount of the sandbox is
	 * private already
	 */
	if (flags & MS_PROPAGATION) {
		unsigned long type = flags & ~(unsigned long)(MS_REC | MS_SILENT);

		/* check_mnt() too (Linux 6.16, in the stable kernels since) */
		return root && !m->detached && !(type & ~MS_PROPAGATION) && !(type & (type - 1)) ? 0 : -EINVAL;
	}
	return mount_new_fs(c, m, dir, flags);
}

/*
 * Another file system onto a file: do_new_mount() makes it (vfs_get_tree():
 * "no source" EINVAL, a missing device's ENOENT...) before
 * graft_tree() finds the file (ENOTDIR). Made on the host and let go.
 */
static int64_t mount_graft_probe(struct sys_call *c, unsigned long flags, const char *type)
{
	char buf[PATH_MAX], data[MOUNT_DATA_MAX];
	const char *src;
	int host_root = graft_source(c, type, buf, &src);
	long n;

	if (host_root < 0 && host_root != -EXDEV)
		return host_root;
	if (c->args[4] && (n = guest_read_str(c->tid, data, c->args[4], sizeof(data))) < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	if (host_root == -EXDEV)
		return -ENOTDIR; /* a source the host cannot reach: no file system to make */
	host_root = graft_create_as(c, type, src, flags, c->args[4] ? data : NULL);
	if (host_root < 0)
		return host_root;
	close(host_root);
	return -ENOTDIR;
}

/*
 * A new tmpfs onto a file: do_new_mount() knows the type and parses the
 * options before graft_tree() finds the file (ENOTDIR).
 */

static int64_t mount_onto_file(struct sys_call *c, unsigned long flags)
{
	char buf[4096], source[PATH_MAX];
	long n;

	if ((n = may_mount(c)))
		return n;
	if (flags & (MS_BIND | MS_MOVE))
		return flags & MS_BIND ? -ENOTDIR : -EPERM;
	n = c->args[2] ? guest_read_str(c->tid, buf, c->args[2], sizeof(buf)) : -EINVAL;
	if (n < 0)
		return n == -ENAMETOOLONG ? -ENODEV : n;
	if (strcmp(buf, "tmpfs"))
		return mount_graft_probe(c, flags, buf);
	if (c->args[0] && (n = guest_read_str(c->tid, source, c->args[0], sizeof(source))) < 0)
		return n;
	if (c->args[4] && (n = guest_read_str(c->tid, buf, c->args[4], sizeof(buf))) < 0)
		return n == -ENAMETOOLONG ? -EINVAL : n;
	/* mount(2)'s source is the first: "source=" in the options is "Multiple sources" */
	n = c->args[4] ? mount_tmpfs_opts_check(buf, c->args[0] ? source : NULL) : 0;
	return n ? n : -ENOTDIR;
}

/* Implements mount(2) onto a mount's directory. */
int64_t sys_mount(struct sys_call *c)
{
	unsigned long flags = c->args[3];
	struct tmpfs_inode *dir = NULL;
	bool root_only, file = false;
	struct mount *m;
	struct pcall pc;
	int64_t r;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(unsigned long)MS_MGC_MSK;
	root_only = (flags & MS_REMOUNT) || (!(flags & MS_BIND) && (flags & MS_PROPAGATION));
	r = mount_target(c, &pc, c->args[1], LOOKUP_FDLINK, root_only, &m, &dir, &file);
	if (file && root_only)
		r = may_mount(c) ?: -EINVAL; /* path_mount(): may_mount() before do_remount() */
	else if (file)
		r = mount_onto_file(c, flags);
	if (!r)
		r = mount_on(c, m, dir, flags);
	if (dir)
		tmpfs_inode_put(dir);
	return r;
}

/* Implements umount2(2) of a mount the guest made. */
int64_t sys_umount2(struct sys_call *c)
{
	int flags = (int)c->args[1];
	struct tmpfs_inode *dir = NULL;
	struct mount *m;
	struct pcall pc;
	int64_t r;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	r = may_mount(c);
	if (r)
		return r;
	r = mount_target(c, &pc, c->args[0], (flags & UMOUNT_NOFOLLOW ? 0 : LOOKUP_FDLINK) | LOOKUP_MOUNTPOINT,
			 true, &m, &dir, &(bool){ false });
	if (!r && dir) {
		/*
		 * A bind of it onto itself first (on top of whatever is there);
		 * then LOOKUP_MOUNTPOINT: a walk that stops on a covered directory
		 * ("." from a cwd under a mount, a symlink to it; "." crosses
		 * no mount) goes on into the top mount there (handle_lookup_down())
		 */
		struct mount *top = mount_self_bind(c->sb, dir);

		if (top || (top = mount_covering(c->sb, dir)))
			m = top;
		else if (dir != tmpfs_root(m->fs))
			r = -EINVAL; /* can_umount(): not a mount's root */
	}
	/* can_umount(): check_mnt(), a lazily unmounted mount is in no namespace */
	if (!r && m->detached)
		r = -EINVAL;
	if (!r && (flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		r = -EINVAL;
	if (dir)
		tmpfs_inode_put(dir);
	return r ? r : mount_umount(c->sb, m, flags);
}
