// SPDX-License-Identifier: MIT
/*
 * setuid(2) and the other credential changes: the host makes them; the
 * sandbox only notes that the process now has new credentials (see
 * credgen in vfs.h), as Linux's commit_creds() makes a new struct cred.
 */
#include <sys/syscall.h>

#include "sys.h"
#include "../vfs/vfs.h"

/* Implements nothing itself; the host runs the call. */
int64_t sys_setcred(struct sys_call *c)
{
	const struct guest_cred *cr;
	uint32_t id = (uint32_t)c->args[0];

	if (sys_cred(c, &cr))
		return SYS_CONTINUE;
	/*
	 * setfsuid()/setfsgid() to the current value, or -1 (a query), commit
	 * nothing. A guest in a user namespace of its own names ids of that
	 * namespace, which the cached host ids cannot be compared with: every
	 * call of its reads the credentials afresh.
	 */
	if (c->nr == SYS_setfsuid &&
	    (id == UINT32_MAX || (!cr->foreign_ns && id == cr->fs.fsuid)))
		return SYS_CONTINUE;
	if (c->nr == SYS_setfsgid &&
	    (id == UINT32_MAX || (!cr->foreign_ns && id == cr->fs.fsgid)))
		return SYS_CONTINUE;
	credgen_bump(c->sb, cr->tgid);
	return SYS_CONTINUE;
}

/*
 * umask(2), execve(2) (a root process regains its capabilities on exec),
 * unshare(2) and setns(2) (a new user namespace): the host runs them; cached
 * credentials (cred.c) are read afresh afterwards.
 */
int64_t sys_cred_changing(struct sys_call *c)
{
	const struct guest_cred *cr;

	/* A new user namespace is a new struct cred (its capabilities count for nothing here). */
	if ((c->nr == SYS_unshare || c->nr == SYS_setns) && !sys_cred(c, &cr))
		credgen_bump(c->sb, cr->tgid);
	c->sb->cred_epoch++;
	return SYS_CONTINUE;
}
