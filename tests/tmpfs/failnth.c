/*
 * Guest (DIR = a mount, under ukcov run --fault-injection): Linux's
 * /proc/thread-self/fail-nth as syzkaller drives it.
 * 1. The file: what a write takes (kstrtouint(): bases, '+', one '\n',
 *    EINVAL, ERANGE), "%u\n" from the offset, pread, no lseek (ESPIPE),
 *    the same counter under its three spellings.
 * 2. Every fault site of a call, one after the other (syzkaller's loop:
 *    write N, make the call, read back 0 if the Nth site failed): a call
 *    whose fault made it fail must fail with ENOMEM (an allocation) or
 *    EFAULT (a copy of its arguments) and change nothing
 *    (the directory's names, modes, sizes, links and the file's xattr as
 *    before), as a Linux syscall that fails an allocation does; one that
 *    succeeds anyway did its work. The supervisor serves the next call.
 * Prints one line per call (how many sites it has) and FAIL lines; exits 1
 * on any FAIL.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

static int failed;

#define FAIL(...) (printf("FAIL: " __VA_ARGS__), putchar('\n'), failed = 1)

static const char *err(long r)
{
	static char b[4][48];
	static int i;

	i = (i + 1) % 4;
	if (r >= 0)
		snprintf(b[i], sizeof(b[i]), "%ld", r);
	else
		snprintf(b[i], sizeof(b[i]), "%s", strerrorname_np(errno) ? strerrorname_np(errno) : "?");
	return b[i];
}

static void expect_write(int fd, const char *s, size_t n, const char *want)
{
	const char *got = err(pwrite(fd, s, n, 0));

	if (strcmp(got, want))
		FAIL("write \"%.*s\": %s, want %s", (int)n, s, got, want);
}

static void expect_value(int fd, const char *want)
{
	char b[32] = { 0 };
	ssize_t n = pread(fd, b, sizeof(b) - 1, 0);

	if (n < 0 || strcmp(b, want))
		FAIL("read back \"%s\" (%s), want \"%s\"", b, err(n), want);
}

static void file_abi(void)
{
	char p[64], b[8];
	struct stat st;
	int fd = open("/proc/thread-self/fail-nth", O_RDWR), fd2, fd3;

	if (fd < 0) {
		FAIL("open /proc/thread-self/fail-nth: %s", err(-1));
		return;
	}
	if (fstat(fd, &st) || st.st_mode != (S_IFREG | 0644))
		FAIL("fstat: mode %o", st.st_mode);
	if (read(fd, b, sizeof(b)) != 2 || memcmp(b, "0\n", 2) || read(fd, b, sizeof(b)) != 0)
		FAIL("read: \"0\\n\" then end of file");
	if (lseek(fd, 0, SEEK_SET) != -1 || errno != ESPIPE)
		FAIL("lseek: %s, want ESPIPE", err(-1));
	expect_write(fd, "abc", 3, "EINVAL");
	expect_write(fd, "-1", 2, "EINVAL");
	expect_write(fd, "5\n\n", 3, "EINVAL");
	expect_write(fd, "0x", 2, "EINVAL");
	expect_write(fd, "4294967296", 10, "ERANGE");
	expect_write(fd, "99999999999999999999999", 23, "ERANGE");
	expect_write(fd, "4294967296x", 11, "EINVAL");
	expect_write(fd, "+-1", 3, "EINVAL");
	expect_write(fd, " 1", 2, "EINVAL");
	expect_write(fd, "08", 2, "EINVAL");
	expect_write(fd, "0x10", 4, "4");
	expect_value(fd, "16\n");
	expect_write(fd, "+7\n", 3, "3");
	expect_value(fd, "7\n");
	expect_write(fd, "010", 3, "3");
	expect_value(fd, "8\n");
	/*
	 * The other spellings name the same thread's counter (opened
	 * disarmed: an open's own allocations count, as on Linux).
	 */
	expect_write(fd, "0", 1, "1");
	snprintf(p, sizeof(p), "/proc/self/task/%d/fail-nth", gettid());
	fd2 = open(p, O_RDONLY);
	snprintf(p, sizeof(p), "/proc/%d/task/%d/fail-nth", getpid(), gettid());
	fd3 = open(p, O_WRONLY);
	expect_write(fd, "9", 1, "1");
	expect_value(fd2, "9\n");
	expect_write(fd3, "0", 1, "1");
	expect_value(fd, "0\n");
	close(fd2);
	close(fd3);
	if (open("/proc/thread-self/fail-nth", O_RDONLY | O_DIRECTORY) != -1 || errno != ENOTDIR)
		FAIL("O_DIRECTORY: %s, want ENOTDIR", err(-1));
	close(fd);
}

/* The directory's state: each name's type, mode, size and links, and a's user.x. */
static void snapshot(const char *dir, char *out, size_t cap)
{
	struct dirent **names;
	char p[512], x[64];
	size_t n = 0;
	int k = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < k; i++) {
		struct stat st;

		snprintf(p, sizeof(p), "%s/%s", dir, names[i]->d_name);
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..") && !lstat(p, &st))
			n += (size_t)snprintf(out + n, cap - n, "%s %o %lld %lu;", names[i]->d_name, st.st_mode,
					      S_ISDIR(st.st_mode) ? 0 : (long long)st.st_size,
					      (unsigned long)st.st_nlink);
		free(names[i]);
	}
	free(names);
	snprintf(p, sizeof(p), "%s/a", dir);
	k = (int)getxattr(p, "user.x", x, sizeof(x));
	snprintf(out + n, cap - n, "xattr %.*s", k > 0 ? k : 0, x);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

