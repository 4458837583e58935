/* A tracked thread's failing KCOV_ENABLE runs task_reap_exiting(); if its own process is SIGKILLed
 * meanwhile, the scan releases (frees) the very ktask being served, then kcovfs_ioctl retries with it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/kcov.h>
#define NTHR 40
static pthread_barrier_t bar;
static int kcov_new(void) { int k = open("/sys/kernel/debug/kcov", O_RDWR); ioctl(k, KCOV_INIT_TRACE, 512UL); return k; }
static void *tracer(void *a) {
	(void)a; int k = kcov_new(); ioctl(k, KCOV_ENABLE, 0UL);
	pthread_barrier_wait(&bar);
	for (;;)
		pause();
	return NULL;
}
int main(void) {
	srand(time(NULL));
	for (int it = 0; it < 60; it++) {
		pid_t p = fork();
		if (p == 0) { prctl(PR_SET_PDEATHSIG, SIGKILL);
			pthread_t t; pthread_barrier_init(&bar, NULL, NTHR + 1);
			for (int i = 0; i < NTHR; i++) pthread_create(&t, NULL, tracer, NULL);
			pthread_barrier_wait(&bar);
			int k1 = kcov_new(), k2 = kcov_new();
			ioctl(k1, KCOV_ENABLE, 0UL);          /* this thread is tracked too */
			write(1, "", 0);
			for (;;) ioctl(k2, KCOV_ENABLE, 0UL); /* EBUSY -> task_reap_exiting() every time */
		}
		usleep(20000 + rand() % 20000);
		kill(p, SIGKILL); waitpid(p, NULL, 0);
	}
	printf("done\n");
	return 0;
}
