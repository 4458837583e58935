/*
 * Many blocked FIFO opens, against the supervisor (argv[1] is a directory
 * in a mount, or on /dev/shm for the reference): the guest must see Linux's
 * behaviour and the supervisor must survive.
 *   - 64 threads of a child block in open(O_RDONLY); the child is killed:
 *     right after, a non-blocking writer finds no reader (ENXIO);
 *   - 64 threads block in open(O_RDONLY) with a SA_RESTART signal handler
 *     and get signals while they wait: the opens restart, and all complete
 *     once a writer opens; each reads the byte it is sent.
 * Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 64

static char fifo[4200];
static int fds[N];

static void *reader(void *arg)
{
	fds[(long)arg] = open(fifo, O_RDONLY);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	pthread_t t[N];
	int fails = 0, w, st;
	pid_t pid;

	if (argc != 2)
		return 2;
	snprintf(fifo, sizeof(fifo), "%s/waiters", argv[1]);
	if (mkfifo(fifo, 0600))
		return perror("mkfifo"), 1;
	pid = fork();
	if (pid == 0) {
		for (long i = 0; i < N; i++)
			pthread_create(&t[i], NULL, reader, (void *)i);
		pause();
		_exit(0);
	}
	usleep(300000);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	errno = 0;
	w = open(fifo, O_WRONLY | O_NONBLOCK);
	if (w != -1 || errno != ENXIO) {
		fprintf(stderr, "FAIL: readers of a killed process remain (%d, %s)\n", w, strerror(errno));
		fails++;
	}
	if (w >= 0)
		close(w);

	sigaction(SIGUSR1, &sa, NULL);
	for (long i = 0; i < N; i++) {
		fds[i] = -2;
		pthread_create(&t[i], NULL, reader, (void *)i);
	}
	usleep(200000);
	for (int i = 0; i < N; i++)
		pthread_kill(t[i], SIGUSR1);
	usleep(200000);
	for (int i = 0; i < N; i++)
		if (fds[i] != -2) {
			fprintf(stderr, "FAIL: reader %d returned %d without a writer\n", i, fds[i]);
			fails++;
		}
	w = open(fifo, O_WRONLY);
	if (w < 0)
		return perror("writer"), 1;
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < N; i++)
		if (fds[i] < 0) {
			fprintf(stderr, "FAIL: reader %d: %d\n", i, fds[i]);
			fails++;
		}
	for (int i = 0; i < N; i++) {
		char c = (char)i, got = -1;

		if (write(w, &c, 1) != 1)
			fails++;
		for (int j = 0; j < N; j++)
			if (fds[j] >= 0 && read(fds[j], &got, 1) == 1)
				break;
		if (got != c) {
			fprintf(stderr, "FAIL: byte %d read as %d\n", i, got);
			fails++;
		}
	}
	if (!fails)
		printf("fifo_waiters: all passed in %s\n", argv[1]);
	return fails ? 1 : 0;
}
