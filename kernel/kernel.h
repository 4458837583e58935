/* SPDX-License-Identifier: MIT */
/*
 * Internal interfaces of ukcov's user-space kernel.
 *
 * Layers, top to bottom (a folder each, as gVisor's Sentry splits them):
 *   entry/     notification loop, guest launch, seccomp filter, guest memory,
 *              task table, exec redirect, remote sections: the uninstrumented
 *              machinery (Linux's entry code)
 *   syscalls/  the syscall table (data, syscalls.c) and the handlers, one file
 *              per family (sys_open.c, sys_rw.c, sys_path.c...): decode
 *              arguments, resolve fds and paths, call the files
 *   vfs/       the VFS: the fd layer (fd.c), path lookup (namei.c), mounts,
 *              the working directory (fsctx.c), the caller's credentials
 *   fs/        the files: kcovfs (the kcov device), tmpfs files, the tmpfs
 * The headers here (kernel.h, sys.h, vfs.h, file.h) are the interfaces
 * between them.
 * Everything but entry/ is compiled with coverage instrumentation.
 */
#ifndef UKCOV_KERNEL_H
#define UKCOV_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ukcov/ukcov.h>

struct kfile;
struct guest_cred;
struct mount;
struct fsctx;
struct credgen;
struct pending_set;
struct nodes;

/* A guest thread the kernel keeps state for (it has a kcov enabled). */
struct ktask {
	pid_t tid;
	int pidfd;                /* its thread handle (entry/tasks.c): a PIDFD_THREAD pidfd, or
				     before Linux 6.9 a /proc/TID directory fd */
	struct guest_cred *cred;  /* cached credentials (cred.c), valid at cred_epoch */
	uint64_t cred_epoch;
	struct ukcov_task *cov;
	pid_t exec_tgid;          /* a non-leader thread's execve in flight: the TID it will take */
	uint8_t exec_mark[16];    /* the process's AT_RANDOM bytes then: a new exec has others (tasks.c) */
	bool gone;                /* its pidfd polled readable (PIDFD_THREAD): the thread exited */
	struct ktask *next;       /* hash chain */
};

#define KTASK_BUCKETS 256
#define KFILE_BUCKETS 256

struct sandbox {
	int listener;             /* seccomp user-notification fd */
	int exec_sock;            /* the launcher's socket: the child's exec errno, if it failed */
	pid_t child;              /* the guest's first process */
	int fd_base, fd_end;      /* the fd window the sandbox owns in guests */
	int fd_cwd;               /* its last slot: the process's cwd record while mounts exist (fsctx.c) */
	int fsctx_host_fd;        /* the record "the cwd is the host's", or -1 until needed */
	int self_fd_dir;          /* /proc/self/fd, opened once (a shorter walk per reopen), or <= 0 */
	pid_t exec_redirect_failed; /* a thread whose execve from a mount could not be redirected */
	int reap_epfd;            /* epoll over the pidfds of tracked tasks */
	struct exitwatch *exitwatch; /* readiness of reap_epfd without a syscall (exitwatch.c), or NULL */
	unsigned int ntasks;
	unsigned int nexecs;          /* tracked tasks with exec_tgid set */
	struct ktask *tasks[KTASK_BUCKETS];
	struct kfile *files[KFILE_BUCKETS];
	bool verbose;
	bool no_sync_wakeup;
	/* Host kernel features (entry/features.c), probed before the guest starts. */
	struct {
		bool pidfd_thread;        /* PIDFD_THREAD pidfds (6.9); else /proc/TID handles */
		bool sync_wakeup;         /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (6.6) is on */
		unsigned int forced;      /* SANDBOX_FALLBACK_* bits turned off by request */
	} feat;
	uint64_t sweep_at;        /* without PIDFD_THREAD: when tracked threads are next checked (ms) */
	/* The VFS (vfs.h): mounts in the guest's view, per-process cwds, open-file reaping. */
	struct mount *mounts;
	int nmounts;
	int inotify_fd;           /* IN_IGNORED on a placeholder: the guest closed the file */
	/*
	 * Handles of recently served threads (entry/tasks.c: pidfds, or
	 * /proc/TID fds before 6.9), by TID, with their cached credentials.
	 */
	struct pidslot {
		pid_t tid;
		int pidfd;
		struct guest_cred *cred;
		uint64_t cred_epoch;
		bool gone;        /* with an exit watch: its pidfd woke in the reap set */
	} pidcache[64];
	/* Bumped by every syscall that may change some thread's credentials or umask. */
	uint64_t cred_epoch;
	unsigned int nkcov;       /* live kcov instances, and the count that triggers their GC */
	unsigned int kcov_gc_at;
	dev_t memfd_dev;          /* st_dev of memfds: of kcov areas and placeholders */
	struct credgen *credgen[KTASK_BUCKETS];
	uint64_t credgen_last;
	unsigned int nwatches;
	/*
	 * Watches left on the data memfds of files released by an exact count
	 * (entry/files.c: files_linger()): the memfd's death, or a later open
	 * of the file (which gets the same wd back), ends each.
	 */
	int linger[256];
	unsigned int nlinger, linger_next;
	bool unlinked;                /* a name was removed since files_reap_closed() last ran */
	unsigned int stale_closes;    /* closes that left a named file's descriptions counted, since its last walk */
	/* When each thread last did KCOV_REMOTE_ENABLE, in clock ticks since boot (entry/remote.c). */
	struct remote_since {
		pid_t tid;
		uint64_t ticks;
	} remote_since[16];
	unsigned int remote_since_next;
	struct pending_set *pending;  /* blocking calls answered later (pending.h) */
	struct nodes *nodes;          /* fifos, sockets, device nodes of mounts (fs/nodes.c) */
};

