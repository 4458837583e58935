/*
 * Guest (--tmpfs=/mnt/t): leases (F_SETLEASE, F_GETLEASE) on /dev/shm and
 * in the mount, the transcripts compared (two_sides.h): the set rules and
 * errnos of fs/locks.c (EAGAIN for a read lease with a writer open, for a
 * write lease with another opener, but not once the others closed, even
 * back to back; EINVAL for a directory; EACCES for a non-owner without
 * CAP_LEASE), a dup's F_GETLEASE, a second process's
 * conflicting O_NONBLOCK open (EWOULDBLOCK, the holder signalled with
 * F_SETSIG's signal and si_fd, F_GETLEASE the break's target), the open
 * that succeeds once the holder unlocked, a reader's O_NONBLOCK open
 * against a write lease (the break's target F_RDLCK, the holder
 * downgrading), the release at close. With
 * argv[1] "memfd" (a mount without its private store: F_SETSIG of a signal
 * is EINVAL there) both sides use SIGIO. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "say.h"
#include "two_sides.h"

static int sig = SIGUSR1;

/* A child's open of path with flags: its result (0 or -errno) as its exit status. */
static pid_t child_open(const char *path, int flags)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(path, flags);

		_exit(fd < 0 ? errno : 0);
	}
	return pid;
}

static int child_end(pid_t pid)
{
	int st = 0;

	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? -WEXITSTATUS(st) : -1000;
}

/* The break's signal, waited for (sig blocked): its number and whether si_fd is fd. */
static void got_signal(int fd)
{
	struct timespec ts = { 5, 0 };
	sigset_t set;
	siginfo_t si;
	int s;

	sigemptyset(&set);
	sigaddset(&set, sig);
	s = sigtimedwait(&set, &si, &ts);
	say("  signal %s", s == sig ? "the lease's" : s < 0 ? strerror(errno) : "another");
	if (sig != SIGIO)
		say(" si_fd %s", s == sig && si.si_fd == fd ? "the holder's" : "wrong");
	say("\n");
}

static void set_rules(const char *dir, const char *path)
{
	int w = open(path, O_CREAT | O_RDWR, 0644), r1, r2, d;

	say("rdlck on O_RDWR: %ld\n", e(fcntl(w, F_SETLEASE, F_RDLCK)));
	say("wrlck alone: %ld", e(fcntl(w, F_SETLEASE, F_WRLCK)));
	say(" get %ld\n", e(fcntl(w, F_GETLEASE)));
	say("unlck: %ld", e(fcntl(w, F_SETLEASE, F_UNLCK)));
	say(" get %ld\n", e(fcntl(w, F_GETLEASE)));
	say("bad type: %ld\n", e(fcntl(w, F_SETLEASE, 7)));
	close(w);
	r1 = open(path, O_RDONLY);
	r2 = open(path, O_RDONLY);
	say("rdlck r1: %ld", e(fcntl(r1, F_SETLEASE, F_RDLCK)));
	say(" get %ld\n", e(fcntl(r1, F_GETLEASE)));
	d = dup(r1);
	say("dup's get %ld, r2's get %ld\n", e(fcntl(d, F_GETLEASE)), e(fcntl(r2, F_GETLEASE)));
	say("rdlck r2: %ld\n", e(fcntl(r2, F_SETLEASE, F_RDLCK)));
	say("wrlck r1 with r2 open: %ld\n", e(fcntl(r1, F_SETLEASE, F_WRLCK)));
	close(d);
	close(r1);
	close(r2);
	d = open(dir, O_RDONLY | O_DIRECTORY);
	say("directory: %ld\n", e(fcntl(d, F_SETLEASE, F_RDLCK)));
	close(d);
	/* The closes of r1 and r2 came back to back (one inotify event for ukcov): alone now. */
	r1 = open(path, O_RDONLY);
	say("wrlck alone again: %ld", e(fcntl(r1, F_SETLEASE, F_WRLCK)));
	say(" unlck %ld\n", e(fcntl(r1, F_SETLEASE, F_UNLCK)));
	close(r1);
}

