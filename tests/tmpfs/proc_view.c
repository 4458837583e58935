/*
 * /proc's view of mount objects, differential: run natively in a directory
 * D of /dev/shm and under ukcov with D a mount, the outputs (D replaced)
 * must be the same. argv[1] is D, argv[2] a host directory for host
 * symlinks into /proc. Every spelling of the cwd and of an fd link is
 * written through, read back (readlink, fdinfo) and refused where Linux
 * refuses it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *D;

/* Prints a path with D as "D", so both runs print the same. */
static void show(const char *what, const char *s)
{
	size_t n = strlen(D);

	if (!strncmp(s, D, n))
		printf("%s: D%s\n", what, s + n);
	else
		printf("%s: %s\n", what, s);
}

static void try_create(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd < 0) {
		printf("create %s: %s\n", path, strerror(errno));
		return;
	}
	if (write(fd, "x", 1) != 1)
		printf("write %s: %s\n", path, strerror(errno));
	close(fd);
	printf("create %s: ok\n", path);
}

static void show_link(const char *path)
{
	char buf[4096];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	char what[4200];

	snprintf(what, sizeof(what), "readlink %s", path);
	if (n < 0) {
		printf("%s: %s\n", what, strerror(errno));
		return;
	}
	buf[n] = '\0';
	show(what, buf);
}

static void list(const char *dir)
{
	struct dirent **e;
	int n = scandir(dir, &e, NULL, alphasort);

	printf("ls %s:", dir[0] == '/' && !strncmp(dir, D, strlen(D)) ? "D..." : dir);
	for (int i = 0; i < n; i++) {
		if (e[i]->d_name[0] != '.')
			printf(" %s", e[i]->d_name);
		free(e[i]);
	}
	printf(n < 0 ? " %s\n" : "\n", strerror(errno));
	free(e);
}

static void try_openat2(const char *path, int flags, unsigned long long resolve)
{
	struct open_how how = { .flags = (unsigned long long)flags, .resolve = resolve };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	printf("openat2 %s flags %#x resolve %#llx: %s\n", path, flags, resolve,
	       fd < 0 ? strerror(errno) : "ok");
	if (fd >= 0)
		close(fd);
}

static void show_fdinfo(int fd)
{
	char path[64], buf[4096], *line;
	int n, in;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	in = open(path, O_RDONLY);
	n = in < 0 ? -1 : (int)read(in, buf, sizeof(buf) - 1);
	if (in >= 0)
		close(in);
	if (n < 0) {
		printf("fdinfo: %s\n", strerror(errno));
		return;
	}
	buf[n] = '\0';
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, "pos:", 4) || !strncmp(line, "flags:", 6))
			printf("fdinfo %s\n", line);
}

/* Every spelling of the cwd link, written through. */
static void cwd_spellings(const char *hostdir)
{
	char p[4096], link[4096];

	try_create("/proc/self/cwd/c1");
	try_create("/proc/thread-self/cwd/c2");
	snprintf(p, sizeof(p), "/proc/%d/cwd/c3", getpid());
	try_create(p);
	snprintf(p, sizeof(p), "/proc/%d/task/%d/cwd/c4", getpid(), gettid());
	try_create(p);
	try_create("/proc/./self/../self/cwd/c5");
	try_create("/proc/self/cwd/./../a/c6");
	try_create("//proc//self/cwd/c7");
	snprintf(link, sizeof(link), "%s/cwdlink", hostdir);
	unlink(link);
	if (symlink("/proc/self/cwd", link))
		perror("symlink");
	snprintf(p, sizeof(p), "%s/c8", link);
	try_create(p);
	snprintf(link, sizeof(link), "%s/selflink", hostdir);
	unlink(link);
	if (symlink("/proc/./self", link))
		perror("symlink");
	snprintf(p, sizeof(p), "%s/cwd/c9", link);
	try_create(p);
	list(".");
	show_link("/proc/self/cwd");
	show_link("/proc/thread-self/cwd");
	snprintf(p, sizeof(p), "/proc/%d/cwd", getpid());
	show_link(p);
	if (getcwd(p, sizeof(p)))
		show("getcwd", p);
	try_openat2("/proc/self/cwd/c1", O_RDONLY, RESOLVE_NO_MAGICLINKS);
	try_openat2("/proc/self/cwd/c1", O_RDONLY, 0);
}

