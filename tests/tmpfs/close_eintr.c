/*
 * Linux's close(2) never fails on a valid fd, and shells do not retry it:
 * dash closes a pipeline's write end once, with a SIGCHLD handler installed
 * without SA_RESTART, while the pipeline's first child exits. A close that
 * traps could fail with EINTR when that signal arrives before the supervisor
 * has picked the call up; the fd then stays open, the reader never sees EOF
 * and `x=$(printf a | wc -c)` hangs. With a mount, close of an fd outside the
 * sandbox's window must therefore not trap. Run under `ukcov run --tmpfs`:
 * a SIGCHLD per iteration, racing close(). Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_chld(int sig)
{
	(void)sig;
}

int main(void)
{
	struct sigaction sa;
	int failed = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_chld; /* no SA_RESTART, as dash */
	sigaction(SIGCHLD, &sa, NULL);
	for (int i = 0; i < 3000; i++) {
		int p[2];
		pid_t c;

		if (pipe(p))
			return perror("pipe"), 1;
		c = fork();
		if (c < 0)
			return perror("fork"), 1;
		if (c == 0)
			_exit(0);
		if (close(p[1])) {
			if (!failed++)
				fprintf(stderr, "FAIL: close of a pipe end: %s (iteration %d)\n", strerror(errno), i);
			close(p[1]);
		}
		close(p[0]);
		while (waitpid(c, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (failed)
		fprintf(stderr, "FAIL: %d of 3000 close() calls failed\n", failed);
	return failed != 0;
}
