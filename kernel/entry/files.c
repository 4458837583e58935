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
				uint64_t handle = kfile_remote_handle_wd(sb, ev->wd);

				if (handle)
					ukcov_remote_start(handle);
				kfile_release_wd(sb, ev->wd);
				if (handle)
					ukcov_remote_stop();
				released = true;
			}
			/* Events were lost: find the placeholders no process holds any more. */
			if (ev->mask & IN_Q_OVERFLOW) {
				kfile_collect(sb, sb->memfd_dev, is_placeholder);
				released = true;
			}
			p += sizeof(*ev) + ev->len;
		}
	}
	if (released)
		ukcov_task_return_to_user(kernel_task, false);
}
