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

struct mask_name {
	const char *name;
	uint32_t bit;
};

#define MN(x) { #x, (uint32_t)(x) }
static const struct mask_name mask_names[] = {
	MN(IN_ACCESS), MN(IN_MODIFY), MN(IN_ATTRIB), MN(IN_CLOSE_WRITE),
	MN(IN_CLOSE_NOWRITE), MN(IN_OPEN), MN(IN_MOVED_FROM), MN(IN_MOVED_TO),
	MN(IN_CREATE), MN(IN_DELETE), MN(IN_DELETE_SELF), MN(IN_MOVE_SELF),
	MN(IN_UNMOUNT), MN(IN_Q_OVERFLOW), MN(IN_IGNORED), MN(IN_ONLYDIR),
	MN(IN_DONT_FOLLOW), MN(IN_EXCL_UNLINK), MN(IN_MASK_CREATE), MN(IN_MASK_ADD),
	MN(IN_ISDIR), MN(IN_ONESHOT),
	{ NULL, 0 },
	/* inotify_init1()'s flags, parsed only (IN_NONBLOCK is IN_MOVE_SELF's bit) */
	{ "IN_NONBLOCK", IN_NONBLOCK }, { "IN_CLOEXEC", IN_CLOEXEC },
	{ NULL, 0 }
};
#define N_MASK_NAMES (sizeof(mask_names) / sizeof(mask_names[0]))

/* NAME|NAME|number */
static long mask_arg(struct interp *in, int i)
{
	const char *s = fsi_arg_tok(in, i);
	long v = 0;

	for (;;) {
		size_t n = strcspn(s, "|");
		const struct mask_name *m = mask_names;

		while (m < mask_names + N_MASK_NAMES &&
		       (!m->name || strlen(m->name) != n || strncmp(m->name, s, n)))
			m++;
		if (m < mask_names + N_MASK_NAMES) {
			v |= (long)m->bit;
		} else {
			char *end;
			long x = strtol(s, &end, 0);

			if ((size_t)(end - s) != n)
				return fsi_arg_num(in, i);
			v |= x;
		}
		if (!s[n])
			return v;
		s += n + 1;
	}
}

static void out_mask(struct interp *in, uint32_t mask)
{
	const char *sep = "";

	for (const struct mask_name *m = mask_names; m->name; m++) {
		if (!(mask & m->bit))
			continue;
		fsi_outf(in, "%s%s", sep, m->name);
		sep = "|";
		mask &= ~m->bit;
	}
	if (mask)
		fsi_outf(in, "%s0x%x", sep, mask);
}

static void op_init(struct interp *in, const char *name)
{
	(void)name;
	fsi_out_fd(in, fsi_sys(in, SYS_inotify_init1, mask_arg(in, 1), 0, 0, 0, 0, 0));
}

static void op_add_watch(struct interp *in, const char *name)
{
	(void)name;
	fsi_out_ret(in, fsi_sys(in, SYS_inotify_add_watch, fsi_arg_fd(in, 1),
				(long)fsi_arg_path(in, 2), mask_arg(in, 3), 0, 0, 0));
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
