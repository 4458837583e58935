/*
 * kcovtrace's pattern without exec: the parent initialises and maps, the
 * child enables the inherited fd. The kernel writes into the one shared
 * buffer, so the parent sees the child's PCs after waitpid; the child's exit
 * disabled the fd, so the parent may then enable it itself.
 */
#include "kcov_test.h"
#include <sys/wait.h>

int main(void)
{
	unsigned long *area;
	int status;
	int fd = kt_setup(KT_COVER_SIZE, &area);

	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork: expected success got %s", kt_errname(errno));
	if (pid == 0) {
		CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
		area[0] = 0;
		kt_probe();
		unsigned long n = kt_count(area, KT_COVER_SIZE);
		CHECK(n > 0, "child's count after its probe: expected > 0 got %lu", n);
		_exit(kt_failed);	/* no DISABLE: exit does it */
	}
	REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid: expected %d", (int)pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child status: expected exit 0 got %#x", status);

	unsigned long n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "parent's view of the child's count: expected > 0 got %lu", n);
	CHECK_PCS(area, n);

	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));
	area[0] = 0;
	kt_probe();
	n = kt_count(area, KT_COVER_SIZE);
	CHECK(n > 0, "parent's own count after child exited: expected > 0 got %lu", n);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));
	close(fd);
	return kt_failed;
}
