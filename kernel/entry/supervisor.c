// SPDX-License-Identifier: MIT
/*
 * The supervisor: launches the guest under the seccomp filter and serves its
 * trapped syscalls one at a time, from uninstrumented code, like Linux's
 * syscall entry: dispatch -> handler -> exit to user (the counter flush) ->
 * response. One notification at a time means everything the counters
 * gathered since the previous flush was done for the thread being served.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "entry.h"
#include "../fs/fs.h"
#include "../task/pending.h"
#include "../sandbox.h"
#include "../vfs/vfs.h"

/*
 * The window: the top WINDOW_MAX fd numbers below min(RLIMIT_NOFILE, WINDOW_CEIL);
 * with a mount, the cwd slot is its top, the guest's last fd: one past the
 * limit the guest was given when that can grow by one (nofile_room()), so
 * that every fd below the limit is the guest's, as dup2(2) to any of them
 * and opening until EMFILE find. The ceiling bounds what a guest's fd
 * table costs (8 bytes an fd, copied at each fork).
 */
#define WINDOW_MAX 256
#define WINDOW_CEIL 32768

static void fd_window(struct sandbox *sb)
{
	struct rlimit rl;
	int top = WINDOW_CEIL, size;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t)top) {
		top = (int)rl.rlim_cur;
		/* the hard limit too, when we may (CAP_SYS_RESOURCE): the guest inherits it */
		if (sb->nmounts && (rl.rlim_cur < rl.rlim_max ||
				    !setrlimit(RLIMIT_NOFILE, &(struct rlimit){ rl.rlim_cur + 1, rl.rlim_cur + 1 })))
			top++;
	}
	size = top / 4 < WINDOW_MAX ? top / 4 : WINDOW_MAX;
	sb->fd_base = top - size;
	sb->fd_end = top;
	sb->fd_cwd = top - 1;
	sb->fd_exec = top - 2;
}

/*
 * The supervisor holds a memfd per kcov instance of every guest process and
 * a host fd per mount file with data: its own fd limit goes up, once the
 * guest (which keeps the limits it was given) is launched. To fs.nr_open
 * when it may raise the hard limit (CAP_SYS_RESOURCE, as root usually has),
 * else the soft limit to the hard one; a mount holds about that many
 * non-empty files (docs/tmpfs-deviations.md).
 */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	unsigned long nr_open = 0;
	FILE *f = fopen("/proc/sys/fs/nr_open", "re");

	if (f) {
		if (fscanf(f, "%lu", &nr_open) != 1)
			nr_open = 0;
		fclose(f);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (nr_open > rl.rlim_max &&
	    !setrlimit(RLIMIT_NOFILE, &(struct rlimit){ nr_open, nr_open }))
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/*
 * The guest's table holds the cwd slot (fd_window()): its soft limit goes
 * past it, one more fd than it was given, so that as many as getrlimit()
 * says are its own (syscalls/sys_rlimit.c shows the limit without the
 * slot). When it cannot (the hard limit), the slot is below the limit and
 * the guest sees one fd fewer, and getrlimit() says so.
 */
static void nofile_room(int slot)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur > (rlim_t)slot || rl.rlim_max <= (rlim_t)slot)
		return;
	rl.rlim_cur = (rlim_t)slot + 1;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/*
 * In the child: occupy the cwd slot with the host record (slot_src >= 0: a
 * mount exists; see fsctx.c), install the filter, hand the listener over,
 * exec. Never returns.
 */
static void guest_exec(int sock, struct sock_fprog *prog, char *const *argv, int slot_src,
		       int slot)
{
	int err, listener;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (slot_src >= 0)
		nofile_room(slot);
	if (slot_src >= 0 && dup2(slot_src, slot) < 0)
		goto fail;
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		goto fail;
	listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
	if (listener < 0)
		goto fail;
	/*
	 * From here on the filter is live and nobody serves it until the parent
	 * has the listener: make no syscall the filter traps (with a mount, that
	 * is every fd syscall, close included, and sendmsg). send() (sendto
	 * without an address) is never trapped: it tells the parent the
	 * listener's number (negative, unlike an errno), and the parent takes
	 * it with pidfd_getfd() while the exec below waits in its trap. The
	 * listener is close-on-exec.
	 */
	err = -listener - 1;
	if (send(sock, &err, sizeof(err), MSG_NOSIGNAL) != sizeof(err))
		goto fail;
	execvp(argv[0], argv);
fail:
	err = errno;
	(void)!send(sock, &err, sizeof(err), MSG_NOSIGNAL);
	_exit(127);
}

