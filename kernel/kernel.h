/* SPDX-License-Identifier: MIT */
/*
 * Types every layer of ukcov's user-space kernel shares: the sandbox, a
 * guest thread's kernel state (struct ktask), one trapped syscall (struct
 * sys_call) and the handlers' results. Each layer's interface is its
 * folder's main header, which says what the layer owns and may call.
 *
 * Layers, top to bottom (a folder each, as gVisor's Sentry splits them);
 * a layer calls only those below it:
 *   entry/     the way in: notification loop, seccomp filter, exit watch
 *              (entry/entry.h)
 *   syscalls/  the syscall table (data, syscalls.c) and the handlers, one
 *              file per family: decode arguments, resolve fds and paths,
 *              call the files (syscalls/sys.h, syscalls/pcall.h)
 *   fs/        the files the sandbox serves: the kcov device (kcovfs.c),
 *              tmpfs files as sandbox files (tmpfs_kfile.c), mount nodes
 *              backed by host objects: FIFOs, sockets, devices
 *              (host_nodes.c) (fs/fs.h)
 *   vfs/       the fd layer (fd.c), path lookup (namei.c), mounts, working
 *              directories (fsctx.c), credentials, the release of closed
 *              files (release.c) (vfs/vfs.h, vfs/file.h)
 *   task/      access to the guest's processes: thread handles, guest
 *              memory and fds, exec redirect, blocking calls, features
 *              (task/task.h, task/pending.h)
 *   fs/tmpfs/  the tmpfs core, a leaf: it knows nothing of the sandbox
 *   lib/       libukcov, through include/ukcov/ only
 * entry/, task/ and vfs/release.c are built without coverage
 * instrumentation (the machinery around the kernel); the rest with it,
 * but for KERNEL_NOCOV functions (below).
 */
#ifndef UKCOV_KERNEL_H
#define UKCOV_KERNEL_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ukcov/ukcov.h>

/*
 * A function built without coverage instrumentation: a cache lookup or a
 * hash chain's walk, whose path depends on what earlier calls left (a hit
 * or a miss, two host inode numbers in one bucket), not on the call. Its
 * blocks would make the same call's coverage differ from run to run, which
 * a fuzzer takes for a new path (AFL++'s "stability", docs/ukcov-fuzz.md);
 * Linux builds such code with KCOV_INSTRUMENT := n for the same reason.
 * (noinline: a copy inlined into an instrumented caller is instrumented.)
 */
#define KERNEL_NOCOV __attribute__((no_sanitize("coverage"), noinline))

struct kfile;
struct guest_cred;
struct mount;
struct fsctx;
struct credgen;
struct pending_set;
struct nodes;
struct exectext;

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
	unsigned int fail_nth;    /* its /proc/thread-self/fail-nth (vfs/failnth.c): 0, or armed */
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
	int fsctx_dir_fd;         /* the private directory of dead host cwds (fsctx.c), or -1 */
	char fsctx_dir[96];
	int self_fd_dir;          /* /proc/self/fd, opened once (a shorter walk per reopen), or <= 0 */
	int fd_exec;              /* the slot below it: where a program run from a mount is put (sys_exec.c) */
	/* Programs run from mounts, one record per exec'ing thread (sys_exec.c), bounded. */
	struct exec_copy {
		pid_t tid;            /* the thread that execs it, 0: free */
		int memfd;            /* its sealed copy, until installed in the guest (then -1) */
		dev_t copy_dev;       /* the copy's identity, to know it again at the slot */
		ino_t copy_ino;
		int slot;             /* the guest fd its execveat names */
		uint64_t nul;         /* the "" its execveat names (the end of the guest's path) */
		dev_t dev;            /* the file copied, as it was then (a retry reuses the copy) */
		ino_t ino;
		int64_t ctime_ns;
		unsigned int depth;   /* scripts whose interpreter is a script (Linux stops at 5) */
		uint64_t interp_hash; /* a script's: its interpreter's path, to count the nesting */
		uint64_t used;        /* when last used, for eviction */
	} exec_copies[16];
	uint64_t exec_clock;
	int reap_epfd;            /* epoll over the pidfds of tracked tasks */
	struct exitwatch *exitwatch; /* readiness of reap_epfd without a syscall (exitwatch.c), or NULL */
	unsigned int ntasks;
	unsigned int nexecs;          /* tracked tasks with exec_tgid set */
	struct ktask *tasks[KTASK_BUCKETS];
	struct kfile *files[KFILE_BUCKETS];
	bool verbose;
	bool no_sync_wakeup;
	bool fault_injection;     /* --fault-injection: fail-nth is served (vfs/failnth.c) */
	/* Host kernel features (entry/features.c), probed before the guest starts. */
	struct {
		bool pidfd_thread;        /* PIDFD_THREAD pidfds (6.9); else /proc/TID handles */
		bool sync_wakeup;         /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (6.6) is on */
		unsigned int forced;      /* SANDBOX_FALLBACK_* bits turned off by request */
	} feat;
	uint64_t sweep_at;        /* without PIDFD_THREAD: when tracked threads are next checked (ms) */
	/* The VFS (vfs.h): mounts in the guest's view, per-process cwds, open-file reaping. */
	struct mount **mounts;    /* innermost last among those of one path */
	int nmounts;
	unsigned int mount_ids;   /* the next struct mount's id */
	/*
	 * While a walk that crossed into a mount on a directory goes on
	 * (pcall_exit()): that directory (never dereferenced), so that
	 * mount_find() enters the mount on it, as traverse_mounts() does,
	 * even where a newer mount above hides it from a walk from the root.
	 */
	const void *mount_hint;
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
	/*
	 * Some guest process may have a finite RLIMIT_FSIZE (the guest started
	 * with one, or set one): credentials then carry it (vfs/cred.c).
	 */
	bool fsize_limited;
	/* Bumped by every syscall that may change some thread's credentials, umask or RLIMIT_FSIZE. */
	uint64_t cred_epoch;
	unsigned int nkcov;       /* live kcov instances, and the count that triggers their GC */
	unsigned int kcov_gc_at;
	dev_t memfd_dev;          /* st_dev of memfds: of kcov areas and placeholders */
	/* The supervisor's user namespace (vfs/cred.c): a guest's capabilities count only there. */
	dev_t userns_dev;
	ino_t userns_ino;         /* 0 until first read */
	struct credgen *credgen[KTASK_BUCKETS];
	uint64_t credgen_last;
	unsigned int ncredgen, credgen_gc_at; /* records, and the count that triggers their collection */
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
	struct exectext *exectexts;   /* programs running from mount files (vfs/exectext.c) */
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
	bool track;               /* the thread must be known after this call (a fail-nth of its own) */
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
		/*
		 * Called once the install is done (@full: the guest's table was
		 * full, EMFILE), before the answer: an open that created its
		 * file removes it again, as Linux takes the fd before it
		 * creates. NULL: nothing to undo.
		 */
		void (*done)(void *ctx, bool full);
		void *done_ctx;
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

/*
 * A new open file of the guest's: the supervisor's fd (closed after the
 * ADDFD) goes to the lowest free guest fd, as open(2) gives, close-on-exec
 * as the open's flags say. Returns SYS_INSTALL.
 */
static inline int64_t sys_install_opened(struct sys_call *c, int fd, int flags)
{
	c->install.srcfd = fd;
	c->install.target = -1;
	c->install.flags = flags & O_CLOEXEC;
	c->close_install_src = true;
	return SYS_INSTALL;
}

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


#endif
