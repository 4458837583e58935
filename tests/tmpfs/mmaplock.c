/*
 * mmap and file locks of regular files in a directory (argv[1]), printed as
 * a transcript that must be the same on Linux's tmpfs (/dev/shm) and under
 * `ukcov run --tmpfs` (test_mmaplock.sh diffs them):
 *   - a writer and a mapper in two processes see each other's data
 *     (MAP_SHARED against pwrite/pread), MAP_PRIVATE is copy-on-write,
 *     msync, mprotect, EACCES for a write mapping of an O_RDONLY fd and a
 *     mapping of an O_WRONLY one, SIGBUS past the end after a shrinking
 *     truncate, st_blocks of pages written through a mapping;
 *   - POSIX record locks between processes: EAGAIN, F_GETLK, a blocking
 *     wait woken by the unlock, EDEADLK, release on close of another fd of
 *     the file by the same process, release at exit, EINTR on a signal;
 *   - OFD locks per description (two opens in one process conflict, a
 *     forked child shares its parent's), flock per description (a dup's
 *     close keeps it, the last close drops it, a blocked flock waits), and
 *     flock and POSIX locks ignore each other, as on Linux;
 *   - the same locks on directories (flock, POSIX and OFD, between
 *     descriptions and processes), mmap ENODEV and read EISDIR on them;
 *   - an unlinked file held by three descriptions and a mapping of one
 *     process keeps its space until that process exits (its closes come
 *     at once: ukcov must not lose count).
 * Exit 0 when every step ran (the transcript is the check), 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "transcript.h"

static int broken;

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* How the child ended: "exit N" or the signal's name. */
static const char *reap(pid_t pid)
{
	static char buf[64];
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return "lost";
	if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signal %s", sigabbrev_np(WTERMSIG(st)));
	else
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	return buf;
}

