/*
 * Guest (--tmpfs=/mnt/t): dnotify (fcntl(F_NOTIFY)) on /dev/shm and in the
 * mount, the transcripts compared (two_sides.h): which operations signal
 * which watched directory (fs/notify/dnotify/dnotify.c): DN_CREATE for
 * creat, mkdir, link, symlink, mknod and a rename's new name, DN_DELETE for
 * unlink, rmdir and its old name, DN_RENAME only within one directory,
 * DN_ATTRIB, DN_MODIFY and DN_ACCESS of children and of the directory
 * itself, a child directory's events on its parent too (LTP fcntl38,
 * fcntl39); one-shot and DN_MULTISHOT, masks that add up, F_NOTIFY 0 and
 * close removing it, si_fd (a dup's, once it set it), another process's
 * operations; ENOTDIR for a file, 0 for its 0 mask, EBADF for O_PATH. Then
 * the signal of the caller's own operation arrives before the call
 * returns, as LTP checks it (counted, in a handler). With argv[1] "memfd"
 * (no private store: F_SETSIG of a signal is EINVAL) both sides use
 * SIGIO. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "say.h"
#include "two_sides.h"

static int sig;
static int fd_d = -1, fd_sub = -1, fd_dup = -1;
static char base[256];

static const char *P(const char *name)
{
	static char buf[4][512];
	static int n;

	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", base, name);
	return buf[n];
}

static const char *label(int fd)
{
	return fd == fd_d ? "d" : fd == fd_sub ? "sub" : fd == fd_dup ? "dup" : "other";
}

/* The signals the step raised, in order: si_fd's directory, or SIGIO. */
static void drain(const char *what)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;
	siginfo_t si;

	usleep(3000); /* another process's: the supervisor sends it once that call is answered */
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigaddset(&set, SIGIO);
	say("%s:", what);
	while (sigtimedwait(&set, &si, &zero) > 0)
		say(" %s", si.si_signo == SIGIO ? "SIGIO" : label(si.si_fd));
	say("\n");
}

static void notify(int fd, const char *name, unsigned long arg)
{
	long r = e(fcntl(fd, F_NOTIFY, arg));

	if (r)
		say("F_NOTIFY %s %#lx: %ld\n", name, arg, r);
}

static void touch(const char *name)
{
	int fd = open(P(name), O_CREAT | O_WRONLY, 0644);

	if (fd >= 0)
		close(fd);
}

static void file_rules(void)
{
	int f = open(P("f"), O_RDONLY), p = open(base, O_PATH);

	say("file DN_ACCESS %ld, 0 %ld, DN_MULTISHOT %ld; O_PATH dir %ld\n",
	    e(fcntl(f, F_NOTIFY, DN_ACCESS)), e(fcntl(f, F_NOTIFY, 0)),
	    e(fcntl(f, F_NOTIFY, DN_MULTISHOT)), e(fcntl(p, F_NOTIFY, DN_CREATE)));
	close(f);
	close(p);
}

static void names(void)
{
	notify(fd_d, "d", DN_CREATE);
	touch("a");
	drain("one-shot creat");
	touch("b");
	drain("again");
	notify(fd_d, "d", DN_CREATE | DN_DELETE | DN_MULTISHOT);
	mkdir(P("c"), 0755);
	drain("mkdir");
	unlink(P("a"));
	drain("unlink");
	rmdir(P("c"));
	drain("rmdir");
	link(P("b"), P("b2"));
	drain("link");
	symlink("b", P("l"));
	drain("symlink");
	mknod(P("fifo"), S_IFIFO | 0644, 0);
	drain("mknod");
	rename(P("b2"), P("b3"));
	drain("rename in d");
	rename(P("b3"), P("sub/b3"));
	drain("rename to sub");
	notify(fd_d, "d", 0);
	touch("x");
	drain("after F_NOTIFY 0");
}

/* fcntl39: DN_RENAME within one directory only, on the parent of a renamed directory */
static void renames(void)
{
	notify(fd_d, "d", DN_RENAME | DN_MULTISHOT);
	notify(fd_sub, "sub", DN_RENAME | DN_MULTISHOT);
	rename(P("f"), P("sub/f"));
	drain("rename f into sub");
	rename(P("sub"), P("sub2"));
	drain("rename sub itself");
	rename(P("sub2"), P("sub"));
	rename(P("sub/f"), P("f"));
	drain("back");
	rename(P("sub/b3"), P("sub/b4"));
	drain("rename in sub");
	notify(fd_d, "d", 0);
	notify(fd_sub, "sub", 0);
}

