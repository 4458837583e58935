// SPDX-License-Identifier: MIT
/*
 * ukcov's kcov extension for proot (`proot --kcov`): serves Linux's
 * /sys/kernel/debug/kcov to the tracees with libukcov, reporting the blocks
 * of proot's own "kernel" (path and syscall translation, execve, ptrace
 * emulation, extensions) that ran for each tracee thread. Installed at build
 * time as src/extension/kcov/kcov.c of an unmodified proot tree, and built
 * without instrumentation: it is the kcov glue, like Linux's kernel/kcov.c.
 *
 * Routing. The kcov fd a tracee holds is the memfd libukcov made: open() of
 * the kcov path is rewritten to /proc/<proot>/fd/<memfd>, which the host
 * kernel opens in the tracee, so dup, fork and fd passing need nothing from
 * proot; ioctl() and mmap() are recognized by the fd's (device, inode)
 * (ukcov_kcov_find_fd()); ioctl is answered here and cancelled, mmap is
 * checked here and performed by the host on the memfd (shared pages). The
 * last guest reference cannot be seen as it goes (close is not stopped):
 * ukcov_kcov_sweep() closes the kcovs no tracee holds any more at each new
 * kcov open, execve and tracee exit.
 *
 * Tasks. One ukcov task per Tracee (a thread): the per-tracee state is the
 * extension's config, inherited at clone. proot serves one stop at a time,
 * from one thread: what ran between kcov_ext_enter() and kcov_ext_return()
 * was done for that tracee; what ran elsewhere (the loop's housekeeping)
 * for nobody, and is discarded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <talloc.h>
#include <unistd.h>

#include <ukcov/ukcov.h>

#include "cli/note.h"
#include "extension/kcov/kcov.h"
#include "syscall/syscall.h"
#include "syscall/sysnum.h"
#include "tracee/mem.h"
#include "tracee/reg.h"

#define KCOV_PATH "/sys/kernel/debug/kcov"

struct kcov_tracee {
	Tracee *tracee;
	struct ukcov_task *task;
	struct ukcov_kcov *opening; /* its open() of the kcov path, until the syscall exits */
	bool answered;              /* an ioctl answered at entry: its result is put back at exit */
	bool exiting;               /* stopped at PTRACE_EVENT_EXIT: the thread is going away */
	word_t result;
	LIST_ENTRY(kcov_tracee) link;
};

static LIST_HEAD(, kcov_tracee) tracees = LIST_HEAD_INITIALIZER(tracees);
static bool kcov_on;
/* kcovs handed to tracees and not swept yet: ioctl and mmap look nothing up while none is. */
static size_t nhanded;

/*
 * Syscalls proot must stop under its seccomp acceleration; the others run
 * none of proot's code, so their coverage is honestly empty. The exit stage
 * of open settles the kcov, that of ioctl puts the answer back, and that of
 * execve sweeps (close-on-exec).
 */
static FilteredSysnum kcov_sysnums[] = {
	{ PR_open, FILTER_SYSEXIT },
	{ PR_openat, FILTER_SYSEXIT },
	{ PR_ioctl, FILTER_SYSEXIT },
	{ PR_mmap, 0 },
	{ PR_execve, FILTER_SYSEXIT },
	FILTERED_SYSNUM_END,
};

static struct kcov_tracee *state_of(Tracee *tracee)
{
	Extension *ext = get_extension(tracee, kcov_ext_callback);

	return ext ? ext->config : NULL;
}

static int state_new(Extension *ext)
{
	struct kcov_tracee *s = talloc_zero(ext, struct kcov_tracee);

	if (!s)
		return -ENOMEM;
	s->task = ukcov_task_new();
	if (!s->task) {
		talloc_free(s);
		return -ENOMEM;
	}
	s->tracee = TRACEE(ext);
	ext->config = s;
	LIST_INSERT_HEAD(&tracees, s, link);
	return 0;
}

