/*
 * Guest (DIR = a tmpfs directory): calls with more than one thing wrong
 * answer the errno Linux checks first, and a few calls LTP found answering
 * differently (test_errorder.sh compares with /dev/shm): mmap and
 * readahead of an O_PATH fd, utime/utimes/futimesat (bad pointers
 * included), close_range's flags, linkat's ENOTDIR before EXDEV, truncate
 * past RLIMIT_FSIZE (EFBIG and SIGXFSZ), and rename's and link's two names
 * at the edge of an unmapped page (the supervisor reads both at once).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#include "transcript.h"

static volatile sig_atomic_t xfsz;

static void on_xfsz(int sig)
{
	(void)sig;
	xfsz++;
}

static void fd_cases(void)
{
	int p = open(path("f"), O_PATH), d = open(dir, O_RDONLY | O_DIRECTORY), r = open(path("f"), O_RDONLY);

	SAY("mmap(O_PATH fd) = %s", res(mmap(NULL, 4096, PROT_READ, MAP_SHARED, p, 0) == MAP_FAILED ? -1 : 0));
	SAY("mmap(O_PATH fd, bad flags) = %s", res(mmap(NULL, 4096, PROT_READ, 0, p, 0) == MAP_FAILED ? -1 : 0));
	SAY("readahead(O_PATH fd) = %s", res(readahead(p, 0, 4096)));
	SAY("readahead(directory) = %s", res(readahead(d, 0, 4096)));
	SAY("readahead(file) = %s", res(readahead(r, 0, 4096)));
	SAY("close_range(bad flags) = %s", res(syscall(SYS_close_range, 0, ~0u, 0x80)));
	SAY("close_range(hi < lo) = %s", res(syscall(SYS_close_range, 10, 5, 0)));
	SAY("close_range(hi < lo, bad flags) = %s", res(syscall(SYS_close_range, 10, 5, 0x80)));
	close(p);
	close(d);
	close(r);
}

static void time_cases(void)
{
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };
	struct utimbuf ub = { 3000, 4000 };
	struct stat st;

	SAY("futimesat(f, bad pointer) = %s", res(syscall(SYS_futimesat, AT_FDCWD, path("f"), (void *)8)));
	SAY("utimes(f, bad pointer) = %s", res(syscall(SYS_utimes, path("f"), (void *)8)));
	SAY("utime(f, bad pointer) = %s", res(syscall(SYS_utime, path("f"), (void *)8)));
	SAY("utimes(f, times) = %s", res(syscall(SYS_utimes, path("f"), tv)));
	stat(path("f"), &st);
	SAY("  atime %ld mtime %ld", (long)st.st_atime, (long)st.st_mtime);
	SAY("utime(f, times) = %s", res(syscall(SYS_utime, path("f"), &ub)));
	stat(path("f"), &st);
	SAY("  atime %ld mtime %ld", (long)st.st_atime, (long)st.st_mtime);
	SAY("futimesat(AT_FDCWD, f, times) = %s", res(syscall(SYS_futimesat, AT_FDCWD, path("f"), tv)));
	stat(path("f"), &st);
	SAY("  atime %ld mtime %ld", (long)st.st_atime, (long)st.st_mtime);
	tv[0].tv_usec = 1000000;
	SAY("utimes(f, usec 1000000) = %s", res(syscall(SYS_utimes, path("f"), tv)));
	SAY("utimes(missing, times) = %s", res(syscall(SYS_utimes, path("missing"), tv)));
	SAY("utime(missing, NULL) = %s", res(syscall(SYS_utime, path("missing"), NULL)));
	SAY("utime(f, NULL) = %s", res(syscall(SYS_utime, path("f"), NULL)));
}

static void link_cases(void)
{
	SAY("linkat(file/x, /dev/null's dir) = %s", res(linkat(AT_FDCWD, path("f/x"), AT_FDCWD, "/tmp/x", 0)));
	SAY("linkat(f, /tmp/missing/x) = %s", res(linkat(AT_FDCWD, path("f"), AT_FDCWD, "/tmp/ukcov-missing/x", 0)));
	SAY("linkat(f, /etc/passwd/x) = %s", res(linkat(AT_FDCWD, path("f"), AT_FDCWD, "/etc/passwd/x", 0)));
	SAY("linkat(f, /tmp) = %s", res(linkat(AT_FDCWD, path("f"), AT_FDCWD, "/tmp", 0)));
	SAY("link(/etc/passwd/x, d/x) = %s", res(link("/etc/passwd/x", path("x"))));
	SAY("link(/etc/passwd, f/x) = %s", res(link("/etc/passwd", path("f/x"))));
	SAY("rename(f/x, /tmp/x) = %s", res(rename(path("f/x"), "/tmp/x")));
}

/* Two pages, each before an unmapped one: a name ends at an edge. */
static char *edge[2];

/* s with its NUL the last byte before edge i (cut: s without it, running into the hole). */
static const char *at_edge(int i, const char *s, int cut)
{
	size_t n = strlen(s) + !cut;

	return memcpy(edge[i] + PG - n, s, n);
}

