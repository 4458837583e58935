// SPDX-License-Identifier: MIT
/*
 * Opening a /proc object for a guest, judged by the host as the guest.
 *
 * A /proc file's own checks (ptrace_may_access() for mem, maps, environ,
 * fd/...; the capabilities of the opener for sysctls) look at the opening
 * *process*, not only at its fsuid: the supervisor's thread with the
 * guest's fsuid would still pass them as itself (any process may open its
 * own /proc/PID/mem; its capabilities). So a walk that left a mount and
 * ends in /proc is opened by a short-lived helper process that holds the
 * guest's whole identity (uids, gids, groups, and the capabilities the
 * guest holds in the initial user namespace: none when it lives in another
 * one) and nothing of the supervisor's, and hands the fd back (SCM_RIGHTS).
 *
 * The path is the resolved one (procfs.c: no "self", no symlink but a
 * final magic link): the helper opens its directory with
 * RESOLVE_NO_SYMLINKS and the last component from there, so nothing in
 * it can name the helper itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vfs.h"

/* How long a helper may take (an open that blocks, a FIFO): then EINTR, as a signal would. */
#define ASGUEST_TIMEOUT_MS 2000

struct identity {
	unsigned int uid[4], gid[4];    /* real, effective, saved, fs */
	gid_t groups[256];
	int ngroups;
	unsigned long long cap_eff, cap_prm;
	mode_t umask;
};

static int identity_parse(char *buf, struct identity *id)
{
	unsigned int seen = 0;

	id->umask = 022;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned int *v = NULL;

		if (!strncmp(line, "Uid:", 4))
			v = id->uid, seen |= 1;
		else if (!strncmp(line, "Gid:", 4))
			v = id->gid, seen |= 2;
		if (v && sscanf(line + 4, "%u %u %u %u", &v[0], &v[1], &v[2], &v[3]) != 4)
			return -ESRCH;
		if (!strncmp(line, "Groups:", 7)) {
			char *s = line + 7, *end;

			for (id->ngroups = 0; id->ngroups < 256; id->ngroups++) {
				unsigned long g = strtoul(s, &end, 10);

				if (end == s)
					break;
				id->groups[id->ngroups] = (gid_t)g;
				s = end;
			}
		}
		if (sscanf(line, "CapEff: %llx", &id->cap_eff) == 1)
			seen |= 4;
		if (sscanf(line, "CapPrm: %llx", &id->cap_prm) == 1)
			seen |= 8;
		sscanf(line, "Umask: %o", &id->umask);
	}
	return seen == 15 ? 0 : -ESRCH;
}

/* The guest thread's identity; its capabilities count only in the supervisor's user namespace. */
static int identity_of(pid_t tid, struct identity *id)
{
	char path[64], buf[4096];
	struct stat mine, its;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	n = proc_read(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return n;
	memset(id, 0, sizeof(*id));
	if (identity_parse(buf, id))
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d/ns/user", tid);
	if (stat(path, &its) || stat("/proc/self/ns/user", &mine) || its.st_ino != mine.st_ino ||
	    its.st_dev != mine.st_dev)
		id->cap_eff = id->cap_prm = 0;
	return 0;
}

/* In the helper: raw syscalls only (a fork of a threaded process). */
static int helper_become(const struct identity *id)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };

	if (syscall(SYS_setgroups, id->ngroups, id->groups) ||
	    syscall(SYS_setresgid, id->gid[0], id->gid[1], id->gid[2]) ||
	    syscall(SYS_prctl, PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
	    syscall(SYS_setresuid, id->uid[0], id->uid[1], id->uid[2]))
		return -1;
	syscall(SYS_setfsgid, id->gid[3]);
	syscall(SYS_setfsuid, id->uid[3]);
	d[0].effective = (uint32_t)id->cap_eff;
	d[1].effective = (uint32_t)(id->cap_eff >> 32);
	d[0].permitted = (uint32_t)id->cap_prm;
	d[1].permitted = (uint32_t)(id->cap_prm >> 32);
	if (syscall(SYS_capset, &h, d))
		return -1;
	syscall(SYS_umask, id->umask & 0777);
	return 0;
}

static int send_fd(int sock, int fd, int err)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &err, sizeof(err) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (fd >= 0) {
		m.msg_control = cbuf;
		m.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return sendmsg(sock, &m, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	int err = EIO, fd = -1;
	struct iovec iov = { &err, sizeof(err) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	struct pollfd p = { sock, POLLIN, 0 };

	if (poll(&p, 1, ASGUEST_TIMEOUT_MS) != 1)
		return -EINTR;
	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(err))
		return -EIO;
	cm = CMSG_FIRSTHDR(&m);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd >= 0 ? fd : -(err ? err : EIO);
}

static __attribute__((noreturn)) void helper_run(int sock, const struct identity *id, const char *dir,
						  const char *base, int flags, mode_t mode)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS };
	int dfd, fd = -1;

	if (helper_become(id)) {
		send_fd(sock, -1, EPERM);
		_exit(1);
	}
	dfd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));
	if (dfd >= 0)
		fd = (int)syscall(SYS_openat, dfd, base, flags | O_CLOEXEC, mode);
	send_fd(sock, fd, fd < 0 ? errno : 0);
	_exit(0);
}

/*
 * The guest's own process: Linux never refuses a process its own /proc
 * entries on ptrace grounds (same_thread_group() in __ptrace_may_access()),
 * which no other process can stand for; only the files' modes count, so
 * the supervisor's thread opens it with the guest's file-system identity.
 */
static int own_proc_open(struct sys_call *c, const char *dir, const char *base, int flags, mode_t mode)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS };
	const struct guest_cred *gc;
	int dfd, fd, err = sys_cred(c, &gc);

	if (err)
		return err;
	err = cred_host_enter_own_proc(&gc->fs);
	if (err)
		return err;
	dfd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));
	fd = dfd < 0 ? -errno : openat(dfd, base, flags | O_CLOEXEC, mode);
	if (dfd >= 0 && fd < 0)
		fd = -errno;
	cred_host_leave();
	if (dfd >= 0)
		close(dfd);
	return fd;
}

static bool is_own_process(struct sys_call *c, const char *path)
{
	const struct guest_cred *gc;
	pid_t pid;

	return proc_pid_part(path, &pid) && !sys_cred(c, &gc) && proc_tgid(pid) == gc->tgid;
}

int asguest_open(struct sys_call *c, const char *path, int flags, mode_t mode)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct identity id;
	int sv[2], fd, err;
	pid_t pid;

	if (path[0] != '/' || !slash || !slash[1] || (size_t)(slash - path) >= sizeof(dir))
		return -ENOENT;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (is_own_process(c, path))
		return own_proc_open(c, dir[0] ? dir : "/", slash + 1, flags, mode);
	err = identity_of(c->tid, &id);
	if (err)
		return err;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -errno;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		helper_run(sv[1], &id, dir[0] ? dir : "/", slash + 1, flags, mode);
	}
	close(sv[1]);
	fd = pid < 0 ? -errno : recv_fd(sv[0]);
	close(sv[0]);
	if (pid > 0) {
		kill(pid, SIGKILL); /* done, or past its time */
		waitpid(pid, NULL, __WALL);
	}
	return fd;
}
