// SPDX-License-Identifier: MIT
/*
 * Running a program whose file lives in a mount. Its data is the
 * supervisor's, and execve(2) takes a path the host must resolve, so the
 * supervisor copies the program into a memfd, installs it in the guest and
 * makes the waiting execve name that: "/proc/self/fd/N". seccomp cannot
 * change a syscall's arguments, so this one step uses ptrace: the thread,
 * waiting for our answer, is seized and interrupted (which withdraws the
 * notification; the kernel restarts the syscall after the stop, as for any
 * signal), its path register is pointed at the new path, written below its
 * stack pointer (past the red zone; execve is what runs next), and it is
 * let go. The restarted execve traps again with a host path and runs on
 * the host. Only a thread that already waits in execve is touched, and only
 * between its entry and its restart.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "task.h"

#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif

/* Waits for tid's interrupt stop; other stops (a signal) are passed on. Returns 0 or -errno. */
static int wait_interrupt_stop(pid_t tid)
{
	for (int i = 0; i < 16; i++) {
		int st;

		if (waitpid(tid, &st, __WALL) != tid)
			return -errno;
		if (!WIFSTOPPED(st))
			return -ESRCH; /* it died meanwhile */
		if ((st >> 16) == PTRACE_EVENT_STOP)
			return 0;
		/* A signal arrived first: deliver it and wait for our stop. */
		if (ptrace(PTRACE_CONT, tid, 0, (void *)(long)WSTOPSIG(st)))
			return -errno;
		if (ptrace(PTRACE_INTERRUPT, tid, 0, 0))
			return -errno;
	}
	return -EAGAIN;
}

int guest_execve_redirect(pid_t tid, const char *path)
{
	struct user_regs_struct regs;
	size_t len = strlen(path) + 1;
	uint64_t at;
	int err;

	if (ptrace(PTRACE_SEIZE, tid, 0, 0))
		return -errno; /* traced by someone else, or not ours to trace */
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0)) {
		err = -errno;
		goto out;
	}
	err = wait_interrupt_stop(tid);
	if (err)
		goto out;
	if (ptrace(PTRACE_GETREGS, tid, 0, &regs)) {
		err = -errno;
		goto out;
	}
	/*
	 * Interrupted in our execve: the syscall will be restarted (ax is
	 * -ERESTARTSYS until the signal code rewinds it). Anything else, and
	 * the thread is left exactly as it was.
	 */
	if (regs.orig_rax != SYS_execve || (int64_t)regs.rax != -ERESTARTSYS) {
		err = -EAGAIN;
		goto out;
	}
	at = ((regs.rsp - 1024 - len) & ~(uint64_t)15);
	err = guest_write(tid, at, path, len);
	if (err)
		goto out;
	regs.rdi = at;
	if (ptrace(PTRACE_SETREGS, tid, 0, &regs))
		err = -errno;
out:
	ptrace(PTRACE_DETACH, tid, 0, 0);
	return err;
}
