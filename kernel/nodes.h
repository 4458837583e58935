/* SPDX-License-Identifier: MIT */
/*
 * Fifos, sockets and device nodes of the mounts (fs/nodes.c): what opening
 * them or binding to them reaches. Their names and attributes are the
 * tmpfs core's; their objects are host objects in a private directory of
 * the supervisor (a FIFO, a bound socket, a device node), which only the
 * supervisor names: guests reach them through their mount paths.
 */
#ifndef UKCOV_NODES_H
#define UKCOV_NODES_H

#include "vfs.h"

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
/* Socket names: the private name `host` was bound for the guest path `guest` (getsockname). */
int nodes_sock_name_set(struct sandbox *sb, const char *host, const char *guest);
const char *nodes_sock_name(struct sandbox *sb, const char *host);
/* The node behind a FIFO's or private device's sandbox file: its inode (and mount), or NULL. */
struct tmpfs_inode *nodes_inode_of(struct kfile *f, struct mount **mnt);
/* The host block device's minimum I/O size (st_blksize of its nodes), or 0 when there is none. */
uint32_t nodes_bdev_blksize(uint32_t rdev);
/* Removes the private directory and what is in it (ukcov run's end). */
void nodes_cleanup(struct sandbox *sb);

#endif
