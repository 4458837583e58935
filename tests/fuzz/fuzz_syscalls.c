// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness over ukcov's syscall layer: syscall_dispatch() and every
 * handler, file and file system below it, in one process.
 *
 * An input is a small header (the mount's size, the kcov GC threshold) and
 * then a sequence of operations, each a syscall with its arguments made by
 * one simulated task: kcov opens, ioctls, mmaps, closes; tmpfs opens, reads,
 * writes, renames, links, getdents, truncates, chmods, mkdirs, unlinks,
 * symlinks on a small name space under the mount /fuzz; dup, clone and exit
 * of tasks; any syscall of the table with any arguments. Arguments point
 * into a guest arena followed by a PROT_NONE page, or nowhere; the next
 * call's guest reads may fail or see the guest change its bytes.
 *
 * The process is its own guest. Tasks are threads (real TIDs: guest_read()
 * is process_vm_readv() on them, pidfd_getfd() reads their fd table, which
 * is ours; pidfds poll readable when they exit). Deviation: tasks share one
 * fd table, as CLONE_FILES threads do; fork's private table is not modelled.
 * The supervisor is the fuzzer's thread, serving through entry_shim.c. The
 * handler's answer is then carried out as the seccomp response would be:
 *   SYS_INSTALL   the fd is installed in our own table (ADDFD's dup2 or
 *                 lowest free fd) and becomes a guest fd;
 *   SYS_CONTINUE  close, dup*, F_DUPFD on guest fds, mmap of a kcov fd and
 *                 setfsuid/setfsgid (run by the task's thread) are run, as
 *                 they change state the sandbox must follow; anything else
 *                 is skipped: it would act on the harness itself (its
 *                 memory, its files), and the host's answer is not under
 *                 test.
 * A walk that leaves the mount makes the supervisor act on host paths as
 * root (cred_host_enter()): LLVMFuzzerInitialize() moves the process into
 * a private mount namespace and chroots it into an empty tmpfs first (with
 * /proc, /usr read-only, and the corpus and artifact paths bound in).
 *
 * After each input every task exits and every guest fd is closed, and then:
 * no task is left, no open file is left but kcov instances nobody enabled,
 * the tmpfs holds exactly the inodes and pages its name space reaches, with
 * the references and links that name space implies; and every kcov area
 * mapping kept zero bytes past the area and only valid PCs. Then
 * everything is freed, so LeakSanitizer (-detect_leaks) sees what leaked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <poll.h>

#include "../../kernel/fs/fs.h"
#include "../../kernel/task/pending.h"
#include "../../kernel/sandbox.h"
#include "../../kernel/syscalls/sys.h"
#include "../../kernel/vfs/vfs.h"
#include "../../kernel/fs/tmpfs/tmpfs_int.h"
#include "fuzz.h"

#define PAGE 4096
#define ARENA_SIZE (64 * 1024)
#define MAX_FDS 4096
#define MAX_TASKS 6
#define MAX_MAPS 16
#define MAX_OPS 48

#define FAIL(...) do { fprintf(stderr, "ukcov-fuzz INVARIANT: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

/* ---- input ---------------------------------------------------------- */

struct in {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct in *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}
#define U8(in) ((uint8_t)take(in, 1))
#define U16(in) ((uint16_t)take(in, 2))
#define U32(in) ((uint32_t)take(in, 4))
#define U64(in) take(in, 8)

/* ---- the guest: memory, fds, tasks ------------------------------------ */

static struct sandbox sb;
static char *arena;           /* ARENA_SIZE bytes, then a PROT_NONE page */
static size_t arena_top;      /* bump allocator for one call's arguments */
static uint64_t guest_fds[MAX_FDS / 64];
static int g_inotify = -1, g_epfd = -1;

static bool guest_fd(int fd)
{
	return fd >= 0 && fd < MAX_FDS && (guest_fds[fd / 64] >> (fd % 64)) & 1;
}

static void guest_fd_set(int fd, bool on)
{
	if (fd < 0 || fd >= MAX_FDS) {
		/* We would lose track of it: close it as the guest would never see it. */
		if (on && fd >= 0)
			close(fd);
		return;
	}
	if (on)
		guest_fds[fd / 64] |= 1ull << (fd % 64);
	else
		guest_fds[fd / 64] &= ~(1ull << (fd % 64));
}

void fuzz_guest_fd_installed(int fd)
{
	guest_fd_set(fd, true);
}

static bool fd_free(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

/* The nth guest fd (wrapping), or -1 when the guest has none. */
static int nth_guest_fd(unsigned int n)
{
	unsigned int count = 0;

	for (int w = 0; w < MAX_FDS / 64; w++)
		count += (unsigned int)__builtin_popcountll(guest_fds[w]);
	if (!count)
		return -1;
	n %= count;
	for (int fd = 0; fd < MAX_FDS; fd++)
		if (guest_fd(fd) && n-- == 0)
			return fd;
	return -1;
}

/*
 * A guest thread. Threads are costly to create and join next to a syscall:
 * one that ends an input untracked and with its credentials untouched is
 * parked and handed out again by a later task_spawn() (a new thread to the
 * new input's sandbox, which has never seen it). An exit within an input is
 * a real exit.
 */
struct thread {
	pthread_t th;
	pid_t tid;
	sem_t go, done;
	int cmd;                  /* run by the thread: 0 exit, else a syscall number */
	long arg;
	bool creds_changed;
};

struct task {
	struct thread *th;
	pid_t tid;                /* kept after exit: a dead task's calls come from a dead TID */
	uint16_t gen;
	bool alive, started;
};
static struct task tasks[MAX_TASKS];
/* In the jail (the deputy oracle's fixture is made only there). */
static bool jailed;
static uint16_t task_gen;
static struct thread *parked[MAX_TASKS];
static int nparked;

static void *thread_main(void *arg)
{
	struct thread *th = arg;

	th->tid = gettid();
	sem_post(&th->done);
	for (;;) {
		sem_wait(&th->go);
		if (!th->cmd)
			return NULL;
		/* setfsuid/setfsgid: per-thread credentials, as the guest thread changes them. */
		syscall(th->cmd, th->arg);
		th->creds_changed = true;
		sem_post(&th->done);
	}
}

static struct thread *thread_new(void)
{
	struct thread *th;

	if (nparked)
		return parked[--nparked];
	th = calloc(1, sizeof(*th));
	if (!th)
		abort();
	sem_init(&th->go, 0, 0);
	sem_init(&th->done, 0, 0);
	if (pthread_create(&th->th, NULL, thread_main, th))
		abort();
	sem_wait(&th->done);
	return th;
}

static void thread_end(struct thread *th, bool park)
{
	if (park && !th->creds_changed && nparked < MAX_TASKS) {
		parked[nparked++] = th;
		return;
	}
	th->cmd = 0;
	sem_post(&th->go);
	pthread_join(th->th, NULL);
	sem_destroy(&th->go);
	sem_destroy(&th->done);
	free(th);
}

static struct task *task_spawn(void)
{
	for (int i = 0; i < MAX_TASKS; i++) {
		struct task *t = &tasks[i];

		if (t->alive)
			continue;
		t->th = thread_new();
		t->tid = t->th->tid;
		t->alive = t->started = true;
		t->gen = ++task_gen;
		return t;
	}
	return NULL;
}

/* Whether the sandbox keeps state for the thread (it must then really exit). */
static bool tracked(pid_t tid)
{
	for (struct ktask *k = sb.tasks[(unsigned int)tid % KTASK_BUCKETS]; k; k = k->next)
		if (k->tid == tid)
			return true;
	return false;
}

/* An exit within the input, or (park) the input's end. */
static void task_exit(struct task *t, bool park)
{
	if (!t->alive)
		return;
	thread_end(t->th, park && !tracked(t->tid));
	t->th = NULL;
	t->alive = false;
}

static void task_run(struct task *t, int nr, long arg)
{
	if (!t->alive)
		return;
	t->th->cmd = nr;
	t->th->arg = arg;
	sem_post(&t->th->go);
	sem_wait(&t->th->done);
}

/* A call answered later (SYS_PENDING) whose thread gave up waiting (a signal). */
static uint64_t abandoned_id;

bool fuzz_notif_alive(uint64_t id)
{
	unsigned int i = (unsigned int)(id >> 48);

	if (id == abandoned_id)
		return false;
	return i < MAX_TASKS && tasks[i].alive && tasks[i].gen == (uint16_t)(id >> 32);
}

/*
 * A blocking call (a FIFO open without its partner) went to a helper thread
 * (task/pending.c) to be answered later. Nothing else in this process would
 * ever come along, so its thread gives up, as one interrupted by a signal:
 * the loop's side sees the notification go invalid and interrupts the
 * helper; wait until it is gone.
 */
static void pending_abandon(uint64_t id)
{
	abandoned_id = id;
	for (int tries = 0; pending_any(&sb) && tries < 2000; tries++) {
		pending_flush_abandoned(&sb);
		pending_service(&sb);
		if (pending_any(&sb))
			usleep(500);
	}
	abandoned_id = 0;
	if (pending_any(&sb))
		FAIL("a pending call's helper did not return after its thread gave up");
}

static void on_kick(int sig)
{
	(void)sig;
}

/* Guest mappings of kcov areas, each followed by a PROT_NONE page. */
struct map {
	char *addr;
	size_t len, resv;
	uint64_t file_size;
	bool shared;
};
static struct map maps[MAX_MAPS];
static bool trace; /* UKCOV_FUZZ_TRACE=1: one line per call on stderr */

/* ---- argument generators ---------------------------------------------- */

static char *arena_alloc(size_t len)
{
	char *p;

	if (arena_top + len > ARENA_SIZE)
		arena_top = 0;
	p = arena + arena_top;
	arena_top += (len + 7) & ~(size_t)7;
	return p;
}

static uint64_t pick_ptr(struct in *in)
{
	uint8_t k = U8(in);

	switch (k % 8) {
	case 0: case 1: case 2:
		return (uint64_t)(uintptr_t)(arena + U16(in) % ARENA_SIZE);
	case 3: /* straddles the arena's end: a partial copy faults */
		return (uint64_t)(uintptr_t)(arena + ARENA_SIZE - U8(in) % 64);
	case 4:
		return U8(in);
	case 5:
		return (uint64_t)(uintptr_t)(arena + ARENA_SIZE + U8(in));
	case 6:
		return 0xffffffff81000000ull + U16(in);
	default: /* non-canonical or tiny: never the harness's own memory */
		return k & 0x80 ? 0x8000000000000000ull | U64(in) : U16(in);
	}
}

static uint64_t pick_len(struct in *in)
{
	uint8_t k = U8(in);

	switch (k % 6) {
	case 0: return U8(in);
	case 1: return U16(in) % (ARENA_SIZE + 1);
	case 2: return 0;
	case 3: return U64(in);
	case 4: return PAGE;
	default: return (uint64_t)(k >> 3) * 8;
	}
}

static const char *const names[] = {
	"/fuzz", "/fuzz/", "/fuzz/a", "/fuzz/b", "/fuzz/d", "/fuzz/d/", "/fuzz/d/a",
	"/fuzz/d/e", "/fuzz/d/e/f", "/fuzz/l", "/fuzz/d/../a", "/fuzz/..", "/fuzz/../fuzz/b",
	"a", "b", "d", "d/a", "d/e", "l", "l/a", ".", "..", "../..", "", "/",
	"/sys/kernel/debug/kcov", "/sys/kernel/debug//kcov", "/sys/kernel/debug/../debug/kcov",
	"/fuzz/a/", "/fuzz/x", "/h", "/h/x", "/proc/self/fd/3", "/fuzz/l/a", "/fuzz/m",
	"m", "x", "/fuzz/d/l", "d/e/f", "../fuzz/a", "/fuzz/./d/./e",
};

/* A path (or symlink target) in the arena: a name from the table, or bytes of the input. */
static uint64_t pick_path(struct in *in)
{
	uint8_t k = U8(in);
	const char *s;
	char raw[400];
	size_t len;
	char *p;

	if (k < 200) {
		s = names[k % (sizeof(names) / sizeof(names[0]))];
	} else if (k < 230) {
		len = U8(in) % 64;
		for (size_t i = 0; i < len; i++)
			raw[i] = (char)U8(in);
		raw[len] = '\0';
		s = raw;
	} else if (k < 240) {
		/* Long: a name past NAME_MAX, a symlink target past the short-symlink size. */
		len = 100 + (size_t)U8(in);
		memcpy(raw, "/fuzz/", 6);
		memset(raw + 6, 'n', len);
		raw[6 + len] = '\0';
		s = k & 1 ? raw : raw + 6;
	} else if (k < 250) {
		/* Unterminated up to the PROT_NONE page. */
		p = arena + ARENA_SIZE - 1 - U8(in) % 32;
		memset(p, 'z', (size_t)(arena + ARENA_SIZE - p));
		return (uint64_t)(uintptr_t)p;
	} else {
		return pick_ptr(in);
	}
	len = strlen(s);
	p = arena_alloc(len + 1);
	memcpy(p, s, len + 1);
	return (uint64_t)(uintptr_t)p;
}

static int64_t pick_fd(struct in *in)
{
	uint8_t k = U8(in);

	switch (k % 10) {
	case 0: case 1: case 2: case 3: case 4:
		return nth_guest_fd(k / 10);
	case 5: return AT_FDCWD;
	case 6: return sb.fd_cwd;
	case 7: return sb.fd_base + k / 10;
	case 8: return -1 - (k >> 4);
	default: return (int)U16(in);
	}
}

static const int open_bits[] = {
	O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW,
	O_PATH, O_TMPFILE, O_CLOEXEC, O_NONBLOCK, O_NOATIME, O_SYNC, O_DIRECT, 3,
};

static uint64_t pick_open_flags(struct in *in)
{
	uint16_t m = U16(in);
	uint64_t f = 0;

	for (unsigned int i = 0; i < 16; i++)
		if (m & (1u << i))
			f |= (uint64_t)open_bits[i];
	return f;
}

static uint64_t pick_mode(struct in *in)
{
	uint8_t k = U8(in);

	return k < 200 ? (k & 1 ? 0644 : 0755) ^ (uint64_t)(k >> 1) : U32(in);
}

static const uint64_t kcov_cmds[] = {
	KCOV_INIT_TRACE, KCOV_ENABLE, KCOV_DISABLE, KCOV_REMOTE_ENABLE, _IO('c', 101) /* UNIQUE_ENABLE */,
	_IO('c', 104) /* RESET_TRACE */, FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, _IOR('c', 1, unsigned int),
	TCGETS, 0,
};

static uint64_t pick_kcov_arg(struct in *in, uint64_t cmd)
{
	uint8_t k = U8(in);

	if (k < 128 && cmd == KCOV_INIT_TRACE) {
		static const uint64_t sizes[] = { 0, 1, 2, 3, 64, 511, 512, 513, 1024, 4096, 1 << 16, 1ul << 29, 1ul << 31 };
		return sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];
	}
	if (k < 128 && cmd == KCOV_ENABLE)
		return k % 3;  /* KCOV_TRACE_PC, KCOV_TRACE_CMP, 2 */
	if (k < 128 && cmd == KCOV_REMOTE_ENABLE) {
		/* A struct kcov_remote_arg in the arena: plausible modes, sizes, handles (few, so they collide). */
		unsigned int n = U8(in) % 5;
		struct kcov_remote_arg *r = (struct kcov_remote_arg *)arena_alloc(sizeof(*r) + 8 * n);
		uint8_t v = U8(in);

		r->trace_mode = v % 4 == 0 ? U32(in) : v % 4;  /* 1: KCOV_TRACE_CMP, 0: TRACE_PC */
		r->area_size = v & 0x10 ? U32(in) : 1u << (U8(in) % 12);
		r->num_handles = v & 0x20 ? U32(in) : n;
		r->common_handle = v & 0x40 ? U64(in) : (uint64_t)(U8(in) % 3);
		for (unsigned int i = 0; i < n; i++)
			r->handles[i] = (v & 0x80 ? 0x0100000000000000ull : 0) | U8(in) % 3;
		return (uint64_t)(uintptr_t)r;
	}
	if (k < 160)
		return k & 1;
	return k < 200 ? pick_ptr(in) : U64(in);
}

/* ---- calls -------------------------------------------------------------- */

static int map_kcov(struct sys_call *c)
{
	int fd = (int)c->args[4];
	uint64_t len = c->args[1];
	struct map *m = NULL;
	struct kfile *f;
	struct stat st;
	size_t resv;
	void *base, *a;

	if (!guest_fd(fd) || fstat(fd, &st) || !(f = kfile_find(&sb, st.st_dev, st.st_ino)) ||
	    strcmp(f->ops->name, "kcov") || len == 0 || len > (64u << 20))
		return -1;
	for (int i = 0; i < MAX_MAPS && !m; i++)
		if (!maps[i].addr)
			m = &maps[i];
	if (!m)
		return -1;
	len = (len + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	resv = len + PAGE;
	base = mmap(NULL, resv, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -1;
	a = mmap(base, len, (int)c->args[2] & (PROT_READ | PROT_WRITE),
		 ((int)c->args[3] & MAP_TYPE) | MAP_FIXED, fd, (off_t)c->args[5]);
	if (a == MAP_FAILED) {
		munmap(base, resv);
		return -1;
	}
	*m = (struct map){ a, len, resv, (uint64_t)st.st_size,
			   ((int)c->args[3] & MAP_TYPE) == MAP_SHARED && ((int)c->args[2] & PROT_READ) };
	return 0;
}

/* The area as the guest sees it: nothing past its end, only PCs of blocks. */
static void check_map(const struct map *m)
{
	const uint64_t *w = (const uint64_t *)m->addr;
	uint64_t words = m->file_size / 8;

	size_t end = (m->file_size + PAGE - 1) & ~(size_t)(PAGE - 1);

	/* Pages past the file's end would fault (SIGBUS): only a host mapping of an fd the sandbox refused has them. */
	if (!m->addr || !m->shared || !m->file_size)
		return;
	if (m->file_size > m->len)
		FAIL("area of %llu bytes in a mapping of %zu", (unsigned long long)m->file_size, m->len);
	if (end > m->len)
		end = m->len;
	for (size_t i = m->file_size; i < end; i++)
		if (m->addr[i])
			FAIL("byte %zu written past the kcov area's %llu bytes", i, (unsigned long long)m->file_size);
	for (uint64_t i = 1; i < words; i++) {
		struct ukcov_block b;

		if (w[i] && ukcov_block_lookup(w[i], &b))
			FAIL("area word %llu holds %#llx, no block's PC", (unsigned long long)i, (unsigned long long)w[i]);
	}
	if (trace && words > 1)
		fprintf(stderr, "  area %p: count %llu\n", (void *)m->addr, (unsigned long long)w[0]);
	if (words > 1)
		fuzz_blocks_note(w + 1, w[0] < words ? w[0] : words - 1);
}

static void unmap(struct map *m)
{
	check_map(m);
	munmap(m->addr, m->resv);
	memset(m, 0, sizeof(*m));
}

/* The seccomp response, as far as it changes what the guest holds. Returns an installed fd, or -1. */
static int respond(struct task *t, struct sys_call *c, int64_t ret)
{
	int fd, old = (int)c->args[0], new = (int)c->args[1];

	if (ret == SYS_INSTALL) {
		int src = c->install.srcfd, target = c->install.target, err = 0;
		bool cloexec = c->install.flags & O_CLOEXEC;

		if (!fuzz_notif_alive(c->id)) {
			fd = -1;
		} else if (target >= 0) {
			/* fd_alloc_window() found the slot free in the guest's table, which is ours. */
			if (!fd_free(target) && !guest_fd(target))
				FAIL("SYS_INSTALL onto fd %d, which the guest does not own and is not free", target);
			fd = dup3(src, target, cloexec ? O_CLOEXEC : 0);
		} else {
			fd = fcntl(src, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
		}
		if (fd >= 0)
			guest_fd_set(fd, true);
		else
			err = errno;
		if (c->close_install_src)
			close(src);
		/* the supervisor's install(): an open's file goes again when the table was full */
		if (c->install.done)
			c->install.done(c->install.done_ctx, err == EMFILE);
		return fd;
	}
	/* respond(): an install that will not happen */
	if (c->install.done)
		c->install.done(c->install.done_ctx, ret < 0 && ret >= -4095);
	if (ret != SYS_CONTINUE)
		return -1;
	switch (c->nr) {
	case SYS_close:
		if (guest_fd(old)) {
			close(old);
			guest_fd_set(old, false);
		}
		break;
	case SYS_dup:
		if (guest_fd(old))
			guest_fd_set(dup(old), true);
		break;
	case SYS_dup2:
	case SYS_dup3:
		if (guest_fd(old) && new != old && new >= 0 && new < MAX_FDS && (guest_fd(new) || fd_free(new)))
			guest_fd_set(dup3(old, new, c->nr == SYS_dup3 ? (int)c->args[2] & O_CLOEXEC : 0), true);
		break;
	case SYS_fcntl:
		if (guest_fd(old) && (c->args[1] == F_DUPFD || c->args[1] == F_DUPFD_CLOEXEC))
			guest_fd_set(fcntl(old, (int)c->args[1], (int)(c->args[2] % MAX_FDS)), true);
		break;
	case SYS_mmap:
		map_kcov(c);
		break;
	case SYS_setfsuid:
	case SYS_setfsgid:
		task_run(t, c->nr, (long)c->args[0]);
		break;
	default:
		break;
	}
	return -1;
}

static uint32_t call_seq;

/*
 * A device number the harness may open and write as root: the memory
 * devices, and numbers with no driver (ENXIO). Never a disk.
 */
static uint64_t safe_dev(uint64_t mode, uint64_t dev)
{
	static const struct { unsigned int major, minor; } chr[] = {
		{ 1, 3 }, { 1, 5 }, { 1, 7 }, { 1, 9 }, { 1, 200 },
	};

	if ((mode & S_IFMT) == S_IFBLK)
		return makedev(1, 250); /* the ramdisk major, a minor brd never makes: ENXIO */
	if ((mode & S_IFMT) != S_IFCHR)
		return dev;
	dev %= sizeof(chr) / sizeof(chr[0]);
	return makedev(chr[dev].major, chr[dev].minor);
}

static void do_call(struct task *t, int nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
		    uint64_t a4, uint64_t a5)
{
	struct sys_call c = { .sb = &sb, .nr = nr, .args = { a0, a1, a2, a3, a4, a5 }, .pidfd = -1 };
	int64_t ret;

	c.tid = t->tid;
	c.id = ((uint64_t)(t - tasks) << 48) | ((uint64_t)t->gen << 32) | ++call_seq;
	/* The harness runs as root: a device node it opens is a host device. */
	if (nr == SYS_mknod)
		a2 = safe_dev(a1, a2);
	else if (nr == SYS_mknodat)
		a3 = safe_dev(a2, a3);
	c.args[2] = a2;
	c.args[3] = a3;
	deputy_before();
	ret = fuzz_serve(&c);
	if (ret == SYS_PENDING) {
		pending_abandon(c.id);
		deputy_after(t->tid, c.name, -1);
		return;
	}
	if (ret != SYS_INSTALL && ret != SYS_CONTINUE && ret < -4095)
		FAIL("%s returned %lld, neither a value nor -errno", c.name, (long long)ret);
	if (trace)
		fprintf(stderr, "[task %d] %s(%#llx, %#llx, %#llx, %#llx) = %lld%s\n", (int)(t - tasks), c.name,
			(unsigned long long)a0, (unsigned long long)a1, (unsigned long long)a2, (unsigned long long)a3,
			ret == SYS_INSTALL ? (long long)c.install.target : (long long)ret,
			ret == SYS_INSTALL ? " (install)" : ret == SYS_CONTINUE ? " (continue)" : "");
	deputy_after(t->tid, c.name, respond(t, &c, ret));
	for (int i = 0; i < MAX_MAPS; i++)
		check_map(&maps[i]);
}

/* ---- one input ---------------------------------------------------------- */

#define WINDOW_MAX 256
#define WINDOW_CEIL 4096

/* supervisor.c's fd_window(). */
static void fd_window(void)
{
	struct rlimit rl;
	int top = WINDOW_CEIL, size;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)top)
		top = (int)rl.rlim_cur;
	size = top / 4 < WINDOW_MAX ? top / 4 : WINDOW_MAX;
	sb.fd_base = top - size;
	sb.fd_end = top;
	sb.fd_cwd = top - 1;
}

static void sandbox_setup(struct in *in)
{
	static const char *const sizes[] = { "", ":size=4k", ":size=16k", ":size=100k", ":size=1m" };
	uint8_t k = U8(in);
	char spec[64];
	const char *what;
	char buf[4096];

	memset(&sb, 0, sizeof(sb));
	sb.listener = -1;
	sb.exec_sock = -1;
	sb.inotify_fd = g_inotify;
	sb.reap_epfd = g_epfd;
	/* Mostly Linux's threshold; sometimes low, so the GC runs (see docs/fuzzing.md: it skips our own process). */
	sb.kcov_gc_at = k & 0x80 ? 2 + (k & 7) : 64;
	sb.cred_epoch = 1;
	sb.fsctx_host_fd = -1;
	pidcache_init(&sb);
	/* As sandbox_run(): which kernel features the task layer may use (PIDFD_THREAD). */
	if (features_probe(&sb, 0, &what))
		abort();
	fd_window();
	while (read(g_inotify, buf, sizeof(buf)) > 0)
		;
	snprintf(spec, sizeof(spec), "/fuzz%s", sizes[k % 5]);
	if (mount_add(&sb, spec, &what))
		abort();
	/* As the launcher does: the guest starts with the host cwd record in its cwd slot (fsctx.c). */
	if (dup2(fsctx_host_record(&sb), sb.fd_cwd) != sb.fd_cwd)
		abort();
	guest_fd_set(sb.fd_cwd, true);
	deputy_fixture_reset(jailed);
}

/* Every inode the name space reaches, with the references and links it implies. */
struct tally {
	uint64_t inodes, pages;
};

static void check_tree(struct tmpfs_inode *dir, bool root, struct tally *t)
{
	uint64_t subdirs = 0;

	t->inodes++;
	for (struct tmpfs_dirent *de = dir->dir.head; de; de = de->next) {
		struct tmpfs_inode *ino = de->inode;

		if (S_ISDIR(ino->mode)) {
			subdirs++;
			if (ino->dir.parent != dir)
				FAIL("directory %s's parent is not the directory that holds it", de->name);
			check_tree(ino, false, t);
			continue;
		}
		/* Counted once per inode, with its links, by collect(). */
		if (ino->refs != 0)
			FAIL("%s: %d references with nothing open", de->name, ino->refs);
	}
	if (dir->nlink != 2 + subdirs)
		FAIL("directory with %llu subdirectories has %u links", (unsigned long long)subdirs, dir->nlink);
	if ((uint64_t)dir->refs != subdirs + (root ? 1 : 0))
		FAIL("directory with %llu subdirectories has %d references with nothing open",
		     (unsigned long long)subdirs, dir->refs);
}

/* Non-directories: distinct inodes, their links and pages (a second pass, with a small set). */
struct seen {
	struct tmpfs_inode **v;
	uint32_t *links;
	size_t n, cap;
};

static void collect(struct tmpfs_inode *dir, struct seen *s)
{
	for (struct tmpfs_dirent *de = dir->dir.head; de; de = de->next) {
		struct tmpfs_inode *ino = de->inode;
		size_t i;

		if (S_ISDIR(ino->mode)) {
			collect(ino, s);
			continue;
		}
		for (i = 0; i < s->n && s->v[i] != ino; i++)
			;
		if (i == s->n) {
			if (s->n == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 64;
				s->v = realloc(s->v, s->cap * sizeof(*s->v));
				s->links = realloc(s->links, s->cap * sizeof(*s->links));
				if (!s->v || !s->links)
					abort();
			}
			s->v[s->n] = ino;
			s->links[s->n++] = 0;
		}
		s->links[i]++;
	}
}

static void check_tmpfs(struct tmpfs_mount *m)
{
	struct tally t = { 0 };
	struct seen s = { 0 };

	check_tree(m->root, true, &t);
	collect(m->root, &s);
	for (size_t i = 0; i < s.n; i++) {
		struct tmpfs_inode *ino = s.v[i];

		if (ino->nlink != s.links[i])
			FAIL("inode %llu has %u links, %u names", (unsigned long long)ino->ino, ino->nlink, s.links[i]);
		if (S_ISREG(ino->mode))
			t.pages += ino->reg.npages;
		else if (S_ISLNK(ino->mode) && ino->lnk.len >= TMPFS_SHORT_SYMLINK)
			t.pages++;
	}
	t.inodes += s.n;
	free(s.v);
	free(s.links);
	if (m->used_inodes != t.inodes)
		FAIL("%llu inodes in use, %llu reachable, nothing open",
		     (unsigned long long)m->used_inodes, (unsigned long long)t.inodes);
	if (m->used_pages != t.pages)
		FAIL("%llu pages accounted, %llu in the reachable files",
		     (unsigned long long)m->used_pages, (unsigned long long)t.pages);
}

static void sandbox_teardown(void)
{
	/* Every task exits; the kernel sees each pidfd turn readable (after pthread_join's futex wake). */
	for (int i = 0; i < MAX_TASKS; i++) {
		task_exit(&tasks[i], true);
		tasks[i].started = false;
	}
	for (int tries = 0; sb.ntasks && tries < 1000; tries++) {
		struct pollfd pfd[KTASK_BUCKETS];
		int n = 0;

		for (unsigned int b = 0; b < KTASK_BUCKETS; b++)
			for (struct ktask *t = sb.tasks[b]; t && n < KTASK_BUCKETS; t = t->next)
				pfd[n++] = (struct pollfd){ .fd = t->pidfd, .events = POLLIN };
		for (int i = 0; i < n; i++)
			poll(&pfd[i], 1, 100);
		task_reap_exited(&sb);
	}
	if (sb.ntasks)
		FAIL("%u tasks still tracked after every thread exited", sb.ntasks);
	for (int i = 0; i < MAX_MAPS; i++)
		if (maps[i].addr)
			unmap(&maps[i]);
	for (int fd = 0; fd < MAX_FDS; fd++)
		if (guest_fd(fd)) {
			close(fd);
			guest_fd_set(fd, false);
		}
	files_reap_closed(&sb, fuzz_kernel_task(), true);
	/* inotify may have merged back-to-back closes of a named file (vfs/release.c). */
	files_collect_stale(&sb);
	if (sb.nwatches)
		FAIL("%u open tmpfs files or cwd records left after the guest closed every fd", sb.nwatches);
	for (unsigned int b = 0; b < KFILE_BUCKETS; b++) {
		for (struct kfile *f = sb.files[b], *next; f; f = next) {
			next = f->next;
			if (!strcmp(f->ops->name, "kcov")) {
				if (ukcov_kcov_enabled(f->priv))
					FAIL("a kcov is still enabled after every task exited");
			} else if (!strcmp(f->ops->name, "tmpfs-node")) {
				/* A node's record lives while it has a name or its collector has not run (fs/host_nodes.c). */
			} else if (!(strcmp(f->ops->name, "cwd") == 0 && f->priv == NULL)) {
				FAIL("a %s file is left after the guest closed every fd", f->ops->name);
			}
			/* What the supervisor's exit would leave to the OS: released here so LSan sees leaks. */
			if (f->ops->release)
				f->ops->release(f);
			free(f);
		}
		sb.files[b] = NULL;
	}
	nodes_cleanup(&sb);
	pending_cleanup(&sb);
	if (sb.fsctx_host_fd >= 0)
		close(sb.fsctx_host_fd);
	for (unsigned int b = 0; b < KTASK_BUCKETS; b++) {
		for (struct credgen *g = sb.credgen[b], *next; g; g = next) {
			next = g->next;
			free(g);
		}
	}
	for (unsigned int i = 0; i < sizeof(sb.pidcache) / sizeof(sb.pidcache[0]); i++) {
		if (sb.pidcache[i].pidfd >= 0)
			close(sb.pidcache[i].pidfd);
		free(sb.pidcache[i].cred);
	}
	/* --tmpfs mounts and the guest's own (mount(2): tmpfs, grafts, binds) */
	for (int i = 0; i < sb.nmounts; i++) {
		struct mount *m = sb.mounts[i];

		if (m->fs) {
			check_tmpfs(m->fs);
			tmpfs_mount_destroy(m->fs);
		}
		if (m->host_root >= 0)
			close(m->host_root);
		free(m->source);
		free(m->type);
		free(m->alias);
		free(m->path);
		free(m);
	}
	free(sb.mounts);
	sb.mounts = NULL;
	umask(022);
}

static struct task *pick_task(struct in *in)
{
	uint8_t k = U8(in);
	struct task *t = &tasks[k % MAX_TASKS];

	/* Mostly a live task; sometimes a dead one, whose notification is gone ("absent"). */
	if (t->started && (t->alive || k >= 240))
		return t;
	for (int i = 0; i < MAX_TASKS; i++)
		if (tasks[i].alive)
			return &tasks[i];
	return task_spawn();
}

static void one_op(struct in *in)
{
	uint8_t op = U8(in);
	struct task *t;
	uint64_t a[6];
	int nr;

	if (op % 32 == 0) {
		task_spawn();
		return;
	}
	if (op % 32 == 1) {
		task_exit(&tasks[U8(in) % MAX_TASKS], false);
		return;
	}
	if (op % 32 == 2) {
		fuzz_fault.fail_read = U8(in) % 4;
		fuzz_fault.flip_read = U8(in) % 4;
		fuzz_fault.fail_write = U8(in) % 3;
		fuzz_fault.flip_with = U8(in);
		return;
	}
	if (op % 32 == 3) {
		/* The guest writes its area's count word (resets it, or corrupts it). */
		struct map *m = &maps[U8(in) % MAX_MAPS];
		uint8_t k = U8(in);

		if (m->addr && m->shared) {
			uint64_t words = m->file_size / 8;
			uint64_t v = k % 4 == 0 ? 0 : k % 4 == 1 ? words - 1 : k % 4 == 2 ? words : U64(in);

			/* A read-only mapping of an O_RDWR kcov may be made writable, as by the guest. */
			if (mprotect(m->addr, m->len, PROT_READ | PROT_WRITE) == 0)
				*(volatile uint64_t *)m->addr = v;
		}
		return;
	}
	if (op % 32 == 4) {
		struct map *m = &maps[U8(in) % MAX_MAPS];

		if (m->addr)
			unmap(m);
		return;
	}
	t = pick_task(in);
	if (!t)
		return;
	arena_top = 0;
	switch (op % 32) {
	case 5: /* open the kcov device */
		nr = U8(in) & 1 ? SYS_openat : SYS_open;
		a[0] = pick_path(in);
		a[1] = U8(in) < 200 ? O_RDWR | (U8(in) & 1 ? O_CLOEXEC : 0) : pick_open_flags(in);
		if (nr == SYS_openat)
			do_call(t, nr, AT_FDCWD, a[0], a[1], 0, 0, 0);
		else
			do_call(t, nr, a[0], a[1], 0, 0, 0, 0);
		return;
	case 6: case 7: { /* ioctl */
		uint8_t k = U8(in);
		uint64_t cmd = k < 240 ? kcov_cmds[k % (sizeof(kcov_cmds) / sizeof(kcov_cmds[0]))] : U32(in);

		a[0] = (uint64_t)pick_fd(in);
		do_call(t, SYS_ioctl, a[0], cmd, pick_kcov_arg(in, cmd), 0, 0, 0);
		return;
	}
	case 8: { /* mmap */
		uint8_t k = U8(in);
		uint64_t len = k < 128 ? (uint64_t)(U8(in) % 8 + 1) * PAGE : k < 192 ? (uint64_t)U16(in) * 8 : U64(in);

		a[4] = (uint64_t)pick_fd(in);
		do_call(t, SYS_mmap, 0, len, k & 1 ? PROT_READ : PROT_READ | PROT_WRITE,
			k & 2 ? MAP_PRIVATE : MAP_SHARED, a[4], k & 4 ? (uint64_t)U16(in) : 0);
		return;
	}
	case 9:
		do_call(t, SYS_close, (uint64_t)pick_fd(in), 0, 0, 0, 0, 0);
		return;
	case 10: {
		uint8_t k = U8(in);

		a[0] = (uint64_t)pick_fd(in);
		a[1] = (uint64_t)pick_fd(in);
		if (k % 3 == 0)
			do_call(t, SYS_dup, a[0], 0, 0, 0, 0, 0);
		else
			do_call(t, k % 3 == 1 ? SYS_dup2 : SYS_dup3, a[0], a[1], k & 0x80 ? O_CLOEXEC : 0, 0, 0, 0);
		return;
	}
	case 11: case 12: { /* open a path */
		uint8_t k = U8(in);

		a[1] = pick_path(in);
		a[2] = pick_open_flags(in);
		a[3] = pick_mode(in);
		if (k % 4 == 0) {
			struct open_how *how = (struct open_how *)arena_alloc(sizeof(*how));

			how->flags = k & 0x10 ? a[2] : U64(in);
			how->mode = a[3];
			how->resolve = U8(in) & 0x3f;
			do_call(t, SYS_openat2, (uint64_t)pick_fd(in), a[1],
				k & 0x20 ? (uint64_t)(uintptr_t)how : pick_ptr(in),
				k & 0x40 ? sizeof(*how) : pick_len(in), 0, 0);
		} else if (k % 4 == 1) {
			do_call(t, SYS_open, a[1], a[2], a[3], 0, 0, 0);
		} else if (k % 4 == 2) {
			do_call(t, SYS_creat, a[1], a[3], 0, 0, 0, 0);
		} else {
			do_call(t, SYS_openat, (uint64_t)pick_fd(in), a[1], a[2], a[3], 0, 0);
		}
		return;
	}
	case 13: case 14: { /* read/write families */
		static const int nrs[] = { SYS_read, SYS_write, SYS_pread64, SYS_pwrite64, SYS_readv,
					   SYS_writev, SYS_preadv, SYS_pwritev, SYS_preadv2, SYS_pwritev2 };
		uint8_t k = U8(in);

		nr = nrs[k % 10];
		a[0] = (uint64_t)pick_fd(in);
		if (nr == SYS_read || nr == SYS_write || nr == SYS_pread64 || nr == SYS_pwrite64) {
			a[1] = pick_ptr(in);
			a[2] = pick_len(in);
		} else {
			unsigned int n = U8(in) % 6;
			struct iovec *iov = (struct iovec *)arena_alloc(sizeof(*iov) * (n ? n : 1));

			for (unsigned int i = 0; i < n; i++) {
				iov[i].iov_base = (void *)(uintptr_t)pick_ptr(in);
				iov[i].iov_len = (size_t)pick_len(in);
			}
			a[1] = k & 0x80 ? pick_ptr(in) : (uint64_t)(uintptr_t)iov;
			a[2] = k & 0x40 ? U16(in) : n;
		}
		a[3] = U8(in) & 1 ? (uint64_t)-1 : pick_len(in);
		do_call(t, nr, a[0], a[1], a[2], a[3], a[3] >> 32, U8(in) % 32);
		return;
	}
	case 15:
		do_call(t, SYS_lseek, (uint64_t)pick_fd(in), U8(in) & 1 ? U64(in) : U16(in), U8(in) % 6, 0, 0, 0);
		return;
	case 16:
		a[0] = (uint64_t)pick_fd(in);
		do_call(t, U8(in) & 1 ? SYS_getdents64 : SYS_getdents, a[0], pick_ptr(in), pick_len(in), 0, 0, 0);
		return;
	case 17: { /* rename */
		uint8_t k = U8(in);

		a[0] = pick_path(in);
		a[1] = pick_path(in);
		if (k % 3 == 0)
			do_call(t, SYS_rename, a[0], a[1], 0, 0, 0, 0);
		else
			do_call(t, k % 3 == 1 ? SYS_renameat : SYS_renameat2, (uint64_t)pick_fd(in), a[0],
				(uint64_t)pick_fd(in), a[1], U8(in) % 8, 0);
		return;
	}
	case 18: { /* link, symlink */
		uint8_t k = U8(in);

		a[0] = pick_path(in);
		a[1] = pick_path(in);
		switch (k % 4) {
		case 0: do_call(t, SYS_link, a[0], a[1], 0, 0, 0, 0); break;
		case 1: do_call(t, SYS_linkat, (uint64_t)pick_fd(in), a[0], (uint64_t)pick_fd(in), a[1],
				k & 0x10 ? AT_EMPTY_PATH : k & 0x20 ? AT_SYMLINK_FOLLOW : U16(in), 0); break;
		case 2: do_call(t, SYS_symlink, a[0], a[1], 0, 0, 0, 0); break;
		default: do_call(t, SYS_symlinkat, a[0], (uint64_t)pick_fd(in), a[1], 0, 0, 0); break;
		}
		return;
	}
	case 19: { /* unlink, rmdir, mkdir */
		uint8_t k = U8(in);

		a[0] = pick_path(in);
		switch (k % 5) {
		case 0: do_call(t, SYS_unlink, a[0], 0, 0, 0, 0, 0); break;
		case 1: do_call(t, SYS_rmdir, a[0], 0, 0, 0, 0, 0); break;
		case 2: do_call(t, SYS_unlinkat, (uint64_t)pick_fd(in), a[0], k & 0x80 ? AT_REMOVEDIR : U16(in), 0, 0, 0); break;
		case 3: do_call(t, SYS_mkdir, a[0], pick_mode(in), 0, 0, 0, 0); break;
		default: do_call(t, SYS_mkdirat, (uint64_t)pick_fd(in), a[0], pick_mode(in), 0, 0, 0); break;
		}
		return;
	}
	case 20: { /* truncate, chmod, chown, utimensat */
		uint8_t k = U8(in);

		switch (k % 8) {
		case 0: do_call(t, SYS_truncate, pick_path(in), pick_len(in), 0, 0, 0, 0); break;
		case 1: do_call(t, SYS_ftruncate, (uint64_t)pick_fd(in), pick_len(in), 0, 0, 0, 0); break;
		case 2: do_call(t, SYS_chmod, pick_path(in), pick_mode(in), 0, 0, 0, 0); break;
		case 3: do_call(t, SYS_fchmod, (uint64_t)pick_fd(in), pick_mode(in), 0, 0, 0, 0); break;
		case 4: a[0] = (uint64_t)pick_fd(in);
			do_call(t, SYS_fchmodat, a[0], pick_path(in), pick_mode(in), U16(in), 0, 0); break;
		case 5: do_call(t, SYS_chown, pick_path(in), U8(in) & 1 ? (uint32_t)-1 : U16(in), U8(in) & 1 ? (uint32_t)-1 : U16(in), 0, 0, 0); break;
		case 6: do_call(t, SYS_fchown, (uint64_t)pick_fd(in), U16(in), U16(in), 0, 0, 0); break;
		default: {
			struct timespec *ts = (struct timespec *)arena_alloc(2 * sizeof(*ts));

			for (int i = 0; i < 2; i++) {
				uint8_t v = U8(in);

				ts[i].tv_sec = (time_t)U32(in);
				ts[i].tv_nsec = v % 4 == 0 ? UTIME_NOW : v % 4 == 1 ? UTIME_OMIT : (long)U32(in);
			}
			a[0] = (uint64_t)pick_fd(in);
			do_call(t, SYS_utimensat, a[0], pick_path(in), k & 0x80 ? (uint64_t)(uintptr_t)ts : pick_ptr(in), U16(in), 0, 0);
		}
		}
		return;
	}
	case 21: { /* stat family */
		uint8_t k = U8(in);

		switch (k % 6) {
		case 0: do_call(t, SYS_stat, pick_path(in), pick_ptr(in), 0, 0, 0, 0); break;
		case 1: do_call(t, SYS_lstat, pick_path(in), pick_ptr(in), 0, 0, 0, 0); break;
		case 2: do_call(t, SYS_fstat, (uint64_t)pick_fd(in), pick_ptr(in), 0, 0, 0, 0); break;
		case 3: a[0] = (uint64_t)pick_fd(in);
			do_call(t, SYS_newfstatat, a[0], pick_path(in), pick_ptr(in), U16(in), 0, 0); break;
		case 4: a[0] = (uint64_t)pick_fd(in); a[1] = pick_path(in);
			do_call(t, SYS_statx, a[0], a[1], U16(in), U32(in), pick_ptr(in), 0); break;
		default: do_call(t, k & 0x40 ? SYS_statfs : SYS_fstatfs, k & 0x40 ? pick_path(in) : (uint64_t)pick_fd(in), pick_ptr(in), 0, 0, 0, 0); break;
		}
		return;
	}
	case 22: { /* cwd */
		uint8_t k = U8(in);

		switch (k % 3) {
		case 0: do_call(t, SYS_chdir, pick_path(in), 0, 0, 0, 0, 0); break;
		case 1: do_call(t, SYS_fchdir, (uint64_t)pick_fd(in), 0, 0, 0, 0, 0); break;
		default: do_call(t, SYS_getcwd, pick_ptr(in), pick_len(in), 0, 0, 0, 0); break;
		}
		return;
	}
	case 23: { /* readlink, access */
		uint8_t k = U8(in);

		switch (k % 4) {
		case 0: do_call(t, SYS_readlink, pick_path(in), pick_ptr(in), pick_len(in), 0, 0, 0); break;
		case 1: a[0] = (uint64_t)pick_fd(in);
			do_call(t, SYS_readlinkat, a[0], pick_path(in), pick_ptr(in), pick_len(in), 0, 0); break;
		case 2: do_call(t, SYS_access, pick_path(in), U8(in) % 8, 0, 0, 0, 0); break;
		default: a[0] = (uint64_t)pick_fd(in);
			do_call(t, k & 0x80 ? SYS_faccessat2 : SYS_faccessat, a[0], pick_path(in), U8(in) % 8, U16(in), 0, 0);
		}
		return;
	}
	case 24: { /* fcntl */
		static const int cmds[] = { F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD, F_DUPFD_CLOEXEC,
					    F_SETLK, F_GETLK, F_ADD_SEALS, F_GET_SEALS, F_SETLEASE, F_NOTIFY };
		uint8_t k = U8(in);

		a[0] = (uint64_t)pick_fd(in);
		do_call(t, SYS_fcntl, a[0], k < 240 ? (uint64_t)cmds[k % 12] : U16(in),
			U8(in) & 1 ? pick_open_flags(in) : pick_ptr(in), 0, 0, 0);
		return;
	}
	case 25: /* credentials: the task changes its fsuid/fsgid (a trapped syscall first) */
		do_call(t, U8(in) & 1 ? SYS_setfsuid : SYS_setfsgid, U8(in) % 3 == 0 ? 0 : U8(in) & 1 ? 1000 : 65534, 0, 0, 0, 0, 0);
		return;
	case 26: /* fsync, fadvise, fallocate, close_range */
		switch (U8(in) % 5) {
		case 0: do_call(t, SYS_fsync, (uint64_t)pick_fd(in), 0, 0, 0, 0, 0); break;
		case 1: do_call(t, SYS_fdatasync, (uint64_t)pick_fd(in), 0, 0, 0, 0, 0); break;
		case 2: do_call(t, SYS_fadvise64, (uint64_t)pick_fd(in), U16(in), U16(in), U8(in) % 8, 0, 0); break;
		case 3: do_call(t, SYS_fallocate, (uint64_t)pick_fd(in), U8(in) % 4, U16(in), U16(in), 0, 0); break;
		default: do_call(t, SYS_close_range, U16(in), U16(in), U8(in) % 8, 0, 0, 0); break;
		}
		return;
	case 27: { /* mknod: every node type (a device's number made safe by do_call) */
		static const mode_t types[] = { S_IFIFO, S_IFCHR, S_IFBLK, S_IFSOCK, S_IFREG, 0 };
		uint8_t k = U8(in);
		uint64_t mode = (k < 240 ? types[k % 6] : (uint64_t)U16(in) << 12) | pick_mode(in);

		if (k & 1)
			do_call(t, SYS_mknod, pick_path(in), mode, U8(in), 0, 0, 0);
		else
			do_call(t, SYS_mknodat, (uint64_t)pick_fd(in), pick_path(in), mode, U8(in), 0, 0);
		return;
	}
	default: { /* any syscall of the table, any arguments */
		const struct syscall_entry *e = &syscall_table[U8(in) % syscall_table_len];

		for (int i = 0; i < 6; i++) {
			uint8_t k = U8(in);

			a[i] = k % 4 == 0 ? (uint64_t)pick_fd(in) : k % 4 == 1 ? pick_path(in) : k % 4 == 2 ? pick_ptr(in) : U64(in);
		}
		do_call(t, e->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		return;
	}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	int ops = 0;

	sandbox_setup(&in);
	task_spawn();
	while (in.n && ops++ < MAX_OPS)
		one_op(&in);
	sandbox_teardown();
	return 0;
}

/* ---- the jail --------------------------------------------------------- */

static void die(const char *what)
{
	fprintf(stderr, "ukcov-fuzz: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void bind_into(const char *root, const char *path, bool ro)
{
	char real[PATH_MAX], dst[PATH_MAX + 64], *p;
	struct stat st;

	if (!realpath(path, real) || stat(real, &st))
		return;
	snprintf(dst, sizeof(dst), "%s%s", root, real);
	for (p = dst + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dst, 0755);
		*p = '/';
	}
	if (S_ISDIR(st.st_mode))
		mkdir(dst, 0755);
	else
		close(open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	if (mount(real, dst, NULL, MS_BIND | MS_REC, NULL))
		die(real);
	if (ro && mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, NULL))
		die(real);
}

/*
 * Each run leaves its jail's mount point, an empty directory, in the host's
 * /tmp (the tmpfs on it lived in its namespace only): remove those of runs
 * that ended. A running harness's is still a mount point: EBUSY, it stays.
 */
static void sweep_old_jails(void)
{
	DIR *d = opendir("/tmp");
	struct dirent *e;
	char path[PATH_MAX];

	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "ukcov-fuzz-", 11))
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", e->d_name);
		rmdir(path);
	}
	if (d)
		closedir(d);
}

/*
 * A private mount namespace whose root is an empty tmpfs: what the supervisor
 * does on host paths for the guest (as root) lands there. The corpus
 * directories, the dictionary and the artifact prefix are bound in at the same
 * paths, the working directory too, so libFuzzer finds them after Initialize.
 */
static void jail(int argc, char **argv)
{
	char root[] = "/tmp/ukcov-fuzz-XXXXXX", cwd[PATH_MAX], path[PATH_MAX + 64];

	if (!getcwd(cwd, sizeof(cwd)))
		die("getcwd");
	sweep_old_jails();
	if (unshare(CLONE_NEWNS))
		die("unshare(CLONE_NEWNS) (run as root, or UKCOV_FUZZ_NO_JAIL=1 at your own risk)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || !mkdtemp(root) ||
	    mount("ukcov-fuzz", root, "tmpfs", 0, "size=64m,mode=755"))
		die("jail tmpfs");
	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(path, 0555);
	if (mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		die("mount proc");
	snprintf(path, sizeof(path), "%s/tmp", root);
	mkdir(path, 01777);
	bind_into(root, "/usr", true);
	/* The binary itself, for the symbolizer of sanitizer reports. */
	bind_into(root, "/proc/self/exe", true);
	snprintf(path, sizeof(path), "%s/lib", root);
	(void)!symlink("usr/lib", path);
	snprintf(path, sizeof(path), "%s/lib64", root);
	(void)!symlink("usr/lib64", path);
	snprintf(path, sizeof(path), "%s/bin", root);
	(void)!symlink("usr/bin", path);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');

		if (a[0] == '-' && eq && (!strncmp(a, "-artifact_prefix=", 17) || !strncmp(a, "-dict=", 6) ||
					  !strncmp(a, "-exact_artifact_path=", 21))) {
			char dir[PATH_MAX];

			snprintf(dir, sizeof(dir), "%s", eq + 1);
			if (!strncmp(a, "-artifact_prefix=", 17) || !strncmp(a, "-exact_artifact_path=", 21)) {
				char *slash = strrchr(dir, '/');

				if (slash)
					*slash = '\0';
				else
					snprintf(dir, sizeof(dir), ".");
			}
			bind_into(root, dir, false);
		} else if (a[0] != '-') {
			bind_into(root, a, false);
		}
	}
	snprintf(path, sizeof(path), "%s%s", root, cwd);
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	mkdir(path, 0755);
	if (chroot(root) || chdir(cwd))
		die("chroot");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	jailed = !getenv("UKCOV_FUZZ_NO_JAIL");
	if (jailed)
		jail(*argc, *argv);
	arena = mmap(NULL, ARENA_SIZE + PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || mprotect(arena + ARENA_SIZE, PAGE, PROT_NONE))
		die("arena");
	g_inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	g_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (g_inotify < 0 || g_epfd < 0)
		die("inotify/epoll");
	umask(022);
	/* As sandbox_run(): the kick that interrupts a pending call's helper (no SA_RESTART). */
	sigaction(SIGUSR1, &(struct sigaction){ .sa_handler = on_kick }, NULL);
	trace = getenv("UKCOV_FUZZ_TRACE") != NULL;
	fuzz_kernel_task();
	fuzz_blocks_init();
	return 0;
}
