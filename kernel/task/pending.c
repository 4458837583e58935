// SPDX-License-Identifier: MIT
/*
 * Blocking host calls done for a guest by helper threads, while the loop
 * keeps serving (see ../pending.h). Uninstrumented: the helpers run
 * alongside the instrumented kernel, and must set no coverage flag of
 * their own; everything they do is plain host syscalls.
 *
 * A helper's life: started by a handler (pending_start) -> blocks in its
 * host call -> done (result stored, eventfd written) -> joined and answered
 * by the loop (pending_service). An abandoned one (its notification went
 * invalid) is kicked with SIGUSR1 at every service until its call returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "pending.h"

/* At most this many guest threads wait at once; beyond, EAGAIN (README). */
#define PENDING_MAX 256
/*
 * And at most this much data waits in copies of sends (docs/security.md):
 * beyond, a send is ENOBUFS, Linux's answer when it cannot get the memory
 * for a datagram (sock_alloc_send_pskb()).
 */
#define PENDING_BYTES_MAX (64u << 20)
/* How often abandoned waits are looked for while some are pending (ms). */
#define PENDING_TICK_MS 10

struct pending {
	struct pending_req req;
	uint64_t id;              /* the notification kept */
	pthread_t thread;
	int efd;                  /* the set's eventfd */
	int64_t result;           /* fd or value, or -errno; valid once done */
	atomic_bool done;         /* set by the helper after result (release), read by the loop (acquire) */
	atomic_bool abandoned;    /* set by the loop; the helper stops retrying EINTR */
	struct pending *next;
};

struct pending_set {
	int efd;
	unsigned int n;
	size_t bytes;             /* of the SEND copies held */
	struct pending *head;
};

/* Whether the thread's group list already is id's (order aside): no setgroups() needed. */
static bool groups_are(const struct pending_ident *id)
{
	gid_t now[PENDING_NGROUPS];
	int n = (int)syscall(SYS_getgroups, PENDING_NGROUPS, now);

	if (n < 0 || (uint32_t)n != id->ngroups)
		return false;
	for (uint32_t i = 0; i < id->ngroups; i++) {
		int j = 0;

		while (j < n && now[j] != id->groups[i])
			j++;
		if (j == n)
			return false;
	}
	return true;
}

static int caps_rw(int nr, struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(nr, &h, d);
}

/* Keeps exactly `keep` of the permitted set, effective and permitted; nothing inheritable. */
static int caps_keep(uint64_t keep)
{
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (caps_rw(SYS_capget, d))
		return -1;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		d[i].effective = d[i].permitted & (uint32_t)(keep >> (32 * i));
		d[i].permitted = d[i].effective;
		d[i].inheritable = 0;
	}
	return caps_rw(SYS_capset, d);
}

/* Effective: only `want` of the permitted set, which stays (to take fsuid 0 back). */
static int caps_effective(uint64_t want)
{
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (caps_rw(SYS_capget, d))
		return -1;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		d[i].effective = d[i].permitted & (uint32_t)(want >> (32 * i));
	return caps_rw(SYS_capset, d);
}

