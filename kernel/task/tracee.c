// SPDX-License-Identifier: MIT
/*
 * Driving a guest thread that waits in a trapped syscall with ptrace, for
 * the redirects that make the guest's own thread run a call in place of the
 * one it made (execredirect.c, connectredirect.c). Each redirect runs in a
 * helper thread of its own (the tracer: ptrace requests come from the
 * thread that seized), so no wait here holds up the serving loop, and no
 * wait here ever reaps: a thread that dies while seized is its parent's to
 * collect (exit_ptrace() hands the zombie back when the helper ends).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/seccomp.h>

#include "task.h"

/* How long a seize is retried while another tracer of ours lets go of the thread (ms). */
#define SEIZE_RETRY_MS 2000

void tracee_sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&ts, NULL);
}

/* Did tid exit? Peeks only (WNOWAIT): its zombie stays for its parent. */
static bool exited(pid_t tid)
{
	siginfo_t si = { 0 };

	/* A tracee's stops are reported even without WSTOPPED: only an exit counts. */
	return !waitid(P_PID, (id_t)tid, &si, WEXITED | WNOWAIT | WNOHANG | __WALL) && si.si_pid &&
	       (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED);
}

int tracee_wait_stop(pid_t tid)
{
	return tracee_wait_stop_for(tid, -1);
}

int tracee_wait_stop_for(pid_t tid, long ms)
{
	long us = 20, waited = 0;

	for (int spins = 0;; spins++) {
		siginfo_t si = { 0 };

		if (waitid(P_PID, (id_t)tid, &si, WSTOPPED | WNOHANG | __WALL) && errno != EINTR)
			return -ESRCH;
		if (si.si_pid == tid)
			return 0;
		if (exited(tid))
			return -ESRCH;
		/* Most stops come within microseconds: yield before sleeping. */
		if (spins < 20) {
			sched_yield();
			continue;
		}
		if (ms >= 0 && waited >= ms * 1000)
			return -ETIMEDOUT;
		/* Up to 10 ms between looks: a guest may keep a thread from stopping for long. */
		tracee_sleep_us(us);
		waited += us;
		if (us < 10000)
			us *= 2;
	}
}

int tracee_stop_signal(pid_t tid)
{
	siginfo_t si;

	if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si))
		return 0; /* a group-stop under SEIZE has no siginfo of its own to give */
	/* Our own stops say SIGTRAP | PTRACE_EVENT_* << 8, or SIGTRAP | 0x80 (a syscall). */
	if (si.si_signo == SIGTRAP && si.si_code > 0 && (si.si_code & 0x7f) == SIGTRAP &&
	    (si.si_code & ~0x7f))
		return 0;
	return si.si_signo;
}

void tracee_answer(int listener, uint64_t id, int err)
{
	struct seccomp_notif_resp resp = { .id = id, .error = err };

	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

int tracee_seize(int listener, uint64_t id, pid_t tid)
{
	for (int ms = 0;; ms++) {
		if (notif_id_valid(listener, id))
			return 1;
		if (!ptrace(PTRACE_SEIZE, tid, 0, (void *)(long)PTRACE_O_TRACESYSGOOD))
			break;
		/* EPERM: traced, by a debugger or by a helper of ours letting go of it. */
		if (errno != EPERM || ms >= SEIZE_RETRY_MS)
			return -errno;
		tracee_sleep_us(1000);
	}
	/*
	 * Held from now on, the thread can leave the wait only through a stop
	 * of ours (a signal's). Still waiting: the next stop is about this
	 * call. Else it left before (the same arguments may be its next call's).
	 */
	if (!notif_id_valid(listener, id))
		return 0;
	if (!ptrace(PTRACE_INTERRUPT, tid, 0, 0) && !tracee_wait_stop(tid))
		ptrace(PTRACE_DETACH, tid, 0, (void *)(long)tracee_stop_signal(tid));
	return 1;
}

int tracee_step_to(pid_t tid, uint8_t op)
{
	struct __ptrace_syscall_info info;

	/*
	 * Other stops on the way: our interrupt's, still pending after a
	 * signal's stop, and group-stops of a stream of job-control signals.
	 * Bounded (a thread that never reaches the call is let go with
	 * EAGAIN), but generously: 8 was seen to run out under load.
	 */
	for (int i = 0; i < 256; i++) {
		int err;

		if (ptrace(PTRACE_SYSCALL, tid, 0, 0))
			return -errno;
		err = tracee_wait_stop(tid);
		if (err)
			return err;
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info), &info) <= 0)
			return -errno;
		if (info.op == op)
			return 0;
	}
	return -EAGAIN;
}

int tracee_inject(pid_t tid, const struct user_regs_struct *at, long nr, const uint64_t args[6],
		  int64_t *ret)
{
	struct user_regs_struct inj = *at;
	int err;

	/* From a syscall stop, back to its syscall instruction with another call. */
	inj.rip = at->rip - 2;
	inj.rax = (uint64_t)nr;
	inj.rdi = args[0];
	inj.rsi = args[1];
	inj.rdx = args[2];
	inj.r10 = args[3];
	inj.r8 = args[4];
	inj.r9 = args[5];
	if (ptrace(PTRACE_SETREGS, tid, 0, &inj))
		return -errno;
	err = tracee_step_to(tid, PTRACE_SYSCALL_INFO_ENTRY);
	if (!err)
		err = tracee_step_to(tid, PTRACE_SYSCALL_INFO_EXIT);
	if (!err && ptrace(PTRACE_GETREGS, tid, 0, &inj))
		err = -errno;
	if (!err)
		*ret = (int64_t)inj.rax;
	return err;
}
