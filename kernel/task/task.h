/* SPDX-License-Identifier: MIT */
/*
 * kernel/task/: access to the guest's processes, below everything that
 * serves a syscall. It owns the task table (kernel state of guest threads:
 * thread handles, the pidfd cache, exit reaping), guest memory and guest
 * fds (process_vm_readv, pidfd_getfd, seccomp ADDFD), the exec redirect
 * and the connect redirect (ptrace), the remote-handle inheritance of processes, blocking host calls
 * answered later (pending.h), and the host kernel's probed features.
 *
 * May call: lib/ (include/ukcov/) and the C library. Nothing above it
 * (entry/, syscalls/, fs/, vfs/) is called from here.
 * Built without coverage instrumentation: like Linux's entry code and
 * copy_{from,to}_user, it is the machinery around the kernel, not the kernel.
 */
#ifndef UKCOV_TASK_H
#define UKCOV_TASK_H

#include <limits.h>
#include <signal.h>

#include "../kernel.h"

/*
 * task/sigsend.c: a signal to a guest process (tid 0) or thread, with
 * siginfo (info: si, sent as SI_QUEUE carries it) or without (sig), now
 * or once the call is answered (sig_flush(), from the serving loop).
 */
struct sig_out {
	pid_t tgid, tid;
	int sig;
	bool info;
	siginfo_t si;
};
void sig_send(const struct sig_out *o);
void sig_send_later(const struct sig_out *o);
void sig_flush(void);
bool sig_queued(void);
/*
 * Before the answer ret of thread tid's call nr: the signals for other
 * processes go now; those for its own (which would interrupt the call
 * while it waits) are raised in its own thread as it returns
 * (guest_answer_held()). Returns true when that answered the call, else
 * the caller answers it and sig_flush()es what is left.
 */
bool sig_answer(pid_t tid, long nr, int64_t ret);

/* task/guestmem.c: guest memory. Guest pointers are untrusted; every copy is bounded. */
int guest_read(pid_t tid, void *dst, uint64_t addr, size_t len);
int guest_write(pid_t tid, uint64_t addr, const void *src, size_t len);
/*
 * As much as the guest's mappings allow from the start, as Linux's
 * copy_to_user()/copy_from_user() stop at the first fault: the bytes
 * copied (a whole page at a time), or -EFAULT when none was.
 */
ssize_t guest_read_some(pid_t tid, void *dst, uint64_t addr, size_t len);
ssize_t guest_write_some(pid_t tid, uint64_t addr, const void *src, size_t len);
/* Copies a NUL-terminated string of at most max-1 bytes. Returns its length, -EFAULT or -ENAMETOOLONG. */
long guest_read_str(pid_t tid, char *dst, uint64_t addr, size_t max);
/* The served thread's fail-nth, counted by every copy from the guest (NULL: none). */
void guest_fault_arm(unsigned int *nth);
/*
 * guest_read_str() of two strings (*na, *nb: each one's answer), with one
 * syscall when both are short: the first read of a takes b's with it.
 */
void guest_read_strs(pid_t tid, char *a, uint64_t ua, long *na, char *b, uint64_t ub, long *nb,
		     size_t max);
/*
 * Installs the supervisor's srcfd as fd number `target` of notification id's
 * process (as dup2 would; not close-on-exec) without answering the
 * notification. Returns 0, or -errno (-ENOENT: the thread no longer waits).
 */
int guest_install_fd(int listener, uint64_t id, int srcfd, int target);
/* The same at the lowest free number, with newfd_flags (O_CLOEXEC). Returns the fd or -errno. */
int guest_install_fd_any(int listener, uint64_t id, int srcfd, unsigned int newfd_flags);
/*
 * task/execredirect.c: what the thread waiting in execve(2) (notification
 * id) is made to run instead: a binary, execveat(slot, "", argv, envp,
 * AT_EMPTY_PATH); a script, binfmt_script's execve(interp, [interp, arg
 * (when non-empty), path, argv[1..]], envp).
 */
struct exec_redirect {
	int listener;
	uint64_t id;
	pid_t tid;
	pid_t tgid;               /* its process: the TID a non-leader takes once its exec succeeds */
	/*
	 * the waiting call is execveat(2): (dirfd, path, argv, envp, flags)
	 * in its registers, where execve(2) has (path, argv, envp)
	 */
	bool at;
	uint64_t path_addr;       /* the guest's path pointer, checked at the stop */
	size_t path_len;          /* its length: path_addr + path_len is its NUL */
	int slot;                 /* a binary: the guest fd its copy is installed at */
	char path[PATH_MAX];      /* a script: the path as binfmt_script passes it (bprm->filename) */
	bool script;              /* a "#!" script (else a binary) */
	char interp[256];         /* a script: its interpreter */
	char arg[256];            /* a script: the optional argument */
	bool has_arg;             /* whether there is one ("" too: blanks then a NUL) */
};
/*
 * Hands the redirect to a helper thread: from now on the notification is
 * the helper's (it withdraws it, or answers it when it cannot). Returns 0,
 * or -errno with the notification still the caller's to answer.
 */