/* The groups, real/effective/saved ids of the guest (permitted capabilities kept when asked). */
static int ident_ids(const struct pending_ident *id, bool keepcaps)
{
	gid_t groups[PENDING_NGROUPS];

	for (uint32_t i = 0; i < id->ngroups; i++)
		groups[i] = id->groups[i];
	if (!groups_are(id) && syscall(SYS_setgroups, id->ngroups, groups))
		return -1;
	if (keepcaps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return -1;
	return syscall(SYS_setresgid, id->gid[0], id->gid[1], id->gid[2]) ||
	       syscall(SYS_setresuid, id->uid[0], id->uid[1], id->uid[2]) ? -1 : 0;
}

/*
 * The helper thread becomes the guest for good (raw syscalls: this thread
 * alone; it ends with its call). setresuid() away from uid 0 clears the
 * capabilities unless kept (PR_SET_KEEPCAPS: CAP_SYS_ADMIN to name the
 * guest's pid, CAP_SETUID/CAP_SETGID to take the supervisor's fsuid and
 * fsgid back for a private name); then only the guest's effective set
 * stays, and what the call needs. Returns 0, or -EACCES when the
 * supervisor cannot take the identity (unprivileged, serving another
 * user): the call fails, never runs as the supervisor.
 */
static int ident_take(const struct pending_ident *id)
{
	uint32_t fsuid = id->fsuid, fsgid = id->fsgid;
	uint64_t keep = id->caps | (id->pid ? 1ull << CAP_SYS_ADMIN : 0);

	if (id->private_name) {
		fsuid = (uint32_t)syscall(SYS_setfsuid, -1);
		fsgid = (uint32_t)syscall(SYS_setfsgid, -1);
		keep |= 1ull << CAP_DAC_OVERRIDE | 1ull << CAP_DAC_READ_SEARCH;
	}
	if (ident_ids(id, id->pid || id->private_name))
		return -EACCES;
	if (id->private_name && caps_effective(1ull << CAP_SETUID | 1ull << CAP_SETGID))
		return -EACCES;
	/* setfsuid(0) raises the file capabilities again (kept only if in `keep`). */
	syscall(SYS_setfsgid, fsgid);
	syscall(SYS_setfsuid, fsuid);
	if ((uint32_t)syscall(SYS_setfsuid, -1) != fsuid || (uint32_t)syscall(SYS_setfsgid, -1) != fsgid)
		return -EACCES;
	return caps_keep(keep) ? -EACCES : 0;
}

/*
 * A FIFO's reader. Linux's blocked reader returns once any writer opened
 * since its open began (wait_for_partner() on w_counter). This open begins
 * later, in a helper: a writer that came and went before it (wrote and
 * closed at once) is seen on path_fd, the reader made when the guest's
 * open began, as POLLIN or POLLHUP (pipe_poll(): w_counter moved since).
 * The blocking open, for a writer still to come, is cut every 20 ms by a
 * timer of this thread (helper(): SIGUSR1, as the loop's kick) to look
 * again; the caller loops on EINTR.
 */
static int64_t fifo_reader_open(const struct pending_req *q)
{
	struct pollfd pfd = { .fd = q->path_fd, .events = POLLIN };
	int fd, err;

	if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP))) {
		fd = open(q->path, q->flags | O_NONBLOCK);
		if (fd < 0)
			return -errno;
		if (fcntl(fd, F_SETFL, q->flags & ~O_NONBLOCK)) {
			err = errno;
			close(fd);
			return -err;
		}
		return fd;
	}
	fd = open(q->path, q->flags);
	return fd < 0 ? -errno : fd;
}

/* fifo_reader_open()'s timer: SIGUSR1 to this thread every 20 ms. Returns whether it runs. */
static bool recheck_timer(timer_t *tm)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1 };
	struct itimerspec every = { { 0, 20000000 }, { 0, 20000000 } };

	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, tm))
		return false;
	if (!timer_settime(*tm, 0, &every, NULL))
		return true;
	timer_delete(*tm);
	return false;
}

