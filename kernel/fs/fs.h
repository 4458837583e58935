/* SPDX-License-Identifier: MIT */
/*
 * kernel/fs/: the files the sandbox serves to guests, each a struct kfile
 * with its kfile_ops: the kcov device (kcovfs.c), open files of the tmpfs
 * mounts (tmpfs_kfile.c), and mount nodes backed by host objects
 * (host_nodes.c).
 *
 * May call: vfs/, task/, the tmpfs core, lib/. Called by syscalls/ and
 * entry/ (cleanup).
 *
 * Fifos, sockets and device nodes of the mounts (host_nodes.c): what opening
 * them or binding to them reaches. Their names and attributes are the
 * tmpfs core's; their objects are host objects in a private directory of
 * the supervisor (a FIFO, a bound socket, a device node), which only the
 * supervisor names: guests reach them through their mount paths.
 */
#ifndef UKCOV_FS_H
#define UKCOV_FS_H

#include "../vfs/vfs.h"

/* kcovfs.c: open(2) of the kcov path. */
int64_t kcovfs_open(struct sys_call *c, int flags);
/* tmpfs_kfile.c: installs an open tmpfs file in the guest (placeholder + ADDFD). */
int64_t tmpfs_install(struct sys_call *c, struct tmpfs_file *tf, int flags);
/*
 * tmpfs_kfile.c: whether f's host description's F_SETSIG/F_GETSIG are the
 * guest's own (else they hold ukcov's tag: a mount without its store).
 */
bool tmpfs_desc_sig_own(struct kfile *f);
/*
 * break_lease() before an open of path with flags (or a truncate(2), as
 * O_WRONLY) reaches a regular file with leases (vfs/lease.c): the file is
 * found by a trial open without side effects (no O_CREAT, O_TRUNC), so that
 * a refused or parked call changes nothing. Returns 0 (go on),
 * -EWOULDBLOCK (O_NONBLOCK) or SYS_PENDING (the caller waits).
 */
int64_t tmpfs_lease_break(struct sys_call *c, struct tmpfs_mount *m, const struct tmpfs_cred *cr,
			  struct tmpfs_inode *dir, const char *path, int flags, uint64_t resolve);

/*
 * After tmpfs_openat(): a fifo or a device node opens its host object (tf
 * is dropped); anything else is installed as a placeholder.
 */
int64_t nodes_open(struct sys_call *c, struct tmpfs_file *tf, int flags);
/*
 * The host name of a node's object in the private directory (made on first
 * use): DIR/<kind><mount>.<ino>. Returns 0 or -errno.
 */
int nodes_host_name(struct sandbox *sb, char kind, struct mount *mnt, struct tmpfs_inode *ino,
		    char *buf, size_t len);
/*
 * Socket names: the private name `host` of socket node `ino` was bound for
 * the guest path `guest` (getsockname). Records are bounded: see host_nodes.c.
 */
int nodes_sock_name_set(struct sandbox *sb, struct tmpfs_inode *ino, const char *host,
			const char *guest);
const char *nodes_sock_name(struct sandbox *sb, const char *host);
/*
 * A door to the private socket name `host` for a guest's own connect: a
 * directory (its fd returned, its name in door_path) holding the socket as
 * "s". Returns the fd or -errno.
 */
int nodes_sock_door(struct sandbox *sb, const char *host, char *door_path, size_t len);
/* Removes the private directory and what is in it (ukcov run's end). */
/*
 * host_nodes.c: a name was removed (unlink, a rename over it). A record
 * whose node has no name left can never be opened again, and while it
 * stays its inode counts against nr_inodes (ENOSPC) and statfs's f_ffree;
 * Linux frees the inode at the unlink when no file holds it. So the
 * records of such nodes that no process holds go now (a walk of the
 * guests' fds, only when there is one).
 */
void nodes_name_removed(struct sandbox *sb);
void nodes_cleanup(struct sandbox *sb);

#endif
