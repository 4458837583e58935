// SPDX-License-Identifier: MIT
/*
 * Releasing open files the guest has closed for good. Runs in the
 * notification loop, between syscalls, so it is not instrumented; the release
 * itself (the file system's code) is. It is background work done for the
 * process that opened the file: it runs in a remote section of that
 * process's common kcov handle (Linux's kcov_remote_start_common()), so a
 * KCOV_REMOTE_ENABLE client sees the releases its children caused; without
 * a handle its coverage is discarded, never charged to the next syscall.
 */
#include <sys/inotify.h>
#include <unistd.h>

#include "../vfs.h"

static bool is_placeholder(struct kfile *f)
{
	return f->wd >= 0;
}

static bool is_lost(struct kfile *f)
{
	return f->lost;
}

/* The kfile watched by wd is released, in a remote section of its opener's handle. */
static void release_wd(struct sandbox *sb, int wd)
{
	uint64_t handle = kfile_remote_handle_wd(sb, wd);

	if (handle)
		ukcov_remote_start(handle);
	kfile_release_wd(sb, wd);
	if (handle)
		ukcov_remote_stop();
}

/*
 * A final close of one description of a host_desc file (a regular tmpfs
 * file's data memfd): the last of those made releases the file. But inotify
 * merges an event identical to the last one queued, so one event may stand
 * for several closes: while others may be left, whether any is, the
 * processes' fds and mappings say (and do for every later close).
 */
static bool desc_closed(struct sandbox *sb, int wd)
{
	struct kfile *f = kfile_find_wd(sb, wd);

	if (!f || !f->ops->host_desc)
		return false;
	if (!f->lost && ++f->closed >= f->opened) {
		release_wd(sb, wd);
		return true;
	}
	f->lost = true;
	return kfile_collect(sb, f->dev, is_lost) > 0;
}

/* After lost events: host_desc files still held count their closes no more. */
static void mark_lost(struct sandbox *sb)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile *f = sb->files[b]; f; f = f->next)
			f->lost |= f->ops->host_desc;
}

void files_reap_closed(struct sandbox *sb, struct ukcov_task *kernel_task)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool released = false;
	ssize_t n;

	if (!sb->nwatches)
		return;
	while ((n = read(sb->inotify_fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			if (ev->mask & IN_IGNORED) {
				release_wd(sb, ev->wd);
				released = true;
			}
			if (ev->mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE))
				released |= desc_closed(sb, ev->wd);
			/* Events were lost: find the files no process holds any more. */
			if (ev->mask & IN_Q_OVERFLOW) {
				kfile_collect(sb, sb->memfd_dev, is_placeholder);
				mark_lost(sb);
				released = true;
			}
			p += sizeof(*ev) + ev->len;
		}
	}
	if (released)
		ukcov_task_return_to_user(kernel_task, false);
}