const char sandbox_step_exec[] = "executing";

/* Set by the waiter thread; guest_status is written before (release, paired with guest_exited()). */
static atomic_bool guest_done;
static int guest_status;

static bool guest_exited(void)
{
	return atomic_load_explicit(&guest_done, memory_order_acquire);
}
static pthread_t server_thread;

static void on_wakeup(int sig)
{
	(void)sig;
}

/*
 * Waits for the guest's first process and then interrupts the server, which
 * may be blocked in NOTIF_RECV (that ioctl does not wake when the last
 * filtered task exits). The kick repeats until the server is seen to stop,
 * closing the window between its check of guest_done and its next ioctl.
 */
static void *guest_waiter(void *arg)
{
	struct sandbox *sb = arg;
	siginfo_t si = { 0 };

	/*
	 * Orphans of the guest's tree are ours too (subreaper): reap them as
	 * they go. Peek first (WNOWAIT): a thread the server thread is tracing
	 * for a moment (task/execredirect.c) reports its stops to any thread of
	 * ours, and those are the server's to collect.
	 */
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOWAIT | __WALL)) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (si.si_code == CLD_TRAPPED || si.si_code == CLD_STOPPED) {
			usleep(200);
			continue;
		}
		waitid(P_PID, (id_t)si.si_pid, &si, WEXITED | __WALL);
		if (si.si_pid == sb->child)
			break;
	}
	guest_status = si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
	atomic_store_explicit(&guest_done, true, memory_order_release);
	for (;;) {
		pthread_kill(server_thread, SIGUSR1);
		usleep(2000);
	}
	return NULL;
}

/*
 * The fd of a SYS_INSTALL: with the answer (ADDFD_FLAG_SEND), or alone
 * while signals wait to be raised with the answer (sig_answer()). Returns
 * true when that answered the call (or the thread is gone), else the
 * answer is *ret: the fd or -errno.
 */
