// SPDX-License-Identifier: MIT
/*
 * Running a program whose file lives in a mount (docs/exec.md). execve(2)
 * takes a path the host resolves, and seccomp cannot change a syscall's
 * arguments, so this one step uses ptrace: the thread waiting in execve for
 * our answer is seized and interrupted (which withdraws the notification:
 * the kernel restarts the syscall after the stop, as for any signal), its
 * registers are pointed at something the host can run, and it is let go.
 *
 * Why a helper thread: the stop may never come while the serving loop
 * waits. A signal may take the thread out of execve into a handler first,
 * and there a killable sleep (a vfork parent) does not wake for
 * PTRACE_INTERRUPT. So each redirect is a detached thread of its own (the
 * tracer: ptrace requests come from the thread that seized), and the loop
 * goes on serving. The helper waits only with WSTOPPED and never WEXITED:
 * a thread that dies while seized is never reaped here (PROG's exit status
 * is the exit waiter's, entry/supervisor.c), the helper just ends, and
 * Linux's exit_ptrace() hands the zombie back to its parent.
 *
 * What the thread is pointed at writes nothing into the guest's memory:
 * - a binary: execveat(slot, "", argv, envp, AT_EMPTY_PATH), the "" being
 *   the NUL that ends the path the guest handed to execve. The copy is
 *   installed at `slot` when that restarted execveat traps
 *   (../syscalls/sys_exec.c), not before: a redirect that does not happen
 *   (a signal came first) leaves nothing open in the guest.
 * - a "#!" script: binfmt_script's rewrite, execve(interp, [interp, arg,
 *   path, argv[1..]], envp), so that the interpreter gets the script's own
 *   path, as on Linux. The new argv needs memory: the helper has the thread
 *   itself map a fresh anonymous page (an injected mmap, with every signal
 *   blocked meanwhile), and fills that, never the guest's own memory.
 *
 * Only a thread found stopped at the restart of the very execve (its path
 * register unchanged) is touched: at our interrupt stop, or, for a binary,
 * at the stop for a signal that took it out of the wait first (the signal
 * then waits, pending, until the redirected call ends: every signal is
 * blocked meanwhile, as Linux's execve does not stop for one). Any other
 * stop (inside a handler that already runs) and the thread is let go
 * untouched: its execve restarts after the handler and traps again, and
 * that notification is served afresh (never ENOENT).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/seccomp.h>

#include "task.h"

#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif
/* At most this many redirects in flight; beyond, EAGAIN (as execve under RLIMIT_NPROC). */
#define REDIRECT_MAX 64
/* Linux's MAX_ARG_STRINGS is far above; a guest's argv longer than this gets E2BIG. */
#define ARGV_MAX (1u << 20)
/* How many syscall stops of a handler a redirected execveat is followed through. */
#define FOLLOW_MAX 64

static atomic_uint in_flight;

/* Reads the guest's argv array (NULL-terminated) into a malloc'ed array. Returns its count or -errno. */
static long read_argv(pid_t tid, uint64_t at, uint64_t **out)
{
	size_t n = 0, cap = 0;
	uint64_t *v = NULL;

	for (; at; n++) {
		if (n == cap) {
			uint64_t *nv;

			if (cap >= ARGV_MAX) {
				free(v);
				return -E2BIG;
			}
			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return -ENOMEM;
			}
			v = nv;
		}
		if (guest_read(tid, &v[n], at + n * 8, 8)) {
			free(v);
			return -EFAULT;
		}
		if (!v[n])
			break;
	}
	*out = v;
	return (long)n;
}

/*
 * Lays out binfmt_script's argv in buf (mapped at `at` in the guest):
 * strings interp, arg, path, then [interp, arg, path, argv[1..], NULL].
 */
static size_t script_layout(const struct exec_redirect *r, const uint64_t *argv, long argc,
			    char *buf, uint64_t at)
{
	size_t il = strlen(r->interp) + 1, al = strlen(r->arg) + 1, pl = strlen(r->path) + 1;
	size_t off = (il + al + pl + 7) & ~(size_t)7;
	uint64_t *v = (uint64_t *)(buf + off);
	long k = 0;

	memcpy(buf, r->interp, il);
	memcpy(buf + il, r->arg, al);
	memcpy(buf + il + al, r->path, pl);
	v[k++] = at;
	if (r->has_arg)
		v[k++] = at + il;
	v[k++] = at + il + al;
	for (long i = 1; i < argc; i++)
		v[k++] = argv[i];
	v[k++] = 0;
	return off;
}