static void name_cases(void)
{
	char *m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char lng[320], huge[PG + 200], *across = aligned_alloc(PG, 4 * PG);
	int d = open(dir, O_RDONLY | O_DIRECTORY);

	if (m == MAP_FAILED || !across || mprotect(m + PG, PG, PROT_NONE) ||
	    mprotect(m + 3 * PG, PG, PROT_NONE))
		return;
	edge[0] = m;
	edge[1] = m + 2 * PG;
	/* "././.../f": longer than the first 256-byte read */
	for (int i = 0; i < 150; i++)
		memcpy(lng + 2 * i, "./", 2);
	strcpy(lng + 300, "f");
	memset(huge, 'a', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	SAY("renameat(f, g), both at an edge = %s", res(renameat(d, at_edge(0, "f", 0), d, at_edge(1, "g", 0))));
	SAY("renameat(g, f) = %s", res(renameat(d, "g", d, "f")));
	SAY("renameat(f cut, g) = %s", res(renameat(d, at_edge(0, "f", 1), d, at_edge(1, "g", 0))));
	SAY("renameat(f, g cut) = %s", res(renameat(d, at_edge(0, "f", 0), d, at_edge(1, "g", 1))));
	SAY("renameat(missing, g cut) = %s", res(renameat(d, at_edge(0, "missing", 0), d, at_edge(1, "g", 1))));
	SAY("renameat(f cut, g cut) = %s", res(renameat(d, at_edge(0, "f", 1), d, at_edge(1, "g", 1))));
	SAY("renameat(long f, g) = %s", res(renameat(d, at_edge(0, lng, 0), d, at_edge(1, "g", 0))));
	SAY("renameat(g, long f) = %s", res(renameat(d, at_edge(0, "g", 0), d, at_edge(1, lng, 0))));
	SAY("renameat(long f cut, g) = %s", res(renameat(d, at_edge(0, lng, 1), d, "g")));
	SAY("renameat(f, long g cut) = %s", res(renameat(d, "f", d, at_edge(1, lng, 1))));
	/* names that start 100 bytes before a page's end and go on in the next one */
	strcpy(across + PG - 100, lng);
	strcpy(across + 3 * PG - 100, lng);
	across[3 * PG - 100 + 300] = 'g';
	SAY("renameat(long f, long g), across pages = %s",
	    res(renameat(d, across + PG - 100, d, across + 3 * PG - 100)));
	SAY("renameat(g, f) = %s", res(renameat(d, "g", d, "f")));
	free(across);
	SAY("renameat(NULL, g) = %s", res(syscall(SYS_renameat, d, NULL, d, "g")));
	SAY("renameat(f, NULL) = %s", res(syscall(SYS_renameat, d, "f", d, NULL)));
	SAY("renameat(too long, g) = %s", res(renameat(d, huge, d, "g")));
	SAY("renameat(f, too long) = %s", res(renameat(d, "f", d, huge)));
	SAY("linkat(f, h), both at an edge = %s", res(linkat(d, at_edge(0, "f", 0), d, at_edge(1, "h", 0), 0)));
	SAY("linkat(f, h cut) = %s", res(linkat(d, at_edge(0, "f", 0), d, at_edge(1, "h", 1), 0)));
	SAY("unlinkat(h) = %s", res(unlinkat(d, "h", 0)));
	close(d);
	munmap(m, 4 * PG);
}

/*
 * The call's result, and how many SIGXFSZ arrived by now: under ukcov the
 * signal comes just after the call returns (a README deviation), so a
 * failed call that has raised none since FSZ() began waits up to a second
 * for it (natively it came during the call: no wait).
 */
static int fsz_before;
#define FSZ(call) (fsz_before = (int)xfsz, fsz(call))
static const char *fsz(long r)
{
	static char buf[96];
	int err = errno;

	for (int i = 0; r < 0 && i < 1000 && xfsz == fsz_before; i++)
		usleep(1000);
	errno = err;
	snprintf(buf, sizeof(buf), "%s, SIGXFSZ %d", res(r), (int)xfsz);
	return buf;
}

static void fsize_cases(void)
{
	struct rlimit rl = { 4096, RLIM_INFINITY };
	int fd;

	signal(SIGXFSZ, on_xfsz);
	getrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = 4096;
	setrlimit(RLIMIT_FSIZE, &rl);
	fd = open(path("big"), O_RDWR | O_CREAT | O_APPEND, 0644);
	SAY("truncate(8192) past RLIMIT_FSIZE = %s", FSZ(truncate(path("big"), 8192)));
	SAY("ftruncate(8192) past RLIMIT_FSIZE = %s", FSZ(ftruncate(fd, 8192)));
	SAY("truncate(4096) at RLIMIT_FSIZE = %s", FSZ(truncate(path("big"), 4096)));
	SAY("pwrite(4096) at RLIMIT_FSIZE = %s", FSZ(pwrite(fd, "x", 1, 4096)));
	SAY("pwrite(4095) 2 bytes = %s", FSZ(pwrite(fd, "xy", 2, 4095)));
	SAY("write at the end = %s", FSZ(write(fd, "z", 1)));
	SAY("truncate(-1) = %s", res(truncate(path("big"), -1)));
	close(fd);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_FSIZE, &rl);
}

/*
 * The limit of a process whose effective uid is another user's (LTP's
 * truncate03: root, then seteuid(nobody)): ukcov reads it without
 * CAP_SYS_RESOURCE, which prlimit(2) on another user's process needs.
 */
static void fsize_other_euid(void)
{
	struct rlimit rl = { 4096, 4096 };
	pid_t pid;
	int st;

	close(open(path("nob"), O_CREAT | O_WRONLY, 0644));
	if (chown(path("nob"), 65534, 65534))
		SAY("chown = %s", res(-1));
	pid = fork();
	if (!pid) {
		signal(SIGXFSZ, SIG_IGN);
		if (seteuid(65534) || setrlimit(RLIMIT_FSIZE, &rl))
			_exit(2);
		SAY("as nobody: truncate(8192) past RLIMIT_FSIZE = %s", res(truncate(path("nob"), 8192)));
		_exit(0);
	}
	waitpid(pid, &st, 0);
	SAY("child exit %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	close(open(path("f"), O_CREAT | O_WRONLY, 0644));
	fd_cases();
	time_cases();
	link_cases();
	name_cases();
	fsize_cases();
	fsize_other_euid();
	return 0;
}
