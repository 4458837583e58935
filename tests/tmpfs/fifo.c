/*
 * FIFOs in a directory (argv[1]): the same program passes on Linux's tmpfs
 * (/dev/shm) and under `ukcov run --tmpfs`. Checks fifo_open()'s rules and
 * the pipe behind it:
 *   - a producer and a consumer across fork(): the reader's blocking open
 *     waits for the writer, 1 MiB goes through, EOF after the writer closes;
 *   - a blocking open waits while another thread of the process keeps
 *     making (served) syscalls, and is answered when the other side opens;
 *   - O_RDONLY|O_NONBLOCK succeeds at once, O_WRONLY|O_NONBLOCK without a
 *     reader is ENXIO, O_RDWR never waits, EPIPE once readers are gone;
 *   - a blocking open interrupted by a signal (no SA_RESTART) is EINTR and
 *     leaves no reader behind (a non-blocking writer is ENXIO right after);
 *   - fstat, fchmod on the fifo's fd act on the node (type, inode number,
 *     mode); the fifo keeps working across rename and a second link.
 * Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fails;
static char dir[4096];

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fprintf(stderr, " (errno %s)\n", strerror(errno));   \
			fails++;                                             \
		}                                                            \
	} while (0)

static const char *path(const char *name)
{
	/* Per thread: blocking_open_while_working() builds paths in two threads at once. */
	static _Thread_local char buf[2][4200];
	static _Thread_local int i;

	i ^= 1;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void fork_producer_consumer(void)
{
	static char buf[65536];
	long total = 0;
	ssize_t n;
	pid_t pid;
	int fd, st;

	CHECK(mkfifo(path("pc"), 0644) == 0, "mkfifo");
	pid = fork();
	if (pid == 0) {
		int w = open(path("pc"), O_WRONLY);

		if (w < 0)
			_exit(3);
		memset(buf, 'x', sizeof(buf));
		for (int i = 0; i < 16; i++)
			if (write(w, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				_exit(4);
		_exit(0);
	}
	fd = open(path("pc"), O_RDONLY);
	CHECK(fd >= 0, "reader open");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	CHECK(n == 0 && total == 16 * 65536, "read %ld bytes, last %zd", total, n);
	close(fd);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "producer status %#x", st);
	CHECK(unlink(path("pc")) == 0, "unlink");
}

static atomic_int opened = -2;

static void *blocked_reader(void *arg)
{
	(void)arg;
	atomic_store(&opened, open(path("bt"), O_RDONLY));
	return NULL;
}

static void blocking_open_while_working(void)
{
	struct stat st;
	pthread_t t;
	char c = 0;
	int w;

	CHECK(mkfifo(path("bt"), 0600) == 0, "mkfifo");
	CHECK(pthread_create(&t, NULL, blocked_reader, NULL) == 0, "pthread_create");
	/* The supervisor keeps serving this thread while the other waits. */
	for (int i = 0; i < 200; i++)
		CHECK(stat(path("bt"), &st) == 0 && S_ISFIFO(st.st_mode), "stat while waiting");
	usleep(50000);
	CHECK(atomic_load(&opened) == -2, "the reader's open returned without a writer");
	w = open(path("bt"), O_WRONLY);
	CHECK(w >= 0, "writer open");
	CHECK(write(w, "z", 1) == 1, "write");
	pthread_join(t, NULL);
	CHECK(atomic_load(&opened) >= 0, "reader open");
	CHECK(read(atomic_load(&opened), &c, 1) == 1 && c == 'z', "read");
	close(w);
	CHECK(read(atomic_load(&opened), &c, 1) == 0, "EOF after the writer closed");
	close(atomic_load(&opened));
}

static void nonblocking_rules(void)
{
	struct stat st, fst;
	int r, w, rw;

	CHECK(mkfifo(path("nb"), 0666) == 0, "mkfifo");
	errno = 0;
	CHECK(open(path("nb"), O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO, "ENXIO without a reader");
	r = open(path("nb"), O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0, "O_RDONLY|O_NONBLOCK");
	CHECK(read(r, &st, 1) == 0, "no writer ever: read is 0");
	w = open(path("nb"), O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0, "O_WRONLY|O_NONBLOCK with a reader");
	/* exactly the open's flags (and the kernel's O_LARGEFILE), nothing of the supervisor's */
	CHECK(fcntl(w, F_GETFL) == (O_WRONLY | O_NONBLOCK | 0100000), "F_GETFL %o", fcntl(w, F_GETFL));
	CHECK(fallocate(w, 0, 0, 1) == -1 && errno == ESPIPE, "fallocate: ESPIPE");
	CHECK(lseek(w, 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek: ESPIPE");
	CHECK(ftruncate(w, 0) == -1 && errno == EINVAL, "ftruncate: EINVAL");
	CHECK(fsync(w) == -1 && errno == EINVAL, "fsync: EINVAL");
	CHECK(fcntl(w, F_GETPIPE_SZ) > 0, "F_GETPIPE_SZ");
	errno = 0;
	CHECK(read(r, &st, 1) == -1 && errno == EAGAIN, "empty with a writer: EAGAIN");
	close(r);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	CHECK(write(w, "a", 1) == -1 && errno == EPIPE, "EPIPE without readers");
	close(w);
	rw = open(path("nb"), O_RDWR);
	CHECK(rw >= 0, "O_RDWR never waits");
	CHECK(write(rw, "ab", 2) == 2, "write O_RDWR");
	CHECK(stat(path("nb"), &st) == 0 && fstat(rw, &fst) == 0, "stat, fstat");
	CHECK(S_ISFIFO(fst.st_mode) && fst.st_ino == st.st_ino && fst.st_dev == st.st_dev &&
	      fst.st_nlink == 1, "fstat is the node: %o %lu/%lu", fst.st_mode,
	      (unsigned long)fst.st_ino, (unsigned long)st.st_ino);
	CHECK(fchmod(rw, 0604) == 0, "fchmod");
	CHECK(stat(path("nb"), &st) == 0 && (st.st_mode & 07777) == 0604, "mode after fchmod %o",
	      st.st_mode);
	/* Every name of the inode is the same pipe. */
	CHECK(link(path("nb"), path("nb2")) == 0 && rename(path("nb"), path("nb3")) == 0, "link, rename");
	r = open(path("nb2"), O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0, "open the second name");
	{
		char b[3] = { 0 };

		CHECK(read(r, b, 2) == 2 && !strcmp(b, "ab"), "data through the other name: %s", b);
	}
	close(r);
	close(rw);
	CHECK(fstat(rw, &st) == -1 && errno == EBADF, "closed");
	unlink(path("nb2"));
	unlink(path("nb3"));
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void interrupted_open(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */
	struct timespec t0, t1;
	int fd;

	CHECK(mkfifo(path("int"), 0600) == 0, "mkfifo");
	sigaction(SIGALRM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ualarm(100000, 0);
	errno = 0;
	fd = open(path("int"), O_RDONLY);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(fd == -1 && errno == EINTR, "blocking open interrupted: %d", fd);
	CHECK(t1.tv_sec - t0.tv_sec < 5, "it waited until the signal");
	/* The interrupted reader is gone: a non-blocking writer finds none. */
	errno = 0;
	fd = open(path("int"), O_WRONLY | O_NONBLOCK);
	CHECK(fd == -1 && errno == ENXIO, "no reader after the interrupted open: %d", fd);
	if (fd >= 0)
		close(fd);
	unlink(path("int"));
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	fork_producer_consumer();
	blocking_open_while_working();
	nonblocking_rules();
	interrupted_open();
	if (!fails)
		printf("fifo: all passed in %s\n", dir);
	return fails ? 1 : 0;
}
