/*
 * kcovtrace style: the parent initialises and maps, the child enables and
 * execs. Tracing survives execve for the same thread: the new image maps the
 * inherited fd again, sees its own probe, and can DISABLE (it still owns the
 * kcov); the parent sees the PCs after waitpid.
 */
#include "kcov_test.h"
#include <sys/wait.h>

static int exec_child(int fd)
{
	unsigned long *area = kt_map(fd, KT_COVER_SIZE, PROT_READ | PROT_WRITE);

	area[0] = 0;
	kt_probe();
	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "count after execve and a probe: expected > 0 got %lu", n);
	CHECK_PCS(area, n);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	return kt_failed;
}

int main(int argc, char **argv)
{
	unsigned long *area;
	char fdstr[16];
	int status;

	if (argc == 3 && strcmp(argv[1], "--exec-child") == 0)
		return exec_child(atoi(argv[2]));

	int fd = kt_setup(KT_COVER_SIZE, &area);	/* no O_CLOEXEC: the exec'd image needs it */
	snprintf(fdstr, sizeof(fdstr), "%d", fd);

	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork: expected success got %s", kt_errname(errno));
	if (pid == 0) {
		char *args[] = { argv[0], "--exec-child", fdstr, NULL };

		CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
		execv("/proc/self/exe", args);
		kt_fail(__FILE__, __LINE__, "execv(/proc/self/exe): expected success got %s",
			kt_errname(errno));
		_exit(1);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid: expected %d", (int)pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "exec'd child status: expected exit 0 got %#x", status);

	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "parent's view after the exec'd child: expected > 0 got %lu", n);
	CHECK_PCS(area, n);
	/* the child disabled it: free for the parent */
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return kt_failed;
}