static bool install(struct sandbox *sb, struct sys_call *c, bool with_answer, int64_t *ret)
{
	struct seccomp_notif_addfd addfd = {
		.id = c->id,
		.flags = with_answer ? SECCOMP_ADDFD_FLAG_SEND : 0,
		.srcfd = (uint32_t)c->install.srcfd,
		.newfd_flags = c->install.flags,
	};
	int done;

	/* A target number, or the lowest free one as open(2) picks. */
	if (c->install.target >= 0) {
		addfd.flags |= SECCOMP_ADDFD_FLAG_SETFD;
		addfd.newfd = (uint32_t)c->install.target;
	}
	done = ioctl(sb->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	/*
	 * EBADF: the slot is past the process's RLIMIT_NOFILE (it lowered
	 * it below the window): the lowest free fd, as Linux's open gives.
	 */
	if (done < 0 && errno == EBADF && (addfd.flags & SECCOMP_ADDFD_FLAG_SETFD)) {
		addfd.flags &= ~SECCOMP_ADDFD_FLAG_SETFD;
		addfd.newfd = 0;
		done = ioctl(sb->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	}
	/* EMFILE: the guest's fd table is full (RLIMIT_NOFILE), as open(2) says it. */
	*ret = done < 0 ? -errno : done;
	if (c->install.done) {
		/* still the call's own work (its coverage too): the answer has not gone yet on failure */
		ukcov_task_enter(c->task->cov);
		c->install.done(c->install.done_ctx, *ret == -EMFILE);
		ukcov_task_return_to_user(c->task->cov, false);
	}
	if (c->close_install_src)
		close(c->install.srcfd);
	return (done >= 0 && with_answer) || *ret == -ENOENT;
}

static void respond(struct sandbox *sb, struct sys_call *c, int64_t ret,
		    struct seccomp_notif_resp *resp)
{
	if (ret == SYS_PENDING)
		return; /* a helper waits for it; pending_service() answers */
	/* an install that will not happen (scratch_promote() failed): its file goes with it */
	if (ret != SYS_INSTALL && c->install.done)
		c->install.done(c->install.done_ctx, SYS_IS_ERRNO(ret));
	if (ret == SYS_INSTALL && install(sb, c, !sig_queued(), &ret))
		return;
	/* signals the call raised (SIGXFSZ, dnotify's) are pending as it returns */
	if (ret != SYS_CONTINUE && sig_answer(c->tid, c->nr, ret))
		return;
	resp->id = c->id;
	resp->flags = 0;
	resp->val = 0;
	resp->error = 0;
	if (ret == SYS_CONTINUE)
		resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (SYS_IS_ERRNO(ret))
		resp->error = (int32_t)ret;
	else
		resp->val = ret;
	/* ENOENT: the thread was killed while we served it; nothing to answer. */
	ioctl(sb->listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
}

/*
 * The thread just enabled a kcov: it becomes a tracked task with its own
 * state. If it cannot be watched for exit (it is dying), its kcov is
 * disabled again at once, so the scratch task never carries one.
 */
static int64_t scratch_promote(struct sandbox *sb, struct sys_call *c, struct ktask *scratch,
			       int64_t ret)
{
	struct ukcov_task *fresh = ukcov_task_new();
	int err = -ENOMEM;

	/* its credentials as cached so far go with it: the first traced call does not read them */
	if (fresh)
		err = task_track(sb, scratch, pidcache_take(sb, c->tid, &scratch->cred, &scratch->cred_epoch));

	if (err) {
		if (sb->verbose)
			fprintf(stderr, "ukcov: cannot watch thread %d for exit: %s\n", c->tid, strerror(-err));
		ukcov_task_exit(scratch->cov);
		if (!fresh)
			fresh = ukcov_task_new();
		ret = err;
	}
	scratch->cov = fresh;
	if (!fresh) {
		/* Out of memory for one small struct: nothing sensible is left to do. */
		fprintf(stderr, "ukcov: out of memory\n");
		exit(2);
	}
	return ret;
}

/*
 * ENFILE comes from our own fd table being full (the supervisor holds an fd
 * per mount file with data, docs/tmpfs-deviations.md): the guest then sees
 * its calls fail, its writes to its stdout included, so say it once.
 */
static void fd_full_warn(const struct sandbox *sb, int64_t ret)
{
	static bool said;
	struct rlimit rl;
	int probe;

	if (ret != -ENFILE || said)
		return;
	probe = fcntl(sb->listener, F_DUPFD_CLOEXEC, 0);
	if (probe >= 0 || errno != EMFILE) {
		if (probe >= 0)
			close(probe);
		return;
	}
	said = true;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		rl.rlim_cur = 0;
	fprintf(stderr, "ukcov: out of file descriptors (RLIMIT_NOFILE %llu): calls that need one answer ENFILE;"
		" a mount holds about that many files with data (raise the hard limit, ulimit -Hn)\n",
		(unsigned long long)rl.rlim_cur);
}

static void serve_one(struct sandbox *sb, struct seccomp_notif *req,
		      struct seccomp_notif_resp *resp, struct ktask *scratch)
{
	struct sys_call c = { .sb = sb, .id = req->id, .tid = (pid_t)req->pid,
			      .nr = req->data.nr, .pidfd = -1 };
	struct ktask *t = task_find(sb, c.tid);
	int64_t ret;

	memcpy(c.args, req->data.args, sizeof(c.args));
	if (!t) {
		scratch->tid = c.tid;
		t = scratch;
	}
	c.task = t;
	/* Syscall entry: in trace mode the hooks write for this thread from here. */
	ukcov_task_enter(t->cov);
	/* Its own calls only count down its fail-nth (should_fail_ex(): in_task()). */
	if (sb->fault_injection) {
		tmpfs_fault_arm(&t->fail_nth);
		guest_fault_arm(&t->fail_nth);
	}
	ret = syscall_dispatch(&c);
	tmpfs_fault_arm(NULL);
	guest_fault_arm(NULL);
	kfile_desc_put(&c);
	if (c.cred_owned)
		free((void *)c.cred);
	/* Exit to user space: the coverage of this syscall goes to this thread. */
	ukcov_task_return_to_user(t->cov, false);
	/* A thread that is traced or has armed its fail-nth keeps its state from call to call. */
	if (t == scratch && (ukcov_task_traced(scratch->cov) || scratch->fail_nth || c.track))
		ret = scratch_promote(sb, &c, scratch, ret);
	scratch->fail_nth = 0;
	/* Nothing instrumented may run from here on: it would be charged to the next syscall. */
	if (sb->verbose)
		fprintf(stderr, "ukcov: [%d] %s(%#llx, %#llx, %#llx) = %lld%s\n", c.tid, c.name,
			(unsigned long long)c.args[0], (unsigned long long)c.args[1],
			(unsigned long long)c.args[2], (long long)(ret == SYS_CONTINUE || ret == SYS_INSTALL || ret == SYS_PENDING ? 0 : ret),
			ret == SYS_CONTINUE ? " (host)" : ret == SYS_INSTALL ? " (fd)" :
			ret == SYS_PENDING ? " (pending)" : "");
	respond(sb, &c, ret, resp);
	sig_flush(); /* those sig_answer() did not raise, now that they cannot interrupt the call */
	fd_full_warn(sb, ret);
}

static int serve(struct sandbox *sb)
{
	struct seccomp_notif_sizes sizes;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	struct ktask scratch = { .pidfd = -1 };
	int err = 0;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes))
		return -errno;
	req = calloc(1, sizes.seccomp_notif > sizeof(*req) ? sizes.seccomp_notif : sizeof(*req));
	resp = calloc(1, sizes.seccomp_notif_resp > sizeof(*resp) ? sizes.seccomp_notif_resp : sizeof(*resp));
	scratch.cov = ukcov_task_new();
	if (!req || !resp || !scratch.cov) {
		err = -ENOMEM;
		goto out;
	}
	while (!guest_exited()) {
		struct pollfd pfd = { .fd = sb->listener, .events = POLLIN };
		bool files_woke;
		int timeout;

		/* Before 6.9: the sweep, when due (exits seen by epoll are reaped below). */
		if (!sb->feat.pidfd_thread)
			task_reap_exited(sb);
		/*
		 * Without an exit watch nothing says the inotify fd woke: the
		 * read after NOTIF_RECV below is the one that counts (closes
		 * before that syscall), one here would only fail with EAGAIN.
		 */
		if (sb->exitwatch && exitwatch_take(sb->exitwatch, EXITWATCH_FILES))
			files_reap_closed(sb, scratch.cov, true);
		if (pending_any(sb)) {
			/*
			 * Blocking calls in flight (a FIFO open): answer those done,
			 * drop those abandoned, and wait for a notification with a
			 * timeout, so that both are seen while no notification comes.
			 */
			pending_service(sb);
			sig_flush();
			if (!pending_wait(sb))
				continue;
		} else {
			/*
			 * Without PIDFD_THREAD (before 6.9) no event says a tracked
			 * thread exited: wait for the next notification only until
			 * the next sweep is due. POLLHUP alone (no guest task left)
			 * falls through to NOTIF_RECV, which the exit waiter
			 * interrupts.
			 */
			timeout = task_sweep_timeout(sb);
			if (timeout >= 0 && poll(&pfd, 1, timeout) <= 0)
				continue; /* due, or EINTR: the exit waiter's kick */
		}
		memset(req, 0, sizes.seccomp_notif);
		if (ioctl(sb->listener, SECCOMP_IOCTL_NOTIF_RECV, req)) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			err = -errno;
			break;
		}
		/*
		 * After the notification, not before: a tracked thread whose TID
		 * the caller now has exited before the caller trapped, so its
		 * pidfd is readable by now and its task goes here. task_find()
		 * then needs no check of its own; and epoll is asked only when
		 * the exit watch saw its set wake (exitwatch.c), so a traced
		 * call costs no syscall beyond the notification's.
		 *
		 * The same holds for the closes the guest made before this
		 * syscall: a thread's close is queued before its next syscall
		 * starts (__fput() runs before close() returns), and its inotify
		 * wake-up is in the exit watch by the time this notification is
		 * ours, so a regular file's description count is right when this
		 * one (an open of it) is served. An unlink or rename asks too
		 * (files whose close events inotify merged).
		 */
		if (sb->feat.pidfd_thread && exitwatch_take(sb->exitwatch, EXITWATCH_TASKS))
			task_reap_exited(sb);
		files_woke = exitwatch_take(sb->exitwatch, EXITWATCH_FILES);
		if (files_woke || sb->unlinked)
			files_reap_closed(sb, scratch.cov, files_woke);
		serve_one(sb, req, resp, &scratch);
	}
out:
	if (scratch.cov)
		ukcov_task_exit(scratch.cov);
	free(req);
	free(resp);
	return err;
}

