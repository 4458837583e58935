/*
 * The main thread enables a kcov and leaves with pthread_exit() while
 * another thread goes on. Linux disables the leader's kcov in do_exit() (it
 * stays a zombie until the process ends), so the other thread may enable the
 * same fd; the fd is still that kcov (read: EINVAL), and new opens work.
 * Under ukcov this is the case a leader's pidfd cannot serve on kernels
 * before 6.9: the leader's fd table is gone, the thread's is not.
 */
#include "kcov_test.h"
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>

static int fd;
static unsigned long *area;
static pid_t leader;

/* The leader is a zombie: its exit has run do_exit() past the kcov. */
static int leader_state(void)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int sfd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", leader);
	sfd = open(path, O_RDONLY);
	if (sfd < 0)
		return 'X';
	n = read(sfd, buf, sizeof(buf) - 1);
	close(sfd);
	if (n <= 0)
		return 'X';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] ? p[2] : '?';
}

static void *worker(void *arg)
{
	const struct timespec tick = { 0, 1000000 };
	char c;
	int i, fd2;

	(void)arg;
	for (i = 0; i < 5000 && leader_state() != 'Z' && leader_state() != 'X'; i++)
		nanosleep(&tick, NULL);
	REQUIRE(i < 5000, "leader's exit: expected a zombie within 5 s, state %c", leader_state());
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	area[0] = 0;
	kt_probe();
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "worker's count on the leader's fd: expected > 0 got %lu", n);
	CHECK_PCS(area, n);
	CHECK_ERR(read(fd, &c, 1), EINVAL);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	fd2 = kt_open();
	CHECK(fd2 >= 0, "open after the leader's exit: expected an fd got %d", fd2);
	CHECK_ERR(read(fd2, &c, 1), EINVAL);
	close(fd2);
	close(fd);
	exit(kt_failed);
}

int main(void)
{
	pthread_t t;

	leader = getpid();
	fd = kt_setup(KT_COVER_SIZE, &area);
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	kt_probe();
	REQUIRE(pthread_create(&t, NULL, worker, NULL) == 0, "pthread_create: expected 0");
	pthread_exit(NULL);	/* exits still enabled */
}
