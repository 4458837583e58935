/* SPDX-License-Identifier: MIT */
/*
 * Syscalls that block (a FIFO open waiting for its other side, a Unix
 * connect waiting for a full backlog) must not block the serving loop. The
 * handler hands the blocking host call to a helper thread and returns
 * SYS_PENDING: the notification is kept, the loop goes on serving other
 * threads, and answers it when the helper is done (task/pending.c).
 *
 * A guest thread interrupted by a signal while it waits leaves the seccomp
 * wait with -ERESTARTSYS (its notification becomes invalid; the syscall is
 * restarted or fails with EINTR, as Linux's wait_for_partner() does). The
 * loop sees that with SECCOMP_IOCTL_NOTIF_ID_VALID and interrupts the
 * helper's host call (SIGUSR1, no SA_RESTART), so the host object forgets
 * the waiter as it would a Linux waiter: a FIFO's reader or writer count
 * drops again, and whatever the helper got (an fd) is closed.
 */
#ifndef UKCOV_PENDING_H
#define UKCOV_PENDING_H

#include <limits.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "task.h"

/* Handler result: the notification is kept and answered later (pending_start()). */
#define SYS_PENDING (INT64_MIN + 5)

enum pending_op {
	PENDING_OPEN,     /* open(path, flags): the fd is installed in the guest */
	PENDING_CONNECT,  /* connect(sockfd, addr): 0 or -errno */
	PENDING_SEND,     /* sendto(sockfd, buf, len, flags, addr): the count or -errno */
	/*
	 * A wait for ukcov's own state (a lease break): until sockfd (an
	 * eventfd, taken) is written or timeout_ms pass; then the guest thread
	 * makes its call again (guest_syscall_redirect() to itself), which
	 * traps anew and finds the state changed.
	 */
	PENDING_WAKE,
};

/*
 * A guest's identity as the host kernel knows it (the deputy rule,
 * docs/security.md): the helper thread takes it before its call, so that
 * the host judges the guest (permissions, the path walk) and a peer sees
 * the guest's uid, gid and groups (SO_PEERCRED, SCM_CREDENTIALS), never
 * the supervisor's. The thread ends with its call: nothing to give back.
 */
#define PENDING_NGROUPS 64
struct pending_ident {
	bool set;                     /* false: the supervisor's own (a FIFO it opens) */
	uint32_t uid[3], gid[3];      /* real, effective, saved */
	uint32_t fsuid, fsgid;
	uint32_t ngroups;
	uint32_t groups[PENDING_NGROUPS];
	uint64_t caps;                /* effective, in the supervisor's user namespace */
	/*
	 * SEND: the guest's process, given as its SCM_CREDENTIALS (what Linux
	 * fills in for a sender that gives none: its tgid, real uid and gid).
	 * Naming another pid takes CAP_SYS_ADMIN, which the helper keeps for
	 * the send alone (it grants no file access).
	 */
	pid_t pid;
	/*
	 * The path is a name ukcov made in its private directory (the tmpfs
	 * node's permissions were checked): looked up with the supervisor's
	 * file identity (fsuid, fsgid, CAP_DAC_*), the rest the guest's.
	 */
	bool private_name;
};

struct pending_req {
	enum pending_op op;
	struct pending_ident ident;   /* CONNECT, SEND: who makes the call */
	char path[PATH_MAX];          /* OPEN: the host path */
	int flags;                    /* OPEN: its open flags */
	unsigned int newfd_flags;     /* OPEN: O_CLOEXEC for the guest's fd */
	dev_t expect_rdev;            /* OPEN: when non-zero, the file must be this device */
	/*
	 * OPEN: path_fd (an O_PATH fd of ours, which path names through
	 * /proc/self/fd) is taken, closed once the open is done
	 */
	bool close_path_fd;
	int path_fd;
	/*
	 * OPEN of a FIFO's reading end: path_fd is a reader of it made when
	 * the guest's open began, and a writer it saw since ends the wait too
	 * (pending.c's fifo_reader_open())
	 */
	bool fifo_reader;
	int sockfd;                   /* CONNECT: the supervisor's copy of the guest's socket (taken) */
	struct sockaddr_un addr;      /* CONNECT: where to */
	socklen_t addrlen;
	int enoent_errno;             /* CONNECT, SEND: what ENOENT becomes (a socket node nobody bound) */
	void *buf;                    /* SEND: the data (malloc'ed, taken) */
	size_t len;
	int send_flags;
	int timeout_ms;               /* WAKE: at most this long (-1: no limit) */
	pid_t tid;                    /* WAKE: the thread waiting in syscall nr, whose arg0 is arg0 */
	long nr;
	uint64_t arg0;
};

/*
 * Starts req for the notification of c in a helper thread. Returns
 * SYS_PENDING, or -errno when it could not (req->sockfd, req->buf and a
 * taken path_fd are released either way).
 */
int64_t pending_start(struct sys_call *c, const struct pending_req *req);
/*
 * Finishes the waits whose guest thread gave up (a signal) before the
 * caller acts on what they would change: a FIFO open right after a reader
 * was interrupted must not see that reader (Linux's count dropped when the
 * reader's syscall returned). Bounded: a helper that will not return is
 * left to the loop.
 */
void pending_flush_abandoned(struct sandbox *sb);
/*
 * The supervisor just opened host FIFO `path`, and the waiting opens of the
 * other side (access mode acc) return now: answer them before the caller's
 * own open is answered, as Linux's fifo_open() wakes its partners before
 * the opener returns. Else the opener's process could run on, exit and
 * signal a waiter still waiting for our answer: EINTR where Linux gives
 * none (a shell's SIGCHLD). Bounded (50 ms).
 */
void pending_settle(struct sandbox *sb, const char *path, int acc);
/* The loop's side: are helpers running; answer the finished, interrupt the abandoned. */
bool pending_any(struct sandbox *sb);
/* Frees the set once no call is pending (a harness between inputs). */
void pending_cleanup(struct sandbox *sb);
void pending_service(struct sandbox *sb);
/* Waits up to a tick for a notification (true) or a helper's end (false). */
bool pending_wait(struct sandbox *sb);

#endif
