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
#include <errno.h>
#include <limits.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "vfs.h"
#include "../task/pending.h"

/* A placeholder, or a regular file's data memfd: what inotify watches. */
static bool is_watched(struct kfile *f)
{
	return f->wd >= 0;
}

/* A regular file whose close events may have merged. */
static bool is_stale(struct kfile *f)
{
	return f->ops->host_desc && f->merged && f->closed < f->opened;
}

/* The same, with no name left. */
static bool is_stale_unlinked(struct kfile *f)
{
	return is_stale(f) && f->ops->unlinked(f);
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
 * file's data memfd): the last of those made releases the file. inotify
 * merges an event identical to the last one queued, so back-to-back closes
 * may count as one; not when at most one description of the event's kind
 * (open for writing or not) was left to close, the common case (one reader
 * and one writer at most): the count is then exact. Otherwise, while the
 * count says descriptions are left, whether any is, the guest processes'
 * fds and mappings say. Asking them is a walk of every guest process, so it
 * is done only where the answer is observable at once: an unlinked file,
 * whose space the release frees (statfs, ENOSPC). A file with a name is
 * looked at again when a name is next removed (unlinked_collect()), or with
 * the others once such closes outnumber the open files (at least 64): a
 * walk per that many closes, whatever the number of guests. Until then its
 * record stays, as it would while a description is open (its data memfd is
 * the supervisor's anyway).
 */
static void desc_closed(struct sandbox *sb, int wd, uint32_t mask)
{
	struct kfile *f = kfile_find_wd(sb, wd);
	uint64_t left; /* descriptions of the event's kind not seen closed */

	if (!f || !f->ops->host_desc)
		return;
	if (mask & IN_CLOSE_WRITE)
		left = f->opened_w - f->closed_w++;
	else
		left = (f->opened - f->opened_w) - (f->closed - f->closed_w);
	f->merged |= left > 1;
	if (f->ops->desc_closed)
		f->ops->desc_closed(f, mask & IN_CLOSE_WRITE);
	if (f->lease)
		lease_closed(f); /* its openers parked by a break may go on */
	if (++f->closed >= f->opened)
		release_wd(sb, wd);
	else if (!f->merged)
		return; /* exact: descriptions are left */
	else if (f->ops->unlinked(f))
		kfile_collect(sb, f->dev, is_stale_unlinked);
	else if (++sb->stale_closes >= 64 && sb->stale_closes >= sb->nwatches)
		files_collect_stale(sb);
}

#define LINGER_MAX (sizeof(((struct sandbox *)0)->linger) / sizeof(int))

/*
 * A released file's watch stays on its data file: a file that is next
 * unlinked (create, close, unlink) loses it with the data file, which queues
 * IN_IGNORED, and one opened again gets the same wd back from
 * inotify_add_watch(); either takes it off this list. Past LINGER_MAX,
 * one of them is removed for good, so they stay few (inotify's
 * max_user_watches).
 */
void files_linger(struct sandbox *sb, int wd)
{
	if (sb->nlinger < LINGER_MAX) {
		sb->linger[sb->nlinger++] = wd;
		return;
	}
	sb->linger_next %= LINGER_MAX;
	inotify_rm_watch(sb->inotify_fd, sb->linger[sb->linger_next]);
	sb->linger[sb->linger_next++] = wd;
}

/* wd is no lingering watch any more (gone, or a file's again). */
static void linger_take(struct sandbox *sb, int wd)
{
	for (unsigned int i = 0; i < sb->nlinger; i++)
		if (sb->linger[i] == wd) {
			sb->linger[i] = sb->linger[--sb->nlinger];
			return;
		}
}

int files_add_watch(struct sandbox *sb, const char *path, uint32_t mask)
{
	int wd = inotify_add_watch(sb->inotify_fd, path, mask);

	/* At max_user_watches: the lingering ones go first. */
	if (wd < 0 && errno == ENOSPC && sb->nlinger) {
		while (sb->nlinger)
			inotify_rm_watch(sb->inotify_fd, sb->linger[--sb->nlinger]);
		wd = inotify_add_watch(sb->inotify_fd, path, mask);
	}
	if (wd >= 0)
		linger_take(sb, wd);
	return wd;
}

/*
 * A fifo's or device node's record (host_nodes.c): its fds are the host
 * object's, whose closes nobody reports, and it holds the node's inode,
 * which umount2's and a read-only remount's EBUSY count as open (Linux:
 * an opened node holds the mount only while a description of it lives).
 */
static bool is_node_record(struct kfile *f)
{
	return f->ops->node_inode != NULL;
}

static bool is_stale_or_node(struct kfile *f)
{
	return is_stale(f) || is_node_record(f);
}

void files_collect_stale(struct sandbox *sb)
{
	sb->stale_closes = 0;
	/* not while a helper may wait to open a node's host object: Linux's blocked open holds it */
	kfile_collect(sb, 0, pending_any(sb) ? is_stale : is_stale_or_node);
}

/*
 * A read-only remount met a writer: a file whose closes merged may count a
 * writable description that is closed, while others of it are still open
 * (files_collect_stale() releases only files nobody holds). The guests'
 * fds say whether any writable one is left.
 */
void files_recount_writers(struct sandbox *sb)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile *f = sb->files[b]; f; f = f->next) {
			struct tmpfs_file *tf = tmpfs_file_of(f);

			if (!tf || !f->ops->host_desc || !f->merged || f->opened_w <= f->closed_w ||
			    kfile_held_writable(f) != 0)
				continue;
			f->closed_w = f->opened_w;
			tmpfs_file_set_writers(tf, 0);
		}
}