static int launch(struct sandbox *sb, char *const *argv, const char **what)
{
	struct sock_fprog prog;
	int sv[2], err, child_err, pidfd, slot_src = -1;
	ssize_t n;

	if (sb->nmounts) {
		*what = "creating the host cwd record";
		slot_src = fsctx_host_record(sb);
		if (slot_src < 0)
			return slot_src;
	}
	*what = "building the seccomp filter";
	err = filter_build(sb->fd_base, sb->nmounts > 0, &prog);
	if (err)
		return err;
	*what = "socketpair";
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		free(prog.filter);
		return -errno;
	}
	*what = "fork";
	sb->child = fork();
	if (sb->child < 0) {
		err = -errno;
		goto out;
	}
	if (sb->child == 0) {
		close(sv[0]);
		guest_exec(sv[1], &prog, argv, slot_src, sb->fd_cwd);
	}
	close(sv[1]);
	sv[1] = -1;
	*what = "installing the seccomp filter in the guest";
	n = read(sv[0], &child_err, sizeof(child_err));
	if (n != sizeof(child_err) || child_err >= 0) {
		/* The child failed before it had a listener: it says why. */
		err = n == sizeof(child_err) ? -child_err : -EPROTO;
		goto out;
	}
	*what = "taking the seccomp listener from the guest";
	pidfd = (int)syscall(SYS_pidfd_open, sb->child, 0);
	sb->listener = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, -child_err - 1, 0);
	err = sb->listener < 0 ? -errno : 0;
	if (pidfd >= 0)
		close(pidfd);
	if (err) {
		kill(sb->child, SIGKILL); /* it waits in its exec's trap, which nobody will serve */
		goto out;
	}
	/*
	 * From here the child's execve may trap (it does with a mount): serve
	 * first, and learn whether the exec failed once the guest is gone
	 * (exec_status()). The child's end is close-on-exec.
	 */
	sb->exec_sock = sv[0];
	sv[0] = -1;
	err = 0;
out:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	free(prog.filter);
	return err;
}

/* After the guest's first process ended: 0, or -errno when its exec failed. */
static int exec_status(struct sandbox *sb)
{
	int child_err;

	if (recv(sb->exec_sock, &child_err, sizeof(child_err), MSG_DONTWAIT) == sizeof(child_err))
		return -child_err;
	return 0;
}

/*
 * The guest's first process ended: the rest of its tree is killed, as a PID
 * namespace's processes are when its init exits. Without their supervisor,
 * their trapped syscalls would fail with ENOSYS, or reach the host in a
 * mount's place. ukcov is the tree's child subreaper, so the orphans of each
 * process killed become its children in turn: kill every child, reap one,
 * until no child is left.
 */
static void kill_descendants(void)
{
	char path[64];
	DIR *tasks;
	struct dirent *t;

	for (;;) {
		tasks = opendir("/proc/self/task");
		while (tasks && (t = readdir(tasks))) {
			FILE *f;
			int pid;

			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/self/task/%s/children", t->d_name);
			f = fopen(path, "re");
			while (f && fscanf(f, "%d", &pid) == 1)
				kill(pid, SIGKILL);
			if (f)
				fclose(f);
		}
		if (tasks)
			closedir(tasks);
		if (waitpid(-1, NULL, __WALL) < 0 && errno == ECHILD)
			return;
	}
}