static int lk(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

static void mapping(void)
{
	int fd = open(path("m"), O_RDWR | O_CREAT | O_TRUNC, 0644), ro, wo, p2c[2], c2p[2];
	char buf[16] = "", *map, *priv, c;
	struct stat st;
	pid_t pid;

	SAY("ftruncate 2 pages: %s", res(ftruncate(fd, 2 * PG)));
	map = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		SAY("mmap shared: %s", res(-1));
		broken = 1;
		return;
	}
	if (pipe(p2c) || pipe(c2p))
		exit(1);
	pid = fork();
	if (!pid) {
		int cfd = open(path("m"), O_RDWR);

		/* the writer: pwrite, then read what the mapper wrote */
		pwrite(cfd, "from-writer", 11, 100);
		write(c2p[1], "w", 1);
		read(p2c[0], &c, 1);
		pread(cfd, buf, 11, PG + 7);
		SAY("writer preads the mapper's bytes: %.11s", buf);
		_exit(0);
	}
	read(c2p[0], &c, 1);
	SAY("mapper sees the writer's bytes: %.11s", map + 100);
	memcpy(map + PG + 7, "from-mapper", 11);
	write(p2c[1], "m", 1);
	SAY("writer: %s", reap(pid));
	fstat(fd, &st);
	SAY("st_size %lld st_blocks %lld", (long long)st.st_size, (long long)st.st_blocks);
	SAY("msync: %s", res(msync(map, 2 * PG, MS_SYNC)));

	/* MAP_PRIVATE: copy on write; an untouched page still shows the file */
	priv = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (priv == MAP_FAILED) {
		SAY("mmap private: %s", res(-1));
		broken = 1;
	} else {
		memcpy(priv + 100, "PRIVATE", 7);
		pread(fd, buf, 7, 100);
		SAY("file after a private write: %.7s", buf);
		pwrite(fd, "changed", 7, PG + 7);
		SAY("private map, untouched page: %.7s, written page: %.7s", priv + PG + 7, priv + 100);
		munmap(priv, 2 * PG);
	}

	/* mprotect: a read-only view faults on write (in a child) */
	pid = fork();
	if (!pid) {
		mprotect(map, PG, PROT_READ);
		map[0] = 1;
		_exit(0);
	}
	SAY("write after mprotect(PROT_READ): %s", reap(pid));

	/* access modes */
	ro = open(path("m"), O_RDONLY);
	wo = open(path("m"), O_WRONLY);
	SAY("O_RDONLY, PROT_WRITE MAP_SHARED: %s",
	    res(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0) == MAP_FAILED ? -1 : 0));
	priv = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	SAY("O_RDONLY, PROT_READ MAP_SHARED: %s", res(priv == MAP_FAILED ? -1 : 0));
	if (priv != MAP_FAILED) {
		SAY("mprotect(PROT_WRITE) of it: %s", res(mprotect(priv, PG, PROT_READ | PROT_WRITE)));
		munmap(priv, PG);
	}
	SAY("O_RDONLY, PROT_WRITE MAP_PRIVATE: %s",
	    res(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0) == MAP_FAILED ? -1 : 0));
	SAY("O_WRONLY, PROT_READ MAP_SHARED: %s",
	    res(mmap(NULL, PG, PROT_READ, MAP_SHARED, wo, 0) == MAP_FAILED ? -1 : 0));
	close(ro);
	close(wo);

	/* a shrinking truncate by another process: SIGBUS past the new end */
	pid = fork();
	if (!pid) {
		int cfd = open(path("m"), O_RDWR);

		_exit(ftruncate(cfd, 100) ? 1 : 0);
	}
	SAY("truncator: %s", reap(pid));
	pid = fork();
	if (!pid) {
		volatile char x = map[PG + 7];

		(void)x;
		_exit(0);
	}
	SAY("read past the end: %s", reap(pid));
	SAY("still mapped below: %.4s", map + 100);
	munmap(map, 2 * PG);
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void posix_locks(void)
{
	int fd = open(path("l"), O_RDWR | O_CREAT | O_TRUNC, 0644), fd2, sync[2];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	struct sigaction sa = { .sa_handler = on_alarm };
	pid_t parent = getpid(), pid;
	char c;

	if (pipe(sync))
		exit(1);
	SAY("parent F_SETLK write [0,10): %s", res(lk(fd, F_SETLK, F_WRLCK, 0, 10)));
	pid = fork();
	if (!pid) {
		int cfd = open(path("l"), O_RDWR);

		SAY("child F_SETLK read [5,6): %s", res(lk(cfd, F_SETLK, F_RDLCK, 5, 1)));
		SAY("child F_SETLK [10,20): %s", res(lk(cfd, F_SETLK, F_WRLCK, 10, 10)));
		SAY("child F_GETLK: %s type %s pid %s", res(fcntl(cfd, F_GETLK, &fl)),
		    fl.l_type == F_WRLCK ? "F_WRLCK" : "other", fl.l_pid == parent ? "parent" : "other");
		/* blocks until the parent unlocks */
		write(sync[1], "r", 1);
		SAY("child F_SETLKW [0,10): %s", res(lk(cfd, F_SETLKW, F_WRLCK, 0, 10)));
		_exit(0);
	}
	read(sync[0], &c, 1);
	msleep(150);
	SAY("parent unlocks");
	if (lk(fd, F_SETLK, F_UNLCK, 0, 10))
		broken = 1;
	SAY("child: %s", reap(pid));

	/* EDEADLK: the parent waits on the child's lock, the child on the parent's */
	lk(fd, F_SETLK, F_WRLCK, 0, 1);
	pid = fork();
	if (!pid) {
		int cfd = open(path("l"), O_RDWR);

		lk(cfd, F_SETLK, F_WRLCK, 1, 1);
		write(sync[1], "l", 1);
		msleep(200); /* the parent is waiting by then */
		SAY("child F_SETLKW [0,1) against a waiting parent: %s", res(lk(cfd, F_SETLKW, F_WRLCK, 0, 1)));
		_exit(0); /* its lock on [1,2) goes with it */
	}
	read(sync[0], &c, 1);
	SAY("parent F_SETLKW [1,2): %s", res(lk(fd, F_SETLKW, F_WRLCK, 1, 1)));
	SAY("child: %s", reap(pid));
	lk(fd, F_SETLK, F_UNLCK, 0, 0);

	/* any close of the file by the locking process drops its locks */
	lk(fd, F_SETLK, F_WRLCK, 0, 10);
	fd2 = open(path("l"), O_RDONLY);
	close(fd2);
	pid = fork();
	if (!pid) {
		int cfd = open(path("l"), O_RDWR);

		SAY("after the parent closed another fd: %s", res(lk(cfd, F_SETLK, F_WRLCK, 0, 10)));
		_exit(0);
	}
	reap(pid);

	/* the lock of a process that exits goes with it */
	pid = fork();
	if (!pid) {
		int cfd = open(path("l"), O_RDWR);

		lk(cfd, F_SETLK, F_WRLCK, 20, 5);
		_exit(0);
	}
	reap(pid);
	SAY("after the holder exited: %s", res(lk(fd, F_SETLK, F_WRLCK, 20, 5)));

	/* EINTR: a signal without SA_RESTART interrupts the wait */
	pid = fork();
	if (!pid) {
		int cfd = open(path("l"), O_RDWR);

		sigaction(SIGALRM, &sa, NULL);
		alarm(1);
		SAY("child F_SETLKW interrupted: %s", res(lk(cfd, F_SETLKW, F_WRLCK, 20, 5)));
		_exit(0);
	}
	SAY("child: %s", reap(pid));
	close(fd);
	close(sync[0]);
	close(sync[1]);
}

