// SPDX-License-Identifier: MIT
/*
 * execve(2). The host runs it; ukcov only keeps its own state right (a
 * traced non-leader thread takes the leader's TID, cached credentials are
 * read afresh), and runs programs whose file is in a mount: their data is
 * the supervisor's, so it hands the host a copy (a sealed memfd, installed in
 * the guest) and redirects the waiting execve to it (task/execredirect.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"
#include "../vfs/vfs.h"

/* Copies [off, end) of the file to fd at the same offsets. Returns 0 or -errno. */
static int exec_copy_range(struct tmpfs_file *f, const struct tmpfs_cred *cr, int fd, int64_t off,
			   int64_t end)
{
	char buf[65536];

	while (off < end) {
		size_t want = end - off < (int64_t)sizeof(buf) ? (size_t)(end - off) : sizeof(buf);
		ssize_t n = tmpfs_pread(f, cr, buf, want, off);

		if (n <= 0)
			return (int)n;
		if (pwrite(fd, buf, (size_t)n, off) != n)
			return -EIO;
		off += n;
	}
	return 0;
}

/*
 * Copies the file into a new sealed memfd. Returns it or -errno. Only its
 * data is copied, hole by hole as the file has them: a sparse file of a
 * terabyte (one ftruncate away for any guest) costs its data, not a
 * terabyte of zeros in the supervisor.
 */
static int exec_copy(struct tmpfs_file *f, const struct tmpfs_cred *cr, const char *name,
		     bool *is_elf)
{
	char magic[4];
	int64_t size = tmpfs_lseek(f, 0, SEEK_END), off = 0, data, hole;
	ssize_t n = 0;
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	*is_elf = tmpfs_pread(f, cr, magic, sizeof(magic), 0) == sizeof(magic) &&
		  !memcmp(magic, "\177ELF", 4);
	if (size < 0 || ftruncate(fd, size))
		n = size < 0 ? size : -errno;
	while (!n && off < size && (data = tmpfs_lseek(f, off, SEEK_DATA)) >= 0) {
		hole = tmpfs_lseek(f, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		n = exec_copy_range(f, cr, fd, data, hole);
		off = hole;
	}
	if (n < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		close(fd);
		return n < 0 ? (int)n : -errno;
	}
	return fd;
}

/*
 * The checks Linux's do_open_execat() makes, in its order: the walk, then
 * MAY_EXEC on the file (root needs some x bit), a regular file (EACCES).
 * Returns 0 with the file open for reading (as the supervisor: an x-only
 * file is executable but not readable), SYS_CONTINUE when the walk leaves
 * the mount, or -errno.
 */
static int64_t exec_open(struct sys_call *c, struct path_ref *p, const struct tmpfs_cred *cr,
			 struct tmpfs_file **out)
{
	struct tmpfs_cred reader = *cr;
	struct tmpfs_walk w = { 0 };
	struct stat st;
	int64_t r = tmpfs_fstatat(p->mnt->fs, cr, p->dir, p->path, 0, &w, &st);

	if (r == 0 && !S_ISREG(st.st_mode))
		r = -EACCES;
	if (r == 0)
		r = tmpfs_faccessat(p->mnt->fs, cr, p->dir, p->path, X_OK, AT_EACCESS, &w);
	if (r == 0) {
		reader.caps |= TMPFS_CAP_DAC_OVERRIDE | TMPFS_CAP_DAC_READ_SEARCH;
		r = tmpfs_openat(p->mnt->fs, &reader, p->dir, p->path, O_RDONLY, 0, 0, &w, out);
	}
	free(w.host_path);
	(void)c;
	return r == -TMPFS_EXIT ? SYS_CONTINUE : r;
}

/*
 * deny_write_access() of do_open_execat(): ETXTBSY while some description
 * of the file is open for writing. The counts of the file's descriptions
 * (vfs/release.c) say none is, or maybe some (a close not read yet, closes
 * merged): then the guest processes' fds say.
 */
static int exec_writers(struct sys_call *c, struct tmpfs_file *tf)
{
	int data = tmpfs_file_data_fd(tf);
	struct kfile *f;
	struct stat st;

	if (data < 0 || fstat(data, &st))
		return 0; /* no data file: never opened, so never for writing */
	f = kfile_find(c->sb, st.st_dev, st.st_ino);
	if (!f || f->opened_w <= f->closed_w)
		return 0;
	return kfile_held_writable(f) ? -ETXTBSY : 0;
}

static int64_t exec_from_mount(struct sys_call *c, struct path_ref *p)
{
	const struct guest_cred *gc;
	struct tmpfs_file *f;
	const char *base = strrchr(p->path, '/');
	char target[64];
	bool elf;
	int fd, gfd, err;
	int64_t r = sys_cred(c, &gc);

	if (r)
		return r;
	/* The redirect failed for this thread just now: its restarted execve gets the host's answer. */
	if (c->sb->exec_redirect_failed == c->tid) {
		c->sb->exec_redirect_failed = 0;
		return -ENOENT;
	}
	r = exec_open(c, p, &gc->fs, &f);
	if (r)
		return r;
	r = exec_writers(c, f);
	fd = r ? (int)r : exec_copy(f, &gc->fs, base ? base + 1 : p->path, &elf);
	/*
	 * A program's file refuses writers while it runs (a script's: its
	 * interpreter's). Without a watch on the copy (max_user_watches) it
	 * runs all the same, its file writable, rather than not at all.
	 */
	if (fd >= 0 && elf && exectext_add(c->sb, fd, tmpfs_file_inode(f)) && c->sb->verbose)
		fprintf(stderr, "ukcov: %s runs without ETXTBSY for writers: no watch\n", p->path);
	tmpfs_file_put(f);
	if (fd < 0)
		return fd;
	/* A script's interpreter opens /proc/self/fd/N after the exec: not close-on-exec then. */
	gfd = guest_install_fd_any(c->sb->listener, c->id, fd, elf ? O_CLOEXEC : 0);
	close(fd);
	if (gfd < 0)
		return gfd == -ENOENT ? -ENOENT : gfd;
	snprintf(target, sizeof(target), "/proc/self/fd/%d", gfd);
	err = guest_execve_redirect(c->tid, target);
	if (err) {
		if (c->sb->verbose)
			fprintf(stderr, "ukcov: exec of %s from a mount: %s\n", p->path, strerror(-err));
		/* Interrupted already (the notification is gone)? Then it comes back: answer it then. */
		if (notif_id_valid(c->sb->listener, c->id))
			c->sb->exec_redirect_failed = c->tid;
		return -ENOENT;
	}
	/* The notification was withdrawn; the restarted execve traps again, with a host path. */
	return SYS_CONTINUE;
}

/*
 * Implements execve(2) (and execveat(2) on the host). A traced thread that is
 * not its process's leader will take the leader's TID (task_exec_begin());
 * with a mount, cached credentials are read afresh (a root process regains
 * its capabilities on exec).
 */
int64_t sys_execve(struct sys_call *c)
{
	struct path_ref *p;
	int64_t r;

	if (c->nr == SYS_execve && c->sb->nmounts) {
		p = malloc(sizeof(*p));
		if (!p)
			return -ENOMEM;
		r = path_lookup(c, AT_FDCWD, c->args[0], 0, p);
		r = r ? SYS_CONTINUE : p->mnt ? exec_from_mount(c, p) : SYS_CONTINUE;
		free(p);
		if (r != SYS_CONTINUE)
			return r;
	}
	if (c->task->pidfd >= 0)
		task_exec_begin(c->sb, c->task);
	return sys_cred_changing(c);
}
