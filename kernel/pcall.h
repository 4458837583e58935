/* SPDX-License-Identifier: MIT */
/*
 * A path call in the making (sys_path.c), shared with the handlers of the
 * other path-taking families (sys_mknod.c, sys_socket.c): look the path up,
 * let the file system serve it, follow a walk that leaves a mount into the
 * next mount or finish it on the host as the guest.
 */
#ifndef UKCOV_PCALL_H
#define UKCOV_PCALL_H

#include "vfs.h"

struct pcall {
	struct path_ref p;
	const struct tmpfs_cred *cred;
	struct tmpfs_walk w;
};

/* Looks the path up. Returns 0 with the mount in pc->p.mnt, SYS_CONTINUE when the host's, or -errno. */
int64_t pcall_start(struct sys_call *c, struct pcall *pc, int dirfd, uint64_t upath, int lflags);
/*
 * After a file-system call: a walk that left the mount continues in the
 * mount its remaining path lies in (returns 1: call again with pc updated),
 * or ends (returns 0; *host is set when the rest is on the host, -EXDEV
 * otherwise).
 */
int pcall_exit(struct sys_call *c, struct pcall *pc, int64_t *ret, char **host);
/* A change on the host as the guest (its credentials and umask): false when the supervisor cannot take them. */
bool host_change_begin(const struct tmpfs_cred *cred, mode_t *old_umask);
/* Ends it; returns 0, or -errno when ret (the host call's) is non-zero. */
int64_t host_change_end(int ret, mode_t old_umask);

#endif