/*
 * The thread stands at the restart of its execve (regs). Has it map a
 * fresh page, fills it with the new argv, and leaves it about to run
 * execve(interp, argv', envp). Signals are blocked throughout, so no
 * handler runs in between; the mask is the guest's again before the
 * execve runs. Returns 0, or -errno with the thread's execve set to fail
 * with it.
 */
static int redirect_script(const struct exec_redirect *r, struct user_regs_struct *regs)
{
	struct user_regs_struct inj = *regs, done;
	uint64_t mask, all = ~0ull, *argv = NULL, at;
	long argc = read_argv(r->tid, r->at ? regs->rdx : regs->rsi, &argv);
	size_t size, off;
	char *buf = NULL;
	int err;

	if (argc < 0)
		return (int)argc;
	size = strlen(r->interp) + strlen(r->arg) + strlen(r->path) + 3 + 8 +
	       ((size_t)argc + 4) * 8;
	size = (size + 4095) & ~(size_t)4095;
	if (ptrace(PTRACE_GETSIGMASK, r->tid, sizeof(mask), &mask) ||
	    ptrace(PTRACE_SETSIGMASK, r->tid, sizeof(all), &all)) {
		free(argv);
		return -errno;
	}
	/* The restart runs the syscall in orig_rax: an mmap instead of the execve. */
	inj.orig_rax = SYS_mmap;
	inj.rdi = 0;
	inj.rsi = size;
	inj.rdx = PROT_READ | PROT_WRITE;
	inj.r10 = MAP_PRIVATE | MAP_ANONYMOUS;
	inj.r8 = (uint64_t)-1;
	inj.r9 = 0;
	err = ptrace(PTRACE_SETREGS, r->tid, 0, &inj) ? -errno : 0;
	if (!err)
		err = tracee_step_to(r->tid, PTRACE_SYSCALL_INFO_ENTRY);
	if (!err)
		err = tracee_step_to(r->tid, PTRACE_SYSCALL_INFO_EXIT);
	if (!err && ptrace(PTRACE_GETREGS, r->tid, 0, &done))
		err = -errno;
	if (!err && done.rax > (uint64_t)-4096)
		err = (int)done.rax;
	at = err ? 0 : done.rax;
	if (!err && !(buf = calloc(1, size)))
		err = -ENOMEM;
	if (!err) {
		off = script_layout(r, argv, argc, buf, at);
		err = guest_write(r->tid, at, buf, size);
	}
	free(buf);
	free(argv);
	if (err == -ESRCH)
		return err;
	/* At the mmap's exit: back to the execve's syscall instruction. */
	done = *regs;
	done.rip = regs->rip - 2;
	if (err) {
		done.rip = regs->rip;
		done.rax = (uint64_t)(long)err;
	} else {
		done.rax = SYS_execve;
		done.rdi = at;
		done.rsi = at + off;
		if (r->at)
			done.rdx = regs->r10; /* envp */
	}
	if (ptrace(PTRACE_SETREGS, r->tid, 0, &done) ||
	    ptrace(PTRACE_SETSIGMASK, r->tid, sizeof(mask), &mask))
		return -errno;
	return 0;
}

/*
 * The thread stands at the restart of its execve or execveat: have it run
 * execveat(slot, "", ...) instead.
 */
static int redirect_binary(const struct exec_redirect *r, struct user_regs_struct *regs)
{
	if (!r->at) {
		regs->orig_rax = SYS_execveat;
		regs->r10 = regs->rdx;    /* envp */
		regs->rdx = regs->rsi;    /* argv */
	}
	regs->rsi = r->path_addr + r->path_len; /* the NUL ending the guest's own path: "" */
	regs->rdi = (uint64_t)r->slot;
	regs->r8 = AT_EMPTY_PATH;
	return ptrace(PTRACE_SETREGS, r->tid, 0, regs) ? -errno : 0;
}

