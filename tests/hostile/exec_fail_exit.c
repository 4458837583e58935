/*
 * A traced non-leader thread whose execve fails and which then exits without
 * another trapped syscall: its kcov must be disabled at its exit, as Linux's
 * do_exit() does, and must not pass to the process's leader (the supervisor
 * takes the thread's exit for a successful exec, which de_thread() would
 * have made the leader). The leader then enables the same kcov: Linux says 0.
 * Found by make fuzz. Exit 0 pass, 1 fail, 77 skip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kcov.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int kfd;
static pid_t tid;

static void *thread_main(void *arg)
{
	char *const argv[] = { "nonexistent", NULL };

	(void)arg;
	tid = gettid();
	if (ioctl(kfd, KCOV_ENABLE, KCOV_TRACE_PC))
		return (void *)1;
	execve("/nonexistent/ukcov-exec-fail", argv, argv + 1);
	return NULL; /* ENOENT; the thread exits, kcov still enabled */
}

int main(void)
{
	pthread_t th;
	void *ret;
	char path[64];
	struct stat st;

	kfd = open("/sys/kernel/debug/kcov", O_RDWR);
	if (kfd < 0) {
		printf("skip: no kcov\n");
		return 77;
	}
	if (ioctl(kfd, KCOV_INIT_TRACE, 1024) ||
	    mmap(NULL, 1024 * 8, PROT_READ | PROT_WRITE, MAP_SHARED, kfd, 0) == MAP_FAILED) {
		perror("kcov setup");
		return 1;
	}
	if (pthread_create(&th, NULL, thread_main, NULL) || pthread_join(th, &ret) || ret) {
		printf("FAIL: the thread could not enable kcov\n");
		return 1;
	}
	/* Until the thread is fully gone (release_task), as Linux has disabled its kcov by then. */
	snprintf(path, sizeof(path), "/proc/self/task/%d", tid);
	for (int i = 0; i < 1000 && stat(path, &st) == 0; i++)
		usleep(1000);
	usleep(20000);
	if (ioctl(kfd, KCOV_ENABLE, KCOV_TRACE_PC)) {
		printf("FAIL: the leader's KCOV_ENABLE after the thread exited: %s (Linux: 0)\n", strerror(errno));
		return 1;
	}
	ioctl(kfd, KCOV_DISABLE, 0);
	printf("ok\n");
	return 0;
}
