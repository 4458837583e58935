// SPDX-License-Identifier: MIT
/*
 * The task table: kernel state kept for guest threads between syscalls.
 * Only threads with a kcov enabled are tracked; every other thread is served
 * with a scratch task, so the table stays as small as the set of tracers.
 *
 * A tracked thread holds a thread handle. On Linux 6.9+ it is a PIDFD_THREAD
 * pidfd: it polls readable when that thread exits (however it dies: a thread
 * killed by a signal makes no syscall on the way out), and it pins the
 * identity against TID reuse. Before 6.9, pidfd_open() takes no flags and
 * only thread-group leaders (EINVAL otherwise, which the fd layer used to
 * answer as EMFILE): the handle is then an O_PATH fd of the thread's
 * /proc/TID directory. procfs keeps the thread's struct pid in that inode, so
 * lookups under it fail (ENOENT) once the thread is reaped and never reach a
 * newer thread with the same TID: the same identity, without the exit event.
 * Exits are then found by a sweep every TASK_SWEEP_MS and checked wherever
 * they change an answer (KCOV_ENABLE of a kcov another thread held, a TID
 * seen again), so the guest sees what it sees on 6.9.
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
#include <time.h>
#include <unistd.h>

#include "task.h"

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

/* A handle on thread tid: a PIDFD_THREAD pidfd, or its /proc/TID directory (before 6.9). */
static int thread_open(struct sandbox *sb, pid_t tid)
{
	char path[32];
	int fd;

	if (sb->feat.pidfd_thread)
		return (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	/* /proc/TID is there for every TID, not only for the leaders /proc lists. */
	snprintf(path, sizeof(path), "/proc/%d", tid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		errno = ESRCH;
	return fd;
}

/*
 * The handle's thread may no longer be the one that trapped under its TID:
 * it exited (pidfd), or it was reaped and its TID is free for reuse
 * (/proc/TID: lookups under the directory fail once its struct pid has no task).
 */
static bool thread_gone(const struct sandbox *sb, int h)
{
	if (sb->feat.pidfd_thread)
		return pidfd_exited(h);
	return faccessat(h, "stat", F_OK, 0) != 0;
}

/*
 * The state (field 3) and flags (field 9) of the thread's /proc stat, read
 * through its /proc/TID handle, or by path when the handle is a pidfd (its
 * TID cannot have been reused while the pidfd is not readable). -ESRCH once
 * the thread is reaped.
 */
static int thread_stat(const struct sandbox *sb, int h, pid_t tid, char *state, unsigned int *flags)
{
	char path[64], buf[1024], *p;
	ssize_t n;

	if (sb->feat.pidfd_thread) {
		if (pidfd_exited(h)) {
			*state = 'X';
			return 0;
		}
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", tid, tid);
		n = proc_read(AT_FDCWD, path, buf, sizeof(buf));
	} else {
		n = proc_read(h, "stat", buf, sizeof(buf));
	}
	if (n < 0)
		return (int)n;
	/* The comm in field 2 may hold spaces and ')': count from the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %u", state, flags) != 2)
		return -EIO;
	return 0;
}

/*
 * The thread has exited: reaped, or a zombie. A PIDFD_THREAD pidfd does not
 * poll readable for a leader that exited before its other threads
 * (pthread_exit() in main): it stays a zombie until they end, but Linux ran
 * its do_exit(), kcov_task_exit() included, so the zombie counts here.
 */
static bool thread_exited(const struct sandbox *sb, int h, pid_t tid)
{
	unsigned int flags = 0;
	char state = 0;

	if (thread_stat(sb, h, tid, &state, &flags) == -ESRCH)
		return true;
	return state == 'Z' || state == 'X' || state == 'x';
}

int thread_getfd(struct sandbox *sb, int h, int fd)
{
	char name[32];
	int hfd;

	if (sb->feat.pidfd_thread) {
		hfd = (int)syscall(SYS_pidfd_getfd, h, fd, 0);
		return hfd < 0 ? -errno : hfd;
	}
	/*
	 * Without PIDFD_THREAD there is no pidfd for a thread that is not its
	 * process's leader, and a leader's pidfd would show the leader's fd
	 * table (none at all once it exited, as with pthread_exit() in main).
	 * The thread's own /proc/TID/fd/N leads to the very file: opened
	 * O_PATH it is another reference to the same inode, all fstat() needs.
	 */
	snprintf(name, sizeof(name), "fd/%d", fd);
	hfd = openat(h, name, O_PATH | O_CLOEXEC);
	if (hfd >= 0)
		return hfd;
	/* Not open: ENOENT. Not ours to look at (ptrace rules, as for pidfd_getfd): EACCES. */
	return errno == ENOENT ? -EBADF : errno == EACCES ? -EPERM : -errno;
}

int thread_fdstat(struct sandbox *sb, int h, int fd, struct stat *st)
{
	char name[32];
	int hfd, err = 0;

	if (sb->feat.pidfd_thread) {
		hfd = thread_getfd(sb, h, fd);
		if (hfd < 0)
			return hfd;
		if (fstat(hfd, st))
			err = -errno;
		close(hfd);
		return err;
	}
	snprintf(name, sizeof(name), "fd/%d", fd);
	if (!fstatat(h, name, st, 0))
		return 0;
	return errno == ENOENT ? -EBADF : errno == EACCES ? -EPERM : -errno;
}

int thread_getfd_file(struct sandbox *sb, int h, pid_t tgid, int fd)
{
	int pidfd, hfd;

	if (sb->feat.pidfd_thread) {
		hfd = (int)syscall(SYS_pidfd_getfd, h, fd, 0);
		return hfd < 0 ? -errno : hfd;
	}
	/*
	 * Without PIDFD_THREAD, the process's pidfd: its fd table is its
	 * threads' (CLONE_FILES). /proc/TID/fd/N cannot be reopened for a
	 * socket, and an O_PATH reference cannot bind or connect.
	 */
	pidfd = (int)syscall(SYS_pidfd_open, tgid, 0);
	if (pidfd < 0)
		return -errno;
	hfd = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (hfd < 0)
		hfd = -errno;
	close(pidfd);
	return hfd;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int task_sweep_timeout(struct sandbox *sb)
{
	uint64_t now;

	if (sb->feat.pidfd_thread || !sb->ntasks)
		return -1;
	now = now_ms();
	return sb->sweep_at > now ? (int)(sb->sweep_at - now) : 0;
}

/* Tasks whose exec made them the leader: they are found under their new TID first. */
static void task_execs_settle(struct sandbox *sb, pid_t tid)
{
	for (unsigned int b = 0; sb->nexecs && b < KTASK_BUCKETS; b++) {
		struct ktask *t = sb->tasks[b], *next;

		for (; t; t = next) {
			next = t->next;
			if (t->exec_tgid == tid && thread_gone(sb, t->pidfd))
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
		 * With PIDFD_THREAD, serve() reaped every exit readable after the
		 * notification came, and a thread whose TID was reused had exited
		 * before that (free_pid() follows exit_notify()'s pidfd wake-up).
		 */
		if (sb->feat.pidfd_thread ? t->gone : thread_gone(sb, t->pidfd)) {
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
	t->gone = false;
	t->pidfd = thread_open(sb, tid);
	t->next = sb->tasks[bucket(tid)];
	sb->tasks[bucket(tid)] = t;
	if (t->pidfd < 0 ||
	    (sb->feat.pidfd_thread && epoll_ctl(sb->reap_epfd, EPOLL_CTL_ADD, t->pidfd, &ev)))
		task_release(sb, t);
}

/*
 * The AT_RANDOM bytes of process tgid: 16 random bytes the kernel puts on
 * every new image's stack, so they tell one exec from the next. Returns 0 or -1.
 */
static int exec_mark(pid_t tgid, uint8_t mark[16])
{
	unsigned long auxv[2 * 64 + 1];
	char path[64];
	int n;

	snprintf(path, sizeof(path), "/proc/%d/auxv", tgid);
	n = proc_read(AT_FDCWD, path, (char *)auxv, sizeof(auxv));
	for (int i = 0; n > 0 && i + 1 < n / (int)sizeof(auxv[0]); i += 2) {
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
	long nr;

	snprintf(path, sizeof(path), "/proc/%d/syscall", tgid);
	if (proc_read(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return -1;
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

	/*
	 * Not gone: it is the thread that just trapped (TIDs are unique among
	 * the living). With an exit watch the pidfd sits in the reap set, which
	 * serve() drained after the notification came (the argument of
	 * task_find()): no poll per call.
	 */
	if (*cached >= 0 && sb->pidcache[slot].tid == tid &&
	    !(sb->exitwatch ? sb->pidcache[slot].gone : thread_gone(sb, *cached)))
		return *cached;
	fd = thread_open(sb, tid);
	if (fd < 0)
		return -errno;
	/* The TID may have been reused between the notification and pidfd_open. */
	if (notif_id_valid(sb->listener, id)) {
		close(fd);
		return -ESRCH;
	}
	if (sb->exitwatch) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)slot << 1 | 1 };

		/* Unwatched, the cache cannot vouch for it: every call asks again. */
		if (epoll_ctl(sb->reap_epfd, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			return -errno;
		}
	}
	if (*cached >= 0)
		close(*cached); /* also leaves the reap set */
	*cached = fd;
	sb->pidcache[slot].gone = false;
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

int pidcache_take(struct sandbox *sb, pid_t tid, struct guest_cred **cred, uint64_t *epoch)
{
	unsigned int slot = (unsigned int)tid % (sizeof(sb->pidcache) / sizeof(sb->pidcache[0]));
	int fd = sb->pidcache[slot].pidfd;

	*cred = NULL;
	if (fd < 0 || sb->pidcache[slot].tid != tid)
		return -1;
	sb->pidcache[slot].pidfd = -1;
	*cred = sb->pidcache[slot].cred;
	*epoch = sb->pidcache[slot].cred_epoch;
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
		free(scratch->cred);
		scratch->cred = NULL;
		return -ENOMEM;
	}
	*t = *scratch;
	scratch->cred = NULL; /* t's now */
	t->gone = false;
	/* The call's pidfd, validated against TID reuse when it was opened; else a new one. */
	t->pidfd = pidfd >= 0 ? pidfd : thread_open(sb, t->tid);
	if (t->pidfd < 0) {
		int err = -errno;

		free(t->cred);
		free(t);
		return err;
	}
	ev.data.ptr = t;
	/* Without PIDFD_THREAD nothing polls readable at exit: the sweep finds it. */
	if (!sb->ntasks)
		sb->sweep_at = now_ms() + TASK_SWEEP_MS;
	/* A pidfd from the pid cache is in the reap set already, as the cache's. */
	if (sb->feat.pidfd_thread && epoll_ctl(sb->reap_epfd, EPOLL_CTL_ADD, t->pidfd, &ev) &&
	    (errno != EEXIST || epoll_ctl(sb->reap_epfd, EPOLL_CTL_MOD, t->pidfd, &ev))) {
		int err = -errno;

		close(t->pidfd);
		free(t->cred);
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

static struct ktask *task_first_exited(struct sandbox *sb, const struct ktask *caller)
{
	for (unsigned int b = 0; b < KTASK_BUCKETS; b++)
		for (struct ktask *t = sb->tasks[b]; t; t = t->next)
			if (t != caller && thread_exited(sb, t->pidfd, t->tid))
				return t;
	return NULL;
}

/*
 * Without PIDFD_THREAD: every tracked thread that exited is released, as its
 * pidfd's event would have it. One at a time, from the top: ending an
 * exec'ing task may release others (task_rekey()).
 */
static int task_sweep(struct sandbox *sb, const struct ktask *caller)
{
	struct ktask *t;
	int reaped = 0;

	while ((t = task_first_exited(sb, caller))) {
		task_ended(sb, t);
		reaped++;
	}
	sb->sweep_at = now_ms() + TASK_SWEEP_MS;
	return reaped;
}

static bool task_live(const struct sandbox *sb, const struct ktask *t)
{
	for (unsigned int b = 0; b < KTASK_BUCKETS; b++)
		for (const struct ktask *u = sb->tasks[b]; u; u = u->next)
			if (u == t)
				return true;
	return false;
}

/*
 * The reap set holds the pidfds of tracked threads (data: the ktask) and,
 * with an exit watch, those of the pid cache (data: slot << 1 | 1; a ktask
 * is aligned, its low bit clear). Every readable one is taken: the exit
 * watch only says when the set woke, not how much is ready.
 */
void task_reap_exited(struct sandbox *sb)
{
	enum { MAXEV = 64 };
	struct epoll_event ev[MAXEV];
	int n;

	if (!sb->ntasks && !sb->exitwatch)
		return;
	if (sb->ntasks && !task_sweep_timeout(sb))
		task_sweep(sb, NULL);
	if (!sb->feat.pidfd_thread)
		return;
	/* Level-triggered: a task whose end waits (an exec) is ready again; a bounded number of rounds. */
	for (unsigned int round = 0; round <= sb->ntasks / MAXEV + 1; round++) {
		n = epoll_wait(sb->reap_epfd, ev, MAXEV, 0);
		/* All marked first: ending one task may release another of this batch (task_rekey()). */
		for (int i = 0; i < n; i++) {
			if (ev[i].data.u64 & 1)
				sb->pidcache[ev[i].data.u64 >> 1].gone = true;
			else
				((struct ktask *)ev[i].data.ptr)->gone = true;
		}
		for (int i = 0; i < n; i++) {
			struct ktask *t = ev[i].data.ptr;

			if (!(ev[i].data.u64 & 1) && (n == 1 || task_live(sb, t)))
				task_ended(sb, t);
		}
		if (n < MAXEV)
			break;
	}
}

/* PF_EXITING: the thread is in do_exit(), past the point where Linux disables its kcov. */
static bool task_exiting(const struct sandbox *sb, const struct ktask *t)
{
	unsigned int flags = 0;
	char state = 0;
	int err = thread_stat(sb, t->pidfd, t->tid, &state, &flags);

	return err == -ESRCH || (!err && (state == 'X' || (flags & PF_EXITING)));
}

/* Waits up to ms for t's thread to finish exiting (a zombie will do). */
static bool task_wait_exit(const struct sandbox *sb, const struct ktask *t, int ms)
{
	const struct timespec tick = { 0, 1000000 };

	for (int i = 0; i < ms && !thread_exited(sb, t->pidfd, t->tid); i++)
		nanosleep(&tick, NULL);
	return thread_exited(sb, t->pidfd, t->tid);
}

int task_reap_exiting(struct sandbox *sb, const struct ktask *caller)
{
	/*
	 * Without PIDFD_THREAD, owners that exited since the last sweep go
	 * first: by TID (below) a reused TID would read as alive.
	 */
	int reaped = sb->feat.pidfd_thread ? 0 : task_sweep(sb, caller);

	for (unsigned int b = 0; b < KTASK_BUCKETS; b++) {
		struct ktask *t = sb->tasks[b], *next;

		for (; t; t = next) {
			next = t->next;
			/* The thread being served is alive in our eyes until its syscall is answered. */
			if (t == caller || !task_exiting(sb, t))
				continue;
			/*
			 * The guest saw the thread finish (pthread_join returns from
			 * the futex wake in exit_mm) before the pidfd turns readable
			 * in exit_notify, or it is a leader whose pidfd never does
			 * while other threads live; Linux has disabled its kcov by then.
			 */
			/*
			 * Bounded: the supervisor serves everyone from this thread.
			 * If the exit has not completed by then, the owner keeps
			 * its kcov and the caller gets Linux's answer for that.
			 */
			if (!task_wait_exit(sb, t, 250))
				continue;
			task_release(sb, t);
			reaped++;
		}
	}
	return reaped;
}
