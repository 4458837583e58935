// SPDX-License-Identifier: MIT
/*
 * Routing helpers (lib/route.c): a tracer finds a kcov by its memfd's
 * (device, inode), and a handed-over kcov is closed when no guest process
 * holds an fd or a mapping of it any more. The guest is a forked child
 * that holds what the test tells it to, step by step.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ukcov/ukcov.h>

#include "fixture.h"
#include "unit.h"

static void test_find_by_identity(void)
{
	struct ukcov_kcov *k, *k2, *found = NULL;
	struct stat st;
	int fd;

	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &k), 0);
	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &k2), 0);
	EXPECT_EQ(fstat(ukcov_kcov_fd(k), &st), 0);
	EXPECT(ukcov_kcov_find(st.st_dev, st.st_ino) == k, "find by (dev, ino)");
	EXPECT(ukcov_kcov_find(st.st_dev, st.st_ino + 1000000) == NULL, "another inode");
	/* Through /proc, as a tracer sees a guest's fd: a dup is the same file. */
	fd = dup(ukcov_kcov_fd(k2));
	EXPECT_EQ(ukcov_kcov_find_fd(getpid(), fd, &found), 0);
	EXPECT(found == k2, "find_fd of a dup");
	EXPECT_EQ(ukcov_kcov_find_fd(getpid(), 0, &found), -ENOENT);
	EXPECT_EQ(ukcov_kcov_find_fd(getpid(), 999999, &found), -EBADF);
	close(fd);
	ukcov_kcov_close(k);
	EXPECT(ukcov_kcov_find(st.st_dev, st.st_ino) == NULL, "a closed kcov is not found");
	ukcov_kcov_close(k2);
}

/* Tells the child to take its next step, and waits until it took it. */
static void step(int to, int from)
{
	char c = 's';

	EXPECT_EQ(write(to, &c, 1), 1);
	EXPECT_EQ(read(from, &c, 1), 1);
}

static void child(int memfd, int from, int to)
{
	char c = 'd';
	void *area;

	/* Holds an fd (inherited), then a mapping without the fd, then nothing. */
	if (read(from, &c, 1) != 1)
		_exit(1);
	area = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	close(memfd);
	if (area == MAP_FAILED || write(to, &c, 1) != 1 || read(from, &c, 1) != 1)
		_exit(1);
	munmap(area, 4096);
	if (write(to, &c, 1) != 1 || read(from, &c, 1) != 1)
		_exit(1);
	_exit(0);
}

static void test_sweep_follows_guest_references(void)
{
	struct ukcov_task *t = ukcov_task_new();
	struct ukcov_kcov *k, *mine;
	int down[2], up[2], status;
	struct stat st;
	pid_t pid;

	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &k), 0);
	EXPECT_EQ(ukcov_kcov_open(O_RDWR, &mine), 0);
	EXPECT_EQ(fstat(ukcov_kcov_fd(k), &st), 0);
	EXPECT_EQ(ukcov_kcov_sweep(NULL, 0), 0); /* nothing handed over: nothing closed */
	EXPECT_EQ(pipe(down), 0);
	EXPECT_EQ(pipe(up), 0);
	pid = fork();
	if (pid == 0)
		child(ukcov_kcov_fd(k), down[0], up[1]);
	/* After the fork: the child must not inherit the library's own mapping of the area. */
	EXPECT_EQ(ukcov_kcov_ioctl(k, t, UKCOV_KCOV_INIT_TRACE, 512, NULL), 0);
	ukcov_kcov_hand_over(k);
	/* The child holds the inherited fd; `mine` was never handed over. */
	EXPECT_EQ(ukcov_kcov_sweep(&pid, 1), 0);
	step(down[1], up[0]);
	EXPECT_EQ(ukcov_kcov_sweep(&pid, 1), 0); /* a mapping alone keeps it */
	EXPECT(ukcov_kcov_find(st.st_dev, st.st_ino) == k, "still open while mapped");
	step(down[1], up[0]);
	EXPECT_EQ(ukcov_kcov_sweep(&pid, 1), 1); /* neither fd nor mapping: closed */
	EXPECT(ukcov_kcov_find(st.st_dev, st.st_ino) == NULL, "closed after the last reference");
	EXPECT_EQ(ukcov_kcov_sweep(&pid, 1), 0);
	EXPECT_EQ(write(down[1], "x", 1), 1);
	EXPECT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
	EXPECT(ukcov_kcov_find_fd(getpid(), ukcov_kcov_fd(mine), &k) == 0 && k == mine,
	       "a kcov not handed over stays");
	ukcov_kcov_close(mine);
	ukcov_task_exit(t);
	close(down[0]);
	close(down[1]);
	close(up[0]);
	close(up[1]);
}

/* A tracer's housekeeping is dropped without a dummy task (ukcov_discard()). */
static void test_discard_then_flush(void)
{
	struct traced t;

	traced_init(&t, 4096);
	EXPECT_EQ(ukcov_kcov_ioctl(t.kcov, t.task, UKCOV_KCOV_ENABLE, UKCOV_KCOV_TRACE_PC, NULL), 0);
	ukcov_task_return_to_user(t.task, false);
	t.area[0] = 0;
	fixture_loop(5);
	ukcov_discard(false);
	ukcov_task_return_to_user(t.task, false);
	EXPECT_EQ(t.area[0], 0);
	traced_close(&t);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	UNIT_RUN(test_find_by_identity);
	UNIT_RUN(test_sweep_follows_guest_references);
	UNIT_RUN(test_discard_then_flush);
	UNIT_EXIT();
}