/* Closes the kcovs that no live tracee holds by fd or mapping any more. */
static void sweep(void)
{
	struct kcov_tracee *s;
	size_t n = 0;
	pid_t *pids;
	int closed;

	if (!nhanded)
		return;
	LIST_FOREACH(s, &tracees, link)
		n++;
	pids = talloc_array(NULL, pid_t, n ? n : 1);
	if (!pids)
		return;
	n = 0;
	LIST_FOREACH(s, &tracees, link)
		if (s->tracee->pid > 0)
			pids[n++] = s->tracee->pid;
	closed = ukcov_kcov_sweep(pids, n);
	if (closed > 0)
		nhanded -= (size_t)closed < nhanded ? (size_t)closed : nhanded;
	talloc_free(pids);
}

static void state_free(struct kcov_tracee *s)
{
	LIST_REMOVE(s, link);
	if (s->opening)
		ukcov_kcov_close(s->opening);
	ukcov_task_exit(s->task);
	sweep();
}

static int guest_read(void *ctx, void *dst, uint64_t addr, size_t len)
{
	return read_data(ctx, dst, (word_t)addr, (word_t)len) < 0 ? -EFAULT : 0;
}

/*
 * Folds `.`, `..` and repeated slashes of an absolute path, lexically: the
 * kcov path has no symlinks in it on Linux, and a spelling through one is
 * left to the host.
 */
