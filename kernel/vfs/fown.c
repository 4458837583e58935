// SPDX-License-Identifier: MIT
/*
 * A description's holder and its owner's signal (struct fown_struct,
 * send_sigio()), for what ukcov keeps on a mount file's descriptions for
 * Linux: leases (lease.c) and dnotify (dnotify.c).
 *
 * ukcov keeps no reference to a guest's description (one would hold back
 * the final close that Linux's own bookkeeping ends with), so a holder is
 * the process and fd that set it: kcmp(KCMP_FILE) tells whether another
 * fd is the same description, and a holder whose fd no longer leads to the
 * file has closed it.
 *
 * The signal goes to the description's owner (F_SETOWN, F_SETOWN_EX) as
 * the host description records it: SIGIO, or F_SETSIG's signal with si_fd.
 * ukcov sends it, so it arrives with si_code SI_QUEUE where Linux's says
 * POLL_MSG (a deviation), and never with the supervisor's privileges.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vfs.h"

bool holder_alive(const struct kfile *f, const struct holder *h)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", h->tgid, h->fd);
	return !stat(path, &st) && st.st_dev == f->dev && st.st_ino == f->ino;
}

bool holder_same_desc(pid_t tgid, int fd, const struct holder *h)
{
	return syscall(SYS_kcmp, tgid, h->tgid, KCMP_FILE, fd, h->fd) == 0;
}

bool holder_same_files(pid_t tgid, const struct holder *h)
{
	return tgid == h->tgid || syscall(SYS_kcmp, tgid, h->tgid, KCMP_FILES, 0, 0) == 0;
}

/* A task's thread group and real, effective and saved uid (/proc/PID/status). */
static int task_ids(pid_t pid, pid_t *tgid, uint32_t uid[3])
{
	char path[64], buf[4096];
	const char *t, *u;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (proc_read(AT_FDCWD, path, buf, sizeof(buf)) < 0)
		return -ESRCH;
	t = strstr(buf, "\nTgid:");
	u = strstr(buf, "\nUid:");
	if (!t || !u || sscanf(t, "\nTgid: %d", tgid) != 1 ||
	    sscanf(u, "\nUid: %u %u %u", &uid[0], &uid[1], &uid[2]) != 3)
		return -ESRCH;
	return 0;
}

/*
 * sigio_perm(): whether the owner's setter may signal task pid. Linux
 * judges the credentials F_SETOWN recorded; ukcov takes the holder
 * process's. Never the supervisor: the signal is sent with its privileges.
 */
static bool may_signal(pid_t holder, pid_t pid, pid_t *tgid)
{
	uint32_t h[3], p[3];
	pid_t htgid;

	if (task_ids(holder, &htgid, h) || task_ids(pid, tgid, p) || *tgid == getpid())
		return false;
	return h[1] == 0 || h[1] == p[2] || h[1] == p[0] || h[0] == p[2] || h[0] == p[0];
}

/* send_sigio_to_task(): the signal with si_fd and POLL_MSG's band, or plain SIGIO. */
static void deliver(const struct sigio *s, pid_t tgid, pid_t pid, bool later)
{
	struct sig_out o = { .tgid = s->type == F_OWNER_TID ? tgid : pid,
			     .tid = s->type == F_OWNER_TID ? pid : 0, .sig = SIGIO };

	if (s->sig > 0) {
		o.info = true;
		o.si.si_signo = s->sig;
		o.si.si_code = SI_QUEUE;
		o.si.si_band = POLLIN | POLLRDNORM | POLLMSG;
		o.si.si_fd = s->fd;
	}
	if (later)
		sig_send_later(&o);
	else
		sig_send(&o);
}

/* The members of process group pgrp that the holder may signal get it. */
static void deliver_pgrp(const struct sigio *s, bool later)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char path[64], buf[512];
		pid_t pid = (pid_t)atoi(e->d_name), g = 0, tgid;
		const char *rp;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if (pid <= 0 || proc_read(AT_FDCWD, path, buf, sizeof(buf)) < 0)
			continue;
		rp = strrchr(buf, ')'); /* after the command name, which may hold anything */
		if (rp && sscanf(rp, ") %*c %*d %d", &g) == 1 && g == s->pid &&
		    may_signal(s->holder, pid, &tgid))
			deliver(s, tgid, pid, later);
	}
	if (d)
		closedir(d);
}

int sigio_of(const struct kfile *f, const struct holder *h, struct sigio *s)
{
	struct f_owner_ex own = { 0 };
	int pidfd = (int)syscall(SYS_pidfd_open, h->tgid, 0), hfd;
	bool sig_own = tmpfs_mount_private_store(tmpfs_file_mount(f->priv));

	hfd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, h->fd, 0);
	if (pidfd >= 0)
		close(pidfd);
	if (hfd < 0)
		return -EBADF;
	memset(s, 0, sizeof(*s));
	if (fcntl(hfd, F_GETOWN_EX, &own) || own.pid <= 0) {
		close(hfd);
		return -ESRCH; /* no owner: send_sigio() sends nothing */
	}
	/* without the private store F_GETSIG holds ukcov's tag: the guest's is 0 */
	s->sig = sig_own ? fcntl(hfd, F_GETSIG) : 0;
	close(hfd);
	s->type = own.type;
	s->pid = own.pid;
	s->holder = h->tgid;
	s->fd = h->fd;
	return 0;
}

void sigio_send(const struct sigio *s, bool later)
{
	pid_t tgid;

	if (s->type == F_OWNER_PGRP)
		deliver_pgrp(s, later);
	else if (may_signal(s->holder, s->pid, &tgid))
		deliver(s, tgid, s->pid, later);
}
