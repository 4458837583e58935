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
 * before release_task() frees its TID. The wake-up runs the epoll set's
 * callback and, through it, the ring's poll callback, which queues the
 * completion as local work of the ring (IORING_SETUP_DEFER_TASKRUN) and sets
 * IORING_SQ_TASKRUN in the shared SQ flags (IORING_SETUP_TASKRUN_FLAG), all
 * within the exiting thread's wake-up. A new thread can trap under the old
 * TID only after that free, so the RECV that returns its notification
 * returns after the flag was set: seeing it clear means nothing exited. The
 * completion itself is posted when this thread next enters the ring
 * (io_uring_enter() with GETEVENTS), which it does only when the flag says
 * so.
 *
 * Why deferred: the default mode posts completions by task work queued on
 * this thread with TWA_SIGNAL, which interrupts whatever it is blocked in,
 * our own seccomp ioctls included, and an ADDFD with FLAG_SEND interrupted
 * after the kernel marked the notification replied gave guests wrong answers
 * (an open returning 0; EBADF on the fd it returned: the soak test, about
 * one run in three under load). Deferred task work sets no signal at all.
 * Without DEFER_TASKRUN (before 6.1) there is no watch.
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

#include "entry.h"

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
	 * Deferred task work and its flag: see above. Room for a burst of
	 * wake-ups between two takes; beyond it the kernel keeps completions
	 * aside, which exitwatch_take() sees. Only this thread (the serving
	 * one, which made the ring) submits: SINGLE_ISSUER, which DEFER_TASKRUN
	 * requires.
	 */
	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
		  IORING_SETUP_TASKRUN_FLAG;
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
	unsigned head, tail, sq_flags, rearm = 0;
	bool woke;

	if (!w || w->broken)
		return true;
	/*
	 * Wake-ups queued as local work (IORING_SQ_TASKRUN), or completions the
	 * ring had no room for, which wait in the kernel with the wake-ups after
	 * them (a multishot poll may even have ended there): have them posted.
	 * After an overflow every target counts as woken.
	 */
	sq_flags = __atomic_load_n(w->sq_flags, __ATOMIC_ACQUIRE);
	if (sq_flags & IORING_SQ_CQ_OVERFLOW)
		w->woke = (1u << w->ntargets) - 1;
	if ((sq_flags & (IORING_SQ_CQ_OVERFLOW | IORING_SQ_TASKRUN)) &&
	    syscall(SYS_io_uring_enter, w->fd, 0, 0, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		w->broken = true;
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
