// SPDX-License-Identifier: MIT
/*
 * AFL++'s forkserver, spoken directly (docs/fuzzing.md says why this and
 * not afl-cc's runtime): afl-fuzz opens a control pipe on fd 198 and a
 * status pipe on fd 199, reads a 4-byte hello, then for each execution
 * writes 4 bytes on the control pipe and reads back the child's pid and
 * its wait status. A hello without FS_OPT_ENABLED (0x80000001) asks for no
 * option: the map keeps its default size and inputs come on stdin.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include "afl.h"

#define FORKSRV_FD 198

unsigned char *afl_map(void)
{
	static unsigned char private_map[FZ_MAP_SIZE];
	const char *id = getenv("__AFL_SHM_ID");
	void *p;

	if (!id)
		return private_map;
	p = shmat(atoi(id), NULL, 0);
	return p == (void *)-1 ? private_map : p;
}

static int write4(int fd, uint32_t v)
{
	return write(fd, &v, 4) == 4 ? 0 : -EIO;
}

int afl_forkserver(void (*after_abnormal)(void))
{
	uint32_t hello = 0, was_killed;
	int status;
	pid_t pid;

	if (write4(FORKSRV_FD + 1, hello) < 0)
		return 0;
	for (;;) {
		if (read(FORKSRV_FD, &was_killed, 4) != 4)
			_exit(0);
		pid = fork();
		if (pid < 0)
			_exit(1);
		if (pid == 0) {
			close(FORKSRV_FD);
			close(FORKSRV_FD + 1);
			return 1;
		}
		if (write4(FORKSRV_FD + 1, (uint32_t)pid) < 0)
			_exit(0);
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				_exit(1);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			after_abnormal();
		if (write4(FORKSRV_FD + 1, (uint32_t)status) < 0)
			_exit(0);
	}
}