/* A name was removed: a file it left unlinked may be one whose closes merged. */
static void unlinked_collect(struct sandbox *sb)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile *f = sb->files[b]; f; f = f->next)
			if (is_stale_unlinked(f)) {
				kfile_collect(sb, f->dev, is_stale_unlinked);
				return;
			}
}

/* The queue overflowed: no count is sure any more; release what no process holds. */
static void events_lost(struct sandbox *sb)
{
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++)
		for (struct kfile *f = sb->files[b]; f; f = f->next)
			f->merged = true;
	kfile_collect(sb, 0, is_watched);
}

void files_reap_closed(struct sandbox *sb, struct ukcov_task *kernel_task, bool woke)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool ran = false; /* instrumented code ran (a lookup, a walk, a release): its flags are the kernel task's */
	ssize_t n;

	if (!sb->nwatches && !sb->nlinger) {
		sb->unlinked = false;
		return;
	}
	/*
	 * Not woken (an unlink asks): nothing was queued before this
	 * notification, and the read would fail with EAGAIN.
	 */
	do {
		n = woke ? read(sb->inotify_fd, buf, sizeof(buf)) : 0;
		for (ssize_t off = 0; off < n;) {
			struct inotify_event *ev = (struct inotify_event *)(buf + off);

			ran = true;
			if (ev->mask & IN_IGNORED && !exectext_release_wd(sb, ev->wd)) {
				release_wd(sb, ev->wd);
				linger_take(sb, ev->wd);
			}
			if (ev->mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE))
				desc_closed(sb, ev->wd, ev->mask);
			/* Events were lost: find the files no process holds any more. */
			if (ev->mask & IN_Q_OVERFLOW)
				events_lost(sb);
			off += (ssize_t)(sizeof(*ev) + ev->len);
		}
		/*
		 * Room was left for another event (one with the longest name):
		 * the queue was empty, and a read that fails with EAGAIN would
		 * only say so again (what a close queues later is later).
		 */
	} while (n > 0 && (size_t)n > sizeof(buf) - sizeof(struct inotify_event) - NAME_MAX - 1);
	if (sb->unlinked) {
		sb->unlinked = false;
		unlinked_collect(sb);
		ran = true;
	}
	if (ran)
		ukcov_task_return_to_user(kernel_task, false);
}
