// SPDX-License-Identifier: MIT
/*
 * Leases (F_SETLEASE, F_GETLEASE) on regular tmpfs files, kept by ukcov as
 * Linux's fs/locks.c keeps them. The host cannot hold them for the guest:
 * the supervisor keeps every data file open for writing, so the host's
 * check_conflicting_open() would refuse them all (docs/tmpfs-deviations.md).
 *
 * A lease belongs to an open description, whose holder (fown.c) is the
 * process and fd that set it: a holder that closed it lost its lease, as on
 * the last close.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../task/pending.h"
#include "vfs.h"

/* Read leases on one file at once, in as many descriptions; beyond, EAGAIN (a deviation). */
#define LEASE_HOLDERS 8

struct lease {
	int type;                 /* F_RDLCK or F_WRLCK (every holder's) */
	int target;               /* == type, or what a break is taking it to */
	int64_t deadline_ns;      /* a break: when the lease goes anyway (lease-break-time) */
	int wake;                 /* the parked openers' eventfd (written at each change), or -1 */
	unsigned int n;
	struct holder h[LEASE_HOLDERS];
};

/* Files with leases: while none has, an open looks for none (lease_any()). */
static unsigned int files_leased;

bool lease_any(void)
{
	return files_leased;
}

/* Something changed: the parked openers try again (a fresh eventfd for later ones). */
static void lease_wake(struct lease *l)
{
	uint64_t one = 1;

	if (l->wake < 0)
		return;
	(void)!write(l->wake, &one, sizeof(one));
	close(l->wake);
	l->wake = -1;
}