/* The errnos with which an interrupted syscall is restarted (include/linux/errno.h). */
static bool restarting(int64_t rval)
{
	return rval == -512 || rval == -513 || rval == -514 || rval == -516;
}

/*
 * The execveat failed (a bad ELF, a missing ELF interpreter): the thread
 * closes the copy's slot itself (an injected close, with every signal
 * blocked), and then sees the execveat's error as before.
 */
static void close_slot(pid_t tid, int slot, const struct user_regs_struct *regs)
{
	struct user_regs_struct inj = *regs;

	/* Every signal is blocked already (follow_exec()). */
	inj.rax = SYS_close;
	inj.rdi = (uint64_t)slot;
	inj.rip = regs->rip - 2;
	if (!ptrace(PTRACE_SETREGS, tid, 0, &inj) && !tracee_step_to(tid, PTRACE_SYSCALL_INFO_ENTRY))
		tracee_step_to(tid, PTRACE_SYSCALL_INFO_EXIT);
	/* Whatever happened, the thread sees its execveat's error (at worst the copy stays). */
	ptrace(PTRACE_SETREGS, tid, 0, regs);
}

/*
 * The thread's stop after its exec. A non-leader that execs takes its
 * leader's TID (de_thread()), and its stops are reported under that one:
 * when tid is gone, the stop is looked for under tgid, for a while only
 * (tgid may be a process this helper does not trace, alive and never
 * stopping for us). Returns the TID it stopped under, or -ESRCH.
 */
static pid_t wait_stop_after_exec(const struct exec_redirect *r, pid_t tid)
{
	struct __ptrace_syscall_info info;

	if (!tracee_wait_stop(tid))
		return tid;
	if (tid == r->tgid || r->tgid <= 0 || tracee_wait_stop_for(r->tgid, 2000))
		return -ESRCH;
	/* Ours only if this helper traces it (ptrace requests on another's fail). */
	if (ptrace(PTRACE_GET_SYSCALL_INFO, r->tgid, sizeof(info), &info) <= 0)
		return -ESRCH;
	return r->tgid;
}

/*
 * Follows the redirected execveat to its end, so that a failed exec leaves
 * nothing open in the guest. Its trap is served by the loop meanwhile
 * (sys_exec.c installs the copy).
 *
 * Every signal is blocked until the call ends, and the thread's own mask
 * (`mask`) set again then: Linux's execve does not stop for a signal (it
 * stays pending, for the new program or for the handler after a failure),
 * where the trap's wait for our answer does. Unblocked, a stream of signals
 * faster than the loop's answer (a signal every 100 us from a parent
 * waiting for its child) took the thread out of each try, with four stops
 * of ours per signal, and an exec of a 30 KiB binary took seconds.
 *
 * Let go after FOLLOW_MAX stops that are not the call's, or once the call
 * ends. After an exec from a non-leader thread its TID is gone
 * (wait_stop_after_exec()).
 */
static void follow_exec(const struct exec_redirect *r, int sig, uint64_t mask)
{
	struct __ptrace_syscall_info info;
	struct user_regs_struct regs;
	pid_t tid = r->tid;

	for (int foreign = 0; foreign < FOLLOW_MAX;) {
		/* A signal injected now is blocked: Linux requeues it, pending (ptrace_signal()). */
		if (ptrace(PTRACE_SYSCALL, tid, 0, (void *)(long)sig) ||
		    (tid = wait_stop_after_exec(r, tid)) < 0)
			return;
		sig = tracee_stop_signal(tid);
		if (sig)
			continue; /* SIGKILL's, or a signal sent before the mask: delivered as it resumes */
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(info), &info) <= 0 ||
		    ptrace(PTRACE_GETREGS, tid, 0, &regs))
			break;
		/* Not a syscall stop: our interrupt's, still pending when a signal's stop came first. */
		if (info.op == PTRACE_SYSCALL_INFO_NONE) {
			foreign++;
			continue;
		}
		/* The new program runs (its registers are new; the call reads as execve then). */
		if (info.op == PTRACE_SYSCALL_INFO_EXIT && info.exit.rval == 0 &&
		    (regs.orig_rax == SYS_execveat || regs.orig_rax == SYS_execve))
			break;
		if (regs.orig_rax != SYS_execveat || regs.rdi != (uint64_t)r->slot) {
			foreign++;
			continue;
		}
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY)
			continue;
		if (info.op != PTRACE_SYSCALL_INFO_EXIT)
			break;
		if (restarting(info.exit.rval))
			continue; /* only SIGSTOP (the call comes back after the stop) or SIGKILL interrupt it now */
		if (info.exit.is_error)
			close_slot(tid, r->slot, &regs);
		break;
	}
	ptrace(PTRACE_SETSIGMASK, tid, sizeof(mask), &mask);
	ptrace(PTRACE_DETACH, tid, 0, (void *)(long)sig);
}

