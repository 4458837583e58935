/* SPDX-License-Identifier: MIT */
/*
 * Sandbox files: one struct kfile per open file description the sandbox
 * created. The guest holds a host fd for it (the memfd of a kcov, ...); the
 * sandbox recognizes it by that host file's (st_dev, st_ino), so it follows
 * the file through dup(), dup2() to any number, fork() and SCM_RIGHTS, which
 * an fd-number table would not.
 */
#ifndef UKCOV_FILE_H
#define UKCOV_FILE_H

#include <sys/stat.h>

#include "kernel.h"

struct kfile_ops {
	const char *name;
	/* Linux's nonseekable_open(): pread/pwrite/lseek answer ESPIPE. */
	bool nonseekable;
	int64_t (*ioctl)(struct sys_call *c, struct kfile *f, unsigned int cmd, unsigned long arg);
	int64_t (*mmap)(struct sys_call *c, struct kfile *f, uint64_t len, int prot, int flags,
			uint64_t off);
	int (*getattr)(struct kfile *f, struct stat *st);
	/* NULL operations get the VFS's answer for a file without them (sys_*.c). */
	int64_t (*read)(struct sys_call *c, struct kfile *f);
	int64_t (*write)(struct sys_call *c, struct kfile *f);
};

struct kfile {
	dev_t dev;
	ino_t ino;
	int flags;                /* open flags */
	const struct kfile_ops *ops;
	void *priv;
	struct kfile *next;
};

/* Registers the open file whose host object is `hostfd`. Returns the file or NULL (ENOMEM). */
struct kfile *kfile_new(struct sandbox *sb, int hostfd, const struct kfile_ops *ops, void *priv,
			int flags);
struct kfile *kfile_find(struct sandbox *sb, dev_t dev, ino_t ino);

/*
 * The sandbox file behind guest fd arg of this call. Returns 0 with *f set
 * when it is one; otherwise the handler's answer: -EBADF for a closed or
 * invalid fd, SYS_CONTINUE for a host file.
 */
int64_t fd_get(struct sys_call *c, int fd, struct kfile **f);
/* The lowest free fd number of the sandbox's window in the calling process, or -EMFILE. */
int fd_alloc_window(struct sys_call *c);

/* fs/kcovfs.c */
int64_t kcovfs_open(struct sys_call *c, int flags);

#endif
