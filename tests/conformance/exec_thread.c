/*
 * execve by a thread that is not its process's leader: Linux gives it the
 * leader's TID (de_thread) and its kcov stays enabled on the same task. The
 * new image's syscalls are traced into the area, and it owns the kcov: its
 * KCOV_DISABLE succeeds.
 */
#include "kcov_test.h"
#include <pthread.h>
#include <sys/wait.h>

static int kfd;
static char *self;

static void *exec_from_thread(void *arg)
{
	char fdarg[16];

	(void)arg;
	if (ioctl(kfd, KCOV_ENABLE, KCOV_TRACE_PC))
		_exit(10);
	snprintf(fdarg, sizeof(fdarg), "%d", kfd);
	execl(self, self, "--exec-child", fdarg, (char *)NULL);
	_exit(11);
}

int main(int argc, char **argv)
{
	unsigned long *area;
	pid_t child;
	int st;

	if (argc == 3 && !strcmp(argv[1], "--exec-child")) {
		for (int i = 0; i < 5; i++)
			kt_probe();
		/* 12: the exec'd image does not own the kcov it enabled as a thread. */
		return ioctl(atoi(argv[2]), KCOV_DISABLE, 0UL) ? 12 : 0;
	}
	self = argv[0];
	kfd = kt_setup(KT_COVER_SIZE, &area);
	child = fork();
	REQUIRE(child >= 0, "fork: expected success");
	if (child == 0) {
		pthread_t t;

		pthread_create(&t, NULL, exec_from_thread, NULL);
		for (;;)
			pause();
	}
	REQUIRE(waitpid(child, &st, 0) == child, "waitpid: expected the child");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the exec'd image: expected exit 0 got status %#x (10 enable, 11 exec, 12 disable failed)", st);
	CHECK(kt_count(area, KT_COVER_SIZE) > 0, "area after the exec'd image's probes: expected > 0 got 0");
	return kt_failed;
}