/* One trapped syscall, as the handlers see it. */
struct sys_call {
	struct sandbox *sb;
	uint64_t id;              /* notification id */
	pid_t tid;
	int nr;
	uint64_t args[6];
	struct ktask *task;       /* the thread's kernel state (may be a scratch one) */
	int pidfd;                /* borrowed by sys_pidfd() from the pidfd cache, -1 until then */
	const char *name;         /* set by syscall_dispatch(), for logs */
	const struct guest_cred *cred; /* read lazily by sys_cred() */
	const struct fsctx *fsctx;     /* read lazily by fsctx_get(), when fsctx_known */
	bool fsctx_known;
	bool cred_owned;          /* c->cred is this call's alone (not cached): freed after it */
	bool close_install_src;   /* SYS_INSTALL: the supervisor's copy of srcfd goes after the ADDFD */
	/*
	 * The description fd_get() loaded for a host_desc file (the
	 * supervisor's copy of it, its flags and offset at load), written
	 * back by kfile_desc_put() when the call ends. NULL: none.
	 */
	struct {
		struct kfile *file;
		int fd;
		int flags;
		int64_t pos;
	} desc;
	/* For SYS_INSTALL: an fd to install into the guest as the result. */
	struct {
		int srcfd;
		int target;
		unsigned int flags;
	} install;
};

/*
 * Handler results besides a value or -errno (-4095..-1). Any 64-bit value can
 * be a syscall's result (lseek(SEEK_HOLE) on tmpfs can overflow to INT64_MIN),
 * so these are odd numbers no file offset or count can be.
 */
#define SYS_CONTINUE (INT64_MIN + 1)    /* let the host kernel run the syscall */
#define SYS_INSTALL (INT64_MIN + 3)     /* result is c->install */
#define SYS_IS_ERRNO(r) ((r) < 0 && (r) >= -4095)

typedef int64_t sys_handler(struct sys_call *c);

/* How the seccomp filter selects a syscall for the supervisor. */
enum sys_trap {
	TRAP_ALWAYS,     /* path-based: every call */
	TRAP_FD0,        /* arg0 is an fd: calls on the sandbox's window or on invalid fds */
	TRAP_IOCTL,      /* TRAP_FD0, plus kcov commands on any fd (a kcov fd may be moved) */
	TRAP_MMAP_FILE,  /* file-backed mmap (a kcov fd may be moved out of the window) */
	TRAP_VFS,        /* every call, only while a file system is mounted (paths, credentials) */
	TRAP_FD_WINDOW,  /* TRAP_FD0 even while a file system is mounted: the host's answer is
			    right for every fd outside the window (close: a trapped call can fail
			    with EINTR, which Linux's close never does; a closed placeholder's
			    release comes from inotify) */
	TRAP_VFS_ARG4,   /* as TRAP_VFS, when arg4 is not 0 (sendto with an address: send() stays native) */
};

enum sys_support {
	SUPPORTED,       /* served by the sandbox for its files */
	PARTIAL,         /* served, with the deviation in the note */
	PASSTHROUGH,     /* inspected, then run by the host kernel */
	UNSUPPORTED,     /* refused on sandbox files and mount paths, with the note's errno */
};

struct syscall_entry {
	int nr;
	const char *name;
	sys_handler *handler;
	enum sys_trap trap;
	enum sys_support support;
	const char *note;
};

extern const struct syscall_entry syscall_table[];
extern const unsigned int syscall_table_len;
const struct syscall_entry *syscall_lookup(int nr);
int64_t syscall_dispatch(struct sys_call *c);

/* entry/guestmem.c: guest memory. Guest pointers are untrusted; every copy is bounded. */
int guest_read(pid_t tid, void *dst, uint64_t addr, size_t len);
int guest_write(pid_t tid, uint64_t addr, const void *src, size_t len);
/* Copies a NUL-terminated string of at most max-1 bytes. Returns its length, -EFAULT or -ENAMETOOLONG. */
long guest_read_str(pid_t tid, char *dst, uint64_t addr, size_t max);
/*
 * Installs the supervisor's srcfd as fd number `target` of notification id's
 * process (as dup2 would; not close-on-exec) without answering the
 * notification. Returns 0, or -errno (-ENOENT: the thread no longer waits).
 */
