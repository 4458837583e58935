/*
 * nullsup: the floor of any trapped syscall. The smallest seccomp
 * user-notification supervisor: a filter that traps read(-1, ...) and
 * nothing else, and a listener that answers EBADF at once (RECV + SEND, with
 * SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP where the kernel has it, as ukcov
 * does). The child times read(-1) exactly as bench/roundtrip does and
 * prints "null-read-1 MIN MEDIAN ROUNDS" (ns per call) and "null-sync-wakeup 0|1".
 * Usage: nullsup [N calls per round]
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#define ROUNDS 7
/* read(-1, NULL, DONE): the child's last call, so the server needs no exit watch. */
#define DONE 0x6e756c6c

static void op_read(void) { (void)!read(-1, NULL, 0); }

static int install_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_read, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffu, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

static int send_fd(int sock, int fd)
{
	char c = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &m, 0) != 1 || !(cm = CMSG_FIRSTHDR(&m)))
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static int child(int sock, long n)
{
	double r[ROUNDS];
	int listener = install_filter();

	if (listener < 0 || send_fd(sock, listener))
		return 1;
	close(listener);
	/* Wait until the server holds it: the first trapped call must find a listener. */
	if (read(sock, &(char){ 0 }, 1) != 1)
		return 1;
	for (int i = 0; i < ROUNDS; i++) {
		double t = now_ns();

		for (long j = 0; j < n; j++)
			op_read();
		r[i] = (now_ns() - t) / n;
	}
	qsort(r, ROUNDS, sizeof(r[0]), bench_cmp);
	printf("null-read-1 %.0f %.0f %d\n", r[0], r[ROUNDS / 2], ROUNDS);
	fflush(stdout);
	(void)!read(-1, NULL, DONE);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
	int sv[2], listener, status, sync;
	pid_t pid;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return perror("nullsup"), 1;
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		_exit(child(sv[1], n));
	}
	close(sv[1]);
	listener = recv_fd(sv[0]);
	if (listener < 0)
		return fprintf(stderr, "nullsup: no listener\n"), 1;
	sync = !ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP, 0);
	req = calloc(1, sz.seccomp_notif);
	resp = calloc(1, sz.seccomp_notif_resp);
	if (!req || !resp || write(sv[0], "g", 1) != 1)
		return 1;
	for (;;) {
		memset(req, 0, sz.seccomp_notif);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req)) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			break;
		}
		resp->id = req->id;
		resp->val = 0;
		resp->error = -EBADF;
		resp->flags = 0;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
		if (req->data.args[2] == DONE)
			break;
	}
	waitpid(pid, &status, 0);
	printf("null-sync-wakeup %d\n", sync);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