int sandbox_run(const struct sandbox_options *o, int *status, const char **what)
{
	struct sigaction sa = { .sa_handler = on_wakeup };
	struct rlimit fsize;
	static struct sandbox sb;
	pthread_t waiter;
	int err;

	sb.feat.forced = o->force_fallbacks; /* mount_add() reads TMPFS_STORE */
	for (const char *const *m = o->tmpfs; m && *m; m++) {
		err = mount_add(&sb, *m, what);
		if (err)
			return err;
	}
	sb.inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (sb.inotify_fd < 0) {
		*what = "inotify_init1";
		return -errno;
	}
	sb.kcov_gc_at = 64;
	sb.cred_epoch = 1;
	pidcache_init(&sb);
	sb.verbose = o->verbose;
	sb.no_sync_wakeup = o->no_sync_wakeup;
	sb.fault_injection = o->fault_injection;
	sb.listener = -1;
	sb.fsctx_host_fd = -1;
	sb.fsctx_dir_fd = -1;
	sb.self_fd_dir = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* Before any guest runs: a kernel below the floor stops here, saying what it lacks. */
	err = features_probe(&sb, o->force_fallbacks, what);
	if (err)
		return err;
	fd_window(&sb);
	/* The guest inherits our RLIMIT_FSIZE: a finite one is its limit in the tmpfs too. */
	sb.fsize_limited = !getrlimit(RLIMIT_FSIZE, &fsize) && fsize.rlim_cur != RLIM_INFINITY;
	sb.reap_epfd = epoll_create1(EPOLL_CLOEXEC);
	if (sb.reap_epfd < 0) {
		*what = "epoll_create1";
		return -errno;
	}
	/* Without PIDFD_THREAD the task table's handles cannot be polled: no watch. */
	if (sb.feat.pidfd_thread && !(o->force_fallbacks & SANDBOX_FALLBACK_EXIT_WATCH))
		sb.exitwatch = exitwatch_new((const int[]){ [EXITWATCH_TASKS] = sb.reap_epfd,
							    [EXITWATCH_FILES] = sb.inotify_fd }, 2);
	/* The guest owns the terminal's signals while it runs, as with strace or time. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigaction(SIGUSR1, &sa, NULL); /* no SA_RESTART: interrupts NOTIF_RECV */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	err = launch(&sb, o->argv, what);
	if (!err)
		err = features_probe_listener(&sb, o->force_fallbacks, what);
	if (err) {
		if (sb.child > 0) {
			kill(sb.child, SIGKILL);
			waitpid(sb.child, NULL, 0);
		}
		return err;
	}
	raise_fd_limit();
	if (sb.verbose) {
		features_report(&sb);
		mount_report(&sb);
	}
	server_thread = pthread_self();
	*what = "starting the exit waiter";
	err = -pthread_create(&waiter, NULL, guest_waiter, &sb);
	if (err) {
		kill(sb.child, SIGKILL);
		waitpid(sb.child, NULL, 0);
		return err;
	}
	*what = "serving notifications";
	err = serve(&sb);
	if (err) {
		kill(sb.child, SIGKILL);
		while (!guest_exited())
			pause();
	}
	kill_descendants();
	*status = guest_status;
	nodes_cleanup(&sb);
	fsctx_cleanup(&sb);
	if (!err && (err = exec_status(&sb)))
		*what = sandbox_step_exec;
	return err;
}