static int64_t helper_call(struct pending *p)
{
	struct pending_req *q = &p->req;
	struct stat st;
	int fd;

	if (q->op == PENDING_WAKE) {
		struct pollfd pfd = { .fd = q->sockfd, .events = POLLIN };

		return poll(&pfd, 1, q->timeout_ms) < 0 ? -errno : 0;
	}
	if (q->op == PENDING_CONNECT)
		return connect(q->sockfd, (struct sockaddr *)&q->addr, q->addrlen) ? -errno : 0;
	if (q->op == PENDING_SEND) {
		char cbuf[CMSG_SPACE(sizeof(struct ucred))] = { 0 };
		struct iovec iov = { q->buf, q->len };
		struct msghdr m = { .msg_name = &q->addr, .msg_namelen = q->addrlen,
				    .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (q->ident.pid) {
			struct cmsghdr *cm = (struct cmsghdr *)cbuf;
			struct ucred uc = { q->ident.pid, q->ident.uid[0], q->ident.gid[0] };

			m.msg_control = cbuf;
			m.msg_controllen = sizeof(cbuf);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_CREDENTIALS;
			cm->cmsg_len = CMSG_LEN(sizeof(uc));
			memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
		}
		n = sendmsg(q->sockfd, &m, q->send_flags);
		/* Without CAP_SYS_ADMIN (an unprivileged supervisor) the kernel names the sender. */
		if (n < 0 && errno == EPERM && m.msg_control) {
			m.msg_control = NULL;
			m.msg_controllen = 0;
			n = sendmsg(q->sockfd, &m, q->send_flags);
		}
		return n < 0 ? -errno : n;
	}
	if (q->fifo_reader)
		return fifo_reader_open(q);
	fd = open(q->path, q->flags);
	if (fd < 0)
		return -errno;
	/* A device found by a host path must still be the one the node names. */
	if (q->expect_rdev && (fstat(fd, &st) || st.st_rdev != q->expect_rdev)) {
		close(fd);
		return -ENXIO;
	}
	return fd;
}

static void *helper(void *arg)
{
	struct pending *p = arg;
	uint64_t one = 1;
	bool timed;
	sigset_t set;
	timer_t tm;
	int64_t r;

	/* Only the loop's kick (SIGUSR1, no SA_RESTART) may interrupt the call. */
	sigfillset(&set);
	sigdelset(&set, SIGUSR1);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
	r = p->req.ident.set ? ident_take(&p->req.ident) : 0;
	timed = !r && p->req.op == PENDING_OPEN && p->req.fifo_reader && recheck_timer(&tm);
	while (!r || r == -EINTR) {
		r = helper_call(p);
		if (r != -EINTR || atomic_load(&p->abandoned))
			break;
	}
	if (timed)
		timer_delete(tm);
	if (p->req.op != PENDING_OPEN) {
		close(p->req.sockfd);
		free(p->req.buf);
		if (r == -ENOENT && p->req.enoent_errno)
			r = -p->req.enoent_errno;
	} else if (p->req.close_path_fd) {
		close(p->req.path_fd);
	}
	p->result = r;
	atomic_store_explicit(&p->done, true, memory_order_release);
	(void)!write(p->efd, &one, sizeof(one));
	return NULL;
}

static struct pending_set *set_of(struct sandbox *sb)
{
	if (!sb->pending) {
		struct pending_set *s = calloc(1, sizeof(*s));

		if (!s)
			return NULL;
		s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (s->efd < 0) {
			free(s);
			return NULL;
		}
		sb->pending = s;
	}
	return sb->pending;
}

int64_t pending_start(struct sys_call *c, const struct pending_req *req)
{
	struct pending_set *s = set_of(c->sb);
	bool over = s && req->op == PENDING_SEND && req->len > PENDING_BYTES_MAX - s->bytes;
	struct pending *p;
	pthread_attr_t attr;
	int err;

	if (!s || s->n >= PENDING_MAX || over || !(p = calloc(1, sizeof(*p)))) {
		if (req->op != PENDING_OPEN) {
			close(req->sockfd);
			free(req->buf);
		} else if (req->close_path_fd) {
			close(req->path_fd);
		}
		return over ? -ENOBUFS : s && s->n >= PENDING_MAX ? -EAGAIN : -ENOMEM;
	}
	p->req = *req;
	p->id = c->id;
	p->efd = s->efd;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	err = pthread_create(&p->thread, &attr, helper, p);
	pthread_attr_destroy(&attr);
	if (err) {
		if (req->op != PENDING_OPEN) {
			close(req->sockfd);
			free(req->buf);
		} else if (req->close_path_fd) {
			close(req->path_fd);
		}
		free(p);
		return -EAGAIN;
	}
	p->next = s->head;
	s->head = p;
	s->n++;
	if (req->op == PENDING_SEND)
		s->bytes += req->len;
	return SYS_PENDING;
}

bool pending_any(struct sandbox *sb)
{
	return sb->pending && sb->pending->n;
}

/* The helper is done: answer its notification (ENOENT: the thread is gone, nothing to say). */
static void answer(struct sandbox *sb, struct pending *p)
{
	struct seccomp_notif_resp resp = { .id = p->id };

	if (p->req.op == PENDING_WAKE) {
		if (atomic_load(&p->abandoned))
			return;
		/* The call again, as itself; a thread that cannot be made to: EINTR, as a signal would. */
		if (!guest_syscall_redirect(p->req.tid, p->req.nr, p->req.nr, p->req.arg0))
			return;
		p->result = -EINTR;
	}
	if (p->req.op == PENDING_OPEN && p->result >= 0) {
		struct seccomp_notif_addfd addfd = {
			.id = p->id,
			.flags = SECCOMP_ADDFD_FLAG_SEND,
			.srcfd = (uint32_t)p->result,
			.newfd_flags = p->req.newfd_flags,
		};
		int done = ioctl(sb->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
		int err = errno;

		close((int)p->result);
		if (done >= 0 || err == ENOENT)
			return;
		resp.error = -err; /* EMFILE: the guest's fd table is full */
	} else if (p->result < 0) {
		resp.error = (int32_t)p->result;
	} else {
		resp.val = p->result;
	}
	ioctl(sb->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

void pending_service(struct sandbox *sb)
{
	struct pending_set *s = sb->pending;
	uint64_t n;

	if (!s)
		return;
	(void)!read(s->efd, &n, sizeof(n));
	for (struct pending **pp = &s->head; *pp;) {
		struct pending *p = *pp;

		if (atomic_load_explicit(&p->done, memory_order_acquire)) {
			pthread_join(p->thread, NULL);
			answer(sb, p);
			*pp = p->next;
			s->n--;
			if (p->req.op == PENDING_SEND)
				s->bytes -= p->req.len;
			free(p);
			continue;
		}
		if (!atomic_load(&p->abandoned) && notif_id_valid(sb->listener, p->id))
			atomic_store(&p->abandoned, true);
		/* Repeated until it returns: a kick may land before the helper blocks. */
		if (atomic_load(&p->abandoned))
			pthread_kill(p->thread, SIGUSR1);
		pp = &p->next;
	}
}

void pending_flush_abandoned(struct sandbox *sb)
{
	struct pending_set *s = sb->pending;
	bool waiting = true;

	if (!s)
		return;
	for (int tries = 0; waiting && tries < 200; tries++) {
		waiting = false;
		for (struct pending *p = s->head; p; p = p->next) {
			if (atomic_load_explicit(&p->done, memory_order_acquire))
				continue;
			if (!atomic_load(&p->abandoned) && notif_id_valid(sb->listener, p->id))
				atomic_store(&p->abandoned, true);
			if (atomic_load(&p->abandoned)) {
				pthread_kill(p->thread, SIGUSR1);
				waiting = true;
			}
		}
		if (waiting)
			usleep(100);
	}
}

void pending_settle(struct sandbox *sb, const char *path, int acc)
{
	struct pending_set *s = sb->pending;
	bool waiting = true;

	if (!s)
		return;
	for (int tries = 0; waiting && tries < 500; tries++) {
		waiting = false;
		for (struct pending *p = s->head; p; p = p->next)
			if (p->req.op == PENDING_OPEN && (p->req.flags & O_ACCMODE) == acc &&
			    !strcmp(p->req.path, path) &&
			    !atomic_load_explicit(&p->done, memory_order_acquire) &&
			    !atomic_load(&p->abandoned))
				waiting = true;
		if (waiting)
			usleep(100);
	}
	pending_service(sb);
}

bool pending_wait(struct sandbox *sb)
{
	struct pollfd pfd[2] = { { .fd = sb->listener, .events = POLLIN },
				 { .fd = sb->pending->efd, .events = POLLIN } };

	if (poll(pfd, 2, PENDING_TICK_MS) <= 0)
		return false;
	return pfd[0].revents & POLLIN;
}

void pending_cleanup(struct sandbox *sb)
{
	struct pending_set *s = sb->pending;

	if (!s || s->n)
		return;
	close(s->efd);
	free(s);
	sb->pending = NULL;
}
