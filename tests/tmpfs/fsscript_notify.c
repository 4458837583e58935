/* fsscript's inotify operations (kernel/fs/tmpfs/fsnotify.c serves them in
 * a mount). See tests/tmpfs/README for the language:
 *
 *   inotify_init FLAGS -> $i          inotify_init1(FLAGS)
 *   inotify_add_watch $i PATH MASK    the watch descriptor
 *   inotify_rm_watch $i WD
 *   inotify_read $i N                 read(N) of the queue, never waiting:
 *                                     EAGAIN when it is empty (a blocking
 *                                     instance is polled first); else each
 *                                     event as [wd MASK cK name]
 *
 * A rename's cookie is printed as its rank among the cookies of that read
 * (c1, c2...): the number itself is a host-wide counter, different on each
 * side. Masks and flags are IN_* names or numbers. With FSI_NO_DEATHS (the
 * fuzz guest) IN_DELETE_SELF and IN_IGNORED are left out (fsscript.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>

#include "fsscript.h"

#define NOTIFY_BUF 65536

/* the event bits, in the order a mask prints them */
static const struct fsi_name mask_names[] = {
	FSI_NAME(IN_ACCESS), FSI_NAME(IN_MODIFY), FSI_NAME(IN_ATTRIB), FSI_NAME(IN_CLOSE_WRITE),
	FSI_NAME(IN_CLOSE_NOWRITE), FSI_NAME(IN_OPEN), FSI_NAME(IN_MOVED_FROM),
	FSI_NAME(IN_MOVED_TO), FSI_NAME(IN_CREATE), FSI_NAME(IN_DELETE), FSI_NAME(IN_DELETE_SELF),
	FSI_NAME(IN_MOVE_SELF), FSI_NAME(IN_UNMOUNT), FSI_NAME(IN_Q_OVERFLOW), FSI_NAME(IN_IGNORED),
	FSI_NAME(IN_ONLYDIR), FSI_NAME(IN_DONT_FOLLOW), FSI_NAME(IN_EXCL_UNLINK),
	FSI_NAME(IN_MASK_CREATE), FSI_NAME(IN_MASK_ADD), FSI_NAME(IN_ISDIR), FSI_NAME(IN_ONESHOT),
	{ NULL, 0 }
};
/* inotify_init1()'s flags (IN_NONBLOCK is IN_MOVE_SELF's bit: a table of their own) */
static const struct fsi_name init_names[] = {
	FSI_NAME(IN_NONBLOCK), FSI_NAME(IN_CLOEXEC), { NULL, 0 }
};

static void out_mask(struct interp *in, uint32_t mask)
{
	const char *sep = "";

	for (const struct fsi_name *m = mask_names; m->name; m++) {
		if (!(mask & (uint32_t)m->val))
			continue;
		fsi_outf(in, "%s%s", sep, m->name);
		sep = "|";
		mask &= ~(uint32_t)m->val;
	}
	if (mask)
		fsi_outf(in, "%s0x%x", sep, mask);
}

static void op_init(struct interp *in, const char *name)
{
	(void)name;
	fsi_out_fd(in, fsi_sys(in, SYS_inotify_init1, fsi_arg_names(in, 1, init_names), 0, 0, 0, 0, 0));
}

static void op_add_watch(struct interp *in, const char *name)
{
	(void)name;
	fsi_out_ret(in, fsi_sys(in, SYS_inotify_add_watch, fsi_arg_fd(in, 1),
				(long)fsi_arg_path(in, 2), fsi_arg_names(in, 3, mask_names), 0, 0, 0));
}

static void op_rm_watch(struct interp *in, const char *name)
{
	(void)name;
	fsi_out_ret(in, fsi_sys(in, SYS_inotify_rm_watch, fsi_arg_fd(in, 1),
				fsi_arg_num(in, 2), 0, 0, 0, 0));
}

/* the rank of @cookie among those of one read (@seen: n so far) */
static unsigned cookie_rank(uint32_t *seen, unsigned *n, uint32_t cookie)
{
	for (unsigned i = 0; i < *n; i++)
		if (seen[i] == cookie)
			return i + 1;
	seen[*n] = cookie;
	return ++*n;
}

static int left_out(const struct interp *in, uint32_t mask)
{
	return (fsi_flags(in) & FSI_NO_DEATHS) && (mask & (IN_DELETE_SELF | IN_IGNORED));
}

/* the bytes of the events left out (FSI_NO_DEATHS) */
static long left_out_bytes(const struct interp *in, const char *buf, long len)
{
	long n = 0;

	for (long at = 0; at + (long)sizeof(struct inotify_event) <= len;) {
		struct inotify_event ev;

		memcpy(&ev, buf + at, sizeof(ev));
		if (left_out(in, ev.mask))
			n += (long)sizeof(ev) + ev.len;
		at += (long)sizeof(ev) + ev.len;
	}
	return n;
}

static void out_events(struct interp *in, const char *buf, long len)
{
	uint32_t seen[NOTIFY_BUF / sizeof(struct inotify_event)];
	unsigned nseen = 0;

	for (long at = 0; at + (long)sizeof(struct inotify_event) <= len;) {
		struct inotify_event ev;

		memcpy(&ev, buf + at, sizeof(ev));
		if (left_out(in, ev.mask)) {
			at += (long)sizeof(ev) + ev.len;
			continue;
		}
		fsi_outf(in, " [%d ", ev.wd);
		out_mask(in, ev.mask);
		if (ev.cookie)
			fsi_outf(in, " c%u", cookie_rank(seen, &nseen, ev.cookie));
		at += (long)sizeof(ev);
		if (ev.len && at + (long)ev.len <= len)
			fsi_outf(in, " %.*s", (int)strnlen(buf + at, ev.len), buf + at);
		at += ev.len;
		fsi_outf(in, "]");
	}
}

static void op_read(struct interp *in, const char *name)
{
	static char *buf;
	long fd = fsi_arg_fd(in, 1), n = fsi_arg_num(in, 2), r;
	struct pollfd p = { .fd = (int)fd, .events = POLLIN };

	(void)name;
	if (!buf && !(buf = malloc(NOTIFY_BUF))) {
		fsi_out_ret(in, -ENOMEM);
		return;
	}
	if (n < 0 || n > NOTIFY_BUF)
		n = NOTIFY_BUF;
	/* a blocking instance's empty queue would wait for ever */
	if (fd >= 0 && poll(&p, 1, 0) == 0) {
		fsi_out_ret(in, -EAGAIN);
		return;
	}
	r = fsi_sys(in, SYS_read, fd, (long)buf, n, 0, 0, 0);
	/* the length of the events printed */
	fsi_out_ret(in, r > 0 ? r - left_out_bytes(in, buf, r) : r);
	if (r > 0)
		out_events(in, buf, r);
}

const struct fsi_op fsi_notify_ops[] = {
	{ "inotify_init", op_init }, { "inotify_add_watch", op_add_watch },
	{ "inotify_rm_watch", op_rm_watch }, { "inotify_read", op_read },
	{ NULL, NULL }
};
