// SPDX-License-Identifier: MIT
/*
 * RLIMIT_NOFILE as the guest sees it while a mount exists. The cwd slot
 * (vfs/fsctx.c) holds one fd number of every guest process's table, so the
 * guest starts with a soft limit one higher than it was given
 * (entry/supervisor.c), and these calls show and take the limit without
 * that slot: getrlimit(RLIMIT_NOFILE), getdtablesize() and opening files
 * until EMFILE agree as on Linux. Other resources, and other processes'
 * limits (prlimit64 with another pid), are the host's; a new
 * RLIMIT_FSIZE is noted, for the tmpfs's EFBIG and SIGXFSZ (vfs/cred.c).
 */
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "sys.h"
#include "../vfs/vfs.h"

#define CAP_SYS_RESOURCE_ 24

/* The limit the guest sees for a host limit h: the slot below h is not its. */
static uint64_t nofile_shown(const struct sandbox *sb, uint64_t h)
{
	return h != RLIM_INFINITY && h > (uint64_t)sb->fd_cwd ? h - 1 : h;
}

/*
 * The host limit for a limit v the guest asks for: nofile_shown()'s inverse.
 * v == fd_cwd is what a host limit of fd_cwd + 1 reads as: the limit read
 * back and set again must keep the slot below it (`ukcov fuzz` found a
 * getrlimit()/setrlimit() round trip that left chdir into a mount EMFILE).
 */
static uint64_t nofile_host(const struct sandbox *sb, uint64_t v)
{
	return v != RLIM_INFINITY && v >= (uint64_t)sb->fd_cwd ? v + 1 : v;
}

/*
 * prlimit64(2) on the calling process's RLIMIT_NOFILE (do_prlimit()'s
 * checks in its order): unew/uold guest addresses of struct rlimit64 (or of
 * struct rlimit, the same layout on x86-64), 0 for none.
 */
static int64_t nofile_prlimit(struct sys_call *c, uint64_t unew, uint64_t uold)
{
	const struct guest_cred *cr;
	struct rlimit want, now, host;
	int r = sys_cred(c, &cr);

	if (r)
		return r;
	if (unew && guest_read(c->tid, &want, unew, sizeof(want)))
		return -EFAULT;
	if (unew && want.rlim_cur > want.rlim_max)
		return -EINVAL;
	if (prlimit(cr->tgid, RLIMIT_NOFILE, NULL, &now))
		return -errno;
	if (unew) {
		host.rlim_cur = nofile_host(c->sb, want.rlim_cur);
		host.rlim_max = nofile_host(c->sb, want.rlim_max);
		/* The supervisor acts for the guest: the guest's capability decides. */
		if (host.rlim_max > now.rlim_max && !(cr->cap_eff & (1ull << CAP_SYS_RESOURCE_)))
			return -EPERM;
		if (prlimit(cr->tgid, RLIMIT_NOFILE, &host, NULL))
			return -errno;
	}
	if (uold) {
		now.rlim_cur = nofile_shown(c->sb, now.rlim_cur);
		now.rlim_max = nofile_shown(c->sb, now.rlim_max);
		if (guest_write(c->tid, uold, &now, sizeof(now)))
			return -EFAULT;
	}
	return 0;
}

/* Any thread's limit may be finite from now on: credentials carry it. */
static int64_t fsize_set(struct sys_call *c)
{
	c->sb->fsize_limited = true;
	c->sb->cred_epoch++;
	return SYS_CONTINUE;
}

/* Implements getrlimit(2). */
int64_t sys_getrlimit(struct sys_call *c)
{
	if (c->args[0] != RLIMIT_NOFILE)
		return SYS_CONTINUE;
	return nofile_prlimit(c, 0, c->args[1]);
}

/* Implements setrlimit(2). */
int64_t sys_setrlimit(struct sys_call *c)
{
	if (c->args[0] == RLIMIT_FSIZE)
		return fsize_set(c);
	if (c->args[0] != RLIMIT_NOFILE)
		return SYS_CONTINUE;
	return nofile_prlimit(c, c->args[1], 0);
}

/* Implements prlimit64(2): pid 0 or the caller's own process. */
int64_t sys_prlimit64(struct sys_call *c)
{
	const struct guest_cred *cr;
	pid_t pid = (pid_t)c->args[0];
	int r;

	if ((unsigned int)c->args[1] == RLIMIT_FSIZE && c->args[2])
		return fsize_set(c);
	if ((unsigned int)c->args[1] != RLIMIT_NOFILE)
		return SYS_CONTINUE;
	if (pid) {
		r = sys_cred(c, &cr);
		if (r)
			return r;
		if (pid != cr->tgid && pid != c->tid)
			return SYS_CONTINUE;
	}
	return nofile_prlimit(c, c->args[2], c->args[3]);
}
