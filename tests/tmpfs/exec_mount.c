/*
 * Guest: execve(2) of files in DIR, with Linux's errors, run on Linux's tmpfs
 * (/dev/shm) and inside `ukcov run --tmpfs` by test_exec_mount.sh. Copies
 * /bin/true into DIR (also execute-only), then: a missing file ENOENT, a
 * mode 0644 file EACCES, a directory EACCES, garbage ENOEXEC, each failure
 * leaving the caller running; /bin/true from DIR, an execute-only copy, and
 * an exec from a second thread all run. Then execveat(2): fexecve() of a
 * file's fd (also O_PATH and close-on-exec ones), a name relative to a
 * directory fd, a script's $0 ("/dev/fd/N", "/dev/fd/N/NAME", ENOENT for a
 * close-on-exec fd), AT_SYMLINK_NOFOLLOW's ELOOP, bad flags' EINVAL, ""
 * without AT_EMPTY_PATH ENOENT. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int fails;
static char dir[512];

#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %d: ", __LINE__); \
	printf(__VA_ARGS__); printf(" (errno %s)\n", strerror(errno)); } } while (0)

static char *at(const char *name)
{
	static char b[4][600];
	static int i;

	i = (i + 1) % 4;
	snprintf(b[i], sizeof b[i], "%s/%s", dir, name);
	return b[i];
}

static int copy(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0700);

	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	close(out);
	return chmod(to, mode);
}

/* Runs execve(path) in a child; returns its exit status or 100 + errno of a failed exec. */
static int run(const char *path)
{
	/* argv[0] "true": a busybox /bin/true picks its applet by that name. */
	char *argv[] = { "true", NULL };
	pid_t p = fork();
	int st;

	if (p == 0) {
		execve(path, argv, (char *[]){ NULL });
		_exit(100 + errno);
	}
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs execveat(dfd, path, flags) in a child; its exit status or 100 + errno. */
static int run_at(int dfd, const char *path, int flags)
{
	char *argv[] = { "true", NULL };
	pid_t p = fork();
	int st;

	if (p == 0) {
		syscall(SYS_execveat, dfd, path, argv, (char *[]){ NULL }, flags);
		_exit(100 + errno);
	}
	waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A script that exits 7 when its $0 is @want, else 8. */
static void script_expecting(const char *name, const char *want)
{
	FILE *f = fopen(at(name), "w");

	CHECK(f != NULL, "script %s", name);
	if (!f)
		return;
	fprintf(f, "#!/bin/sh\n[ \"$0\" = \"%s\" ] && exit 7\nexit 8\n", want);
	fclose(f);
	chmod(at(name), 0755);
}

static void execveat_checks(void)
{
	int d = open(dir, O_RDONLY | O_DIRECTORY), f = open(at("true"), O_RDONLY);
	int fc = open(at("true"), O_RDONLY | O_CLOEXEC), fp = open(at("true"), O_PATH);
	char want[64];
	int s, sc;

	CHECK(d >= 0 && f >= 0 && fc >= 0 && fp >= 0, "opens for execveat");
	CHECK(run_at(f, "", AT_EMPTY_PATH) == 0, "fexecve: %d", run_at(f, "", AT_EMPTY_PATH));
	CHECK(run_at(fc, "", AT_EMPTY_PATH) == 0, "fexecve, close-on-exec: %d", run_at(fc, "", AT_EMPTY_PATH));
	CHECK(run_at(fp, "", AT_EMPTY_PATH) == 0, "fexecve of O_PATH: %d", run_at(fp, "", AT_EMPTY_PATH));
	CHECK(run_at(d, "true", 0) == 0, "execveat by dirfd: %d", run_at(d, "true", 0));
	CHECK(run_at(d, "missing", 0) == 100 + ENOENT, "execveat of a missing name: %d", run_at(d, "missing", 0));
	CHECK(run_at(d, "", AT_EMPTY_PATH) == 100 + EACCES, "fexecve of a directory: %d",
	      run_at(d, "", AT_EMPTY_PATH));
	CHECK(run_at(f, "", 0) == 100 + ENOENT, "\"\" without AT_EMPTY_PATH: %d", run_at(f, "", 0));
	CHECK(run_at(f, "", AT_EMPTY_PATH | 4) == 100 + EINVAL, "bad flags: %d", run_at(f, "", AT_EMPTY_PATH | 4));
	CHECK(run_at(f, "x", 0) == 100 + ENOTDIR, "a name on a file's fd: %d", run_at(f, "x", 0));
	CHECK(symlink("true", at("link")) == 0, "symlink");
	CHECK(run_at(d, "link", AT_SYMLINK_NOFOLLOW) == 100 + ELOOP, "AT_SYMLINK_NOFOLLOW of a symlink: %d",
	      run_at(d, "link", AT_SYMLINK_NOFOLLOW));
	CHECK(run_at(d, "link", 0) == 0, "a symlink followed: %d", run_at(d, "link", 0));
	/* binfmt_script's name for the script: /dev/fd/N[/NAME], unless close-on-exec
	 * (the interpreter opens that name: a system without /dev/fd cannot run them) */
	if (access("/dev/fd/0", F_OK))
		return;
	snprintf(want, sizeof(want), "/dev/fd/%d/s1", d);
	script_expecting("s1", want);
	CHECK(run_at(d, "s1", 0) == 7, "a script by dirfd sees $0 %s: %d", want, run_at(d, "s1", 0));
	s = open(at("s1"), O_RDONLY);
	snprintf(want, sizeof(want), "/dev/fd/%d", s + 1);
	script_expecting("s2", want);
	s = open(at("s2"), O_RDONLY);
	CHECK(run_at(s, "", AT_EMPTY_PATH) == 7, "a script by fd sees $0 %s: %d", want, run_at(s, "", AT_EMPTY_PATH));
	sc = open(at("s2"), O_RDONLY | O_CLOEXEC);
	CHECK(run_at(sc, "", AT_EMPTY_PATH) == 100 + ENOENT, "a script by a close-on-exec fd: %d",
	      run_at(sc, "", AT_EMPTY_PATH));
	snprintf(want, sizeof(want), "%s", at("s3"));
	script_expecting("s3", want);
	CHECK(run_at(d, want, 0) == 7, "an absolute name ignores dirfd: %d", run_at(d, want, 0));
}

static void *thread_exec(void *arg)
{
	char *argv[] = { "true", NULL };

	execve(arg, argv, (char *[]){ NULL });
	return NULL; /* a failed exec: the process exits 1 from main */
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2)
		return 2;
	snprintf(dir, sizeof dir, "%s", argv[1]);
	CHECK(copy("/bin/true", at("true"), 0755) == 0, "copy /bin/true");
	CHECK(copy("/bin/true", at("xonly"), 0111) == 0, "copy an execute-only true");
	CHECK(copy("/bin/true", at("noexec"), 0644) == 0, "copy a non-executable true");
	fd = open(at("garbage"), O_CREAT | O_WRONLY, 0755);
	CHECK(fd >= 0 && write(fd, "\x01\x02\x03\x04garbage", 11) == 11, "garbage file");
	close(fd);
	CHECK(mkdir(at("adir"), 0755) == 0, "mkdir");

	CHECK(run(at("true")) == 0, "exec true from the directory: %d", run(at("true")));
	CHECK(run(at("xonly")) == 0, "exec an execute-only file: %d", run(at("xonly")));
	CHECK(run(at("missing")) == 100 + ENOENT, "exec a missing file: %d", run(at("missing")));
	CHECK(run(at("noexec")) == 100 + EACCES, "exec a 0644 file: %d", run(at("noexec")));
	CHECK(run(at("adir")) == 100 + EACCES, "exec a directory: %d", run(at("adir")));
	CHECK(run(at("garbage")) == 100 + ENOEXEC, "exec garbage: %d", run(at("garbage")));
	/*
	 * A sparse file of 64 GiB, "\177ELF" and then nothing: ENOEXEC at once,
	 * as on Linux (which reads its header), and no 64 GiB of zeros copied
	 * by the supervisor (it used to copy every byte: the fuzzer filled the
	 * host's memory that way).
	 */
	fd = open(at("sparse"), O_CREAT | O_WRONLY, 0755);
	CHECK(fd >= 0 && write(fd, "\177ELF", 4) == 4 && ftruncate(fd, 64ll << 30) == 0, "sparse file");
	close(fd);
	CHECK(run(at("sparse")) == 100 + ENOEXEC, "exec a sparse 64 GiB file: %d", run(at("sparse")));
	/* The caller of a failed exec goes on as before. */
	errno = 0;
	CHECK(execve(at("noexec"), (char *[]){ "x", NULL }, (char *[]){ NULL }) == -1 && errno == EACCES,
	      "a failed execve in this process");
	CHECK(access(at("true"), X_OK) == 0, "still running after it");
	/* From a second thread: the process becomes /bin/true and exits 0. */
	pid_t p = fork();
	int st;

	if (p == 0) {
		pthread_t t;

		pthread_create(&t, NULL, thread_exec, at("true"));
		pthread_join(t, NULL);
		_exit(1);
	}
	waitpid(p, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec from a second thread: status %d", st);
	execveat_checks();
	printf("%s\n", fails ? "exec checks failed" : "all exec checks passed");
	return fails != 0;
}
