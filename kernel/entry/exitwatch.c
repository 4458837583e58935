// SPDX-License-Identifier: MIT
/*
 * Exits of tracked threads and last closes of open files, seen without a
 * syscall per notification.
 *
 * A traced thread's calls must not reach a newer thread that took its TID
 * (tasks.c): before serving a notification, every tracked thread that has
 * exited is reaped. Asking epoll each time (epoll_wait with no timeout) cost
 * a syscall per traced call, ~8% of a trapped read(-1) (make bench). Here an
 * io_uring multishot poll watches the epoll set of the tracked pidfds, and
 * its completion ring, memory shared with the kernel, is read instead: a
 * syscall only when a CQE says something in the set became readable.
 *
 * Why it is exact: a thread's PIDFD_THREAD pidfd wakes in exit_notify(),
 * before release_task() frees its TID. The wake-up queues io_uring's task
 * work on this (the serving) thread with TWA_SIGNAL, and the kernel runs it,
 * posting the CQE, before this thread next returns to user space. A new
 * thread can trap under the old TID only after that free, so the RECV that
 * returns its notification returns after the CQE was posted.
 *
 * The same watch covers the inotify fd whose IN_IGNORED events say an open
 * file's placeholder had its last close (files.c): it is read when it woke,
 * not once per notification (a read that failed with EAGAIN on every call).
 *
 * Without io_uring (disabled by sysctl or a seccomp policy of our own
 * parent, or any setup error) exitwatch_take() always says "look", and the
 * caller asks each time, as before.
 */
#include <errno.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../kernel.h"

struct exitwatch {
	int fd;
	int target[EXITWATCH_MAX]; /* the fds watched, user_data: their index */
	unsigned ntargets;
	unsigned woke;             /* bit i: target i woke since its last take */
	unsigned *sq_tail, *sq_mask, *sq_array, *sq_flags;
	struct io_uring_sqe *sqes;
	unsigned *cq_head, *cq_tail, *cq_mask;
	struct io_uring_cqe *cqes;
	bool broken;          /* a re-arm failed: always look */
};

static int arm(struct exitwatch *w, unsigned i)
{
	unsigned tail = *w->sq_tail, idx = tail & *w->sq_mask;
	struct io_uring_sqe *sqe = &w->sqes[idx];

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_POLL_ADD;
	sqe->fd = w->target[i];
	sqe->user_data = i;
	sqe->poll32_events = POLLIN;
	sqe->len = IORING_POLL_ADD_MULTI;
	w->sq_array[idx] = idx;
	/* Paired with the kernel's acquire of the SQ tail in io_uring_enter(). */
	__atomic_store_n(w->sq_tail, tail + 1, __ATOMIC_RELEASE);
	return syscall(SYS_io_uring_enter, w->fd, 1, 0, 0, NULL, 0) == 1 ? 0 : -1;
}

struct exitwatch *exitwatch_new(const int *targets, unsigned n)
{
	struct io_uring_params p;
	struct exitwatch *w = calloc(1, sizeof(*w));
	size_t sq_size, cq_size;
	uint8_t *ring, *sqes;

	if (!w || n > EXITWATCH_MAX) {
		free(w);
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	/*
	 * No COOP_TASKRUN / DEFER_TASKRUN: the exactness above needs TWA_SIGNAL.
	 * Room for a burst of wake-ups between two notifications; beyond it the
	 * kernel keeps completions aside, which exitwatch_take() sees.
	 */
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 256;
	w->fd = (int)syscall(SYS_io_uring_setup, 4, &p);
	if (w->fd < 0 || !(p.features & IORING_FEAT_SINGLE_MMAP))
		goto fail;
	sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	ring = mmap(NULL, sq_size > cq_size ? sq_size : cq_size, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, w->fd, IORING_OFF_SQ_RING);
	if (ring == MAP_FAILED)
		goto fail;
	sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, w->fd, IORING_OFF_SQES);
	if (sqes == MAP_FAILED)
		goto fail;
	w->sq_tail = (unsigned *)(ring + p.sq_off.tail);
	w->sq_mask = (unsigned *)(ring + p.sq_off.ring_mask);
	w->sq_array = (unsigned *)(ring + p.sq_off.array);
	w->sq_flags = (unsigned *)(ring + p.sq_off.flags);
	w->sqes = (struct io_uring_sqe *)sqes;
	w->cq_head = (unsigned *)(ring + p.cq_off.head);
	w->cq_tail = (unsigned *)(ring + p.cq_off.tail);
	w->cq_mask = (unsigned *)(ring + p.cq_off.ring_mask);
	w->cqes = (struct io_uring_cqe *)(ring + p.cq_off.cqes);
	w->ntargets = n;
	for (unsigned i = 0; i < n; i++) {
		w->target[i] = targets[i];
		if (arm(w, i))
			goto fail;
	}
	return w;
fail:
	if (w->fd >= 0)
		close(w->fd); /* the mappings go with the process; this is once per run */
	free(w);
	return NULL;
}

bool exitwatch_take(struct exitwatch *w, unsigned i)
{
	unsigned head, tail, rearm = 0;
	bool woke;

	if (!w || w->broken)
		return true;
	/*
	 * Completions the ring had no room for wait in the kernel, and the
	 * wake-ups after them too (a multishot poll may even have ended there):
	 * have them moved into the ring, and count every target as woken.
	 */
	if (__atomic_load_n(w->sq_flags, __ATOMIC_ACQUIRE) & IORING_SQ_CQ_OVERFLOW) {
		w->woke = (1u << w->ntargets) - 1;
		if (syscall(SYS_io_uring_enter, w->fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
			w->broken = true;
	}
	head = *w->cq_head;
	/* Paired with the kernel's release of the CQ tail when it posts. */
	tail = __atomic_load_n(w->cq_tail, __ATOMIC_ACQUIRE);
	for (; head != tail; head++) {
		const struct io_uring_cqe *cqe = &w->cqes[head & *w->cq_mask];

		if (cqe->user_data >= w->ntargets)
			continue;
		w->woke |= 1u << cqe->user_data;
		/* The multishot poll ended (the CQ ring overflowed, or an error): again. */
		if (!(cqe->flags & IORING_CQE_F_MORE))
			rearm |= 1u << cqe->user_data;
	}
	__atomic_store_n(w->cq_head, tail, __ATOMIC_RELEASE);
	for (unsigned k = 0; k < w->ntargets; k++)
		if ((rearm & (1u << k)) && arm(w, k))
			w->broken = true;
	woke = w->woke & (1u << i);
	w->woke &= ~(1u << i);
	return woke || w->broken;
}