/* A non-owner without CAP_LEASE (root's child as nobody). */
static void not_owner(const char *path)
{
	pid_t pid;

	if (geteuid() != 0)
		return;
	pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDONLY);

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(99);
		_exit(fcntl(fd, F_SETLEASE, F_RDLCK) < 0 ? errno : 0);
	}
	say("not the owner: %d\n", child_end(pid));
}

/* A lease r set (with F_SETSIG's signal), and a child's call that breaks it and waits. */
static void blocked(const char *what, int r, int type, pid_t pid)
{

	got_signal(r);
	/* the break's target, or (lease-break-time passed) what the lease became */
	say("  %s: get during the break %ld", what, e(fcntl(r, F_GETLEASE)));
	say(" set %d: %ld", type, e(fcntl(r, F_SETLEASE, type)));
	say(" the call: %d\n", child_end(pid));
}

static pid_t child_truncate(const char *path)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(truncate(path, 1) ? errno : 0);
	return pid;
}

/*
 * Blocking callers: they return once the holder gave the lease up (or
 * /proc/sys/fs/lease-break-time passed: the same transcript either way).
 */
static void blocking(const char *path)
{
	int r = open(path, O_RDONLY);

	if (sig != SIGIO)
		fcntl(r, F_SETSIG, sig);
	say("rdlck: %ld\n", e(fcntl(r, F_SETLEASE, F_RDLCK)));
	blocked("writer", r, F_UNLCK, child_open(path, O_WRONLY));
	if (sig != SIGIO)
		fcntl(r, F_SETSIG, sig);
	say("rdlck: %ld\n", e(fcntl(r, F_SETLEASE, F_RDLCK)));
	blocked("truncate", r, F_UNLCK, child_truncate(path));
	if (sig != SIGIO)
		fcntl(r, F_SETSIG, sig);
	say("wrlck: %ld\n", e(fcntl(r, F_SETLEASE, F_WRLCK)));
	blocked("reader", r, F_RDLCK, child_open(path, O_RDONLY));
	say("  get after %ld\n", e(fcntl(r, F_GETLEASE)));
	close(r);
}

static void breaks(const char *path)
{
	int r = open(path, O_RDONLY);
	char path2[520];

	if (sig != SIGIO)
		fcntl(r, F_SETSIG, sig);
	say("rdlck: %ld\n", e(fcntl(r, F_SETLEASE, F_RDLCK)));
	say("reader's O_NONBLOCK open: %d\n", child_end(child_open(path, O_RDONLY | O_NONBLOCK)));
	say("writer's O_NONBLOCK open: %d\n", child_end(child_open(path, O_WRONLY | O_NONBLOCK)));
	got_signal(r);
	say("  get during the break: %ld\n", e(fcntl(r, F_GETLEASE)));
	say("  unlck: %ld\n", e(fcntl(r, F_SETLEASE, F_UNLCK)));
	say("writer's open again: %d\n", child_end(child_open(path, O_WRONLY | O_NONBLOCK)));
	close(r);
	/* A write lease on a file no close of the above touches (merged closes: tmpfs-deviations.md). */
	snprintf(path2, sizeof(path2), "%s2", path);
	r = open(path2, O_CREAT | O_RDONLY, 0644);
	if (sig != SIGIO)
		fcntl(r, F_SETSIG, sig);
	say("wrlck: %ld\n", e(fcntl(r, F_SETLEASE, F_WRLCK)));
	say("reader's O_NONBLOCK open: %d\n", child_end(child_open(path2, O_RDONLY | O_NONBLOCK)));
	got_signal(r);
	say("  get during the break: %ld\n", e(fcntl(r, F_GETLEASE)));
	say("  downgrade: %ld", e(fcntl(r, F_SETLEASE, F_RDLCK)));
	say(" get %ld\n", e(fcntl(r, F_GETLEASE)));
	say("reader's open again: %d\n", child_end(child_open(path2, O_RDONLY | O_NONBLOCK)));
	say("unlck: %ld,", e(fcntl(r, F_SETLEASE, F_UNLCK)));
	say(" F_GETSIG after %ld, F_GETOWN %ld", e(fcntl(r, F_GETSIG)), e(fcntl(r, F_GETOWN)));
	say(" unlck again: %ld\n", e(fcntl(r, F_SETLEASE, F_UNLCK)));
	close(r);
	blocking(path2);
	close(r);
	say("after close, writer's open: %d\n", child_end(child_open(path, O_WRONLY | O_NONBLOCK)));
}

