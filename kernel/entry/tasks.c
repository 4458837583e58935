// SPDX-License-Identifier: MIT
/*
 * The task table: kernel state kept for guest threads between syscalls.
 * Only threads with a kcov enabled are tracked; every other thread is served
 * with a scratch task, so the table stays as small as the set of tracers.
 *
 * A tracked thread holds a PIDFD_THREAD pidfd: it polls readable when that
 * thread exits (however it dies: a thread killed by a signal makes no syscall
 * on the way out), and it pins the identity against TID reuse.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../vfs.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
/* task->flags bit set by do_exit() before it disables kcov (include/linux/sched.h). */
#define PF_EXITING 0x00000004u

static unsigned int bucket(pid_t tid)
{
	return (unsigned int)tid % KTASK_BUCKETS;
}

static void task_release(struct sandbox *sb, struct ktask *t);
static void task_ended(struct sandbox *sb, struct ktask *t);

static bool pidfd_exited(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 0) == 1;
}

/* Tasks whose exec made them the leader: they are found under their new TID first. */
static void task_execs_settle(struct sandbox *sb, pid_t tid)
{
	for (unsigned int b = 0; sb->nexecs && b < KTASK_BUCKETS; b++) {
		struct ktask *t = sb->tasks[b], *next;

		for (; t; t = next) {
			next = t->next;
			if (t->exec_tgid == tid && pidfd_exited(t->pidfd))
				task_ended(sb, t);
		}
	}
}

struct ktask *task_find(struct sandbox *sb, pid_t tid)
{
	struct ktask *t;

	task_execs_settle(sb, tid);
	for (t = sb->tasks[bucket(tid)]; t; t = t->next) {
		if (t->tid != tid)
			continue;
		/*
		 * A dead thread whose TID a new thread now has (its exit may not
		 * have been reaped yet): the new thread must not inherit its kcov.
		 */
		if (pidfd_exited(t->pidfd)) {
			task_ended(sb, t);
			return NULL;
		}
		if (t->exec_tgid) {
			/* Back under its own TID: its execve failed. */
			t->exec_tgid = 0;
			sb->nexecs--;
		}
		return t;
	}
	return NULL;
}

/*
 * de_thread() swapped the exec'ing thread's TID with the leader's and the old
 * leader died: the task lives on as the leader, its kcov enabled (Linux keeps
 * it on the same task_struct). The old leader's own state goes, as Linux
 * disables its kcov in do_exit().
 */
static void task_rekey(struct sandbox *sb, struct ktask *t)
{
	pid_t tid = t->exec_tgid;
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = t };
	struct ktask **pp, *old;

	for (;;) {
		for (old = sb->tasks[bucket(tid)]; old && (old == t || old->tid != tid); old = old->next)
			;
		if (!old)
			break;
		task_release(sb, old);
	}
	for (pp = &sb->tasks[bucket(t->tid)]; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	close(t->pidfd);
	t->exec_tgid = 0;
	sb->nexecs--;
	t->tid = tid;
	t->pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	t->next = sb->tasks[bucket(tid)];
	sb->tasks[bucket(tid)] = t;
	if (t->pidfd < 0 || epoll_ctl(sb->reap_epfd, EPOLL_CTL_ADD, t->pidfd, &ev))
		task_release(sb, t);
}

/*
 * The AT_RANDOM bytes of process tgid: 16 random bytes the kernel puts on
 * every new image's stack, so they tell one exec from the next. Returns 0 or -1.
 */
static int exec_mark(pid_t tgid, uint8_t mark[16])
{
	unsigned long auxv[2 * 64];
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, auxv, sizeof(auxv));
	close(fd);
	for (ssize_t i = 0; n > 0 && i + 1 < n / (ssize_t)sizeof(auxv[0]); i += 2) {
		if (auxv[i] == AT_RANDOM)
			return guest_read(tgid, mark, auxv[i + 1], 16) ? -1 : 0;
	}
	return -1;
}

/*
 * Where the leader of tgid is: 1 blocked in a syscall other than an exec
 * (so no thread of its process is half-way through de_thread(), where the
 * exec'ing thread has taken the leader's TID), 0 in an exec or running,
 * -1 unknown.
 */
static int leader_elsewhere(pid_t tgid)
{
	char path[64], buf[32];
	ssize_t n;
	long nr;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", tgid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%ld", &nr) != 1)
		return 0; /* "running" */
	return nr >= 0 && nr != SYS_execve && nr != SYS_execveat;
}

/*
 * The thread behind t's pidfd is gone: its exec made it the leader, or it
 * exited. An exec that failed, after which the thread exited without another
 * trapped syscall, leaves the process's image as it was (the same AT_RANDOM)
 * and its leader elsewhere than in an exec: the thread's state goes with it,
 * as Linux disables its kcov in do_exit(), and never passes to the leader.
 * The same image with the leader running (or in an exec) may be either: the
 * decision waits (the pidfd stays readable, so the task comes back here).
 */
static void task_ended(struct sandbox *sb, struct ktask *t)
{
	uint8_t now[16];

	if (t->exec_tgid && !exec_mark(t->exec_tgid, now) && !memcmp(now, t->exec_mark, sizeof(now))) {
		int where = leader_elsewhere(t->exec_tgid);

		if (where == 0)
			return;
		if (where == 1) {
			t->exec_tgid = 0;
			sb->nexecs--;
		}
	}
	if (t->exec_tgid)
		task_rekey(sb, t);
	else
		task_release(sb, t);
}