static void ofd_and_flock(void)
{
	int fd = open(path("o"), O_RDWR | O_CREAT | O_TRUNC, 0644), fd2 = open(path("o"), O_RDWR), dup1, sync[2];
	pid_t pid;
	char c;

	if (pipe(sync))
		exit(1);
	SAY("OFD lock fd1: %s", res(lk(fd, F_OFD_SETLK, F_WRLCK, 0, 10)));
	SAY("OFD lock fd2 (same process): %s", res(lk(fd2, F_OFD_SETLK, F_WRLCK, 0, 10)));
	SAY("POSIX lock fd2 (ignores OFD? no): %s", res(lk(fd2, F_SETLK, F_WRLCK, 0, 10)));
	close(fd2);
	pid = fork();
	if (!pid) {
		SAY("child OFD lock on the shared fd1: %s", res(lk(fd, F_OFD_SETLK, F_WRLCK, 0, 10)));
		_exit(0);
	}
	reap(pid);
	fd2 = open(path("o"), O_RDWR);
	SAY("OFD lock fd2 after fd2's close: %s", res(lk(fd2, F_OFD_SETLK, F_WRLCK, 0, 10)));
	SAY("OFD unlock fd1: %s", res(lk(fd, F_OFD_SETLK, F_UNLCK, 0, 10)));
	SAY("OFD lock fd2: %s", res(lk(fd2, F_OFD_SETLK, F_WRLCK, 0, 10)));
	lk(fd2, F_OFD_SETLK, F_UNLCK, 0, 10);

	SAY("flock fd1 LOCK_EX: %s", res(flock(fd, LOCK_EX)));
	SAY("flock fd2 LOCK_EX|LOCK_NB: %s", res(flock(fd2, LOCK_EX | LOCK_NB)));
	SAY("POSIX lock fd2 while flocked: %s", res(lk(fd2, F_SETLK, F_WRLCK, 0, 0)));
	dup1 = dup(fd);
	close(dup1);
	SAY("after a dup's close: %s", res(flock(fd2, LOCK_EX | LOCK_NB)));
	pid = fork();
	if (!pid) {
		int cfd = open(path("o"), O_RDWR);

		close(fd); /* the parent's close must drop fd1's description */
		write(sync[1], "b", 1);
		SAY("child flock LOCK_EX (waits): %s", res(flock(cfd, LOCK_EX)));
		SAY("child flock LOCK_SH|LOCK_NB converts: %s", res(flock(cfd, LOCK_SH | LOCK_NB)));
		_exit(0);
	}
	read(sync[0], &c, 1);
	msleep(150);
	close(fd); /* the last reference to fd1's description */
	SAY("child: %s", reap(pid));
	SAY("flock fd2 after the child: %s", res(flock(fd2, LOCK_SH | LOCK_NB)));
	close(fd2);
	close(sync[0]);
	close(sync[1]);
}

/*
 * Locks on directories: Linux locks the directory's inode, so flock and
 * OFD locks conflict across its descriptions and POSIX locks across
 * processes, as on a regular file; a write lock needs a writable
 * description, which a directory never has (EBADF).
 */