/* fcntl38: a child directory's DN_ATTRIB on it and on its parent */
static void attribs(void)
{
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };

	notify(fd_d, "d", DN_ATTRIB | DN_MULTISHOT);
	notify(fd_sub, "sub", DN_ATTRIB | DN_MULTISHOT);
	chmod(P("sub"), 0755);
	drain("chmod sub");
	chmod(P("f"), 0600);
	drain("chmod f");
	chmod(base, 0755);
	drain("chmod d");
	utimensat(AT_FDCWD, P("f"), ts, 0);
	drain("utimes f");
	chown(P("sub/b4"), getuid(), getgid());
	drain("chown sub/b4");
	/* trusted.* as root: Linux's tmpfs has it on every kernel, user.* only since 6.6 */
	setxattr(P("f"), geteuid() == 0 ? "trusted.x" : "user.x", "1", 1, 0);
	drain("setxattr f");
	link(P("f"), P("f2"));
	drain("link f (its link count)");
	unlink(P("f2"));
	drain("unlink f2");
	notify(fd_d, "d", 0);
	notify(fd_sub, "sub", 0);
}

static void data(void)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 5, 0 } };
	char buf[8];
	int f = open(P("f"), O_RDWR);
	DIR *dir;

	notify(fd_d, "d", DN_MODIFY | DN_MULTISHOT);
	(void)!write(f, "abc", 3);
	drain("write f");
	(void)!pread(f, buf, sizeof(buf), 0);
	drain("read f (no DN_ACCESS)");
	(void)!ftruncate(f, 1);
	drain("ftruncate f");
	utimensat(AT_FDCWD, P("f"), ts, 0);
	drain("utimes f mtime only");
	notify(fd_d, "d", 0);
	notify(fd_d, "d", DN_ACCESS | DN_MULTISHOT);
	notify(fd_sub, "sub", DN_ACCESS | DN_MULTISHOT);
	(void)!pread(f, buf, sizeof(buf), 0);
	drain("read f");
	dir = opendir(P("sub"));
	while (dir && readdir(dir))
		;
	if (dir)
		closedir(dir);
	drain("readdir sub");
	notify(fd_d, "d", 0);
	notify(fd_sub, "sub", 0);
	close(f);
}

static void holders(void)
{
	int fd2;
	pid_t pid;

	notify(fd_d, "d", DN_CREATE | DN_MULTISHOT);
	notify(fd_d, "d", DN_DELETE);
	touch("y");
	unlink(P("y"));
	drain("masks add up: creat, unlink");
	fd_dup = dup(fd_d);
	notify(fd_dup, "dup", DN_CREATE);
	touch("z");
	drain("set again by a dup");
	close(fd_dup);
	touch("z2");
	drain("after the dup's close");
	fd2 = open(base, O_RDONLY);
	notify(fd2, "fd2", DN_CREATE | DN_MULTISHOT);
	close(fd2);
	touch("w");
	drain("after close");
	notify(fd_d, "d", DN_CREATE | DN_MODIFY | DN_MULTISHOT);
	pid = fork();
	if (pid == 0) {
		int f = open(P("k"), O_CREAT | O_WRONLY, 0644);

		(void)!write(f, "k", 1);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	drain("another process: creat, write");
	notify(fd_d, "d", 0);
}

static void steps(const char *dir)
{
	sigset_t set;
	int f;

	len = 0;
	snprintf(base, sizeof(base), "%s", dir);
	mkdir(base, 0755);
	mkdir(P("sub"), 0755);
	f = open(P("f"), O_CREAT | O_WRONLY, 0644);
	close(f);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigaddset(&set, SIGIO);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd_d = open(base, O_RDONLY);
	fd_sub = open(P("sub"), O_RDONLY);
	if (sig != SIGIO && (fcntl(fd_d, F_SETSIG, sig) || fcntl(fd_sub, F_SETSIG, sig)))
		say("F_SETSIG: %d\n", errno);
	file_rules();
	names();
	renames();
	attribs();
	data();
	holders();
	close(fd_d);
	close(fd_sub);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static volatile sig_atomic_t got;

static void on_sig(int s)
{
	(void)s;
	got = 1;
}

/* LTP's way: the flag set by the handler when chmod() returns. Returns how many were late. */
static int late_signals(const char *dir, int rounds)
{
	struct sigaction sa = { .sa_handler = on_sig };
	int fd, late = 0;

	snprintf(base, sizeof(base), "%s", dir);
	fd = open(P("sub"), O_RDONLY);
	sigaction(sig, &sa, NULL);
	if (sig != SIGIO)
		fcntl(fd, F_SETSIG, sig);
	fcntl(fd, F_NOTIFY, DN_ATTRIB | DN_MULTISHOT);
	for (int i = 0; i < rounds; i++) {
		got = 0;
		chmod(P("sub"), i & 1 ? 0700 : 0755);
		late += !got;
	}
	close(fd);
	return late;
}

int main(int argc, char **argv)
{
	static char host[8192];
	const char *shm = "/dev/shm/ukcov-dnotify";
	int late;

	sig = argc > 1 && !strcmp(argv[1], "memfd") ? SIGIO : SIGRTMIN + 1;
	steps(shm);
	memcpy(host, out, len + 1);
	steps("/mnt/t/dn");
	printf("%s", out);
	late = late_signals("/mnt/t/dn", 1000);
	printf("own signal arrived after chmod() returned: %d of 1000\n", late);
	return two_sides_compare(shm, host, out) | (late > 0);
}
