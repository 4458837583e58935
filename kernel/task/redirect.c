// SPDX-License-Identifier: MIT
/*
 * Turning a trapped syscall into another one run by the guest's own thread:
 * seccomp cannot change a syscall, so, as for the exec redirect
 * (execredirect.c), the thread waiting for our answer is seized and
 * interrupted, which withdraws the notification; at the interrupt stop the
 * syscall is about to be restarted (ax is -ERESTARTSYS until the signal
 * code rewinds it to orig_ax), so orig_ax and the argument registers name
 * the new call, and the thread is let go. The restarted call traps again
 * as itself. Only a thread that still waits in the expected syscall is
 * changed; anything else is left exactly as it was.
 *
 * The wait for the stop uses WNOWAIT first: a thread that exits instead is
 * left for the sandbox's own reaping (its exit status is not ours to take).
 * The first stop is the one: a signal's delivery stop comes before the
 * restart as our interrupt's does, so no loop waits on a guest's signals.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "task.h"

#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif

/*
 * tid exited while seized. The tracer must collect it, except when the
 * tracer is also its parent (the guest's first process): its status is
 * then the sandbox's own reaping's to take.
 */
static void redirect_exited(pid_t tid)
{
	char path[64], buf[4096], *s;
	siginfo_t si;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	if (proc_read(AT_FDCWD, path, buf, sizeof(buf)) < 0 || !(s = strstr(buf, "\nPPid:")) ||
	    strtol(s + 7, NULL, 10) == getpid())
		return;
	waitid(P_PID, (id_t)tid, &si, WEXITED | __WALL);
}

/*
 * Waits for tid's first stop: our interrupt, or a signal about to be
 * delivered (*sig: it is, when tid is let go). Either way the thread is
 * stopped on its way out of the interrupted syscall, before any restart,
 * so its registers can be looked at and changed there (a handler with
 * SA_RESTART runs first, then the changed call). Returns 0 or -errno.
 */
static int redirect_wait_stop(pid_t tid, int *sig)
{
	siginfo_t si = { 0 };

	*sig = 0;
	if (waitid(P_PID, (id_t)tid, &si, WSTOPPED | WEXITED | WNOWAIT | __WALL))
		return -errno;
	if (si.si_code != CLD_TRAPPED && si.si_code != CLD_STOPPED) {
		redirect_exited(tid);
		return -ESRCH;
	}
	if (waitid(P_PID, (id_t)tid, &si, WSTOPPED | __WALL))
		return -errno;
	if ((si.si_status >> 8) != PTRACE_EVENT_STOP)
		*sig = si.si_status & 0x7f;
	return 0;
}

/*
 * The notification reaches us before the thread sleeps in seccomp's wait:
 * until it does, /proc/TID/syscall says "running" (under QEMU's TCG, for
 * whole milliseconds). The wait for that sleep lasts only while the
 * notification is valid: a thread whose notification a signal withdrew
 * may run its handler as long as it likes, and is not waiting for us (a
 * guest cannot hold the serving loop here). Bounded (~100 ms) besides.
 */
bool thread_waits_in(int listener, uint64_t id, pid_t tid, long nr)
{
	const struct timespec pause = { 0, 100 * 1000 };
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/syscall", tid);
	for (int i = 0; i < 1000; i++) {
		if (proc_read(AT_FDCWD, path, buf, sizeof(buf)) <= 0)
			return false;
		if (strncmp(buf, "running", 7))
			return strtol(buf, NULL, 10) == nr;
		if (notif_id_valid(listener, id))
			return false;
		if (i < 100)
			sched_yield();
		else
			nanosleep(&pause, NULL);
	}
	return false;
}

/*
 * Seizes @tid and stops it in its interrupted call @nr, registers in @regs.
 * 0: stopped there, detach after; -ESRCH: gone, nothing to detach; other
 * errors: detach (with *sig, the signal it stopped for, if any; after a
 * failed seize the detach of a thread not ours fails and changes nothing).
 */
static int seize_in_call(pid_t tid, long nr, struct user_regs_struct *regs, int *sig)
{
	int err;

	*sig = 0;
	if (ptrace(PTRACE_SEIZE, tid, 0, 0))
		return -errno; /* traced by someone else, or not ours to trace */
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0))
		return -errno;
	err = redirect_wait_stop(tid, sig);
	if (err)
		return err;
	if (ptrace(PTRACE_GETREGS, tid, 0, regs))
		return -errno;
	/* still our call, interrupted (the answer not yet given) */
	if ((long)regs->orig_rax != nr || (int64_t)regs->rax != -ERESTARTSYS)
		return -EAGAIN;
	return 0;
}

/* A pending interrupt goes with the detach; a signal stopped for is delivered. */
static int detach(pid_t tid, int sig, int err)
{
	if (err != -ESRCH)
		ptrace(PTRACE_DETACH, tid, 0, (void *)(long)sig);
	return err;
}

/* The first nargs argument registers of the new call (the others stay as they are). */
static int redirect(pid_t tid, long nr, long new_nr, const uint64_t *args, int nargs)
{
	struct user_regs_struct regs;
	int sig, err = seize_in_call(tid, nr, &regs, &sig);

	if (err)
		return detach(tid, sig, err);
	regs.orig_rax = (uint64_t)new_nr;
	if (nargs > 0)
		regs.rdi = args[0];
	if (nargs > 1)
		regs.rsi = args[1];
	if (nargs > 2)
		regs.rdx = args[2];
	if (ptrace(PTRACE_SETREGS, tid, 0, &regs))
		err = -errno;
	return detach(tid, sig, err);
}

int guest_syscall_redirect(pid_t tid, long nr, long new_nr, uint64_t arg0)
{
	return redirect(tid, nr, new_nr, &arg0, 1);
}

int guest_syscall_redirect3(pid_t tid, long nr, long new_nr, const uint64_t args[3])
{
	return redirect(tid, nr, new_nr, args, 3);
}

int guest_answer_held(pid_t tid, long nr, int64_t ret, void (*held)(void))
{
	struct user_regs_struct regs;
	int sig, err = seize_in_call(tid, nr, &regs, &sig);

	if (err)
		return detach(tid, sig, err);
	/* it returns ret (no restart), and what held() raises is pending */
	regs.rax = (uint64_t)ret;
	if (ptrace(PTRACE_SETREGS, tid, 0, &regs))
		return detach(tid, sig, -errno);
	held();
	return detach(tid, sig, 0);
}
