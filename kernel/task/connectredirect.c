// SPDX-License-Identifier: MIT
/*
 * A Unix stream connect(2) through a mount, made by the guest's own thread
 * (the deputy rule, docs/security.md). Linux gives the listener the
 * credentials of the process that called connect(): unix_stream_connect()
 * takes current's tgid and cred (prepare_peercred()) for the new socket's
 * peer, which SO_PEERCRED and SO_PEERPIDFD read. No helper of ours can
 * give the guest's pid, so the guest's thread connects itself.
 *
 * seccomp cannot change a syscall's arguments, so, as for the exec
 * redirect (execredirect.c, tracee.c), the waiting thread is seized and
 * interrupted, which withdraws the notification, and at the interrupt stop
 * it is made to run, with every signal blocked:
 *   mmap    a fresh anonymous page for the address: nothing is written
 *           into memory the guest has (the address it passed may be
 *           read-only, and is its own);
 *   connect(fd, page, len) with the guest's mask again, so that a signal
 *           interrupts a wait as it would Linux's. It traps: the loop
 *           (guest_connect_trapped()) hands a door over when there is one
 *           and writes "/proc/self/fd/DOOR/NAME" in the page, or finds the
 *           host path already there, and lets the host run it;
 *   close(DOOR), munmap(page), with every signal blocked again;
 * and then it sees the connect's result in its own registers, the call it
 * made (an interrupted one restarts as itself, and traps afresh).
 *
 * A door is a directory of the supervisor's private directory, search-only
 * for others, holding one link to the private socket: the guest's thread
 * can reach that socket and nothing else, for the length of the call.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/user.h>
#include <unistd.h>

#include "task.h"

#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif
/* At most this many connects in flight this way; beyond, the caller's helper connects. */
#define CONNECT_MAX 64
/* How long a connect runs with every signal blocked before it may wait as the guest's (ms). */
#define CONNECT_BLOCKED_MS 20

struct conn {
	struct connect_redirect r;
	struct connect_redirect next; /* the thread's connect came back meanwhile (has_next) */
	bool has_next;
	bool used;
	uint64_t page;  /* the address's page in the guest while the connect runs, else 0 */
	int slot;       /* the door's fd in the guest, or -1 */
};

static pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn conns[CONNECT_MAX];

/* The thread tracing tid (0: none), from /proc/TID/status; -1 when it cannot be read. */
static long tracer_of(pid_t tid)
{
	char path[64], buf[4096], *s;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (proc_read(AT_FDCWD, path, buf, sizeof(buf)) < 0 || !(s = strstr(buf, "\nTracerPid:")))
		return -1;
	return strtol(s + 11, NULL, 10);
}

/*
 * Whether a debugger traces tid (then no seize: the caller's helper
 * connects). A helper of ours may still hold it (an exec redirect's that is
 * letting go): a thread in /proc/self/task, or one that just ended (it lets
 * go as it ends, before it leaves /proc: a second look no longer sees it).
 */
static bool traced(pid_t tid)
{
	long tracer = tracer_of(tid), again;
	char path[64];

	/* A thread of our own process (the libFuzzer harness's tasks) cannot be seized. */
	snprintf(path, sizeof(path), "/proc/self/task/%d", tid);
	if (!access(path, F_OK))
		return true;
	for (int i = 0; i < 3 && tracer > 0; i++, tracer = again) {
		snprintf(path, sizeof(path), "/proc/self/task/%ld", tracer);
		if (!access(path, F_OK))
			return false;
		again = tracer_of(tid);
		if (again == tracer)
			return true;
	}
	return tracer != 0;
}

static void sun_of(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", path);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sun->sun_path) + 1);
}