static void lease_drop(struct kfile *f)
{
	if (!f->lease)
		return;
	lease_wake(f->lease);
	free(f->lease);
	f->lease = NULL;
	files_leased--;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * When a break started now gives up: /proc/sys/fs/lease-break-time seconds
 * on (Linux's default 45); 0 there means never (Linux's break_time 0 is "no
 * break time": the opener waits for the holder).
 */
static int64_t break_deadline(void)
{
	FILE *fp = fopen("/proc/sys/fs/lease-break-time", "re");
	long s = 45;

	if (fp) {
		if (fscanf(fp, "%ld", &s) != 1 || s < 0)
			s = 45;
		fclose(fp);
	}
	return s ? now_ns() + (int64_t)s * 1000000000 : INT64_MAX;
}

static void holder_del(struct lease *l, unsigned int i)
{
	l->h[i] = l->h[--l->n];
	lease_wake(l);
}

/* Strength, for "a step down": a write lease, a read lease, none. */
static int rank(int type)
{
	return type == F_WRLCK ? 2 : type == F_RDLCK ? 1 : 0;
}

/* The break is over: every holder reached its target. */
static void break_done(struct lease *l)
{
	if (l->target == F_UNLCK)
		l->n = 0;
	l->type = l->target;
	lease_wake(l);
}

/* Drops the holders that closed, and (timeouts) a break that timed out (time_out_leases()). */
static struct lease *lease_fresh(struct kfile *f, bool timeouts)
{
	struct lease *l = f->lease;

	if (!l)
		return NULL;
	for (unsigned int i = 0; i < l->n;)
		if (holder_alive(f, &l->h[i]))
			i++;
		else
			holder_del(l, i);
	if (timeouts && l->n && l->target != l->type && now_ns() > l->deadline_ns)
		break_done(l);
	if (!l->n)
		lease_drop(f);
	return f->lease;
}

void lease_closed(struct kfile *f)
{
	lease_fresh(f, false);
}

static int holder_find(struct lease *l, pid_t tgid, int fd)
{
	for (unsigned int i = 0; l && i < l->n; i++)
		if (holder_same_desc(tgid, fd, &l->h[i]))
			return (int)i;
	return -1;
}

/*
 * check_conflicting_open(): a read lease with no writer open (the caller's
 * own description included), a write lease with the caller the only opener.
 * The counts are the descriptions ukcov made less the final closes seen;
 * where inotify merged closes they may be high, and the guest's fds say.
 */
static int conflicting_open(struct kfile *f, int type, int acc, pid_t tgid, int fd)
{
	uint64_t writers = f->opened_w - f->closed_w;
	uint64_t readers = (f->opened - f->opened_w) - (f->closed - f->closed_w);
	/*
	 * OPEN_FMODE(): access mode 3 (O_WRONLY|O_RDWR) is neither reader nor
	 * writer to Linux, which counts it nowhere; "readers" here are the
	 * descriptions that are not writers, so it counts among them.
	 */
	uint64_t self_w = acc == O_WRONLY || acc == O_RDWR;
	bool counted;

	if (type == F_RDLCK)
		counted = !writers;
	else
		counted = writers == self_w && readers == !self_w;
	if (counted || !f->merged)
		return counted ? 0 : -EAGAIN;
	if (type == F_RDLCK)
		return kfile_held_writable(f) == 0 ? 0 : -EAGAIN;
	return kfile_held_only_by(f, tgid, fd) == 1 ? 0 : -EAGAIN;
}

/*
 * generic_delete_lease(): lease_modify(F_UNLCK) also clears the
 * description's owner and signal (f_delown(), signum 0).
 */
static int64_t lease_unlock(struct sys_call *c, struct kfile *f, struct lease *l, int i)
{
	if (i < 0)
		return -EAGAIN; /* no lease of this description */
	holder_del(l, (unsigned int)i);
	if (!l->n)
		lease_drop(f);
	fcntl(c->desc.fd, F_SETOWN, 0);
	if (tmpfs_mount_private_store(tmpfs_file_mount(f->priv)))
		fcntl(c->desc.fd, F_SETSIG, 0);
	return 0;
}

/* generic_add_lease(): i is the caller's holder, or -1. */
static int64_t lease_add(struct sys_call *c, struct kfile *f, int fd, int type, int i, pid_t tgid)
{
	struct lease *l = f->lease;
	int err = conflicting_open(f, type, c->desc.flags & O_ACCMODE, tgid, fd);

	if (err)
		return err;
	/* Another description's lease: a write lease conflicts, a broken one too. */
	if (l && l->n > (i >= 0 ? 1u : 0u) && (type == F_WRLCK || l->type == F_WRLCK))
		return -EAGAIN;
	if (l && i < 0 && l->target == F_UNLCK && l->type != F_UNLCK)
		return -EAGAIN;
	if (!l) {
		l = tmpfs_calloc(1, sizeof(*l));
		if (!l)
			return -ENOMEM;
		l->wake = -1;
		f->lease = l;
		files_leased++;
	}
	if (i < 0) {
		if (l->n == LEASE_HOLDERS)
			return -EAGAIN;
		l->h[l->n++] = (struct holder){ tgid, fd };
	}
	/* lease_modify(): a type the break asks for (or less) ends it */
	if (l->target == l->type || rank(type) <= rank(l->target))
		l->target = type;
	l->type = type;
	lease_wake(l);
	/* lease_setup(): the description's owner is the caller's process now. */
	fcntl(c->desc.fd, F_SETOWN, tgid);
	return 0;
}

int64_t lease_set(struct sys_call *c, struct kfile *f, int fd, int type)
{
	const struct guest_cred *cr;
	struct stat st = { 0 };
	int i, err = sys_cred(c, &cr);

	if (err)
		return err;
	if (f->ops->getattr && (err = f->ops->getattr(f, &st)))
		return err;
	/* generic_setlease(): the owner or CAP_LEASE, then a regular file */
	if (st.st_uid != cr->fs.fsuid && !(cr->cap_eff & (1ull << 28 /* CAP_LEASE */)))
		return -EACCES;
	if (!S_ISREG(st.st_mode) || !f->ops->host_desc)
		return -EINVAL;
	if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK)
		return -EINVAL;
	/* generic_add_lease() times leases out first, generic_delete_lease() does not */
	lease_fresh(f, type != F_UNLCK);
	i = holder_find(f->lease, cr->tgid, fd);
	if (type == F_UNLCK)
		return lease_unlock(c, f, f->lease, i);
	return lease_add(c, f, fd, type, i, cr->tgid);
}

int64_t lease_get(struct sys_call *c, struct kfile *f, int fd)
{
	const struct guest_cred *cr;
	struct lease *l = lease_fresh(f, true);
	int err = sys_cred(c, &cr);

	if (err)
		return err;
	if (holder_find(l, cr->tgid, fd) < 0)
		return F_UNLCK;
	return l->target;
}

/* lease_break_callback(): the holder's description's owner is signalled. */
static void break_signal(struct kfile *f, const struct holder *h)
{
	struct sigio s;

	if (!sigio_of(f, h, &s))
		sigio_send(&s, false);
}

/* __break_lease(): the conflicting leases start their break; -EWOULDBLOCK while it lasts. */
static int lease_break_start(struct kfile *f, int flags)
{
	bool want_write = (flags & O_ACCMODE) != O_RDONLY;
	struct lease *l = lease_fresh(f, true);
	int target = want_write ? F_UNLCK : F_RDLCK;

	if (!l || (l->type == F_RDLCK && !want_write))
		return 0;
	/* each holder is told once per step down */
	if (rank(target) < rank(l->target) || l->target == l->type) {
		if (l->target == l->type)
			l->deadline_ns = break_deadline();
		l->target = target;
		for (unsigned int i = 0; i < l->n; i++)
			break_signal(f, &l->h[i]);
	}
	return -EWOULDBLOCK;
}

/*
 * The opener waits, without holding the loop: parked (task/pending.h)
 * until the lease changes or the break's time is up, then its call is
 * made again and finds the lease as it is then.
 */
static int64_t lease_wait(struct sys_call *c, struct lease *l)
{
	struct pending_req req = { .op = PENDING_WAKE };
	int64_t left = l->deadline_ns == INT64_MAX ? -1 : (l->deadline_ns - now_ns()) / 1000000 + 1;

	if (l->wake < 0)
		l->wake = eventfd(0, EFD_CLOEXEC);
	req.sockfd = l->wake < 0 ? -1 : fcntl(l->wake, F_DUPFD_CLOEXEC, 0);
	if (req.sockfd < 0)
		return -ENOMEM;
	req.timeout_ms = left < 0 ? -1 : left > INT32_MAX ? INT32_MAX : left < 1 ? 1 : (int)left;
	req.tid = c->tid;
	req.nr = c->nr;
	req.arg0 = c->args[0];
	return pending_start(c, &req);
}

int64_t lease_break(struct sys_call *c, struct kfile *f, int flags)
{
	int r = lease_break_start(f, flags);

	if (!r || (flags & O_NONBLOCK))
		return r;
	return lease_wait(c, f->lease);
}

void lease_free(struct kfile *f)
{
	lease_drop(f);
}

/*
 * F_GETFL (and fdinfo's "flags:"): the description's flags, and FASYNC
 * while it holds a lease: lease_setup() puts the description on the
 * lease's fasync list, which sets FASYNC, until the lease goes.
 */
int lease_getfl(struct sys_call *c, struct kfile *f, int fd)
{
	int fl = f->ops->getfl(f);
	int64_t held;

	if (fl >= 0 && f->lease && (held = lease_get(c, f, fd)) >= 0 && held != F_UNLCK)
		fl |= O_ASYNC;
	return fl;
}
