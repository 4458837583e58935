// SPDX-License-Identifier: MIT
/*
 * dnotify (fcntl(F_NOTIFY)) on mount directories, as Linux's
 * fs/notify/dnotify/dnotify.c. The host cannot keep it for the guest: the
 * guest's description of a mount directory is one of an empty, removed
 * host directory, which sees none of the mount's events.
 *
 * A directory's dnotify (one per kfile, that is per inode) is a list of
 * dnotify_structs: a holder (fown.c: the setter's process and fd, for
 * dn_owner, dn_filp and dn_fd) and the DN_* mask it asked for. The tmpfs
 * core tells each event a directory's masks want (tmpfs_mount_opts.dnotify,
 * from fsnotify.c's hooks: the directory's own events, its children's and
 * its names'), and each matching holder's description signals its owner
 * once the call is answered; one without DN_MULTISHOT goes then.
 *
 * dnotify_flush() runs at every close on Linux; ukcov sees no close of a
 * mount file, so a holder whose fd no longer leads to the directory is
 * dropped when looked at (an event, an F_NOTIFY): a close that another
 * open of the same directory at the same fd number follows keeps it (a
 * deviation), as does a dup's close (Linux drops it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "vfs.h"

struct dnotify {
	struct kfile *f;
	struct tmpfs_inode *dir;
	struct dnotify *next; /* every watched directory, for dnotify_event() */
	size_t n;
	struct dn_entry {
		struct holder h;
		unsigned int arg; /* DN_*, as fcntl got them */
	} *e;
};

static struct dnotify *watched;

/* convert_arg(): the core's events of DN_* bits */
static uint32_t dn_events(unsigned int arg)
{
	uint32_t m = 0;

	if (arg & DN_DELETE)
		m |= IN_DELETE | IN_MOVED_FROM;
	if (arg & DN_MODIFY)
		m |= IN_MODIFY;
	if (arg & DN_ACCESS)
		m |= IN_ACCESS;
	if (arg & DN_ATTRIB)
		m |= IN_ATTRIB;
	if (arg & DN_RENAME)
		m |= TMPFS_FSN_RENAME;
	if (arg & DN_CREATE)
		m |= IN_CREATE | IN_MOVED_TO;
	return m;
}

static void entry_del(struct dnotify *d, size_t i)
{
	d->e[i] = d->e[--d->n];
}

static void dnotify_drop(struct dnotify *d)
{
	for (struct dnotify **pp = &watched; *pp; pp = &(*pp)->next)
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	tmpfs_inode_dnotify_mask(d->dir, 0);
	d->f->dnotify = NULL;
	free(d->e);
	free(d);
}

/* dnotify_recalc_inode_mask(); the last entry gone, the dnotify goes. */
static void recalc(struct dnotify *d)
{
	uint32_t m = 0;

	if (!d->n) {
		dnotify_drop(d);
		return;
	}
	for (size_t i = 0; i < d->n; i++)
		m |= dn_events(d->e[i].arg);
	tmpfs_inode_dnotify_mask(d->dir, m);
}

/* The entries whose descriptions were closed there go. */
static void prune(struct dnotify *d)
{
	for (size_t i = 0; i < d->n;)
		if (holder_alive(d->f, &d->e[i].h))
			i++;
		else
			entry_del(d, i);
}

/* The entry of description fd of tgid in its fd table (dn_filp, dn_owner), or -1. */
static long entry_find(const struct dnotify *d, pid_t tgid, int fd)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (holder_same_files(tgid, &d->e[i].h) && holder_same_desc(tgid, fd, &d->e[i].h))
			return (long)i;
	return -1;
}

static struct dnotify *dnotify_get(struct kfile *f)
{
	struct dnotify *d = f->dnotify;

	if (d)
		return d;
	d = tmpfs_calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->f = f;
	d->dir = tmpfs_file_inode(f->priv);
	d->next = watched;
	watched = d;
	f->dnotify = d;
	return d;
}

/* attach_dn(): a new entry, or more events for the caller's own (its fd the latest). */
static int attach(struct kfile *f, pid_t tgid, int fd, unsigned int arg)
{
	struct dnotify *d = dnotify_get(f);
	struct dn_entry *grown;
	long i;

	if (!d)
		return -ENOMEM;
	prune(d);
	i = entry_find(d, tgid, fd);
	if (i >= 0) {
		d->e[i].h.fd = fd;
		d->e[i].arg |= arg;
	} else {
		grown = tmpfs_realloc(d->e, (d->n + 1) * sizeof(*grown));
		if (!grown) {
			recalc(d);
			return -ENOMEM;
		}
		d->e = grown;
		d->e[d->n++] = (struct dn_entry){ { tgid, fd }, arg };
	}
	recalc(d);
	return 0;
}

static bool tmpfs_dir(struct kfile *f)
{
	return f->ops->tmpfs && f->ops->host_desc && S_ISDIR(tmpfs_inode_mode(tmpfs_file_inode(f->priv)));
}

int64_t dnotify_fcntl(struct sys_call *c, struct kfile *f, int fd, unsigned int arg)
{
	struct f_owner_ex own = { 0 };
	const struct guest_cred *cr;
	long i;
	int err;

	if (host_sysctl("/proc/sys/fs/dir-notify-enable") <= 0)
		return -EINVAL;
	err = sys_cred(c, &cr);
	if (err)
		return err;
	/* a 0 mask: dnotify_flush() of the caller's entry, on any file */
	if (!(arg & ~(unsigned int)DN_MULTISHOT)) {
		if (f->dnotify && (i = entry_find(f->dnotify, cr->tgid, fd)) >= 0) {
			entry_del(f->dnotify, (size_t)i);
			recalc(f->dnotify);
		}
		return 0;
	}
	if (!tmpfs_dir(f))
		return -ENOTDIR;
	/* __f_setown(..., force 0): the caller owns the description unless someone does */
	if (!fcntl(c->desc.fd, F_GETOWN_EX, &own) && !own.pid)
		fcntl(c->desc.fd, F_SETOWN, cr->tgid);
	return attach(f, cr->tgid, fd, arg);
}

void dnotify_event(struct tmpfs_inode *dir, uint32_t mask)
{
	struct dnotify *d = watched;
	struct sigio s;

	while (d && d->dir != dir)
		d = d->next;
	if (!d)
		return;
	for (size_t i = 0; i < d->n;) {
		struct dn_entry *e = &d->e[i];

		if (!(dn_events(e->arg) & mask)) {
			i++;
			continue;
		}
		if (!holder_alive(d->f, &e->h)) {
			entry_del(d, i);
			continue;
		}
		if (!sigio_of(d->f, &e->h, &s))
			sigio_send(&s, true);
		if (e->arg & DN_MULTISHOT)
			i++;
		else
			entry_del(d, i);
	}
	recalc(d);
}

void dnotify_free(struct kfile *f)
{
	if (f->dnotify)
		dnotify_drop(f->dnotify);
}