int guest_execve_redirect(const struct exec_redirect *r);
/*
 * task/redirect.c: makes thread tid, waiting in syscall nr for our answer,
 * run syscall new_nr(arg0) instead (its other argument registers as they
 * are), which traps again. Returns 0, or -errno with the thread untouched.
 */
int guest_syscall_redirect(pid_t tid, long nr, long new_nr, uint64_t arg0);
/* The same with its first three arguments. */
int guest_syscall_redirect3(pid_t tid, long nr, long new_nr, const uint64_t args[3]);
/*
 * The same way, answers thread tid, waiting in syscall nr, with ret in its
 * own thread (the notification is withdrawn), and calls held() while the
 * thread is stopped there: the signals it sends are pending when the
 * thread leaves the call, as those Linux raises during a call are. Returns
 * 0, or -errno with the notification still to answer unless -ESRCH.
 */
int guest_answer_held(pid_t tid, long nr, int64_t ret, void (*held)(void));
/*
 * task/tracee.c: a guest thread driven with ptrace by the helper thread that
 * seized it (the redirects). No wait here reaps.
 */
struct user_regs_struct;
void tracee_sleep_us(long us);
/*
 * Seizes tid while it still waits in notification id: 0 (its next stop is
 * about that call); 1 when it no longer waits (let go); or -errno.
 */
int tracee_seize(int listener, uint64_t id, pid_t tid);
/* Waits for tid's next ptrace stop, polling (never reaps). Returns 0 or -ESRCH (it died). */
int tracee_wait_stop(pid_t tid);
/* The same for at most ms milliseconds (about): -ETIMEDOUT after. */
int tracee_wait_stop_for(pid_t tid, long ms);
/* The stop is a signal about to be delivered: its number, else 0 (a ptrace event or syscall stop). */
int tracee_stop_signal(pid_t tid);
/* Resumes tid to its next syscall stop of `op` (entry or exit). Returns 0 or -errno. */
int tracee_step_to(pid_t tid, uint8_t op);
/* Answers the notification (the thread still waits in it) with -err. */
void tracee_answer(int listener, uint64_t id, int err);
/*
 * At a syscall stop or the interrupt stop of a restart (registers `at`):
 * has the thread run syscall nr(args) from the same syscall instruction,
 * up to its exit stop. *ret is its return value. Returns 0 or -errno.
 */
int tracee_inject(pid_t tid, const struct user_regs_struct *at, long nr, const uint64_t args[6],
		  int64_t *ret);
/*
 * task/connectredirect.c: a Unix connect(2) made by the guest's own thread
 * (docs/security.md: the peer's SO_PEERCRED is the guest's pid, uid and
 * gid), to a host path or, through a directory fd handed over for the
 * call, to a name in the supervisor's private directory.
 */
struct connect_redirect {
	int listener;
	uint64_t id;
	pid_t tid;
	int sockfd;               /* the guest's fd (args[0]), checked at the stop */
	uint64_t addr;            /* the guest's address pointer (args[1]), checked at the stop */
	char path[108];           /* a host path the guest connects to, or the name in door */
	int door;                 /* -1, or a directory (taken) holding `path`, handed over for the call */
	char door_path[PATH_MAX]; /* the door's name, removed with `path` in it when done */
};
/*
 * Hands the connect to a helper thread: from now on the notification is
 * the helper's. r->door is taken either way. Returns 0, or -errno with the
 * notification still the caller's (-EBUSY: a debugger traces the thread).
 */
int guest_connect_redirect(const struct connect_redirect *r);
/*
 * The connect a redirect made the thread run traps: hands the door over
 * and lets the host run it. Returns 0 (continue), -errno, or 1: no such call.
 */
int guest_connect_trapped(int listener, uint64_t id, pid_t tid, int nr, uint64_t addr);
/*
 * Whether thread tid is blocked in syscall nr right now (/proc/TID/syscall),
 * waiting for the answer to notification id of listener.
 */