static void path_fold(char *p)
{
	char *out = p, *s = p;

	while (*s) {
		char *e = strchrnul(s, '/');
		size_t n = (size_t)(e - s);

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else if (n && !(n == 1 && s[0] == '.')) {
			*out++ = '/';
			memmove(out, s, n);
			out += n;
		}
		s = *e ? e + 1 : e;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

/*
 * Whether the path argument names the kcov file: the guest path, relative
 * to the guest's cwd for open (and openat from AT_FDCWD), folded. Relative
 * to another directory fd it is not recognized (proot knows no fd's path).
 */
static bool is_kcov_path(Tracee *t, Reg path_reg, bool at)
{
	char path[PATH_MAX], full[2 * PATH_MAX + 2];

	if (get_sysarg_path(t, path, path_reg) < 0 || !path[0])
		return false;
	if (path[0] == '/')
		snprintf(full, sizeof(full), "%s", path);
	else if (!at || (int)peek_reg(t, ORIGINAL, SYSARG_1) == AT_FDCWD)
		snprintf(full, sizeof(full), "%s/%s", t->fs->cwd, path);
	else
		return false;
	path_fold(full);
	return !strcmp(full, KCOV_PATH);
}

/*
 * stat, lstat, access and their *at forms of the kcov path: answered by a
 * placeholder, an empty regular file of mode 0600 as debugfs shows kcov, in
 * a private directory made on first use (removed at exit): tools probe the
 * path before opening it (syzkaller checks that it exists). Its device and
 * inode are the placeholder's, not the kcov fds'.
 */
static char placeholder[64];

static void placeholder_remove(void)
{
	char *slash = strrchr(placeholder, '/');

	unlink(placeholder);
	*slash = '\0';
	rmdir(placeholder);
}

static const char *placeholder_path(void)
{
	char dir[] = "/tmp/proot-kcov-XXXXXX";
	int fd;

	if (placeholder[0])
		return placeholder;
	if (!mkdtemp(dir))
		return NULL;
	snprintf(placeholder, sizeof(placeholder), "%s/kcov", dir);
	fd = open(placeholder, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600)) {
		rmdir(dir);
		placeholder[0] = '\0';
		return NULL;
	}
	close(fd);
	atexit(placeholder_remove);
	return placeholder;
}

static int stat_enter(Tracee *t, Reg path_reg, bool at)
{
	const char *p;

	if (!is_kcov_path(t, path_reg, at))
		return 0;
	p = placeholder_path();
	if (!p || set_sysarg_path(t, p, path_reg))
		return 0;
	/* A host path already: proot must not translate it. */
	return 1;
}

/* open/openat of the kcov path: a new kcov, whose memfd the host opens in the tracee. */
static int open_enter(Tracee *t, struct kcov_tracee *s, Reg path_reg, word_t flags)
{
	char host[64];
	struct ukcov_kcov *k;
	int err;

	if (!is_kcov_path(t, path_reg, path_reg != SYSARG_1))
		return 0;
	sweep();
	err = ukcov_kcov_open((int)flags, &k);
	if (err)
		return err;
	snprintf(host, sizeof(host), "/proc/%d/fd/%d", getpid(), ukcov_kcov_fd(k));
	err = set_sysarg_path(t, host, path_reg);
	if (err) {
		ukcov_kcov_close(k);
		return err;
	}
	s->opening = k;
	/* A host path already: proot must not translate it as a guest's. */
	return 1;
}

/* The kcov behind the tracee's fd, or NULL (not a kcov: the host answers). */
static struct ukcov_kcov *kcov_of_fd(Tracee *t, word_t fd)
{
	struct ukcov_kcov *k;

	if (!nhanded || (int)fd < 0 || ukcov_kcov_find_fd(t->pid, (int)fd, &k))
		return NULL;
	return k;
}

static int ioctl_enter(Tracee *t, struct kcov_tracee *s)
{
	struct ukcov_kcov *k = kcov_of_fd(t, peek_reg(t, ORIGINAL, SYSARG_1));
	struct ukcov_guest_mem mem = { guest_read, t };
	int r;

	if (!k)
		return 0;
	r = ukcov_kcov_ioctl(k, s->task, (unsigned int)peek_reg(t, ORIGINAL, SYSARG_2),
			     peek_reg(t, ORIGINAL, SYSARG_3), &mem);
	/* Answered here: the host kernel must not see it. */
	set_sysnum(t, PR_void);
	s->answered = true;
	s->result = (word_t)r;
	poke_reg(t, SYSARG_RESULT, s->result);
	return 1;
}

static int mmap_enter(Tracee *t)
{
	word_t len = peek_reg(t, ORIGINAL, SYSARG_2);
	struct ukcov_kcov *k;

	/* An absurd length fails in the host's mm before any file sees it, as on Linux. */
	if ((peek_reg(t, ORIGINAL, SYSARG_4) & MAP_ANONYMOUS) || !len || len > ((word_t)1 << 46))
		return 0;
	k = kcov_of_fd(t, peek_reg(t, ORIGINAL, SYSARG_5));
	if (!k)
		return 0;
	/* Linux's checks; the host then maps the memfd itself: the pages libukcov writes. */
	return ukcov_kcov_mmap_check(k, len,
				     (int)peek_reg(t, ORIGINAL, SYSARG_3),
				     (int)peek_reg(t, ORIGINAL, SYSARG_4), peek_reg(t, ORIGINAL, SYSARG_6));
}

/*
 * The kcov file has no read, write or llseek method on Linux: the VFS
 * answers EINVAL to read and write, ESPIPE to lseek and the positioned
 * calls; it is no memfd, so the seal commands are EINVAL. Answered here
 * when proot stops these calls (every syscall with PROOT_NO_SECCOMP=1;
 * under seccomp acceleration they reach the memfd, see the docs).
 */
static int file_enter(Tracee *t, Sysnum nr)
{
	int cmd = (int)peek_reg(t, ORIGINAL, SYSARG_2);

	if (nr == PR_fcntl && cmd != F_GET_SEALS && cmd != F_ADD_SEALS)
		return 0;
	if (!kcov_of_fd(t, peek_reg(t, ORIGINAL, SYSARG_1)))
		return 0;
	switch (nr) {
	case PR_read:
	case PR_write:
	case PR_readv:
	case PR_writev:
	case PR_fcntl:
		return -EINVAL;
	default:
		return -ESPIPE;
	}
}

static int syscall_enter(struct kcov_tracee *s)
{
	Tracee *t = s->tracee;
	Sysnum nr = get_sysnum(t, ORIGINAL);

	switch (nr) {
	case PR_open:
		return open_enter(t, s, SYSARG_1, peek_reg(t, ORIGINAL, SYSARG_2));
	case PR_openat:
		return open_enter(t, s, SYSARG_2, peek_reg(t, ORIGINAL, SYSARG_3));
	case PR_ioctl:
		return ioctl_enter(t, s);
	case PR_mmap:
		return mmap_enter(t);
	case PR_stat:
	case PR_lstat:
	case PR_access:
		return stat_enter(t, SYSARG_1, false);
	case PR_newfstatat:
	case PR_statx:
	case PR_faccessat:
	case PR_faccessat2:
		return stat_enter(t, SYSARG_2, true);
	case PR_read:
	case PR_write:
	case PR_readv:
	case PR_writev:
	case PR_pread64:
	case PR_pwrite64:
	case PR_preadv:
	case PR_pwritev:
	case PR_lseek:
	case PR_fcntl:
		return file_enter(t, nr);
	default:
		return 0;
	}
}

static int syscall_exit(struct kcov_tracee *s)
{
	Tracee *t = s->tracee;

	if (s->answered) {
		s->answered = false;
		poke_reg(t, SYSARG_RESULT, s->result);
		return 1;
	}
	if (s->opening) {
		/* The tracee holds the memfd now (or the open failed: nobody does). */
		if ((int)peek_reg(t, CURRENT, SYSARG_RESULT) >= 0) {
			ukcov_kcov_hand_over(s->opening);
			nhanded++;
		} else {
			ukcov_kcov_close(s->opening);
		}
		s->opening = NULL;
		return 1;
	}
	if (get_sysnum(t, ORIGINAL) == PR_execve)
		sweep();
	return 0;
}

static int initialize(Extension *ext)
{
	Tracee *t = TRACEE(ext);
	uint8_t id[64];
	char hex[2 * sizeof(id) + 1] = "none";
	int n = ukcov_build_id(id, sizeof(id)), err;

	err = state_new(ext);
	if (err)
		return err;
	ext->filtered_sysnums = kcov_sysnums;
	kcov_on = true;
	for (int i = 0; i < n && i < (int)sizeof(id); i++)
		sprintf(hex + 2 * i, "%02x", id[i]);
	VERBOSE(t, 1, "kcov: serving %s (%zu blocks, %s mode); build-id: %s", KCOV_PATH,
		ukcov_block_count(), ukcov_mode() == UKCOV_MODE_TRACE ? "trace" : "counter", hex);
	return 0;
}

int kcov_ext_callback(Extension *ext, ExtensionEvent event, intptr_t d1, intptr_t d2)
{
	(void)d2;
	switch (event) {
	case INITIALIZATION:
		return initialize(ext);
	case INHERIT_PARENT:
		return 1; /* a task of its own for every new tracee */
	case INHERIT_CHILD: {
		const Extension *parent = (const Extension *)d1;
		int err = state_new(ext);

		if (!err && parent->config)
			ukcov_task_inherit(((struct kcov_tracee *)ext->config)->task,
					   ((const struct kcov_tracee *)parent->config)->task);
		return err;
	}
	case REMOVED:
		if (ext->config)
			state_free(ext->config);
		return 0;
	case SYSCALL_ENTER_START:
		return ext->config ? syscall_enter(ext->config) : 0;
	case SYSCALL_EXIT_START:
		return ext->config ? syscall_exit(ext->config) : 0;
	default:
		return 0;
	}
}

void kcov_ext_enter(Tracee *tracee, int status)
{
	struct kcov_tracee *s;

	if (!kcov_on)
		return;
	/* What ran since the last restart (the loop's housekeeping) was done for nobody. */
	ukcov_discard(false);
	s = state_of(tracee);
	if (!s)
		return;
	ukcov_task_enter(s->task);
	/*
	 * The thread starts exiting (a group leader too, whose Tracee lives on
	 * until its last thread is reaped): its kcov is disabled now, as
	 * Linux's kcov_task_exit() does from do_exit().
	 */
	s->exiting = WIFSTOPPED(status) && (status >> 8) == (SIGTRAP | (PTRACE_EVENT_EXIT << 8));
}

void kcov_ext_return(Tracee *tracee)
{
	struct kcov_tracee *s;

	if (!kcov_on)
		return;
	s = state_of(tracee);
	if (!s) {
		ukcov_discard(false);
		return;
	}
	ukcov_task_return_to_user(s->task, false);
	if (s->exiting) {
		struct ukcov_task *fresh = ukcov_task_new();

		/* Whatever the dying thread still does, it collects nothing. */
		if (fresh) {
			ukcov_task_exit(s->task);
			s->task = fresh;
		}
		s->exiting = false;
	}
}