/*
 * sigio_perm(): a holder that is not root may not signal a root process
 * through F_SETOWN (here: this guest, which would count a SIGIO).
 */
static volatile sig_atomic_t sigios;

static void on_sigio(int s)
{
	(void)s;
	sigios++;
}

static void owner_not_signalled(const char *dir)
{
	char path[512], c;
	int st, up[2], down[2];
	pid_t pid;

	if (geteuid() != 0 || pipe(up) || pipe(down))
		return;
	snprintf(path, sizeof(path), "%s/nobody", dir);
	close(open(path, O_CREAT | O_RDONLY, 0644));
	if (chown(path, 65534, 65534))
		return;
	pid = fork();
	if (pid == 0) {
		int fd;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(99);
		fd = open(path, O_RDONLY);
		fcntl(fd, F_SETLEASE, F_RDLCK);
		fcntl(fd, F_SETOWN, getppid()); /* root: not the holder's to signal */
		if (write(up[1], "x", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(98);
		_exit(fcntl(fd, F_GETLEASE) == F_UNLCK ? 0 : 97);
	}
	signal(SIGIO, on_sigio);
	sigprocmask(SIG_SETMASK, &(sigset_t){ 0 }, NULL);
	if (read(up[0], &c, 1) != 1)
		return;
	sigios = 0;
	say("nobody's lease, root's O_NONBLOCK writer: %ld", e(open(path, O_WRONLY | O_NONBLOCK)));
	usleep(100000);
	say(" SIGIO to root: %d", (int)sigios);
	if (write(down[1], "x", 1) != 1)
		return;
	waitpid(pid, &st, 0);
	say(" holder's get %s\n", WIFEXITED(st) && !WEXITSTATUS(st) ? "F_UNLCK" : "other");
	signal(SIGIO, SIG_IGN);
	close(up[0]), close(up[1]), close(down[0]), close(down[1]);
}

/*
 * Mount side only: a lease whose owner is the supervisor (the guest's
 * parent): the break signals nobody, and the supervisor serves on.
 */
static int supervisor_survives(void)
{
	const char *path = "/mnt/t/lease/sup";
	struct stat st;
	int r = open(path, O_CREAT | O_RDONLY, 0644);

	fcntl(r, F_SETLEASE, F_RDLCK);
	fcntl(r, F_SETOWN, getppid());
	printf("supervisor as owner: the writer %d", child_end(child_open(path, O_WRONLY | O_NONBLOCK)));
	usleep(100000);
	printf(", then stat %ld\n", e(stat(path, &st)));
	close(r);
	return stat(path, &st) ? 1 : 0;
}

static void steps(const char *dir)
{
	char path[512];
	sigset_t set;

	len = 0;
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/f", dir);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigaddset(&set, SIGIO); /* a stray one must not end the guest */
	sigprocmask(SIG_BLOCK, &set, NULL);
	set_rules(dir, path);
	not_owner(path);
	breaks(path);
	owner_not_signalled(dir);
	out[len] = '\0';
}

int main(int argc, char **argv)
{
	static char host[8192];
	const char *shm = "/dev/shm/ukcov-fcntl-lease";

	if (argc > 1 && !strcmp(argv[1], "memfd"))
		sig = SIGIO;
	steps(shm);
	memcpy(host, out, len + 1);
	steps("/mnt/t/lease");
	printf("%s", out);
	return two_sides_compare(shm, host, out) | supervisor_survives();
}