bool thread_waits_in(int listener, uint64_t id, pid_t tid, long nr);
/*
 * A small /proc file (path relative to dirfd, or absolute with AT_FDCWD)
 * into buf, NUL-terminated. Returns its length, or -ESRCH when it cannot be
 * read (the task is gone).
 */
int proc_read(int dirfd, const char *path, char *buf, size_t len);
/* 0 while the notification's thread still waits in the syscall, -ENOENT once it does not. */
int notif_id_valid(int listener, uint64_t id);

/* task/features.c: returns 0, or -ENOSYS with *what naming the missing feature. */
int features_probe(struct sandbox *sb, unsigned int force, const char **what);
/* The listener's features (SECCOMP_ADDFD_FLAG_SEND, SYNC_WAKE_UP), before any notification is served. */
int features_probe_listener(struct sandbox *sb, unsigned int force, const char **what);
/* `ukcov run -v`: which path each feature takes, on stderr. */
void features_report(const struct sandbox *sb);

/* task/tasks.c */
/* Without PIDFD_THREAD, tracked threads are checked for exit this often while the guest runs. */
#define TASK_SWEEP_MS 50
/* Without PIDFD_THREAD, how long the notification loop may block before a due sweep; -1: no limit. */
int task_sweep_timeout(struct sandbox *sb);
/*
 * Duplicates guest fd `fd` of the thread behind handle h (sys_pidfd()) into
 * the supervisor, to look at (fstat): -EBADF when it is not open.
 */
int thread_getfd(struct sandbox *sb, int h, int fd);
/*
 * stat(2) of guest fd `fd`'s file, without opening anything of the
 * supervisor's when it must go through /proc/TID/fd (a close of a reference
 * we opened to a tmpfs file's data memfd would look like a guest's close of
 * a description to its inotify watch). Returns 0, -EBADF when not open.
 */
int thread_fdstat(struct sandbox *sb, int h, int fd, struct stat *st);
/*
 * The open file itself behind fd (not an O_PATH reference: a socket to bind
 * or connect), for a thread of process tgid held by h. Returns it or -errno.
 */
int thread_getfd_file(struct sandbox *sb, int h, pid_t tgid, int fd);
struct ktask *task_find(struct sandbox *sb, pid_t tid);
/*
 * Makes a scratch task permanent (it enabled a kcov), with the credentials
 * t->cred cached at t->cred_epoch (or NULL), which it takes over from t.
 * Returns 0 or -errno.
 */
int task_track(struct sandbox *sb, struct ktask *t, int pidfd);
/*
 * A handle (a pidfd, or before 6.9 a /proc/TID fd) for thread `tid`, which
 * notification `id` is from: cached (one check proves it is still that
 * thread) or opened and checked against TID reuse. Borrowed: the cache keeps
 * it. Returns it or -errno.
 */
int pidcache_get(struct sandbox *sb, pid_t tid, uint64_t id);
/*
 * The cached pidfd of tid, handed over to the caller (-1 when none), and
 * with it the credentials cached for it (*cred, valid at *epoch; NULL when
 * none), so that a thread that becomes a tracked task does not read them
 * again: a kcov client would see that read in its first call's coverage.
 */
int pidcache_take(struct sandbox *sb, pid_t tid, struct guest_cred **cred, uint64_t *epoch);
/* The cache slot of tid after pidcache_get() succeeded for it, else NULL. */
struct pidslot *pidcache_slot(struct sandbox *sb, pid_t tid);
void pidcache_init(struct sandbox *sb);
/* Releases tracked threads that exited. */
void task_reap_exited(struct sandbox *sb);
/*
 * task/remote.c: the common kcov handle (KCOV_REMOTE_ENABLE) the calling
 * process inherits, 0 for none: its thread's own, else that of the nearest
 * ancestor process with a thread holding one.
 */
uint64_t remote_handle_of(struct sys_call *c);
/* The calling thread's KCOV_REMOTE_ENABLE succeeded: processes it creates from now on inherit. */
void remote_enabled(struct sys_call *c);
/* Start time of a process or thread in clock ticks since boot (/proc/PID/stat), or 0. */
uint64_t task_start_ticks(pid_t pid);
/*
 * A tracked thread calls execve: if it is not its process's leader, note the
 * TID it takes if the exec succeeds (de_thread() gives it the leader's).
 */
void task_exec_begin(struct sandbox *sb, struct ktask *t);
/* Tracked threads already in do_exit (Linux has disabled their kcov by then): wait for them and reap. Returns how many. */
int task_reap_exiting(struct sandbox *sb, const struct ktask *caller);

#endif