int guest_connect_trapped(int listener, uint64_t id, pid_t tid, int nr, uint64_t addr)
{
	struct sockaddr_un sun;
	socklen_t len;
	char path[sizeof(sun.sun_path)];
	int r = 1;

	pthread_mutex_lock(&conn_lock);
	for (int i = 0; i < CONNECT_MAX && r == 1; i++) {
		struct conn *k = &conns[i];

		if (!k->used || !k->page || k->page != addr || k->r.tid != tid ||
		    k->r.listener != listener || k->r.sockfd != nr)
			continue;
		r = 0;
		if (k->r.door < 0 || k->slot >= 0)
			break;
		k->slot = guest_install_fd_any(listener, id, k->r.door, O_CLOEXEC);
		if (k->slot < 0) {
			r = k->slot;
			k->slot = -1;
			break;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", k->slot, k->r.path);
		sun_of(path, &sun, &len);
		r = guest_write(tid, addr, &sun, sizeof(sun));
	}
	pthread_mutex_unlock(&conn_lock);
	return r;
}

/* Has the thread, at a syscall stop (at), run nr(a0, a1) with every signal blocked. */
static int run_blocked(pid_t tid, const struct user_regs_struct *at, long nr, uint64_t a0,
		       uint64_t a1)
{
	const uint64_t a[6] = { a0, a1 };
	int64_t ret;

	return tracee_inject(tid, at, nr, a, &ret);
}

/* The errnos with which an interrupted syscall is restarted (include/linux/errno.h). */
static bool restarting(int64_t rval)
{
	return rval == -512 || rval == -513 || rval == -514 || rval == -516;
}

/*
 * From a syscall stop (signals blocked), the thread runs connect(fd, page)
 * up to its exit stop, interrupted after ms (-1: never); with mask (else
 * every signal blocked) once in the call: no signal is delivered on the
 * way in, where a stop of its own would be passed over. Returns 0 with
 * *ret its result.
 */
static int connect_run(struct conn *k, uint64_t page, long ms, const uint64_t *mask, int64_t *ret)
{
	struct user_regs_struct at;
	int err;

	if (ptrace(PTRACE_GETREGS, k->r.tid, 0, &at))
		return -errno;
	at.rip -= 2;
	at.rax = SYS_connect;
	at.rdi = (uint64_t)k->r.sockfd;
	at.rsi = page;
	at.rdx = sizeof(struct sockaddr_un);
	if (ptrace(PTRACE_SETREGS, k->r.tid, 0, &at))
		return -errno;
	err = tracee_step_to(k->r.tid, PTRACE_SYSCALL_INFO_ENTRY);
	if (!err && mask && ptrace(PTRACE_SETSIGMASK, k->r.tid, sizeof(*mask), mask))
		err = -errno;
	if (!err && ptrace(PTRACE_SYSCALL, k->r.tid, 0, 0))
		err = -errno;
	if (!err && (err = tracee_wait_stop_for(k->r.tid, ms)) == -ETIMEDOUT)
		err = ptrace(PTRACE_INTERRUPT, k->r.tid, 0, 0) ? -errno : tracee_wait_stop(k->r.tid);
	/* The exit stop (an interrupt's stop comes after it) */
	if (!err && ptrace(PTRACE_GETREGS, k->r.tid, 0, &at))
		err = -errno;
	if (!err)
		*ret = (int64_t)at.rax;
	return err;
}

/*
 * The thread stands at the restart of its connect (regs), signals blocked.
 * Maps the page, runs the connect. Returns 0 with *ret its result, or -errno.
 */
static int connect_in_guest(struct conn *k, const struct user_regs_struct *regs, uint64_t mask,
			    int64_t *ret)
{
	const uint64_t mm[6] = { 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				 (uint64_t)-1, 0 };
	struct sockaddr_un sun;
	socklen_t len;
	int64_t page;
	int err = tracee_inject(k->r.tid, regs, SYS_mmap, mm, &page);

	if (err)
		return err;
	if (page < 0 && page > -4096)
		return (int)page;
	sun_of(k->r.door < 0 ? k->r.path : "", &sun, &len);
	if (k->r.door < 0 && (err = guest_write(k->r.tid, (uint64_t)page, &sun, sizeof(sun))))
		return err;
	pthread_mutex_lock(&conn_lock);
	k->page = (uint64_t)page;
	pthread_mutex_unlock(&conn_lock);
	/*
	 * First with every signal still blocked, for as long as a connect that
	 * does not wait takes (a stream of signals would otherwise restart it
	 * for ever, each round taking longer than the guest's own connect).
	 */
	err = connect_run(k, (uint64_t)page, CONNECT_BLOCKED_MS, NULL, ret);
	if (err || !restarting(*ret))
		return err;
	/* It waits (a full backlog): a signal interrupts the wait as Linux's. */
	return connect_run(k, (uint64_t)page, -1, &mask, ret);
}

/* Closes the door and unmaps the page in the guest (signals blocked), then shows it ret. */
static void finish(struct conn *k, struct user_regs_struct *regs, uint64_t mask, int64_t ret)
{
	uint64_t all = ~0ull, page;
	struct user_regs_struct at;
	int slot;

	pthread_mutex_lock(&conn_lock);
	page = k->page;
	slot = k->slot;
	k->page = 0;
	pthread_mutex_unlock(&conn_lock);
	if (ptrace(PTRACE_SETSIGMASK, k->r.tid, sizeof(all), &all) ||
	    ptrace(PTRACE_GETREGS, k->r.tid, 0, &at))
		return;
	if (slot >= 0 && run_blocked(k->r.tid, &at, SYS_close, (uint64_t)slot, 0))
		return;
	if (page && ((slot >= 0 && ptrace(PTRACE_GETREGS, k->r.tid, 0, &at)) ||
		     run_blocked(k->r.tid, &at, SYS_munmap, page, 4096)))
		return;
	/* Its own connect's registers, with the result; a restart code restarts it as itself. */
	regs->rax = (uint64_t)ret;
	ptrace(PTRACE_SETREGS, k->r.tid, 0, regs);
	ptrace(PTRACE_SETSIGMASK, k->r.tid, sizeof(mask), &mask);
}

static void redirect(struct conn *k)
{
	struct user_regs_struct regs;
	uint64_t mask, all = ~0ull;
	int64_t ret = 0;
	int err = tracee_seize(k->r.listener, k->r.id, k->r.tid), sig;

	if (err) {
		/* Not seized: the thread still waits for an answer unless it left (1). */
		if (err < 0)
			tracee_answer(k->r.listener, k->r.id, err == -ESRCH ? -ESRCH : -EPERM);
		return;
	}
	if (ptrace(PTRACE_INTERRUPT, k->r.tid, 0, 0) || tracee_wait_stop(k->r.tid))
		return; /* gone: ending this thread releases it */
	/* Only at our own stop, at the restart of the very connect; else it comes back as itself. */
	sig = tracee_stop_signal(k->r.tid);
	if (sig || ptrace(PTRACE_GETREGS, k->r.tid, 0, &regs) || regs.orig_rax != SYS_connect ||
	    regs.rax != (uint64_t)-ERESTARTSYS || regs.rdi != (uint64_t)k->r.sockfd ||
	    regs.rsi != k->r.addr || ptrace(PTRACE_GETSIGMASK, k->r.tid, sizeof(mask), &mask) ||
	    ptrace(PTRACE_SETSIGMASK, k->r.tid, sizeof(all), &all)) {
		ptrace(PTRACE_DETACH, k->r.tid, 0, (void *)(long)sig);
		return;
	}
	err = connect_in_guest(k, &regs, mask, &ret);
	if (err == -ESRCH)
		return;
	finish(k, &regs, mask, err ? err : ret);
	ptrace(PTRACE_DETACH, k->r.tid, 0, 0);
}

/* Removes a request's door (its link, its fd, the directory). */
static void door_close(struct connect_redirect *r)
{
	if (r->door < 0)
		return;
	unlinkat(r->door, r->path, 0);
	close(r->door);
	rmdir(r->door_path);
	r->door = -1;
}

/*
 * Done with k->r: the record goes, unless the thread's connect came back
 * meanwhile (a signal took it out of the wait: a new notification, the
 * only one of the thread's that can still be valid). Returns whether there
 * is that next request to serve.
 */
static bool release(struct conn *k)
{
	bool more;

	pthread_mutex_lock(&conn_lock);
	k->page = 0;
	pthread_mutex_unlock(&conn_lock);
	door_close(&k->r);
	pthread_mutex_lock(&conn_lock);
	more = k->has_next;
	if (more)
		*k = (struct conn){ .r = k->next, .used = true, .slot = -1 };
	else
		k->used = false;
	pthread_mutex_unlock(&conn_lock);
	return more;
}

static void *redirect_thread(void *arg)
{
	struct conn *k = arg;
	sigset_t all;

	/* The supervisor's own signals (the exit waiter's kick) are the loop's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	do
		redirect(k);
	while (release(k));
	return NULL;
}

/*
 * The thread's record, if one is in flight: r becomes its next request
 * (replacing one not yet served, whose notification can no longer be
 * valid). One tracer per thread: a stream of signals restarting a connect
 * makes no crowd of helpers, and never two connects of one call.
 */
static bool queued(const struct connect_redirect *r)
{
	struct connect_redirect old = { .door = -1 };
	bool found = false;

	pthread_mutex_lock(&conn_lock);
	for (int i = 0; i < CONNECT_MAX && !found; i++) {
		struct conn *k = &conns[i];

		if (!k->used || k->r.tid != r->tid || k->r.listener != r->listener)
			continue;
		found = true;
		if (k->has_next)
			old = k->next;
		k->next = *r;
		k->has_next = true;
	}
	pthread_mutex_unlock(&conn_lock);
	door_close(&old);
	return found;
}

int guest_connect_redirect(const struct connect_redirect *r)
{
	struct connect_redirect gone = *r;
	struct conn *k = NULL;
	pthread_attr_t attr;
	pthread_t t;
	int err;

	if (queued(r))
		return 0;
	if (traced(r->tid)) {
		door_close(&gone);
		return -EBUSY;
	}
	pthread_mutex_lock(&conn_lock);
	for (int i = 0; i < CONNECT_MAX && !k; i++)
		if (!conns[i].used)
			k = &conns[i];
	if (k)
		*k = (struct conn){ .r = *r, .used = true, .slot = -1 };
	pthread_mutex_unlock(&conn_lock);
	if (!k) {
		door_close(&gone);
		return -EAGAIN;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&t, &attr, redirect_thread, k);
	pthread_attr_destroy(&attr);
	if (err) {
		door_close(&gone);
		pthread_mutex_lock(&conn_lock);
		k->used = false;
		pthread_mutex_unlock(&conn_lock);
		return -err;
	}
	return 0;
}