static void redirect(const struct exec_redirect *r)
{
	struct user_regs_struct regs;
	uint64_t mask = 0, all = ~0ull;
	int err = tracee_seize(r->listener, r->id, r->tid), sig;

	if (err) {
		/* Not seized: the thread still waits for an answer unless it left (1). */
		if (err < 0)
			tracee_answer(r->listener, r->id, err == -ESRCH ? -ESRCH : -EPERM);
		return;
	}
	if (ptrace(PTRACE_INTERRUPT, r->tid, 0, 0) || tracee_wait_stop(r->tid))
		return; /* gone: ending this thread releases it */
	/*
	 * Our stop, or a signal to deliver that took the thread out of its
	 * execve first: both stand at the execve's restart (the signal's
	 * handler, with SA_RESTART, returns to it). Then a binary is redirected
	 * either way (the handler returns to the execveat); a script only at our
	 * stop (its rewrite needs the thread to itself).
	 */
	sig = tracee_stop_signal(r->tid);
	if (ptrace(PTRACE_GETREGS, r->tid, 0, &regs) ||
	    regs.orig_rax != (uint64_t)(r->at ? SYS_execveat : SYS_execve) ||
	    regs.rax != (uint64_t)-ERESTARTSYS || (r->at ? regs.rsi : regs.rdi) != r->path_addr ||
	    (sig && r->script)) {
		/* Let go untouched (with its signal): its execve comes back. */
		ptrace(PTRACE_DETACH, r->tid, 0, (void *)(long)sig);
		return;
	}
	if (r->script) {
		if (redirect_script(r, &regs) != -ESRCH)
			ptrace(PTRACE_DETACH, r->tid, 0, 0);
		return;
	}
	if (ptrace(PTRACE_GETSIGMASK, r->tid, sizeof(mask), &mask)) {
		ptrace(PTRACE_DETACH, r->tid, 0, (void *)(long)sig);
		return;
	}
	if (ptrace(PTRACE_SETSIGMASK, r->tid, sizeof(all), &all) || redirect_binary(r, &regs)) {
		ptrace(PTRACE_SETSIGMASK, r->tid, sizeof(mask), &mask);
		ptrace(PTRACE_DETACH, r->tid, 0, (void *)(long)sig);
		return;
	}
	follow_exec(r, sig, mask);
}

static void *redirect_thread(void *arg)
{
	struct exec_redirect *r = arg;
	sigset_t all;

	/* The supervisor's own signals (the exit waiter's kick) are the loop's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	redirect(r);
	free(r);
	atomic_fetch_sub(&in_flight, 1);
	return NULL;
}

int guest_execve_redirect(const struct exec_redirect *req)
{
	struct exec_redirect *r;
	pthread_attr_t attr;
	pthread_t t;
	int err;

	if (atomic_fetch_add(&in_flight, 1) >= REDIRECT_MAX) {
		atomic_fetch_sub(&in_flight, 1);
		return -EAGAIN;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		atomic_fetch_sub(&in_flight, 1);
		return -ENOMEM;
	}
	*r = *req;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* EAGAIN may pass (a moment without resources for a thread): a few tries, 3 ms at most. */
	for (int tries = 0; (err = pthread_create(&t, &attr, redirect_thread, r)) == EAGAIN && tries < 3;
	     tries++)
		tracee_sleep_us(1000);
	pthread_attr_destroy(&attr);
	if (err) {
		free(r);
		atomic_fetch_sub(&in_flight, 1);
		return -EAGAIN;
	}
	return 0;
}
