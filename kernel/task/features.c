// SPDX-License-Identifier: MIT
/*
 * What the host kernel offers, probed once before the guest runs.
 *
 * The floor is Linux 5.14: seccomp user notification answers an open(2)
 * with a new fd atomically only with SECCOMP_ADDFD_FLAG_SEND (5.14), and
 * the fd layer needs pidfd_open (5.3) and pidfd_getfd (5.6). Below that,
 * `ukcov run` stops before the guest starts, naming what is missing; it never
 * fails later with some syscall's errno.
 *
 * Newer features each have a fallback with the same guest-visible result:
 *   PIDFD_THREAD (6.9)   thread handles are /proc/TID directory fds
 *                        (task/tasks.c); thread exit is seen by a sweep
 *                        and checked wherever it changes an answer
 *   SYNC_WAKE_UP (6.6)   plain wake-ups: slower round trips, nothing else
 *   io_uring exit watch  (entry/exitwatch.c; with PIDFD_THREAD only) one
 *                        epoll_wait per traced call and a poll per fd
 *                        lookup, as the check of a thread's exit

 * UKCOV_FORCE_FALLBACKS (cli/cmd_run.c) turns the features off on a kernel
 * that has them, so that the old kernels' paths are tested everywhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "task.h"
#include "../sandbox.h"
#include "task.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif
#ifndef SECCOMP_ADDFD_FLAG_SEND
#define SECCOMP_ADDFD_FLAG_SEND (1UL << 1)
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

static char missing[160];

static int lacks(const char *what, const char *since)
{
	struct utsname u;

	if (uname(&u))
		strcpy(u.release, "?");
	snprintf(missing, sizeof(missing),
		 "this kernel (Linux %s) lacks %s (Linux %s); ukcov run needs Linux 5.14 or later",
		 u.release, what, since);
	return -ENOSYS;
}

int features_probe(struct sandbox *sb, unsigned int force, const char **what)
{
	int pidfd, fd;

	pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0 && errno == ENOSYS) {
		*what = missing;
		return lacks("pidfd_open", "5.3");
	}
	if (pidfd < 0) {
		*what = "pidfd_open of the supervisor itself";
		return -errno;
	}
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, pidfd, 0);
	if (fd < 0 && errno == ENOSYS) {
		close(pidfd);
		*what = missing;
		return lacks("pidfd_getfd", "5.6");
	}
	if (fd >= 0)
		close(fd);
	close(pidfd);
	/* Before 6.9 pidfd_open() takes no flag but O_NONBLOCK: EINVAL. */
	fd = (int)syscall(SYS_pidfd_open, getpid(), PIDFD_THREAD);
	sb->feat.pidfd_thread = fd >= 0;
	if (fd >= 0)
		close(fd);
	sb->feat.forced = force;
	if (force & SANDBOX_FALLBACK_PIDFD_THREAD)
		sb->feat.pidfd_thread = false;
	return 0;
}

int features_probe_listener(struct sandbox *sb, unsigned int force, const char **what)
{
	struct seccomp_notif_addfd addfd = {
		.id = 0, /* ids start at a random 64-bit cookie: none is 0 in practice */
		.flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = (uint32_t)sb->listener,
	};

	/* 5.14+ looks the notification up and finds none: ENOENT. Before: EINVAL for the flag. */
	if (ioctl(sb->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) == 0 || errno != ENOENT) {
		*what = missing;
		return lacks("SECCOMP_ADDFD_FLAG_SEND", "5.14");
	}
	/*
	 * Wake the server on the guest's CPU: about 5x faster round trips where
	 * the kernel has it (6.6+). The flags go by value, not by pointer.
	 */
	sb->feat.sync_wakeup = !sb->no_sync_wakeup && !(force & SANDBOX_FALLBACK_SYNC_WAKEUP) &&
			       ioctl(sb->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
				     SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
	return 0;
}

void features_report(const struct sandbox *sb)
{
	struct utsname u;
	const char *forced = " (forced by UKCOV_FORCE_FALLBACKS)";

	if (uname(&u))
		strcpy(u.release, "?");
	fprintf(stderr, "ukcov: host kernel Linux %s\n", u.release);
	if (sb->feat.pidfd_thread)
		fprintf(stderr, "ukcov: thread handles: PIDFD_THREAD pidfds (Linux 6.9+), exits seen by epoll\n");
	else
		fprintf(stderr, "ukcov: thread handles: /proc/TID directory fds, exits seen by a %d ms sweep "
			"and checked at KCOV_ENABLE (fallback for PIDFD_THREAD, Linux 6.9)%s\n",
			TASK_SWEEP_MS, sb->feat.forced & SANDBOX_FALLBACK_PIDFD_THREAD ? forced : "");
	if (sb->feat.pidfd_thread)
		fprintf(stderr, "ukcov: exit watch: %s\n", sb->exitwatch ?
			"io_uring poll of the reap set and the inotify fd (no syscall per traced call)" :
			sb->feat.forced & SANDBOX_FALLBACK_EXIT_WATCH ?
			"none, epoll asked per traced call (forced by UKCOV_FORCE_FALLBACKS)" :
			"none (io_uring unavailable), epoll asked per traced call");
	if (sb->feat.sync_wakeup)
		fprintf(stderr, "ukcov: supervisor wake-up: SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6+)\n");
	else
		fprintf(stderr, "ukcov: supervisor wake-up: plain, slower round trips (fallback for "
			"SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, Linux 6.6)%s\n",
			sb->no_sync_wakeup ? " (--no-sync-wakeup)" :
			sb->feat.forced & SANDBOX_FALLBACK_SYNC_WAKEUP ? forced : "");
}