int guest_install_fd(int listener, uint64_t id, int srcfd, int target);
/* The same at the lowest free number, with newfd_flags (O_CLOEXEC). Returns the fd or -errno. */
int guest_install_fd_any(int listener, uint64_t id, int srcfd, unsigned int newfd_flags);
/*
 * entry/execredirect.c: makes thread tid, waiting in execve(2) for our
 * answer, run execve(path, <its argv>, <its envp>) instead (ptrace; the
 * notification is withdrawn and the syscall restarts). Returns 0, or -errno
 * with the thread untouched.
 */
int guest_execve_redirect(pid_t tid, const char *path);
/*
 * A small /proc file (path relative to dirfd, or absolute with AT_FDCWD)
 * into buf, NUL-terminated. Returns its length, or -ESRCH when it cannot be
 * read (the task is gone).
 */
int proc_read(int dirfd, const char *path, char *buf, size_t len);
/* 0 while the notification's thread still waits in the syscall, -ENOENT once it does not. */
int notif_id_valid(int listener, uint64_t id);

/* entry/filter.c */
struct sock_fprog;
/*
 * With `all_fds` (some file system is mounted), fd syscalls trap on every fd
 * (its files may be dup2'd to any number, stdout included), but TRAP_FD_WINDOW
 * ones only on the window and invalid fds, and TRAP_VFS
 * syscalls trap; otherwise TRAP_VFS syscalls are not trapped at all.
 */
int filter_build(int fd_base, bool all_fds, struct sock_fprog *out);

/* entry/features.c: returns 0, or -ENOSYS with *what naming the missing feature. */
int features_probe(struct sandbox *sb, unsigned int force, const char **what);
/* The listener's features (SECCOMP_ADDFD_FLAG_SEND, SYNC_WAKE_UP), before any notification is served. */
int features_probe_listener(struct sandbox *sb, unsigned int force, const char **what);
/* `ukcov run -v`: which path each feature takes, on stderr. */
void features_report(const struct sandbox *sb);

/* entry/tasks.c */
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
/* Makes a scratch task permanent (it enabled a kcov). Returns 0 or -errno. */
int task_track(struct sandbox *sb, struct ktask *t, int pidfd);
/*
 * A handle (a pidfd, or before 6.9 a /proc/TID fd) for thread `tid`, which
 * notification `id` is from: cached (one check proves it is still that
 * thread) or opened and checked against TID reuse. Borrowed: the cache keeps
 * it. Returns it or -errno.
 */
int pidcache_get(struct sandbox *sb, pid_t tid, uint64_t id);
/* The cached pidfd of tid, handed over to the caller (-1 when none). */
int pidcache_take(struct sandbox *sb, pid_t tid);
/* The cache slot of tid after pidcache_get() succeeded for it, else NULL. */
struct pidslot *pidcache_slot(struct sandbox *sb, pid_t tid);
void pidcache_init(struct sandbox *sb);
/* Releases tracked threads that exited. */
void task_reap_exited(struct sandbox *sb);
/*
 * entry/exitwatch.c: an io_uring poll on a few fds (the tracked threads'
 * epoll set, the inotify fd of open files), NULL when io_uring is not
 * available. exitwatch_take(w, i): whether fd i may have become readable
 * since the last take of i (always true for NULL); no syscall while
 * nothing happened.
 */
#define EXITWATCH_MAX 4
enum { EXITWATCH_TASKS, EXITWATCH_FILES };
struct exitwatch *exitwatch_new(const int *targets, unsigned n);
bool exitwatch_take(struct exitwatch *w, unsigned i);
/*
 * entry/remote.c: the common kcov handle (KCOV_REMOTE_ENABLE) the calling
 * process inherits, 0 for none: its thread's own, else that of the nearest
 * ancestor process with a thread holding one.
 */
uint64_t remote_handle_of(struct sys_call *c);
/* The calling thread's KCOV_REMOTE_ENABLE succeeded: processes it creates from now on inherit. */
void remote_enabled(struct sys_call *c);
/*
 * A tracked thread calls execve: if it is not its process's leader, note the
 * TID it takes if the exec succeeds (de_thread() gives it the leader's).
 */
void task_exec_begin(struct sandbox *sb, struct ktask *t);
/* Tracked threads already in do_exit (Linux has disabled their kcov by then): wait for them and reap. Returns how many. */
int task_reap_exiting(struct sandbox *sb, const struct ktask *caller);

/* sys_call helpers (fd.c) */
int sys_pidfd(struct sys_call *c);

#endif