static void dir_locks(void)
{
	int d1, d2, up[2], down[2], r;
	pid_t pid;
	char c;

	mkdir(path("dl"), 0755);
	d1 = open(path("dl"), O_RDONLY | O_DIRECTORY);
	d2 = open(path("dl"), O_RDONLY | O_DIRECTORY);
	if (d1 < 0 || d2 < 0 || pipe(up) || pipe(down))
		exit(1);
	SAY("dir mmap: %s", res(mmap(NULL, PG, PROT_READ, MAP_SHARED, d1, 0) == MAP_FAILED ? -1 : 0));
	SAY("dir read: %s", res(read(d1, &c, 1)));
	SAY("dir flock d1 LOCK_EX: %s", res(flock(d1, LOCK_EX | LOCK_NB)));
	SAY("dir flock d2 LOCK_SH|LOCK_NB: %s", res(flock(d2, LOCK_SH | LOCK_NB)));
	pid = fork();
	if (!pid) {
		int cd = open(path("dl"), O_RDONLY | O_DIRECTORY);

		SAY("child flock on the shared d1: %s", res(flock(d1, LOCK_EX | LOCK_NB)));
		SAY("child flock on its own open: %s", res(flock(cd, LOCK_EX | LOCK_NB)));
		write(up[1], "w", 1);
		SAY("child flock LOCK_SH (waits): %s", res(flock(cd, LOCK_SH)));
		SAY("child POSIX read lock: %s", res(lk(cd, F_SETLK, F_RDLCK, 0, 0)));
		write(up[1], "p", 1);
		read(down[0], &c, 1);
		_exit(0);
	}
	read(up[0], &c, 1);
	msleep(150);
	r = flock(d1, LOCK_UN);
	read(up[0], &c, 1); /* after the child's lines: the order is the test's */
	SAY("dir unlock d1 (woke the child): %d", r);
	{
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

		SAY("dir F_GETLK: %s type %s pid is the child's %d", res(fcntl(d2, F_GETLK, &fl)),
		    fl.l_type == F_RDLCK ? "F_RDLCK" : fl.l_type == F_UNLCK ? "F_UNLCK" : "?", fl.l_pid == pid);
	}
	SAY("dir POSIX write lock: %s", res(lk(d2, F_SETLK, F_WRLCK, 0, 0)));
	SAY("dir POSIX read lock: %s", res(lk(d2, F_SETLK, F_RDLCK, 0, 0)));
	SAY("dir OFD read lock d1: %s", res(lk(d1, F_OFD_SETLK, F_RDLCK, 0, 0)));
	write(down[1], "x", 1);
	msleep(50);
	SAY("dir child: %s", reap(pid));
	{
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

		SAY("dir F_OFD_GETLK d2 (d1 holds a read lock): %s type %s", res(fcntl(d2, F_OFD_GETLK, &fl)),
		    fl.l_type == F_RDLCK ? "F_RDLCK" : fl.l_type == F_UNLCK ? "F_UNLCK" : "?");
	}
	SAY("dir OFD read lock d2: %s", res(lk(d2, F_OFD_SETLK, F_RDLCK, 0, 0)));
	SAY("dir OFD write lock d2: %s", res(lk(d2, F_OFD_SETLK, F_WRLCK, 0, 0)));
	SAY("dir flock d1 after the child: %s", res(flock(d1, LOCK_EX | LOCK_NB)));
	close(d1);
	SAY("dir flock d2 after d1's close: %s", res(flock(d2, LOCK_EX | LOCK_NB)));
	close(d2);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	rmdir(path("dl"));
}

static unsigned long long free_bytes(void)
{
	struct statvfs sv;

	return statvfs(dir, &sv) ? 0 : (unsigned long long)sv.f_bfree * sv.f_frsize;
}

static void unlinked_space(void)
{
	unsigned long long before = free_bytes(), held, after;
	const unsigned long long size = 4 << 20;
	int up[2], down[2];
	pid_t pid;
	char c;

	if (pipe(up) || pipe(down))
		exit(1);
	pid = fork();
	if (!pid) {
		int a = open(path("u"), O_RDWR | O_CREAT, 0644), b = open(path("u"), O_RDWR),
		    r = open(path("u"), O_RDONLY);
		static char buf[1 << 20];
		char *map;

		memset(buf, 'u', sizeof(buf));
		for (int i = 0; i < 4; i++)
			if (write(a, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				_exit(1);
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, b, 0);
		unlink(path("u"));
		(void)r, (void)map;
		write(up[1], "h", 1);
		read(down[0], &c, 1);
		_exit(0); /* three descriptions and a mapping go at once */
	}
	read(up[0], &c, 1);
	held = free_bytes();
	write(down[1], "x", 1);
	SAY("unlinked file's writer: %s", reap(pid));
	after = free_bytes();
	/*
	 * Against the space before the fork, or against what its holder's
	 * exit gives back: space of earlier steps' files may come back in
	 * between (the supervisor releases a file when it sees the close;
	 * under TSan that took long enough to make this "free" once).
	 */
	SAY("space of the unlinked file while held: %s",
	    (before > held && before - held >= size) || (after > held && after - held >= size) ? "used" : "free");
	SAY("after its holder exited: %s", after + size / 2 >= before ? "freed" : "kept");
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	mapping();
	posix_locks();
	ofd_and_flock();
	dir_locks();
	unlinked_space();
	unlink(path("m"));
	unlink(path("l"));
	unlink(path("o"));
	return broken;
}