/* A fresh d/: a (with data and user.x), dir/, dir/in, l -> a, full/ with one file */
static int setup(const char *d)
{
	char p[512];
	int fd;

	nftw(d, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (mkdir(d, 0755))
		return -1;
	snprintf(p, sizeof(p), "%s/a", d);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "hello", 5) != 5 || close(fd) || setxattr(p, "user.x", "1", 1, 0))
		return -1;
	snprintf(p, sizeof(p), "%s/dir", d);
	if (mkdir(p, 0755))
		return -1;
	snprintf(p, sizeof(p), "%s/l", d);
	if (symlink("a", p))
		return -1;
	snprintf(p, sizeof(p), "%s/full", d);
	if (mkdir(p, 0755))
		return -1;
	snprintf(p, sizeof(p), "%s/full/f", d);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	return fd < 0 ? -1 : close(fd);
}

static char D[256];

static const char *at(const char *name)
{
	static char b[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(b[i], sizeof(b[i]), "%s/%s", D, name);
	return b[i];
}

/* The calls, each on a fresh directory; >= 0 or -1 with errno. */
static long call(int k)
{
	int fd;
	long r;

	switch (k) {
	case 0: return mkdir(at("new"), 0700);
	case 1: return (fd = open(at("new"), O_CREAT | O_RDWR, 0600)) < 0 ? -1 : close(fd);
	case 2: return rename(at("a"), at("b"));
	case 3: return rename(at("dir"), at("dir2"));
	case 4: return renameat2(AT_FDCWD, at("a"), AT_FDCWD, at("dir"), RENAME_EXCHANGE);
	case 5: return rename(at("a"), at("full/f"));
	case 6: return link(at("a"), at("hard"));
	case 7: return symlink("target", at("sym"));
	case 8: return unlink(at("a"));
	case 9: return rmdir(at("dir"));
	case 10: return setxattr(at("a"), "user.y", "22", 2, 0);
	case 11: return setxattr(at("a"), "user.x", "333", 3, XATTR_REPLACE);
	case 12: return removexattr(at("a"), "user.x");
	case 13: return truncate(at("a"), 2);
	case 14: return chmod(at("a"), 0600);
	case 15: return mknod(at("fifo"), S_IFIFO | 0644, 0);
	case 16: return (fd = open(D, O_TMPFILE | O_RDWR, 0600)) < 0 ? -1 : close(fd);
	case 17: {
		char b[256];

		return listxattr(at("a"), b, sizeof(b));
	}
	case 18: {
		DIR *dd = opendir(D);

		if (!dd)
			return -1;
		while (readdir(dd))
			;
		return closedir(dd);
	}
	case 19: return (fd = open(at("l"), O_RDONLY)) < 0 ? -1 : close(fd);
	case 20: return rename(at("dir"), at("full/x"));
	case 21: {
		char p[512];

		snprintf(p, sizeof(p), "%s/dir/../new", D);
		return (fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644)) < 0 ? -1 : close(fd);
	}
	case 22: return (r = open(at("a"), O_WRONLY | O_TRUNC)) < 0 ? -1 : close((int)r);
	}
	return -2;
}
#define NCALLS 23

static void sweep(const char *top)
{
	char before[4096], after[4096], b[16];
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);

	snprintf(D, sizeof(D), "%s/sweep", top);
	for (int k = 0; k < NCALLS; k++) {
		int n, injected_errors = 0;

		for (n = 1; n < 200; n++) {
			long r;
			int e;
			ssize_t got;

			if (setup(D)) {
				FAIL("call %d: set-up: %s", k, err(-1));
				break;
			}
			snapshot(D, before, sizeof(before));
			snprintf(b, sizeof(b), "%d", n);
			if (pwrite(fd, b, strlen(b), 0) < 0) {
				FAIL("arm: %s", err(-1));
				return;
			}
			r = call(k);
			e = errno;
			got = pread(fd, b, sizeof(b) - 1, 0);
			b[got > 0 ? got : 0] = '\0';
			if (strcmp(b, "0\n")) {
				/* fewer sites than n: the call ran whole; disarm */
				pwrite(fd, "0", 1, 0);
				break;
			}
			if (r >= 0)
				continue;
			injected_errors++;
			if (e != ENOMEM && e != EFAULT)
				FAIL("call %d, site %d: failed with %s, want ENOMEM or EFAULT", k, n,
				     strerrorname_np(e));
			snapshot(D, after, sizeof(after));
			if (strcmp(before, after))
				FAIL("call %d, site %d: failed (%s) but changed the directory:\n  before %s\n  after  %s",
				     k, n, strerrorname_np(e), before, after);
		}
		printf("call %d: %d fault sites, %d of them fail the call\n", k, n - 1, injected_errors);
	}
	close(fd);
	nftw(D, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A thread's counter is its own: armed in a thread, the main thread's stays 0. */
static void *arm_own(void *arg)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);

	(void)arg;
	expect_write(fd, "5", 1, "1");
	expect_value(fd, "5\n");
	expect_write(fd, "0", 1, "1");
	close(fd);
	return NULL;
}

static void per_thread(void)
{
	int fd = open("/proc/thread-self/fail-nth", O_RDWR);
	pthread_t t;

	expect_write(fd, "3", 1, "1");
	pthread_create(&t, NULL, arm_own, NULL);
	pthread_join(t, NULL);
	expect_value(fd, "3\n");
	expect_write(fd, "0", 1, "1");
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--probe")) {
		/* without --fault-injection: the host's answer, whatever it is */
		int fd = open("/proc/thread-self/fail-nth", O_RDWR);

		printf("%s\n", fd < 0 ? strerrorname_np(errno) : "opened");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: failnth DIR | --probe\n");
		return 2;
	}
	file_abi();
	per_thread();
	sweep(argv[1]);
	return failed;
}
