// SPDX-License-Identifier: MIT
/*
 * The calling thread's credentials, from /proc/TID/status: what Linux's
 * permission checks use (fsuid, fsgid, groups, effective capabilities) and
 * the umask every create applies. Read at most once per syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

static void parse_groups(const char *s, struct tmpfs_cred *cr)
{
	char *end;

	cr->ngroups = 0;
	while (cr->ngroups < TMPFS_NGROUPS_MAX) {
		unsigned long g = strtoul(s, &end, 10);

		if (end == s)
			break;
		cr->groups[cr->ngroups++] = (uint32_t)g;
		s = end;
	}
}

static int parse_status(char *buf, struct guest_cred *gc)
{
	unsigned int seen = 0;

	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long cap;
		unsigned int a, b, cc, d;

		if (sscanf(line, "Tgid: %d", &gc->tgid) == 1)
			seen |= 1;
		else if (sscanf(line, "PPid: %d", &gc->ppid) == 1)
			seen |= 2;
		else if (sscanf(line, "Uid: %u %u %u %u", &a, &b, &cc, &d) == 4) {
			gc->fs.uid = a;
			gc->fs.fsuid = d;
			seen |= 4;
		} else if (sscanf(line, "Gid: %u %u %u %u", &a, &b, &cc, &d) == 4) {
			gc->fs.gid = a;
			gc->fs.fsgid = d;
			seen |= 8;
		} else if (!strncmp(line, "Groups:", 7)) {
			parse_groups(line + 7, &gc->fs);
		} else if (sscanf(line, "CapEff: %llx", &cap) == 1) {
			/* TMPFS_CAP_* are Linux's capability numbers 0..4. */
			gc->fs.caps = (uint32_t)(cap & TMPFS_CAP_ALL);
			gc->cap_sys_admin = (cap >> CAP_SYS_ADMIN) & 1;
			seen |= 16;
		} else if (sscanf(line, "CapPrm: %llx", &cap) == 1) {
			gc->fs.caps_perm = (uint32_t)(cap & TMPFS_CAP_ALL);
		} else if (sscanf(line, "Umask: %o", &a) == 1) {
			gc->fs.umask = a;
		}
	}
	return seen == 31 ? 0 : -ESRCH;
}

static struct credgen *credgen_find(struct sandbox *sb, pid_t tgid)
{
	struct credgen **head = &sb->credgen[(unsigned int)tgid % KTASK_BUCKETS], *g;

	for (g = *head; g; g = g->next)
		if (g->tgid == tgid)
			return g;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->tgid = tgid;
	g->gen = ++sb->credgen_last;
	g->next = *head;
	*head = g;
	return g;
}

void credgen_bump(struct sandbox *sb, pid_t tgid)
{
	struct credgen *g = credgen_find(sb, tgid);

	if (g)
		g->gen = ++sb->credgen_last;
	sb->cred_epoch++;
}

int sys_cred(struct sys_call *c, const struct guest_cred **out)
{
	struct credgen *g;
	char path[64], buf[4096];
	struct guest_cred *gc;
	ssize_t n;

	struct guest_cred **cached = NULL;
	uint64_t *cached_epoch = NULL;
	struct pidslot *ps;

	if (c->cred) {
		*out = c->cred;
		return 0;
	}
	/*
	 * The cache sits with the thread's validated pidfd (a tracked task's,
	 * or the pidfd cache's), so a thread that reuses a TID starts afresh.
	 */
	if (c->task->pidfd >= 0) {
		cached = &c->task->cred;
		cached_epoch = &c->task->cred_epoch;
	} else if (sys_pidfd(c) >= 0 && (ps = pidcache_slot(c->sb, c->tid))) {
		cached = &ps->cred;
		cached_epoch = &ps->cred_epoch;
	}
	if (cached && *cached && *cached_epoch == c->sb->cred_epoch) {
		c->cred = *cached;
		*out = c->cred;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", c->tid);
	n = proc_read(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	gc = calloc(1, sizeof(*gc));
	if (!gc)
		return -ENOMEM;
	gc->fs.umask = 022;
	if (parse_status(buf, gc)) {
		free(gc);
		return -ESRCH;
	}
	/* 0 (no generation) makes the file system compare the values instead. */
	g = credgen_find(c->sb, gc->tgid);
	gc->fs.serial = g ? g->gen : 0;
	if (cached) {
		free(*cached);
		*cached = gc;
		*cached_epoch = c->sb->cred_epoch;
	}
	c->cred = gc;
	c->cred_owned = !cached;
	*out = gc;
	return 0;
}

/*
 * Acting as the guest on the host. The supervisor finishes on the host the
 * calls whose walk left a mount (sys_path.c, sys_open.c); Linux goes on
 * there with the caller's credentials (may_lookup() on each directory, the
 * final inode's permissions, the owner of what it creates), so the
 * supervisor thread takes them for that one call. fsuid, fsgid, the group
 * list and the capability sets belong to a thread in Linux: the raw
 * syscalls change the server thread alone (glibc's wrappers of setgroups()
 * would change every thread). One syscall is served at a time, so one saved
 * identity is enough.
 */
#define HOST_NGROUPS 256


static struct {
	bool active;
	uint32_t fsuid, fsgid;
	int ngroups;
	gid_t groups[HOST_NGROUPS];
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3];
} host_saved;

static int caps_rw(int nr, struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(nr, &h, d);
}

static uint32_t fsid_now(int nr)
{
	return (uint32_t)syscall(nr, -1); /* an invalid id changes nothing, returns the current one */
}

/* The file capabilities (TMPFS_CAP_*, Linux's numbers 0..4) become the guest's. */
static int caps_take(const struct tmpfs_cred *as)
{
	struct __user_cap_data_struct now[_LINUX_CAPABILITY_U32S_3];

	if (caps_rw(SYS_capget, now))
		return -1;
	now[0].effective = (now[0].effective & ~TMPFS_CAP_ALL) | (as->caps & now[0].permitted);
	return caps_rw(SYS_capset, now);
}

bool cred_host_enter(const struct tmpfs_cred *as)
{
	gid_t groups[TMPFS_NGROUPS_MAX];

	host_saved.fsuid = fsid_now(SYS_setfsuid);
	host_saved.fsgid = fsid_now(SYS_setfsgid);
	host_saved.ngroups = (int)syscall(SYS_getgroups, HOST_NGROUPS, host_saved.groups);
	if (host_saved.ngroups < 0 || caps_rw(SYS_capget, host_saved.caps))
		return false;
	for (uint32_t i = 0; i < as->ngroups; i++)
		groups[i] = as->groups[i];
	/* Without CAP_SETGID (an unprivileged supervisor) the host answers as the supervisor. */
	if (syscall(SYS_setgroups, as->ngroups, groups))
		return false;
	host_saved.active = true;
	syscall(SYS_setfsgid, as->fsgid);
	syscall(SYS_setfsuid, as->fsuid);
	if (fsid_now(SYS_setfsuid) != as->fsuid || fsid_now(SYS_setfsgid) != as->fsgid ||
	    caps_take(as)) {
		cred_host_leave();
		return false;
	}
	return true;
}

void cred_host_leave(void)
{
	int saved_errno = errno;

	if (!host_saved.active)
		return;
	/* setfsuid(0) raises the file capabilities again; capset restores the rest exactly. */
	syscall(SYS_setfsuid, host_saved.fsuid);
	syscall(SYS_setfsgid, host_saved.fsgid);
	syscall(SYS_setgroups, host_saved.ngroups, host_saved.groups);
	caps_rw(SYS_capset, host_saved.caps);
	host_saved.active = false;
	errno = saved_errno;
}
