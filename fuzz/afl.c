// SPDX-License-Identifier: MIT
/*
 * AFL++'s forkserver, spoken directly (docs/fuzzing.md says why this and
 * not afl-cc's runtime): afl-fuzz opens a control pipe on fd 198 and a
 * status pipe on fd 199, reads a 4-byte hello, then for each execution
 * writes 4 bytes on the control pipe and reads back the child's pid and
 * its wait status. A hello without FS_OPT_ENABLED (0x80000001) asks for no
 * option: the map keeps its default size and inputs come on stdin.
 *
 * Persistent, as AFL++'s own runtime (afl-compiler-rt's __afl_start_
 * forkserver, 4.04c): a child runs an input, then stops itself (SIGSTOP);
 * the server reports the stopped status like any other, and at the next
 * request resumes it (SIGCONT) instead of forking, unless afl-fuzz says it
 * killed it. afl-fuzz rewinds the input file (the child's stdin) before
 * each run and clears the map, so a resumed child reads the next input.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "afl.h"

#define FORKSRV_FD 198

/* shared, as AFL++'s is: a fork child's fold (child.h) shows in the parent's */
static unsigned char *private_map(void)
{
	void *p = mmap(NULL, FZ_MAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	static unsigned char fallback[FZ_MAP_SIZE];

	return p == MAP_FAILED ? fallback : p;
}

unsigned char *afl_map(void)
{
	const char *id = getenv("__AFL_SHM_ID");
	void *p;

	if (!id)
		return private_map();
	p = shmat(atoi(id), NULL, 0);
	return p == (void *)-1 ? private_map() : p;
}

struct fz_cmp_map *afl_cmplog_map(void)
{
	const char *id = getenv("__AFL_CMPLOG_SHM_ID");
	void *p;

	if (!id)
		return NULL;
	p = shmat(atoi(id), NULL, 0);
	return p == (void *)-1 ? NULL : p;
}

static int write4(int fd, uint32_t v)
{
	return write(fd, &v, 4) == 4 ? 0 : -EIO;
}

int afl_start(struct afl_child *c, int was_killed, void (*after_abnormal)(void))
{
	int status;

	/* afl-fuzz killed the stopped child (it does on a timeout): reap it */
	if (c->stopped && was_killed) {
		c->stopped = 0;
		while (waitpid(c->pid, &status, 0) < 0)
			if (errno != EINTR)
				return -errno;
		after_abnormal();
	}
	if (c->stopped) {
		c->stopped = 0;
		return kill(c->pid, SIGCONT) < 0 ? -errno : 0;
	}
	c->pid = fork();
	return c->pid < 0 ? -errno : c->pid == 0;
}

int afl_wait(struct afl_child *c, void (*after_abnormal)(void))
{
	int status;

	while (waitpid(c->pid, &status, WUNTRACED) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFSTOPPED(status))
		c->stopped = 1;
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		after_abnormal();
	return status;
}

void afl_done(void)
{
	raise(SIGSTOP);
}

int afl_forkserver(void (*after_abnormal)(void))
{
	struct afl_child c = { 0 };
	uint32_t hello = 0, was_killed;
	int status;

	if (write4(FORKSRV_FD + 1, hello) < 0)
		return 0;
	for (;;) {
		if (read(FORKSRV_FD, &was_killed, 4) != 4)
			_exit(0);
		if ((status = afl_start(&c, was_killed, after_abnormal)) < 0)
			_exit(1);
		if (status == 1) {
			close(FORKSRV_FD);
			close(FORKSRV_FD + 1);
			return 1;
		}
		if (write4(FORKSRV_FD + 1, (uint32_t)c.pid) < 0)
			_exit(0);
		if ((status = afl_wait(&c, after_abnormal)) < 0)
			_exit(1);
		if (write4(FORKSRV_FD + 1, (uint32_t)status) < 0)
			_exit(0);
	}
}
