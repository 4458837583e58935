/*
 * fork does not inherit an enabled kcov: the child of an enabled parent
 * starts with nothing enabled. It cannot ENABLE or DISABLE the parent's fd
 * (EINVAL: enabled, and not by it), it may enable a kcov of its own (no
 * EBUSY), and none of its syscalls reach the parent's area. The parent spins
 * on shared memory, outside the kernel (no new page, no rseq: kt_no_rseq),
 * while the child measures that.
 */
#include "kcov_test.h"
#include <sys/wait.h>

struct shared {
	atomic_int parent_ready;
	atomic_int child_done;
};
static struct shared *sh;

/* A child leaving through REQUIRE's exit() must still release the parent. */
static void child_done(void)
{
	atomic_store(&sh->child_done, 1);
}

int main(int argc, char **argv)
{
	unsigned long *area;
	int status;

	(void)argc;
	kt_no_rseq(argv);
	int fd = kt_setup(KT_COVER_SIZE, &area);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	REQUIRE(sh != MAP_FAILED, "mmap shared page: expected success got %s", kt_errname(errno));
	sh->parent_ready = sh->child_done = 0;
	CHECK_OK(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC));

	pid_t pid = fork();
	REQUIRE(pid >= 0, "fork: expected success got %s", kt_errname(errno));
	if (pid == 0) {
		atexit(child_done);
		kt_wait_for(&sh->parent_ready, 1);
		unsigned long before = kt_count(area, KT_COVER_SIZE);

		CHECK_ERR(ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC), EINVAL);
		CHECK_ERR(ioctl(fd, KCOV_DISABLE, 0UL), EINVAL);
		for (int i = 0; i < 20; i++)
			kt_probe();

		unsigned long *own;
		int fd2 = kt_setup(KT_COVER_SIZE, &own);
		CHECK_OK(ioctl(fd2, KCOV_ENABLE, KCOV_TRACE_PC));
		own[0] = 0;
		kt_probe();
		unsigned long n = kt_count(own, KT_COVER_SIZE);
		CHECK(n > 0, "child's own kcov count after a probe: expected > 0 got %lu", n);
		CHECK_OK(ioctl(fd2, KCOV_DISABLE, 0UL));

		unsigned long after = kt_count(area, KT_COVER_SIZE);
		CHECK(after == before, "parent's count across the child's syscalls: expected %lu got %lu",
		      before, after);
		child_done();
		_exit(kt_failed);
	}

	/* From here until child_done: no syscall, no new page touched. */
	atomic_store(&sh->parent_ready, 1);
	kt_wait_for(&sh->child_done, 1);

	REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid: expected %d", (int)pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child status: expected exit 0 got %#x", status);
	CHECK_OK(ioctl(fd, KCOV_DISABLE, 0UL));	/* still the parent's */
	close(fd);
	return kt_failed;
}