/* The fd links of a file and of a directory of D. */
static void fd_links(void)
{
	char p[4096], q[4096], buf[16] = { 0 };
	int fd, dfd, fd2;

	snprintf(p, sizeof(p), "%s/a/file", D);
	fd = open(p, O_CREAT | O_RDWR, 0644);
	if (fd < 0 || write(fd, "hello", 5) != 5)
		return perror("file"), (void)0;
	snprintf(q, sizeof(q), "/proc/self/fd/%d", fd);
	show_link(q);
	lseek(fd, 3, SEEK_SET);
	show_fdinfo(fd);
	try_openat2(q, O_RDONLY, RESOLVE_NO_MAGICLINKS);
	try_openat2(q, O_RDONLY | O_NOFOLLOW, 0);
	try_openat2(q, O_WRONLY, 0);
	fd2 = open(q, O_RDONLY);
	printf("reopen: %s, %zd bytes\n", fd2 < 0 ? strerror(errno) : "ok",
	       fd2 < 0 ? -1 : read(fd2, buf, sizeof(buf) - 1));
	if (fd2 >= 0)
		close(fd2);
	snprintf(p, sizeof(p), "%s/a/renamed", D);
	snprintf(buf, sizeof(buf), "%s", "");
	{
		char from[4096];

		snprintf(from, sizeof(from), "%s/a/file", D);
		if (rename(from, p))
			perror("rename");
	}
	show_link(q);
	unlink(p);
	show_link(q);
	fd2 = open(q, O_RDONLY);
	printf("reopen after unlink: %s\n", fd2 < 0 ? strerror(errno) : "ok");
	if (fd2 >= 0)
		close(fd2);
	close(fd);

	snprintf(p, sizeof(p), "%s/a/sub", D);
	mkdir(p, 0755);
	dfd = open(p, O_RDONLY | O_DIRECTORY);
	snprintf(q, sizeof(q), "/proc/self/fd/%d/s1", dfd);
	try_create(q);
	snprintf(q, sizeof(q), "/dev/fd/%d/s2", dfd);
	try_create(q);
	snprintf(q, sizeof(q), "/proc/self/fd/%d/../s3", dfd);
	try_create(q);
	snprintf(q, sizeof(q), "/proc/self/fd/%d/", dfd);
	try_openat2(q, O_RDONLY | O_DIRECTORY, 0);
	snprintf(q, sizeof(q), "/proc/self/fd/%d", dfd);
	show_link(q);
	list(p);
	{
		char dents[100];

		/* A directory's position after part of it was read, as fdinfo shows it. */
		printf("getdents64: %ld\n", (long)syscall(SYS_getdents64, dfd, dents, sizeof(dents)));
		show_fdinfo(dfd);
	}
	snprintf(q, sizeof(q), "%s/a/sub2", D);
	if (rename(p, q))
		perror("rename dir");
	snprintf(q, sizeof(q), "/proc/self/fd/%d", dfd);
	show_link(q);
	snprintf(p, sizeof(p), "%s/a/sub2", D);
	for (int i = 1; i <= 2; i++) {
		snprintf(q, sizeof(q), "%s/s%d", p, i);
		unlink(q);
	}
	if (rmdir(p))
		perror("rmdir");
	snprintf(q, sizeof(q), "/proc/self/fd/%d", dfd);
	show_link(q);
	snprintf(q, sizeof(q), "/proc/self/fd/%d/late", dfd);
	try_create(q);
	close(dfd);
}

/* A child's links, read by its parent through /proc/PID. */
static void other_process(void)
{
	int pipefd[2];
	char p[4096], c;
	pid_t pid;

	if (pipe(pipefd))
		return;
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		if (chdir("sub3") == 0 && write(pipefd[1], "x", 1) == 1)
			pause();
		_exit(1);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) == 1) {
		snprintf(p, sizeof(p), "/proc/%d/cwd", pid);
		show_link("/proc/self/cwd");
		printf("child's cwd:\n");
		show_link(p);
		snprintf(p, sizeof(p), "/proc/%d/cwd/from-parent", pid);
		try_create(p);
		list("sub3");
	}
	kill(pid, 9);
	waitpid(pid, NULL, 0);
	close(pipefd[0]);
}

int main(int argc, char **argv)
{
	char p[4096];

	if (argc != 3)
		return 2;
	D = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	snprintf(p, sizeof(p), "%s/a", D);
	if (mkdir(p, 0755) || chdir(p))
		return perror(p), 1;
	cwd_spellings(argv[2]);
	fd_links();
	mkdir("sub3", 0755);
	other_process();
	/* The cwd removed: Linux finds nothing through its link. */
	if (chdir("sub3") || unlink("from-parent") || rmdir("../sub3"))
		perror("sub3");
	show_link("/proc/self/cwd");
	try_create("/proc/self/cwd/gone");
	return 0;
}
