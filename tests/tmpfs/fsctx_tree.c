/*
 * Guest (--tmpfs=MNT, given as argv[1]): the working directory follows
 * Linux's process-tree rules inside a mount. fork copies it at fork time,
 * children the sandbox never saw a syscall from inherit it, threads share
 * it, exec keeps it, closing every fd does not lose it, and nothing a
 * process tree writes with relative paths lands on the host.
 * Exit 0 pass, 1 fail (each failure printed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static const char *mnt;
static char host_cwd[PATH_MAX];
static int fails;

#define CHECK(cond, ...) do { if (!(cond)) { fails++; printf("FAIL %s:%d: ", __func__, __LINE__); \
	printf(__VA_ARGS__); printf(" (errno %d)\n", errno); } } while (0)

static char *mpath(const char *rel)
{
	static char buf[4][PATH_MAX];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], PATH_MAX, "%s%s%s", mnt, *rel ? "/" : "", rel);
	return buf[i];
}

static int exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

/* Runs fn in a child and returns its exit status (0 = child passed). */
static int in_child(int (*fn)(void))
{
	int st;
	pid_t p = fork();

	if (p == 0)
		_exit(fn());
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int cwd_is(const char *want)
{
	char b[PATH_MAX];

	return getcwd(b, sizeof b) && !strcmp(b, want);
}

/* The reproducer: a grandchild whose parent made no syscall of its own. */
static int grandchild_create(void)
{
	pid_t p = fork();  /* the child's first syscall is this fork: never trapped */
	int st;

	if (p == 0) {
		int fd = open("gc-file", O_CREAT | O_WRONLY, 0644);
		_exit(fd < 0);
	}
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static void test_unknown_grandchild(void)
{
	char host[PATH_MAX * 2];

	CHECK(chdir(mnt) == 0, "chdir %s", mnt);
	CHECK(in_child(grandchild_create) == 0, "grandchild open(O_CREAT)");
	CHECK(exists(mpath("gc-file")), "gc-file not in the mount");
	snprintf(host, sizeof host, "%s/gc-file", host_cwd);
	CHECK(!exists(host), "gc-file landed on the host at %s", host);
	unlink(host);
}

static int child_leaves(void)
{
	if (chdir("/tmp"))
		return 2;
	return cwd_is("/tmp") ? 0 : 3;
}

static void test_child_chdir_is_its_own(void)
{
	CHECK(chdir(mnt) == 0, "chdir");
	CHECK(in_child(child_leaves) == 0, "child chdir /tmp: getcwd");
	CHECK(cwd_is(mnt), "parent's cwd changed by its child's chdir");
	CHECK(exists("gc-file"), "parent's relative path no longer in the mount");
}

static void test_fork_copies_at_fork_time(void)
{
	int go[2], st;
	char c;
	pid_t p;

	CHECK(mkdir(mpath("a"), 0755) == 0 || errno == EEXIST, "mkdir a");
	CHECK(mkdir(mpath("b"), 0755) == 0 || errno == EEXIST, "mkdir b");
	CHECK(chdir(mpath("a")) == 0, "chdir a");
	CHECK(pipe(go) == 0, "pipe");
	p = fork();
	if (p == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		/* The parent moved to b meanwhile: this child is still in a. */
		_exit(cwd_is(mpath("a")) && open("in-a", O_CREAT | O_WRONLY, 0644) >= 0 ? 0 : 3);
	}
	close(go[0]);
	CHECK(chdir(mpath("b")) == 0, "chdir b");
	CHECK(write(go[1], "x", 1) == 1, "write");
	close(go[1]);
	waitpid(p, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child forked in a: status %d", st);
	CHECK(exists(mpath("a/in-a")), "the child's file is not in a");
	CHECK(cwd_is(mpath("b")), "parent not in b");
}

static void *thread_chdir(void *arg)
{
	(void)arg;
	return (void *)(long)chdir(mpath("a"));
}

static void test_threads_share(void)
{
	pthread_t t;
	void *r;

	CHECK(chdir(mpath("b")) == 0, "chdir b");
	pthread_create(&t, NULL, thread_chdir, NULL);
	pthread_join(t, &r);
	CHECK(r == NULL, "thread chdir");
	CHECK(cwd_is(mpath("a")), "a thread's chdir is not the process's");
}

static void test_exec_keeps(void)
{
	char *argv[] = { "sh", "-c", "pwd > exec-pwd; touch exec-file", NULL };
	char buf[PATH_MAX] = "";
	pid_t p;
	int st, fd;

	CHECK(chdir(mpath("b")) == 0, "chdir b");
	/* posix_spawn: vfork + exec, as shells and Python's subprocess run programs. */
	CHECK(posix_spawn(&p, "/bin/sh", NULL, NULL, argv, environ) == 0, "posix_spawn");
	waitpid(p, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "sh status %d", st);
	CHECK(exists(mpath("b/exec-file")), "the exec'd shell's file is not in b");
	fd = open(mpath("b/exec-pwd"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof buf - 1) > 0, "read exec-pwd");
	buf[strcspn(buf, "\n")] = '\0';
	CHECK(!strcmp(buf, mpath("b")), "exec'd shell's pwd is '%s'", buf);
	close(fd);
}

static int close_everything(void)
{
	long r = syscall(SYS_close_range, 3, ~0U, 0);

	/* ENOSYS over the sandbox's slot: close fd by fd, as closefrom() falls back to. */
	if (r)
		for (int fd = 3; fd < 65536; fd++)
			close(fd);
	return open("after-close", O_CREAT | O_WRONLY, 0644) < 0;
}

static void test_close_all_fds(void)
{
	char host[PATH_MAX * 2];

	CHECK(chdir(mpath("a")) == 0, "chdir a");
	CHECK(in_child(close_everything) == 0, "open after closing every fd");
	CHECK(exists(mpath("a/after-close")), "a process that closed all fds lost its cwd");
	snprintf(host, sizeof host, "%s/after-close", host_cwd);
	CHECK(!exists(host), "after-close landed on the host");
	unlink(host);
}

static int relative_chdir_in_child(void)
{
	pid_t p = fork();
	int st;

	if (p == 0)
		_exit(chdir("../b") || !cwd_is(mpath("b")));
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static void test_relative_chdir_unknown(void)
{
	CHECK(chdir(mpath("a")) == 0, "chdir a");
	CHECK(in_child(relative_chdir_in_child) == 0, "grandchild chdir ../b");
}

static void test_back_to_host(void)
{
	CHECK(chdir(mnt) == 0, "chdir mnt");
	CHECK(chdir("/no/such/dir") == -1 && errno == ENOENT, "chdir to a missing host dir");
	CHECK(cwd_is(mnt), "a failed chdir to the host moved the cwd");
	CHECK(chdir(host_cwd) == 0, "chdir back to the host");
	CHECK(cwd_is(host_cwd), "getcwd after chdir back");
	CHECK(!exists("gc-file") || exists(mpath("gc-file")), "relative path");
	CHECK(chdir(mnt) == 0 && exists("gc-file"), "again into the mount");
	CHECK(chdir(host_cwd) == 0, "chdir back to the host");
}

static void test_slot_hidden(void)
{
	int fd, maxfd = (int)sysconf(_SC_OPEN_MAX), hidden = 0;

	CHECK(chdir(mnt) == 0, "chdir mnt");
	/*
	 * The slot is past the limit the guest sees (its last fd): every
	 * number below the limit is the guest's, as on Linux (LTP's dup201,
	 * dup205), and the slot cannot be closed or replaced.
	 */
	for (fd = 3; fd < maxfd && fd < 65536; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
			if (dup2(0, fd) == -1 && errno == EBADF)
				hidden++;
			else
				close(fd);
		}
	/* (above supervisor.c's window ceiling, 32768, the slot is below the limit) */
	CHECK(hidden == (maxfd > 32768), "%d fd numbers below the limit refuse dup2 (expected %d)", hidden,
	      maxfd > 32768);
	CHECK(dup2(0, maxfd) == -1 && errno == EBADF, "dup2 onto the limit: expected EBADF");
	CHECK(close(maxfd) == -1 && errno == EBADF, "close of the limit: expected EBADF");
	CHECK(exists("gc-file"), "cwd lost after dup2 over every number");
	CHECK(chdir(host_cwd) == 0, "chdir back");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s MOUNT\n", argv[0]);
		return 2;
	}
	mnt = argv[1];
	if (!getcwd(host_cwd, sizeof host_cwd))
		return 2;
	test_unknown_grandchild();
	test_child_chdir_is_its_own();
	test_fork_copies_at_fork_time();
	test_threads_share();
	test_exec_keeps();
	test_close_all_fds();
	test_relative_chdir_unknown();
	test_back_to_host();
	test_slot_hidden();
	printf("%s\n", fails ? "some checks failed" : "all process-tree checks passed");
	return fails != 0;
}
