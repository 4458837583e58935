/* SPDX-License-Identifier: MIT */
/*
 * A path call in the making (sys_path.c), shared by the handlers of every
 * path-taking family (sys_stat.c, sys_names.c, sys_rename.c, ...): look the path up,
 * let the file system serve it, follow a walk that leaves a mount into the
 * next mount or finish it on the host as the guest.
 */
#ifndef UKCOV_PCALL_H
#define UKCOV_PCALL_H

#include "../fs/fs.h"

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

/* Calls that follow a final symlink follow /proc/self/fd/N to the open file too (namei.c). */
#define FDLINK_IF(flags) ((flags) & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FDLINK)

struct pcall {
	struct path_ref p;
	const struct tmpfs_cred *cred;
	struct tmpfs_walk w;
	/* the graft the walk went into (its host path is p.buf), and whether it ended at its root */
	struct mount *graft;
	bool graft_root;
	/* the bind mount whose root the last walk out of a mount named (umount2 of it) */
	struct mount *bind;
	int exits; /* mount edges the walk crossed (pcall_exit()'s guard) */
};

/* A walk's state, fresh (p is the caller's): what pcall_start() does after its lookup. */
void pcall_reset(struct pcall *pc);
/* Looks the path up. Returns 0 with the mount in pc->p.mnt, SYS_CONTINUE when the host's, or -errno. */
int64_t pcall_start(struct sys_call *c, struct pcall *pc, int dirfd, uint64_t upath, int lflags);
/* The same for a name read into pc->p.buf already: n is guest_read_str()'s answer. */
int64_t pcall_start_read(struct sys_call *c, struct pcall *pc, int dirfd, long n, int lflags);
/*
 * After a file-system call: a walk that left the mount continues in the
 * mount its remaining path lies in (returns 1: call again with pc updated),
 * or ends (returns 0; *host is set when the rest is on the host, -EXDEV
 * otherwise).
 */
int pcall_exit(struct sys_call *c, struct pcall *pc, int64_t *ret, char **host);
/*
 * A walk that left a mount by ".." at its root, its path copied into
 * p->buf: it goes on by the mount tree (mount_dotdot()), true with p in
 * that mount, at that directory, the rest relative to it; false where the
 * path decides (p->buf unchanged).
 */
bool pcall_exit_up(struct sys_call *c, const struct tmpfs_walk *w, struct path_ref *p);
/* Looks a mount path up as fstatat(2) does, finishing on the host a walk that leaves (sys_stat.c). */
int64_t pcall_stat(struct sys_call *c, struct pcall *pc, int flags, struct stat *st);
/*
 * getname_maybe_null(): with AT_EMPTY_PATH a NULL or empty name is no name
 * at all, and the *at call acts on its dirfd (Linux 6.13 and later).
 */
bool pcall_no_name(struct sys_call *c, uint64_t upath, int at_flags);

/* The *at flags checked before the dirfd is looked up (a bad flag is EINVAL even with a bad fd). */
int pcall_at_check(struct sys_call *c, enum tmpfs_at_call call, int flags, uint64_t arg);
/* A change on the host as the guest (its credentials and umask): false when the supervisor cannot take them. */
bool host_change_begin(const struct tmpfs_cred *cred, mode_t *old_umask);
/* Ends it; returns 0, or -errno when ret (the host call's) is non-zero. */
int64_t host_change_end(int ret, mode_t old_umask);

#endif
