/*
 * Guest (--tmpfs=/mnt/t): inotify watches of files and directories, the
 * event stream of one sequence of operations (a second process's
 * included) read back and printed, in the mount and in a fresh directory
 * of the host's /dev/shm, transcripts compared. One known difference is
 * evened out, and only it (docs/tmpfs-deviations.md): a watched regular
 * file's IN_CLOSE_* reaches the file's own watch before its directory's,
 * where Linux queues the directory's first. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "two_sides.h"

static char out[2][16384];
static size_t outlen[2];
static int side, in, in2;
static uint32_t cookies[64];
static int ncookies;
static char base[256];

#define SAY(...) (outlen[side] += (size_t)snprintf(out[side] + outlen[side], \
			sizeof(out[side]) - outlen[side], __VA_ARGS__))

static const struct { uint32_t bit; const char *name; } bits[] = {
	{ IN_ACCESS, "ACCESS" }, { IN_MODIFY, "MODIFY" }, { IN_ATTRIB, "ATTRIB" },
	{ IN_CLOSE_WRITE, "CLOSE_WRITE" }, { IN_CLOSE_NOWRITE, "CLOSE_NOWRITE" },
	{ IN_OPEN, "OPEN" }, { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" },
	{ IN_CREATE, "CREATE" }, { IN_DELETE, "DELETE" }, { IN_DELETE_SELF, "DELETE_SELF" },
	{ IN_MOVE_SELF, "MOVE_SELF" }, { IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" },
	{ IN_Q_OVERFLOW, "Q_OVERFLOW" },
};

/* cookies as the order they first appear in: equal where Linux's are equal */
static int cookie_no(uint32_t c)
{
	if (!c)
		return 0;
	for (int i = 0; i < ncookies; i++)
		if (cookies[i] == c)
			return i + 1;
	if (ncookies < 64)
		cookies[ncookies++] = c;
	return ncookies;
}

/* the one close, reported to a file's watch (wd @self) and to its directory's (wd @dir) */
static int close_pair(const struct inotify_event *a, const struct inotify_event *b)
{
	uint32_t kind = a->mask & IN_CLOSE;

	return kind && !a->len && b->len && b->mask == a->mask && a->wd != b->wd && !(a->mask & ~kind);
}

/* Puts each close's directory event first, as Linux queues them. */
static void close_order(char *buf, ssize_t n)
{
	for (ssize_t off = 0; off < n;) {
		struct inotify_event *a = (struct inotify_event *)(buf + off);
		size_t alen = sizeof(*a) + a->len;
		struct inotify_event *b = (struct inotify_event *)(buf + off + (ssize_t)alen);

		if (off + (ssize_t)alen < n && close_pair(a, b)) {
			char tmp[sizeof(*a)];
			size_t blen = sizeof(*b) + b->len;

			memcpy(tmp, a, alen);
			memmove(a, b, blen);
			memcpy(buf + off + (ssize_t)blen, tmp, alen);
			alen += blen;
		}
		off += (ssize_t)alen;
	}
}

static void drain(int fd, const char *step)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct stat st;
	ssize_t n;

	/* a call the sandbox serves: closes are seen by then (docs/tmpfs-deviations.md) */
	stat(base, &st);
	n = read(fd, buf, sizeof(buf));

	SAY("%s:", step);
	if (side)
		close_order(buf, n);
	if (n < 0)
		SAY(" (%s)", errno == EAGAIN ? "none" : strerror(errno));
	for (ssize_t off = 0; n > 0 && off < n;) {
		struct inotify_event *e = (struct inotify_event *)(buf + off);

		SAY(" [%d", e->wd);
		for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
			if (e->mask & bits[i].bit)
				SAY(" %s", bits[i].name);
		if (e->len)
			SAY(" '%s'", e->name);
		if (e->cookie)
			SAY(" c%d", cookie_no(e->cookie));
		SAY("]");
		off += (ssize_t)(sizeof(*e) + e->len);
	}
	SAY("\n");
}

static const char *P(const char *rel)
{
	static char bufs[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", base, rel);
	return bufs[i];
}

static void watch(int fd, const char *rel, uint32_t mask)
{
	int wd = inotify_add_watch(fd, P(rel), mask);

	SAY("watch %s %#x: %d\n", rel, mask, wd < 0 ? -errno : wd);
}

static void append(const char *rel, const char *s)
{
	int fd = open(P(rel), O_WRONLY | O_APPEND);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			SAY("write: %d\n", -errno);
		close(fd);
	}
}

