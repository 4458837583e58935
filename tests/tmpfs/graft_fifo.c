/*
 * Guest (--tmpfs=/mnt/t, as root): a FIFO in a graft (the host's ramfs
 * mounted onto a mount's directory) opened by a reader and a writer in two
 * processes, each side blocking until the other comes, as Linux's
 * fifo_open() waits. The supervisor opens graft files for the guest, and
 * its loop must not wait with them: while one process waits in its open,
 * the other's trapped calls are served (a stat, then the open that ends
 * the wait); a writer that comes and goes at once still ends a reader's
 * wait. Run onto /dev/shm (Linux's own mount) and onto /mnt/t; both
 * transcripts must agree. A watchdog (alarm) fails a hang instead of
 * waiting for it. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char base[256], out[2][1024];

static const char *P(const char *rel)
{
	static char b[2][320];
	static int i;

	i ^= 1;
	snprintf(b[i], sizeof(b[i]), "%s/%s", base, rel);
	return b[i];
}

/* The child opens the FIFO with `child_acc` and waits; the parent, 100 ms later, the other side. */
static void pair(char *t, size_t cap, int child_acc)
{
	int parent_acc = child_acc == O_RDONLY ? O_WRONLY : O_RDONLY, fd, st, stat_ok;
	char buf[16] = "";
	struct stat sb;
	pid_t p = fork();

	if (p == 0) {
		alarm(10);
		fd = open(P("g/p"), child_acc);
		if (fd < 0)
			_exit(100 + errno);
		if (child_acc == O_WRONLY)
			_exit(write(fd, "hi", 2) == 2 ? 0 : 99);
		_exit(read(fd, buf, sizeof(buf)) == 2 && !memcmp(buf, "hi", 2) ? 0 : 98);
	}
	usleep(100000);
	/* served while the child waits in its open */
	stat_ok = stat(P("g/p"), &sb) == 0 && S_ISFIFO(sb.st_mode);
	fd = open(P("g/p"), parent_acc);
	if (fd >= 0 && parent_acc == O_WRONLY)
		(void)!write(fd, "hi", 2);
	else if (fd >= 0)
		(void)!read(fd, buf, sizeof(buf));
	waitpid(p, &st, 0);
	snprintf(t + strlen(t), cap - strlen(t), "child %s waits: stat %d, open %s, read \"%s\", child %d/%d\n",
		 child_acc == O_RDONLY ? "reader" : "writer", stat_ok, fd >= 0 ? "fd" : strerror(errno),
		 buf, WIFEXITED(st) ? WEXITSTATUS(st) : -1, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	if (fd >= 0)
		close(fd);
}

/*
 * A writer that opens, writes and closes at once while the reader waits in
 * its open: the reader still returns and reads what was written (Linux's
 * waiting reader returns once any writer came). Under ukcov the reader's
 * open is made later by a helper, after the writer may have gone.
 */
static void quick_writers(char *t, size_t cap, int n)
{
	int got = 0;

	for (int i = 0; i < n; i++) {
		char buf[4] = "";
		int fd, st;
		pid_t p = fork();

		if (p == 0) {
			alarm(10);
			fd = open(P("g/p"), O_RDONLY);
			_exit(fd >= 0 && read(fd, buf, sizeof(buf)) == 2 && !memcmp(buf, "hi", 2) ? 0 : 1);
		}
		fd = open(P("g/p"), O_WRONLY);
		if (fd >= 0) {
			(void)!write(fd, "hi", 2);
			close(fd);
		}
		waitpid(p, &st, 0);
		got += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	snprintf(t + strlen(t), cap - strlen(t), "writers that closed at once: %d of %d readers read \"hi\"\n",
		 got, n);
}

static void run(char *t, size_t cap)
{
	int fd;

	if (mkdir(P("g"), 0755) || mount("none", P("g"), "ramfs", 0, NULL) || mkfifo(P("g/p"), 0644)) {
		snprintf(t, cap, "setup: %s\n", strerror(errno));
		return;
	}
	pair(t, cap, O_RDONLY);
	pair(t, cap, O_WRONLY);
	quick_writers(t, cap, 20);
	/* no reader: a non-blocking writer ENXIO, a non-blocking reader at once */
	fd = open(P("g/p"), O_WRONLY | O_NONBLOCK);
	snprintf(t + strlen(t), cap - strlen(t), "O_WRONLY|O_NONBLOCK: %s\n", fd >= 0 ? "fd" : strerror(errno));
	fd = open(P("g/p"), O_RDONLY | O_NONBLOCK);
	snprintf(t + strlen(t), cap - strlen(t), "O_RDONLY|O_NONBLOCK: %s, F_GETFL %#x\n",
		 fd >= 0 ? "fd" : strerror(errno), fd >= 0 ? fcntl(fd, F_GETFL) : -1);
	if (fd >= 0)
		close(fd);
	umount2(P("g"), 0);
	rmdir(P("g"));
}

int main(void)
{
	snprintf(base, sizeof(base), "/dev/shm/ukcov-graft-fifo.%d", (int)getpid());
	if (mkdir(base, 0755))
		return perror(base), 1;
	run(out[0], sizeof(out[0]));
	rmdir(base);
	snprintf(base, sizeof(base), "/mnt/t/graft-fifo");
	if (mkdir(base, 0755))
		return perror(base), 1;
	run(out[1], sizeof(out[1]));
	printf("Linux:\n%sukcov:\n%s", out[0], out[1]);
	return strcmp(out[0], out[1]) || !strstr(out[0], "child reader waits: stat 1, open fd, read \"\", child 0/0");
}