void task_exec_begin(struct sandbox *sb, struct ktask *t)
{
	char path[64], buf[512], *p;
	pid_t tgid = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", t->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	p = strstr(buf, "\nTgid:");
	if (!p || sscanf(p, "\nTgid: %d", &tgid) != 1 || tgid == t->tid)
		return;
	if (!t->exec_tgid)
		sb->nexecs++;
	t->exec_tgid = tgid;
	if (exec_mark(tgid, t->exec_mark))
		memset(t->exec_mark, 0, sizeof(t->exec_mark));
}

void pidcache_init(struct sandbox *sb)
{
	for (unsigned int i = 0; i < sizeof(sb->pidcache) / sizeof(sb->pidcache[0]); i++)
		sb->pidcache[i].pidfd = -1;
}

int pidcache_get(struct sandbox *sb, pid_t tid, uint64_t id)
{
	unsigned int slot = (unsigned int)tid % (sizeof(sb->pidcache) / sizeof(sb->pidcache[0]));
	int *cached = &sb->pidcache[slot].pidfd, fd;

	if (*cached >= 0 && sb->pidcache[slot].tid == tid) {
		struct pollfd p = { .fd = *cached, .events = POLLIN };

		/* Not exited: it is the thread that just trapped (TIDs are unique among the living). */
		if (poll(&p, 1, 0) == 0)
			return *cached;
	}
	fd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (fd < 0)
		return -errno;
	/* The TID may have been reused between the notification and pidfd_open. */
	if (notif_id_valid(sb->listener, id)) {
		close(fd);
		return -ESRCH;
	}
	if (*cached >= 0)
		close(*cached);
	*cached = fd;
	sb->pidcache[slot].tid = tid;
	/* Another thread now: its credentials are read afresh. */
	free(sb->pidcache[slot].cred);
	sb->pidcache[slot].cred = NULL;
	return fd;
}

struct pidslot *pidcache_slot(struct sandbox *sb, pid_t tid)
{
	struct pidslot *s = &sb->pidcache[(unsigned int)tid % (sizeof(sb->pidcache) / sizeof(sb->pidcache[0]))];

	return s->pidfd >= 0 && s->tid == tid ? s : NULL;
}

int pidcache_take(struct sandbox *sb, pid_t tid)
{
	unsigned int slot = (unsigned int)tid % (sizeof(sb->pidcache) / sizeof(sb->pidcache[0]));
	int fd = sb->pidcache[slot].pidfd;

	if (fd < 0 || sb->pidcache[slot].tid != tid)
		return -1;
	sb->pidcache[slot].pidfd = -1;
	free(sb->pidcache[slot].cred);
	sb->pidcache[slot].cred = NULL;
	return fd;
}

int task_track(struct sandbox *sb, struct ktask *scratch, int pidfd)
{
	struct ktask *t = malloc(sizeof(*t));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!t) {
		if (pidfd >= 0)
			close(pidfd);
		return -ENOMEM;
	}
	*t = *scratch;
	t->cred = NULL;
	/* The call's pidfd, validated against TID reuse when it was opened; else a new one. */
	t->pidfd = pidfd >= 0 ? pidfd : (int)syscall(SYS_pidfd_open, t->tid, PIDFD_THREAD);
	if (t->pidfd < 0) {
		int err = -errno;

		free(t);
		return err;
	}
	ev.data.ptr = t;
	if (epoll_ctl(sb->reap_epfd, EPOLL_CTL_ADD, t->pidfd, &ev)) {
		int err = -errno;

		close(t->pidfd);
		free(t);
		return err;
	}
	t->next = sb->tasks[bucket(t->tid)];
	sb->tasks[bucket(t->tid)] = t;
	sb->ntasks++;
	return 0;
}

static void task_release(struct sandbox *sb, struct ktask *t)
{
	struct ktask **pp;

	for (pp = &sb->tasks[bucket(t->tid)]; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	if (t->exec_tgid)
		sb->nexecs--;
	if (t->pidfd >= 0)
		close(t->pidfd); /* also leaves the epoll set */
	/* Like Linux's kcov_task_exit(): the thread's kcov goes back to INIT. */
	ukcov_task_exit(t->cov);
	free(t->cred);
	sb->ntasks--;
	free(t);
}

/* The reap set holds the pidfds of tracked threads (data: the ktask). */
void task_reap_exited(struct sandbox *sb)
{
	struct epoll_event ev[16];
	int n;

	if (!sb->ntasks)
		return;
	n = epoll_wait(sb->reap_epfd, ev, 16, 0);
	for (int i = 0; i < n; i++)
		task_ended(sb, ev[i].data.ptr);
}

static bool task_exiting(const struct ktask *t)
{
	char path[64], buf[1024], *p;
	unsigned int flags = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", t->tid, t->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	/* Field 9 is flags; the comm in field 2 may hold spaces, so count from its ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %u", &flags) != 1)
		return false;
	return flags & PF_EXITING;
}

int task_reap_exiting(struct sandbox *sb, const struct ktask *caller)
{
	int reaped = 0;

	for (unsigned int b = 0; b < KTASK_BUCKETS; b++) {
		struct ktask *t = sb->tasks[b], *next;

		for (; t; t = next) {
			struct pollfd pfd = { .fd = t->pidfd, .events = POLLIN };

			next = t->next;
			/* The thread being served is alive in our eyes until its syscall is answered. */
			if (t == caller || !task_exiting(t))
				continue;
			/*
			 * The guest saw the thread finish (pthread_join returns from
			 * the futex wake in exit_mm) before the pidfd turns readable
			 * in exit_notify; Linux has disabled its kcov by then.
			 */
			/*
			 * Bounded: the supervisor serves everyone from this thread.
			 * If the exit has not completed by then, the owner keeps
			 * its kcov and the caller gets Linux's answer for that.
			 */
			if (poll(&pfd, 1, 250) != 1)
				continue;
			task_release(sb, t);
			reaped++;
		}
	}
	return reaped;
}