/* A queue filled past max_queued_events: the host's IN_Q_OVERFLOW, last, once. */
static void overflow(void)
{
	char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
	long max = 16384, events = 0, overflows = 0;
	uint32_t last = 0;
	FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "r");
	int q = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ssize_t n;

	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 16384;
		fclose(f);
	}
	close(open(P("q"), O_CREAT | O_WRONLY, 0644));
	inotify_add_watch(q, P("q"), IN_ATTRIB | IN_MODIFY);
	/* alternating, so that no event merges with the one before */
	for (long i = 0; i < max + 10; i++)
		if (i & 1)
			chmod(P("q"), 0600);
		else
			truncate(P("q"), 0);
	while ((n = read(q, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0; off < n;) {
			struct inotify_event *e = (struct inotify_event *)(buf + off);

			events++;
			overflows += !!(e->mask & IN_Q_OVERFLOW);
			last = e->mask;
			off += (ssize_t)(sizeof(*e) + e->len);
		}
	SAY("overflow: %s, %ld overflow events, last %#x\n", events == max + 1 ? "max_queued_events + 1" : "other count",
	    overflows, last);
	close(q);
	unlink(P("q"));
}

static void sequence(void)
{
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
	char buf[16], dents[4096];
	int fd, status;
	pid_t pid;

	ncookies = 0;
	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	in2 = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	mkdir(P("d"), 0755);
	watch(in, "d", IN_ALL_EVENTS | IN_ONLYDIR);
	close(open(P("d/f"), O_CREAT | O_WRONLY, 0644));
	drain(in, "create f");
	watch(in, "d/f", IN_ALL_EVENTS);
	watch(in, "d/f", IN_ALL_EVENTS | IN_ONLYDIR);
	watch(in, "d/missing", IN_ALL_EVENTS);
	watch(in, "d/f", 0);
	watch(in, "d/f", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE);
	watch(in, "d/f", IN_ALL_EVENTS | IN_MASK_CREATE);
	fd = open(P("d"), O_PATH);
	SAY("watch by an O_PATH fd: %d\n", inotify_add_watch(fd, P("d/f"), IN_MODIFY) < 0 ? -errno : 0);
	close(fd);
	fd = open(P("d/f"), O_RDONLY);
	SAY("watch by a file's fd: %d\n", inotify_add_watch(fd, P("d/f"), IN_MODIFY) < 0 ? -errno : 0);
	close(fd);
	drain(in, "errors");
	append("d/f", "a");
	drain(in, "append");
	fd = open(P("d/f"), O_RDONLY);
	if (read(fd, buf, sizeof(buf)) < 0)
		SAY("read: %d\n", -errno);
	close(fd);
	drain(in, "read");
	chmod(P("d/f"), 0600);
	drain(in, "chmod");
	pid = fork();
	if (pid == 0) {
		append("d/f", "child");
		_exit(0);
	}
	waitpid(pid, &status, 0);
	drain(in, "second process");
	truncate(P("d/f"), 1);
	drain(in, "truncate");
	utimensat(AT_FDCWD, P("d/f"), ts, 0);
	drain(in, "utimes");
	ts[0].tv_nsec = UTIME_OMIT;
	utimensat(AT_FDCWD, P("d/f"), ts, 0);
	drain(in, "mtime only");
	link(P("d/f"), P("d/h"));
	drain(in, "link");
	rename(P("d/h"), P("d/i"));
	drain(in, "rename link");
	unlink(P("d/i"));
	drain(in, "unlink link");
	mkdir(P("d/s"), 0755);
	drain(in, "mkdir");
	watch(in, "d/s", IN_ALL_EVENTS);
	watch(in2, "d", IN_ATTRIB);
	chmod(P("d/s"), 0700);
	drain(in, "chmod dir");
	drain(in2, "chmod dir (parent)");
	rename(P("d/s"), P("d/s2"));
	drain(in, "rename dir");
	close(open(P("d/x"), O_CREAT | O_WRONLY, 0644));
	rename(P("d/x"), P("x2"));
	drain(in, "rename out");
	rename(P("x2"), P("d/y"));
	drain(in, "rename in");
	renameat2(AT_FDCWD, P("d/y"), AT_FDCWD, P("d/s2"), RENAME_EXCHANGE);
	drain(in, "exchange");
	rename(P("d/s2"), P("d/f"));
	drain(in, "rename over watched");
	rmdir(P("d/y"));
	drain(in, "rmdir watched");
	fd = open(P("d/f"), O_RDONLY);
	unlink(P("d/f"));
	drain(in, "unlink open");
	close(fd);
	drain(in, "last close");
	fd = open(P("d/u"), O_CREAT | O_RDWR, 0644);
	unlink(P("d/u"));
	drain(in, "unlink u");
	if (write(fd, "x", 1) < 0)
		SAY("write: %d\n", -errno);
	drain(in, "write unlinked");
	watch(in, "d", IN_ALL_EVENTS | IN_EXCL_UNLINK);
	if (write(fd, "y", 1) < 0)
		SAY("write: %d\n", -errno);
	drain(in, "write unlinked, IN_EXCL_UNLINK");
	close(fd);
	drain(in, "close unlinked, IN_EXCL_UNLINK");
	watch(in, "d", IN_ALL_EVENTS);
	fd = open(P("d"), O_RDONLY | O_DIRECTORY);
	syscall(SYS_getdents64, fd, buf, sizeof(buf)); /* EINVAL, after the walk */
	syscall(SYS_getdents64, fd, dents, sizeof(dents));
	close(fd);
	drain(in, "list dir");
	watch(in, "d", IN_CREATE | IN_ONESHOT);
	close(open(P("d/o1"), O_CREAT | O_WRONLY, 0644));
	close(open(P("d/o2"), O_CREAT | O_WRONLY, 0644));
	drain(in, "oneshot");
	unlink(P("d/o1"));
	unlink(P("d/o2"));
	rmdir(P("d"));
	drain(in, "gone");
	close(in);
	close(in2);
	overflow();
}

int main(void)
{
	char host[] = "/dev/shm/ukcov-inotify-XXXXXX";

	if (!mkdtemp(host)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(base, sizeof(base), "%s", host);
	side = 0;
	sequence();
	snprintf(base, sizeof(base), "/mnt/t");
	side = 1;
	sequence();
	if (getenv("INOTIFY_SHOW"))
		fputs(out[1], stdout);
	return two_sides_compare(host, out[0], out[1]);
}
