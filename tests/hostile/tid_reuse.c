/* Guest: thread X enables kcov and exits; a later process that gets TID X is charged to X's kcov. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kcov.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#define SZ 4096UL
static int kfd; static pid_t xtid;
static void *thr(void *a) {
	(void)a;
	xtid = (pid_t)syscall(SYS_gettid);
	if (ioctl(kfd, KCOV_ENABLE, KCOV_TRACE_PC)) { perror("enable"); exit(1); }
	return NULL; /* exits with kcov enabled: Linux disables it in do_exit() */
}
/* fork() whose child gets PID `tid`, or -1 (the kernel refused set_tid). */
static pid_t fork_with_tid(pid_t tid) {
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (unsigned long)&tid;
	ca.set_tid_size = 1;
	long r = syscall(SYS_clone3, &ca, sizeof(ca));
	return r < 0 ? -1 : (pid_t)r;
}
int main(void) {
	kfd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (kfd < 0 || ioctl(kfd, KCOV_INIT_TRACE, SZ)) { perror("kcov"); return 1; }
	volatile unsigned long *area = mmap(NULL, SZ * 8, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, 0);
	pthread_t t; pthread_create(&t, NULL, thr, NULL); pthread_join(t, NULL);
	usleep(100000);
	area[0] = 0;
	/*
	 * The child that reuses TID xtid: clone3's set_tid gives it at once to a
	 * guest with CAP_SYS_ADMIN (make check runs as root); otherwise cycle PIDs
	 * with untrapped fork/_exit until a child gets it (pid_max forks). Only
	 * that child makes a trapped call.
	 */
	for (long i = 0; i < 200000; i++) {
		pid_t c = i == 0 ? fork_with_tid(xtid) : -1;
		if (c < 0)
			c = fork();
		if (c == 0) {
			if (getpid() == xtid) { read(-1, NULL, 0); _exit(42); }
			_exit(0);
		}
		int st; waitpid(c, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 42) {
			printf("child %d reused TID of exited tracer after %ld forks\n", c, i);
			printf("area[0] of the dead thread's kcov = %lu [Linux: 0]\n", area[0]);
			return area[0] ? 2 : 0;
		}
	}
	printf("SKIP: no TID was reused within the fork budget\n");
	return 77;
}
