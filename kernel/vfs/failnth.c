// SPDX-License-Identifier: MIT
/*
 * /proc/thread-self/fail-nth (ukcov run --fault-injection): Linux's
 * per-thread fault injection (fs/proc/base.c, proc_fail_nth_write/read;
 * lib/fault-inject.c), which syzkaller drives: a thread writes N, and the
 * Nth fault site its next calls reach fails; a read then says 0 if one
 * did. The sites are the kernel's allocations and the private store's
 * data files (tmpfs_should_fail()); the counter is the thread's task
 * record, which the serving loop arms around the thread's own calls.
 *
 * Only without the option is nothing served: a site that fails is an
 * error path, and a guest must not reach those at will in a sandbox that
 * did not ask for it (an untested error path is a supervisor bug waiting).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfs.h"

struct failnth {
	pid_t tid;                /* the thread whose counter the file is */
	int64_t pos;              /* the description's offset (reads advance it, writes do not) */
};

/* The file's thread: its record, or NULL once it is gone (get_proc_task()). */
static struct ktask *failnth_task(struct sys_call *c, const struct failnth *fn)
{
	struct ktask *t = task_find(c->sb, fn->tid);

	if (!t && fn->tid == c->tid)
		t = c->task;
	return t;
}

/* proc_fail_nth_read(): "%u\n", from the offset (simple_read_from_buffer()). */
static int64_t failnth_read(struct sys_call *c, struct kfile *f, void *buf, size_t len, int64_t off)
{
	struct failnth *fn = f->priv;
	struct ktask *t = failnth_task(c, fn);
	int64_t pos = off < 0 ? fn->pos : off;
	char num[16];
	int n;

	if (!t)
		return -ESRCH;
	n = snprintf(num, sizeof(num), "%u\n", t->fail_nth);
	if (pos >= n)
		return 0;
	if (len > (size_t)(n - pos))
		len = (size_t)(n - pos);
	memcpy(buf, num + pos, len);
	if (off < 0)
		fn->pos = pos + (int64_t)len;
	return (int64_t)len;
}

/* proc_fail_nth_write(): kstrtouint_from_user() of at most 66 bytes; the offset stays. */
static int64_t failnth_write(struct sys_call *c, struct kfile *f, const void *buf, size_t len,
			     int64_t off, int rwf)
{
	struct failnth *fn = f->priv;
	char s[67];
	size_t n = len < sizeof(s) - 1 ? len : sizeof(s) - 1;
	unsigned int v;
	struct ktask *t;
	int err;

	(void)off;
	(void)rwf;
	if (!buf)
		return -EFAULT;
	memcpy(s, buf, n);
	s[n] = '\0';
	err = tmpfs_kstrtouint(s, 0, &v);
	if (err)
		return err;
	t = failnth_task(c, fn);
	if (!t)
		return -ESRCH;
	t->fail_nth = v;
	/*
	 * Linux sets it as the write's last act; the rest of this call here
	 * (its bookkeeping after the file's op) must not count it down.
	 */
	tmpfs_fault_arm(NULL);
	guest_fault_arm(NULL);
	return (int64_t)len;
}

/* /proc/PID/task/TID/fail-nth: 0644, the thread's owner's, size 0. */
static int failnth_getattr(struct kfile *f, struct stat *st)
{
	st->st_dev = f->dev;
	st->st_ino = f->ino;
	st->st_mode = S_IFREG | 0644;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static int failnth_getfl(struct kfile *f)
{
	return (f->flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_ASYNC | O_NOATIME | O_PATH)) | O_LARGEFILE;
}

static void failnth_release(struct kfile *f)
{
	free(f->priv);
}

static const struct kfile_ops failnth_ops = {
	.name = "fail-nth",
	.read = failnth_read,
	.write = failnth_write,
	/* No llseek: vfs_llseek() without one is no_llseek(), ESPIPE; pread and pwrite work. */
	.getattr = failnth_getattr,
	.getfl = failnth_getfl,
	.release = failnth_release,
};

/*
 * The calling thread's own fail-nth, lexically: /proc/thread-self/fail-nth,
 * /proc/self/task/TID/fail-nth, /proc/TGID/task/TID/fail-nth. Another
 * thread's file is the host's (which has none, unless the host kernel has
 * CONFIG_FAULT_INJECTION): its counter would count the host's sites.
 */
static bool is_own_failnth(struct sys_call *c, const char *spelled)
{
	char own[64], path[PATH_MAX];
	const struct guest_cred *gc;

	if (spelled[0] != '/' || path_normalize(spelled, path, sizeof(path)))
		return false;
	if (!strcmp(path, "/proc/thread-self/fail-nth"))
		return true;
	if (strncmp(path, "/proc/", 6) || !strstr(path, "/fail-nth"))
		return false;
	snprintf(own, sizeof(own), "/proc/self/task/%d/fail-nth", c->tid);
	if (!strcmp(path, own))
		return true;
	if (sys_cred(c, &gc))
		return false;
	snprintf(own, sizeof(own), "/proc/%d/task/%d/fail-nth", gc->tgid, c->tid);
	return !strcmp(path, own);
}

int64_t failnth_open(struct sys_call *c, const char *path, int flags)
{
	struct failnth *fn;
	int err, slot;

	if (!c->sb->fault_injection || !is_own_failnth(c, path))
		return 1;
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	/* Without a mount only the window's fds trap: the file's reads must be ours. */
	slot = fd_alloc_window(c);
	if (slot == -EMFILE && c->sb->nmounts)
		slot = -1;
	else if (slot < 0)
		return slot;
	fn = tmpfs_calloc(1, sizeof(*fn));
	if (!fn)
		return -ENOMEM;
	fn->tid = c->tid;
	err = placeholder_install(c, "ukcov-fail-nth", &failnth_ops, fn, flags, slot, NULL);
	if (err) {
		free(fn);
		return err;
	}
	c->track = true;
	return SYS_INSTALL;
}
