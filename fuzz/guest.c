// SPDX-License-Identifier: MIT
/*
 * ukcov-fuzz-guest: the program `ukcov fuzz` runs under AFL++ inside
 * `ukcov run --tmpfs=MOUNT`. Each input is decoded into a script of the
 * differential suite's language (vocab.c), run on a fresh directory of the
 * host's /dev/shm (the oracle: Linux's tmpfs) and on a fresh directory of
 * the mount with kcov enabled, and the two transcripts are compared line by
 * line, as tests/tmpfs/diff.sh compares them (returns, errnos, data,
 * normalized stat fields; times are left out: the two runs do not share
 * clock ticks). A difference is a finding: the guest prints both
 * transcripts side by side and aborts, so that AFL++ keeps the input.
 *
 *   ukcov-fuzz-guest [--edges] [--all-ops] [--no-kcov] [--no-child-kcov] [--map-count] [--plant]
 *                    --host=DIR --mount=DIR [INPUT]
 *   ukcov-fuzz-guest --decode [--all-ops] [INPUT]     the script of an input
 *   ukcov-fuzz-guest --encode [--all-ops] < SCRIPT    an input from a script
 *   ukcov-fuzz-guest --ops                            the operation table
 *   ukcov-fuzz-guest --bench=N --host=DIR --mount=DIR INPUT   N executions, timed
 *   ukcov-fuzz-guest --replay --host=DIR --mount=DIR INPUT...  each once
 *   ukcov-fuzz-guest --stability=N --host=DIR --mount=DIR INPUT...  each N
 *                    times in one persistent child: the coverage that varies
 *   ukcov-fuzz-guest --with-oracle --host=DIR -- COMMAND...   COMMAND with the
 *                    /dev/shm side's process beside it (oracle.h)
 *
 * --persist=N: a forkserver child runs up to N inputs (default 1000;
 * 1: a fork per input).
 *
 * INPUT defaults to stdin (AFL++'s). Exits 0 when both sides agree, 1 with
 * --repro when they differ, aborts otherwise; 2 on a usage or setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tests/tmpfs/fsscript.h"
#include "afl.h"
#include "child.h"
#include "oracle.h"
#include "scratch.h"
#include "stability.h"
#include "vocab.h"

#define FZ_MAX_INPUT (64 << 10)
/* inputs one forkserver child runs before it exits (--persist) */
#define FZ_PERSIST 1000
#define KCOV_WORDS (1u << 20)

struct opts {
	int edges, all_ops, kcov, plant, repro, bench, replay, with_oracle, persist, stability;
	int child_kcov, map_count;
	const char *host, *mount, *input;
	char **cmd; /* --with-oracle: the command after -- */
	char **inputs; /* --replay: every input */
	int ninputs;
};

static struct side sides[2];
/* afl-fuzz's CmpLog run (-c 0): comparison operands instead of PCs */
static struct fz_cmp_map *cmp_map;
/* a fork child's own kcov (child.h); .map unset: the children run without */
static struct fz_child_kcov child_kcov, exec_kcov;
static int first_free_fd;
/* the oracle process's end (UKCOV_FUZZ_ORACLE), or -1: the /dev/shm side runs here */
static int oracle = -1;
/* the sides this process cleans: the mount's alone when the oracle has the other */
static int first_local;

/* --bench: where an execution's time goes, summed over the children */
enum { T_DECODE, T_HOST, T_MOUNT, T_WAIT, T_FEED, T_CLEAN, T_N };
static const char *const phase_names[T_N] = { "decode", "/dev/shm side", "ukcov side",
					      "oracle wait", "kcov to map", "clean up" };
static double *phase_sum; /* shared with the children (MAP_SHARED) */

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void phase(int k, double *t0)
{
	double t = now_us();

	if (phase_sum)
		phase_sum[k] += t - *t0;
	*t0 = t;
}

/*
 * The input: stdin (afl-fuzz's file) or @path. A regular file is read by
 * one pread() from its start (a short read is its end; afl-fuzz rewinds it
 * anyway): every call is a trapped one under ukcov run, and a persistent
 * child reads a thousand inputs. Other kinds are read until EOF.
 */
static size_t read_input(const char *path, unsigned char *buf, size_t cap)
{
	static int regular = -1; /* stdin's kind, looked at once */
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	size_t len = 0;
	ssize_t n;
	struct stat st;

	if (fd < 0)
		return 0;
	if (path || regular < 0)
		regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (regular)
		len = (n = pread(fd, buf, cap, 0)) > 0 ? (size_t)n : 0;
	while (!regular && len < cap && (n = read(fd, buf + len, cap - len)) > 0)
		len += (size_t)n;
	if (path)
		close(fd);
	return len;
}

/*
 * --plant: the mount side answers EEXIST where rename gives ENOTEMPTY, a
 * divergence in the guest's own backend, for the test that shows a
 * difference is found and reported (tests/fuzz/test_afl_guest.sh).
 */
static long planted_sys(void *ctx, long nr, long a0, long a1, long a2, long a3,
			long a4, long a5)
{
	long r = fs_real_sys(ctx, nr, a0, a1, a2, a3, a4, a5);

	if ((nr == SYS_rename || nr == SYS_renameat || nr == SYS_renameat2) && r == -ENOTEMPTY)
		return -EEXIST;
	return r;
}

static struct fs_backend real_backend = { "real", fs_real_sys, NULL };
static struct fs_backend planted_backend = { "planted", planted_sys, NULL };

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A call that would wait forever (a FIFO's open with no peer, a read of an
 * empty one) is interrupted after LINE_US, instead of hanging the execution
 * until AFL++'s timeout. On a loaded machine any trapped call may outlast
 * it, on one side only: so a side stops at its first EINTR, the other runs
 * no further, and the transcripts are compared up to the first EINTR on
 * either side.
 *
 * The traced side waits longer, TRACED_LINE_US, past afl-fuzz's timeouts
 * (its own, tens of ms, and calibration's, that plus 50 ms): a call slowed
 * by the load and cut by the timer would end that run's coverage early,
 * and AFL++ would count every byte it missed as varying. So under AFL++ a
 * line that waits is a timeout, every run alike.
 */
#define LINE_US 50000
#define TRACED_LINE_US 500000

static void arm(long us)
{
	struct itimerval it = { { 0, 0 }, { 0, us } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* the transcript's last line was interrupted */
static int interrupted(struct side *s)
{
	fflush(s->txf);
	return s->txlen >= 10 && !memcmp(s->tx + s->txlen - 10, "=> -EINTR\n", 10);
}

/*
 * The fds a script can make are below FZ_FD_MAX (the session's bindings,
 * the vocabulary's dup2 targets); the ones open before the first input
 * (ukcov's own in a sandboxed guest, the oracle's, kcov's) are kept.
 */
#define FZ_FD_MAX 1024
static unsigned char fd_kept[FZ_FD_MAX];

/*
 * Marks in @open the fds from @lo below FZ_FD_MAX that are open: one
 * poll(), or one per RLIMIT_NOFILE entries when the soft limit is under
 * FZ_FD_MAX (poll(2) is EINVAL for more; a CI host's may be). Had it
 * failed, no fd would be kept and close_range() would take kcov's and
 * the oracle's. (The limit is not read up front: under ukcov run that
 * is a trapped call per side.)
 */
static int open_fds(int lo, unsigned char *open_)
{
	static struct pollfd p[FZ_FD_MAX];
	struct rlimit rl;
	int step = FZ_FD_MAX;

	for (int i = lo; i < FZ_FD_MAX; i++)
		p[i - lo] = (struct pollfd){ .fd = i };
	if (poll(p, (nfds_t)(FZ_FD_MAX - lo), 0) < 0) {
		if (errno != EINVAL || getrlimit(RLIMIT_NOFILE, &rl) < 0)
			return -errno;
		if (rl.rlim_cur < 1)
			return -EMFILE;
		step = (int)rl.rlim_cur;
		for (int i = lo; i < FZ_FD_MAX; i += step)
			if (poll(p + (i - lo), (nfds_t)(FZ_FD_MAX - i < step ? FZ_FD_MAX - i : step), 0) < 0)
				return -errno;
	}
	for (int i = lo; i < FZ_FD_MAX; i++)
		open_[i] = !(p[i - lo].revents & POLLNVAL);
	return 0;
}

/*
 * Closes the fds a script opened, from @lo up to FZ_FD_MAX, so that the
 * next side (and the next input of a persistent child) starts with the
 * fds this one started with: close_range() when no kept fd lies in the
 * range, else (ukcov's own, kcov's, in a sandboxed guest) open_fds() finds
 * the open ones. Never past FZ_FD_MAX: ukcov puts a kcov fd at the top of
 * its window (19744 under a limit of 20000), which no scan here sees, and
 * a close_range(lo, ~0u) took it whenever no fd inherited from the caller
 * lay above lo (as on a CI host; a shell with a stray fd 251 hid it).
 * (Under ukcov run a close_range() over its cwd slot may also be ENOSYS:
 * fds on both sides of the slot.)
 */
static void close_from(int lo)
{
	static unsigned char open_[FZ_FD_MAX];
	static int no_close_range; /* a trapped call per side saved once it failed */
	bool kept = false;

	for (int i = lo; i < FZ_FD_MAX && !kept; i++)
		kept = fd_kept[i];
	if (!kept && !no_close_range && syscall(SYS_close_range, lo, FZ_FD_MAX - 1, 0) == 0)
		return;
	no_close_range |= !kept;
	if (open_fds(lo, open_) < 0)
		return;
	for (int i = lo; i < FZ_FD_MAX; i++)
		if (open_[i] && !fd_kept[i])
			close(i);
}

/* a word of @script has the path component "s" */
static int names_s(const char *script)
{
	for (const char *p = script; *p; p++)
		if (p[0] == 's' && (p == script || strchr(" /\n", p[-1])) && strchr(" /\n", p[1]))
			return 1;
	return 0;
}

/*
 * Runs at most *lines lines of the script on one side, and sets *lines to
 * the number it ran (it stops after an interrupted one); the transcript
 * lands in s->tx.
 */
/*
 * "failnth N" (the vocabulary's fault injection): on the mount's side,
 * Linux's fail-nth protocol as syzkaller speaks it (ukcov run
 * --fault-injection): N goes to /proc/thread-self/fail-nth, the next line
 * runs, a read of 0 says a fault site of it failed, then 0 disarms. A line
 * a fault made fail (an errno) must have changed nothing, as a Linux call
 * that fails an allocation: the other side skips it (run_side()'s skip)
 * and both print "fault" for it. A line that succeeded all the same did
 * its work, and both sides run it. Without the file (not under ukcov, or
 * without the option) the word does nothing.
 */
static pid_t run_pid; /* the process run_side() runs in: a fork child's lines run in a copy */

enum { NOT_FAILNTH, FAILNTH_IDLE, FAILNTH_ARMED };

static int fault_arm(struct side *s, const char *line)
{
	char n[16];

	if (strncmp(line, "failnth ", 8))
		return NOT_FAILNTH;
	/*
	 * Not in a fork child (its lines run in a copy of this process): its
	 * fault would be its own, and the other side, told by this process,
	 * would not skip the line it failed.
	 */
	if (getpid() != run_pid || s != &sides[1] || s->fault_line >= 0)
		return FAILNTH_IDLE;
	if (s->fault_fd < 0)
		s->fault_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	snprintf(n, sizeof(n), "%s", line + 8);
	if (s->fault_fd < 0 || pwrite(s->fault_fd, n, strlen(n), 0) < 0)
		return FAILNTH_IDLE;
	return FAILNTH_ARMED;
}

/*
 * The interpreter's own process machinery (a fork child's pipes, an exec
 * child's): a fault there would fail the guest, not the script's call.
 */
static bool fault_free(const char *line)
{
	static const char *const own[] = { "fork", "join", "exec ", "fexec " };

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strncmp(line, own[i], strlen(own[i])))
			return true;
	return false;
}

/* after the armed line: 1 if its fault failed it (its output from @from on is an errno) */
static int fault_taken(struct side *s, size_t from)
{
	char b[16] = { 0 };
	ssize_t n = pread(s->fault_fd, b, sizeof(b) - 1, 0);
	bool injected = n == 2 && !memcmp(b, "0\n", 2);

	(void)!pwrite(s->fault_fd, "0", 1, 0);
	fflush(s->txf);
	return injected && s->txlen > from && memmem(s->tx + from, s->txlen - from, "=> -E", 5);
}

/* the failed line's transcript bytes become the line "fault" (the stream ends first: the buffer is ours) */
static void fault_splice(struct side *s)
{
	size_t tail;

	fclose(s->txf);
	s->txf = NULL;
	tail = s->txlen - s->fault_to;

	memcpy(s->tx + s->fault_from, "fault\n", 6);
	memmove(s->tx + s->fault_from + 6, s->tx + s->fault_to, tail + 1);
	s->txlen = s->fault_from + 6 + tail;
}

static int run_side(struct side *s, const char *script, struct fs_backend *b,
		    struct fz_kcov *kcov, int *lines, int skip)
{
	bool armed = false;
	int k;
	char vars[4];
	int r, wfd, here, ran = 0;

	/*
	 * W's symlink "s" and the binding $w only for a script that names them:
	 * a trapped call each (the listing of W shows "s" or not on both sides)
	 */
	if ((r = scratch_fresh(s)) < 0 || chdir(s->root) < 0 ||
	    (names_s(script) && symlink(".", "s") < 0))
		return r < 0 ? r : -errno;
	s->txf = open_memstream(&s->tx, &s->txlen);
	s->in = fsi_open(b, s->root, FSI_NO_CLOCK | FSI_NO_TIMES | FSI_NO_DEATHS);
	for (int i = 0; i < FZ_NVARS; i++) {
		snprintf(vars, sizeof(vars), "f%d", i);
		fsi_set_var(s->in, vars, -1);
	}
	wfd = strstr(script, "$w") ? open(s->root, O_RDONLY | O_DIRECTORY) : -1;
	fsi_set_var(s->in, "w", wfd);
	fsi_set_base(s->in, s->top);
	if (kcov && child_kcov.map)
		fsi_set_child_hooks(s->in, &(struct fsi_child_hooks){
			fz_child_kcov_start, fz_child_kcov_end, &child_kcov,
			fz_exec_kcov_open, fz_exec_kcov_enable, fz_exec_kcov_close, &exec_kcov });
	if (kcov && (r = fz_kcov_enable(kcov, cmp_map != NULL)) < 0)
		return r;
	s->fault_fd = -1;
	s->fault_line = -1;
	run_pid = getpid();
	for (const char *l = script; *l && ran < *lines;) {
		char line[512];
		size_t len = strcspn(l, "\n"), from;

		snprintf(line, sizeof(line), "%.*s", (int)len, l);
		l += len + (l[len] == '\n');
		if ((k = fault_arm(s, line)) != NOT_FAILNTH) {
			/* one fault per input: the other side skips one line at most */
			armed = k == FAILNTH_ARMED;
			ran++;
			continue;
		}
		if (armed && fault_free(line)) {
			(void)!pwrite(s->fault_fd, "0", 1, 0);
			armed = false;
		}
		if (ran == skip) {
			fputs("fault\n", s->txf);
			ran++;
			continue;
		}
		scratch_line(line);
		fflush(s->txf);
		from = s->txlen;
		arm(kcov ? TRACED_LINE_US : LINE_US);
		here = fsi_line(s->in, line, s->txf);
		arm(0);
		if (armed && fault_taken(s, from) && s->fault_line < 0) {
			s->fault_line = ran;
			s->fault_from = from;
			s->fault_to = s->txlen;
		}
		armed = false;
		ran++;
		/*
		 * A parent's guards skip the lines its fork child ran: the
		 * child's changes (a renamed root) would stop the parent's count
		 * there, and the other side's child, held to that count, short.
		 */
		if (interrupted(s) || (here && scratch_guard(s, line) < 0))
			break;
	}
	*lines = ran;
	/* a failnth with no line after it: the guest's own clean-up must not meet its fault */
	if (armed)
		(void)!pwrite(s->fault_fd, "0", 1, 0);
	if (kcov)
		fz_kcov_disable(kcov);
	/* the script's resource limits end with it: the guest's own work needs fds */
	fsi_dev_reset();
	fflush(s->txf);
	if (s->fault_line >= 0 && s->fault_to - s->fault_from >= 6)
		fault_splice(s);
	fsi_close(s->in);
	close_from(first_free_fd);
	return 0;
}

static const char *next_line(const char *p, size_t *len)
{
	*len = strcspn(p, "\n");
	return p;
}

/* both transcripts, a line each, '!' where they differ; returns the differences */
static int side_by_side(FILE *out, const char *a, const char *b)
{
	int diffs = 0;

	while (*a || *b) {
		size_t la, lb;
		const char *pa = next_line(a, &la), *pb = next_line(b, &lb);
		int same = la == lb && !memcmp(pa, pb, la);
		const char *res = memmem(pb, lb, " => ", 4);

		if (same) {
			fprintf(out, "  %.*s\n", (int)la, pa);
		} else {
			diffs++;
			fprintf(out, "! %-9s %.*s\n", sides[0].name, (int)la, pa);
			fprintf(out, "! %-9s %.*s\n", sides[1].name,
				(int)(res ? lb - (size_t)(res - pb) : lb), res ? res : pb);
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	return diffs;
}

/*
 * A difference's key: the operation of a line that differs and both
 * results ("rename -ENOTEMPTY -EEXIST"). With UKCOV_FUZZ_KEY set (an
 * fnmatch pattern), only a difference whose key matches counts: afl-tmin,
 * which keeps any crash, then keeps this finding while it shortens the
 * input, and make check-fuzz looks for its planted divergence alone.
 */
static void line_key(const char *a, size_t la, const char *b, size_t lb, char *key, size_t cap)
{
	const char *ra = memmem(a, la, " => ", 4), *rb = memmem(b, lb, " => ", 4);

	snprintf(key, cap, "%.*s %.*s %.*s", (int)strcspn(a, " \n"), a,
		 ra ? (int)strcspn(ra + 4, " \n") : 0, ra ? ra + 4 : "",
		 rb ? (int)strcspn(rb + 4, " \n") : 0, rb ? rb + 4 : "");
}

/* whether a line pair differs (that @pattern keeps); @first: where to say which, or NULL */
static int differs(const char *a, const char *b, const char *pattern, FILE *first)
{
	char key[512];

	while (*a || *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
		bool counts = la != lb || memcmp(a, b, la);

		if (counts && pattern) {
			line_key(a, la, b, lb, key, sizeof(key));
			counts = !fnmatch(pattern, key, 0);
		}
		if (counts) {
			if (first)
				fprintf(first, "ukcov-fuzz-guest: first difference: %s: %.*s | %s: %.*s\n",
					sides[0].name, (int)la, a, sides[1].name, (int)lb, b);
			return 1;
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
	return 0;
}

/* both transcripts end before the first line either side saw interrupted */
static void cut_at_eintr(char *a, char *b)
{
	while (*a && *b) {
		size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");

		if (memmem(a, la, "=> -EINTR", 9) || memmem(b, lb, "=> -EINTR", 9)) {
			*a = *b = 0;
			return;
		}
		a += la + (a[la] == '\n');
		b += lb + (b[lb] == '\n');
	}
}

/* a persistent child runs a thousand inputs: what one took, it gives back */
static void release(char *script)
{
	for (int i = 0; i < 2; i++) {
		if (sides[i].txf)
			fclose(sides[i].txf);
		free(sides[i].tx);
		sides[i].txf = NULL;
		sides[i].tx = NULL;
		sides[i].txlen = 0;
	}
	free(script);
}

/* @mounts: the script may have mounted something (scratch_mounts) */
static void clean_all(int up, int attrs, int mounts)
{
	for (int i = first_local; i < 2; i++) {
		if (mounts)
			scratch_unmount(&sides[i]);
		scratch_clean(&sides[i], up, attrs);
	}
}

/* after a child the forkserver saw crash or killed: nothing of it may stay */
static void after_abnormal(void)
{
	clean_all(FZ_DEPTH, 1, 1);
}

/*
 * An execution that failed in the guest itself (the oracle, a scratch
 * directory), not a finding: on stderr, and a line in UKCOV_FUZZ_ERRORS
 * (`ukcov fuzz` sets it: AFL++ discards a target's stderr, and a state
 * that fails every execution would otherwise only show as a fast run
 * that finds nothing). The log stops growing at 1 MiB. A failure to set
 * up a scratch root is often the previous input's doing (what its
 * clean-up could not undo): both scripts follow the line, indented.
 */
static void log_failure(const char *what, int err, const char *prev, const char *script)
{
	const char *path = getenv("UKCOV_FUZZ_ERRORS");
	struct stat st;
	int fd;

	fprintf(stderr, "ukcov-fuzz-guest: %s: %s\n", what, strerror(err));
	if (!path || !*path || (fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size < (1 << 20)) {
		dprintf(fd, "%s: %s\n", what, strerror(err));
		for (int i = 0; i < 2; i++) {
			const char *s = i ? script : prev;

			dprintf(fd, "  %s:\n", i ? "the input" : "the input before it");
			for (size_t n; s && *s; s += n + (s[n] == '\n')) {
				n = strcspn(s, "\n");
				dprintf(fd, "    %.*s\n", (int)n, s);
			}
		}
	}
	close(fd);
}

/* the last input's script, for log_failure() */
static char *prev_script;

static void keep_script(const char *script)
{
	free(prev_script);
	prev_script = script ? strdup(script) : NULL;
}

/*
 * The /dev/shm side: the input goes to the oracle process, which decodes
 * it itself (a hostile guest can make it run nothing but the vocabulary,
 * in its scratch root) and runs it while this one runs the mount's side
 * (every line: the transcripts are cut at the first EINTR of either). Or
 * it runs here first, and *lines becomes the lines it ran.
 */
static int host_side(const struct opts *o, const char *script, const unsigned char *input,
		     size_t len, int *lines, uint64_t *tag, int skip)
{
	size_t width = strlen(sides[1].top) + sides[1].pad;

	if (oracle < 0)
		return run_side(&sides[0], script, &real_backend, NULL, lines, skip);
	*tag = oracle_tag();
	/* the request's argument: the line to skip + 1, the scratch width, --all-ops */
	return oracle_send(oracle, *tag, (int32_t)((uint32_t)(skip + 1) << ORACLE_SKIP_SHIFT | width * 2 |
						  !!o->all_ops),
			   (const char *)input, len);
}

static int oracle_answer(uint64_t tag)
{
	int32_t res;
	int r;

	free(sides[0].tx);
	sides[0].tx = NULL;
	if ((r = oracle_recv(oracle, &tag, &res, &sides[0].tx, &sides[0].txlen)) < 0)
		return r;
	return res;
}

static int host_again(const struct opts *o, const char *script, const unsigned char *input,
		      size_t len, int *lines)
{
	uint64_t tag = 0;
	int r;

	if (oracle < 0) {
		if (sides[0].txf)
			fclose(sides[0].txf);
		free(sides[0].tx);
		sides[0].txf = NULL;
		sides[0].tx = NULL;
		scratch_clean(&sides[0], scratch_reach(script), scratch_sets_attrs(script));
	}
	r = host_side(o, script, input, len, lines, &tag, sides[1].fault_line);
	return r < 0 || oracle < 0 ? r : oracle_answer(tag);
}

static int run_one(const struct opts *o, struct fz_kcov *kcov, unsigned char *map)
{
	static unsigned char input[FZ_MAX_INPUT];
	int exec = stab_next();
	size_t len = read_input(exec < 0 ? o->input : o->inputs[exec % o->ninputs], input,
				sizeof(input)), slen;
	char *script = NULL;
	FILE *sf = open_memstream(&script, &slen);
	int r, diffs, lines = FZ_MAX_OPS;
	uint64_t tag = 0;
	double t0 = now_us();
	const char *what = oracle >= 0 ? "the oracle" : "the /dev/shm side";

	fz_decode(input, len, o->all_ops, sf);
	fclose(sf);
	phase(T_DECODE, &t0);
	if ((r = host_side(o, script, input, len, &lines, &tag, -1)) < 0)
		goto fail;
	phase(T_HOST, &t0);
	what = "the mount's side";
	if ((r = run_side(&sides[1], script, o->plant ? &planted_backend : &real_backend, kcov,
			  &lines, -1)) < 0) {
		/*
		 * The oracle's answer is taken all the same: one left unread
		 * (a long transcript is several datagrams) would hold its
		 * sender, and the next request with it, for ever.
		 */
		if (oracle >= 0)
			oracle_answer(tag);
		goto fail;
	}
	phase(T_MOUNT, &t0);
	what = "the oracle";
	if (oracle >= 0 && (r = oracle_answer(tag)) < 0)
		goto fail;
	/* a fault failed a line: the /dev/shm side again, without it */
	if (sides[1].fault_line >= 0 && (r = host_again(o, script, input, len, &lines)) < 0)
		goto fail;
	cut_at_eintr(sides[0].tx, sides[1].tx);
	phase(T_WAIT, &t0);
	if (kcov && cmp_map)
		fz_kcov_feed_cmp(kcov, cmp_map);
	else if (kcov)
		fz_kcov_feed(kcov, map, o->edges);
	if (kcov)
		stab_record(exec, kcov);
	phase(T_FEED, &t0);
	/* --replay: the first pair of lines that differ, on one line (the rest is --repro's) */
	diffs = differs(sides[0].tx, sides[1].tx, getenv("UKCOV_FUZZ_KEY"),
			o->replay && !o->repro ? stderr : NULL);
	if ((diffs && !o->replay) || o->repro) {
		FILE *out = o->repro ? stdout : stderr;

		fprintf(out, "# %s: /dev/shm (Linux) and ukcov's tmpfs, line by line\n",
			diffs ? "finding" : "no difference");
		side_by_side(out, sides[0].tx, sides[1].tx);
		fflush(out);
	}
	clean_all(scratch_reach(script), scratch_sets_attrs(script), scratch_mounts(script));
	phase(T_CLEAN, &t0);
	if (diffs && !o->repro && !o->replay)
		abort();
	keep_script(script);
	release(script);
	return diffs;
fail:
	log_failure(what, -r, prev_script, script);
	keep_script(script);
	release(script);
	return 2;
}

/*
 * Before the first input, untraced, on the mount's side alone: inputs of
 * every kind of call (a fixed pseudo-random sequence), so that what the
 * supervisor makes on the first use of a kind (the node directory, the
 * store's watch files, a credential record...) is made before any traced
 * run. Else the input that first used it would cover it in one run and
 * not in the next, which AFL++ counts against stability.
 */
#define WARM_UP_INPUTS 24

static void warm_up(int all_ops)
{
	unsigned char in[FZ_MAX_OPS * 8];
	uint32_t x = 1;

	/*
	 * What random inputs may miss: the host node directory, made by the
	 * first device node or socket (kernel/fs/host_nodes.c).
	 */
	static const char nodes[] = "chdir @\nmknod a S_IFCHR|0666 0x105\n"
				    "socket SOCK_STREAM -> $f0\nbind $f0 =b\nclose $f0\n";
	int lines = FZ_MAX_OPS;

	fsi_proc_warm(); /* else the first run of an input with "mkexec P elf" opens /bin/true */
	run_side(&sides[1], nodes, &real_backend, NULL, &lines, -1);
	scratch_clean(&sides[1], scratch_reach(nodes), scratch_sets_attrs(nodes));
	for (int k = 0; k < WARM_UP_INPUTS; k++) {
		char *script = NULL;
		size_t slen;
		FILE *sf = open_memstream(&script, &slen);

		lines = FZ_MAX_OPS;
		for (size_t i = 0; i < sizeof(in); i++) {
			x = x * 1103515245u + 12345u;
			in[i] = (unsigned char)(x >> 16);
		}
		fz_decode(in, sizeof(in), all_ops, sf);
		fclose(sf);
		run_side(&sides[1], script, &real_backend, NULL, &lines, -1);
		if (scratch_mounts(script))
			scratch_unmount(&sides[1]);
		scratch_clean(&sides[1], scratch_reach(script), scratch_sets_attrs(script));
		release(script);
	}
}

static const char *serve_host;

/* the run's mounts die with it (oracle_wrap's private mount namespace) */
static int mounts_safe(void)
{
	const char *v = getenv(MOUNTS_ENV);

	return v && !strcmp(v, "1");
}

/* one request, in the worker: the side, the reply, then the clean-up */
static void serve_one(int fd, uint64_t tag, int all_ops, int skip, const unsigned char *input,
		      size_t len)
{
	char *script = NULL;
	size_t slen;
	FILE *sf = open_memstream(&script, &slen);
	int lines = FZ_MAX_OPS, r;

	fz_decode(input, len < FZ_MAX_INPUT ? len : FZ_MAX_INPUT, all_ops, sf);
	fclose(sf);
	r = run_side(&sides[0], script, &real_backend, NULL, &lines, skip);
	oracle_send(fd, tag, r, r < 0 ? "" : sides[0].tx, r < 0 ? 0 : sides[0].txlen);
	if (scratch_mounts(script))
		scratch_unmount(&sides[0]);
	scratch_clean(&sides[0], scratch_reach(script), scratch_sets_attrs(script));
	release(script);
}

/* the scratch root as wide as the guest's mount side's; 0 or -errno */
static int serve_width(size_t width, size_t *have)
{
	int r;

	if (width == *have)
		return 0;
	if ((r = scratch_init(&sides[0], "/dev/shm", serve_host, width)) < 0)
		return r;
	*have = width;
	scratch_unmount(&sides[0]);
	return scratch_clean(&sides[0], FZ_DEPTH, 1);
}

/* what the server must know of its worker should it die: shared memory */
struct serving {
	uint64_t tag; /* the request the worker is running, or 0 */
	size_t width; /* the worker's scratch width */
};

/* a worker's exit status: the guests' ends are closed, or it ran its share (any other: it died) */
enum { SERVE_END = 5, SERVE_MORE = 6 };

/*
 * The worker: up to FZ_PERSIST requests in one process, as the forkserver's
 * persistent child runs the other side, with the same clean-up between
 * them (run_side() closes the script's fds and ends its limits,
 * scratch_clean() puts back identity, cwd and umask, release() the
 * memory). A child per request cost more CPU than the whole supervisor
 * (docs/ukcov-fuzz.md, "Speed"): the fork (the page tables copied, a TLB
 * flush on every CPU), the page faults of a fresh heap and stack, lazy
 * binding, each a trap into the hypervisor on a virtual machine.
 */
static int serve_requests(int fd, struct serving *sv, size_t have)
{
	size_t len;
	uint64_t tag;
	int32_t arg;
	char *input;
	int r;

	for (int i = 0; i < FZ_PERSIST; i++) {
		tag = 0;
		if (oracle_recv(fd, &tag, &arg, &input, &len) < 0)
			return SERVE_END;
		sv->tag = tag;
		r = arg < 0 ? -EINVAL
			    : serve_width((size_t)(arg & ((1 << ORACLE_SKIP_SHIFT) - 1)) / 2, &have);
		sv->width = have;
		if (r < 0)
			oracle_send(fd, tag, r, "", 0);
		else
			serve_one(fd, tag, arg & 1, (arg >> ORACLE_SKIP_SHIFT) - 1,
				  (unsigned char *)input, len);
		sv->tag = 0;
		free(input);
	}
	return SERVE_MORE;
}

/*
 * The oracle process (--with-oracle): requests run in a worker child, so
 * that what a script does to a process and the clean-up misses outlives
 * it by FZ_PERSIST requests at most. A worker that dies leaves the
 * scratch to be put back whole, and an error reply to its request.
 */
static int serve(int fd)
{
	struct serving *sv = mmap(NULL, sizeof(*sv), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	size_t have = 0;
	int status;
	pid_t pid;

	if (sv == MAP_FAILED)
		return 1;
	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, NULL);
	first_free_fd = open("/dev/null", O_RDONLY);
	close(first_free_fd);
	fz_set_mounts(mounts_safe());
	for (;;) {
		*sv = (struct serving){ 0, have };
		if ((pid = fork()) == 0)
			_exit(serve_requests(fd, sv, have));
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			return 1;
		if (WIFEXITED(status) && WEXITSTATUS(status) == SERVE_END)
			return 0;
		/* the worker's scratch, for its clean-up here and the next worker */
		if (serve_width(sv->width, &have) < 0)
			return 1;
		/* (a worker that died before its first request made no scratch) */
		if (have && (!WIFEXITED(status) || WEXITSTATUS(status) != SERVE_MORE || sv->tag)) {
			scratch_unmount(&sides[0]);
			scratch_clean(&sides[0], FZ_DEPTH, 1);
		}
		if (sv->tag)
			oracle_send(fd, sv->tag, -EIO, "", 0);
	}
}

/*
 * A forkserver child: up to o->persist inputs, stopping after each until
 * the server resumes it (afl.h). Between inputs nothing of the last one
 * stays: its scratch is cleaned, its fds closed, its identity, cwd and
 * umask put back (scratch_clean), its memory freed.
 */
static int child_loop(const struct opts *o, struct fz_kcov *kcov, unsigned char *map)
{
	for (int i = 0;; i++) {
		int r = run_one(o, kcov, map);

		if (r || i + 1 >= o->persist)
			return r;
		afl_done();
	}
}

/* @n executions by the forkserver's own code (afl.c), without AFL++; 0 or 2 */
static int serve_n(const struct opts *o, struct fz_kcov *kcov, unsigned char *map, int n)
{
	struct afl_child c = { 0 };
	int status, r;

	for (int i = 0; i < n; i++) {
		if ((r = afl_start(&c, 0, after_abnormal)) == 1)
			_exit(child_loop(o, kcov, map));
		if (r < 0 || (status = afl_wait(&c, after_abnormal)) < 0 ||
		    (!WIFSTOPPED(status) && (!WIFEXITED(status) || WEXITSTATUS(status)))) {
			fprintf(stderr, "ukcov-fuzz-guest: execution %d failed\n", i);
			return 2;
		}
	}
	if (c.stopped) {
		kill(c.pid, SIGKILL);
		waitpid(c.pid, &status, 0);
	}
	return 0;
}

/*
 * --stability=N: every input N times, round robin, in persistent children;
 * exits 1 when the coverage of an input differs between its runs.
 */
static int stability_main(const struct opts *o, struct fz_kcov *kcov, unsigned char *map)
{
	int r;

	if (!kcov || stab_init(o->stability * o->ninputs) < 0)
		return 2;
	if ((r = serve_n(o, kcov, map, o->stability * o->ninputs)))
		return r;
	r = stab_report(stdout, o->inputs, o->ninputs, o->stability, o->edges);
	return r < 0 ? 2 : r > 0;
}

/*
 * --bench N: N executions of INPUT; prints executions per second and where
 * the time went (fork or resume + exit or stop + wait is what the phases
 * leave over).
 */
static int bench_main(const struct opts *o, struct fz_kcov *kcov, unsigned char *map)
{
	double t0, total;

	struct opts stdin_o = *o;
	int fd = open(o->input, O_RDONLY | O_CLOEXEC);

	/* the input on stdin, as afl-fuzz gives it */
	if (fd < 0 || dup2(fd, 0) < 0)
		return 2;
	close(fd);
	stdin_o.input = NULL;
	o = &stdin_o;
	phase_sum = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (phase_sum == MAP_FAILED)
		return 2;
	t0 = now_us();
	if (serve_n(o, kcov, map, o->bench))
		return 2;
	total = now_us() - t0;
	printf("%d executions in %.3f s: %.0f execs/s, %.1f us each\n", o->bench,
	       total / 1e6, o->bench / (total / 1e6), total / o->bench);
	for (int k = 0; k < T_N; k++) {
		printf("  %-14s %8.1f us\n", phase_names[k], phase_sum[k] / o->bench);
		total -= phase_sum[k];
	}
	printf("  %-14s %8.1f us\n", o->persist > 1 ? "resume+stop" : "fork+exit+wait",
	       total / o->bench);
	return 0;
}

/*
 * --replay INPUT...: each input once, in a child of its own, differences
 * reported and counted but not aborted on (for `ukcov run --coverage` over
 * a corpus). Exits 1 when an input differed.
 */
static int replay_main(struct opts *o, struct fz_kcov *kcov, unsigned char *map)
{
	int status, differed = 0;

	o->repro = 0;
	for (int i = 0; i < o->ninputs; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			o->input = o->inputs[i];
			o->repro = 0;
			_exit(run_one(o, kcov, map));
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			return 2;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "ukcov-fuzz-guest: %s: differs\n", o->inputs[i]);
			differed = 1;
		}
	}
	return differed;
}

/* the map's entries that are set (--map-count: what an input covers) */
static size_t map_entries(const unsigned char *map)
{
	size_t n = 0;

	for (size_t i = 0; i < FZ_MAP_SIZE; i++)
		n += map[i] != 0;
	return n;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ukcov-fuzz-guest [--edges] [--all-ops] [--no-kcov] [--no-child-kcov] [--map-count]\n"
		"                        [--plant] [--repro] [--persist=N]\n"
		"                        --host=DIR --mount=DIR [INPUT]\n"
		"       ukcov-fuzz-guest --decode [--all-ops] [INPUT]\n"
		"       ukcov-fuzz-guest --encode [--all-ops] < SCRIPT > INPUT\n"
		"       ukcov-fuzz-guest --ops\n"
		"       ukcov-fuzz-guest --dict > DICT   (afl-fuzz -x: encoded path tokens)\n"
		"       ukcov-fuzz-guest --bench=N --host=DIR --mount=DIR INPUT\n"
		"       ukcov-fuzz-guest --replay --host=DIR --mount=DIR INPUT...\n"
		"       ukcov-fuzz-guest --stability=N --host=DIR --mount=DIR INPUT...\n"
		"       ukcov-fuzz-guest --with-oracle --host=DIR -- COMMAND...\n");
	return 2;
}

static int decode_main(const struct opts *o)
{
	static unsigned char input[FZ_MAX_INPUT];
	size_t len = read_input(o->input, input, sizeof(input));

	fz_decode(input, len, o->all_ops, stdout);
	return 0;
}

static int encode_main(const struct opts *o)
{
	static unsigned char out[FZ_MAX_INPUT];
	static char script[1 << 20];
	size_t len = fread(script, 1, sizeof(script) - 1, stdin), n;

	script[len] = 0;
	n = fz_encode(script, out, sizeof(out), o->all_ops);
	return fwrite(out, 1, n, stdout) == n ? 0 : 2;
}

int main(int argc, char **argv)
{
	struct opts o = { .kcov = 1, .child_kcov = 1, .persist = FZ_PERSIST };
	struct fz_kcov kcov, *kp = NULL;
	int mode = 0, r;
	size_t width;
	struct stat st;
	unsigned char *map;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--edges")) o.edges = 1;
		else if (!strcmp(a, "--all-ops")) o.all_ops = 1;
		else if (!strcmp(a, "--no-kcov")) o.kcov = 0;
		else if (!strcmp(a, "--no-child-kcov")) o.child_kcov = 0;
		else if (!strcmp(a, "--map-count")) o.map_count = 1;
		else if (!strcmp(a, "--plant")) o.plant = 1;
		else if (!strcmp(a, "--repro")) o.repro = 1;
		else if (!strcmp(a, "--replay")) o.replay = 1;
		else if (!strncmp(a, "--stability=", 12) && atoi(a + 12) > 1) o.stability = atoi(a + 12);
		else if (!strcmp(a, "--with-oracle")) o.with_oracle = 1;
		else if (!strcmp(a, "--") && o.with_oracle && i + 1 < argc) {
			o.cmd = &argv[i + 1];
			break;
		}
		else if (!strncmp(a, "--bench=", 8)) o.bench = atoi(a + 8);
		else if (!strncmp(a, "--persist=", 10) && atoi(a + 10) > 0) o.persist = atoi(a + 10);
		else if (!strcmp(a, "--decode")) mode = 'd';
		else if (!strcmp(a, "--encode")) mode = 'e';
		else if (!strcmp(a, "--ops")) mode = 'o';
		else if (!strcmp(a, "--dict")) mode = 'x';
		else if (!strncmp(a, "--host=", 7)) o.host = a + 7;
		else if (!strncmp(a, "--mount=", 8)) o.mount = a + 8;
		else if (a[0] == '-' && a[1]) return usage();
		else if (!o.input) o.input = a, o.inputs = &argv[i], o.ninputs = argc - i;
		else if (!o.replay && !o.stability) return usage();
	}
	/* decoding runs nothing: the mount ops are in (a run's reproducers have them) */
	fz_set_mounts(1);
	if (mode == 'o') {
		fz_print_ops(stdout);
		return 0;
	}
	if (mode == 'x') {
		fz_print_dict(stdout);
		return 0;
	}
	if (mode == 'd')
		return decode_main(&o);
	if (mode == 'e')
		return encode_main(&o);
	if (!o.host || o.host[0] != '/' || (o.with_oracle ? !o.cmd : !o.mount || o.mount[0] != '/'))
		return usage();
	oracle = o.with_oracle ? -1 : oracle_fd();
	/* the /dev/shm side's mounts are real: only the oracle's namespace makes them safe */
	fz_set_mounts(oracle >= 0 && mounts_safe());
	/* scripts switch the fsuid (su): the walk to W must be open to anyone */
	if (oracle < 0 && (stat(o.host, &st) < 0 || (st.st_mode & 0111) != 0111)) {
		fprintf(stderr, "ukcov-fuzz-guest: %s: must be a directory everyone may search (0711)\n",
			o.host);
		return 2;
	}
	if (o.with_oracle) {
		serve_host = o.host;
		return oracle_wrap(o.cmd, serve);
	}
	width = strlen(o.host) > strlen(o.mount) ? strlen(o.host) : strlen(o.mount);
	first_local = oracle >= 0;
	sides[0].name = "/dev/shm";
	if ((!first_local && (r = scratch_init(&sides[0], "/dev/shm", o.host, width)) < 0) ||
	    (r = scratch_init(&sides[1], "ukcov", o.mount, width)) < 0) {
		fprintf(stderr, "ukcov-fuzz-guest: %s, %s: %s\n", o.host, o.mount, strerror(-r));
		return 2;
	}
	if (o.kcov) {
		if ((r = fz_kcov_open(&kcov, KCOV_WORDS)) < 0) {
			fprintf(stderr, "ukcov-fuzz-guest: /sys/kernel/debug/kcov: %s "
					"(run under `ukcov run`, or pass --no-kcov)\n", strerror(-r));
			return 2;
		}
		kp = &kcov;
	}
	/* no SA_RESTART: the interrupted call returns EINTR */
	sigaction(SIGALRM, &(struct sigaction){ .sa_handler = on_alarm }, NULL);
	map = afl_map();
	cmp_map = o.kcov ? afl_cmplog_map() : NULL;
	if (o.child_kcov) {
		child_kcov = (struct fz_child_kcov){ .map = map, .cmp = cmp_map, .edges = o.edges };
		exec_kcov = child_kcov;
		exec_kcov.parent = kp;
	}
	first_free_fd = open("/dev/null", O_RDONLY);
	close(first_free_fd);
	clean_all(FZ_DEPTH, 1, 1);
	if ((r = open_fds(0, fd_kept)) < 0) {
		fprintf(stderr, "ukcov-fuzz-guest: the open fds: %s\n", strerror(-r));
		return 2;
	}
	/* (not for --bench: its CPU time per execution would carry it) */
	if (o.kcov && !o.bench)
		warm_up(o.all_ops);
	if (o.bench > 0)
		return bench_main(&o, kp, map);
	if (o.replay)
		return replay_main(&o, kp, map);
	if (o.stability)
		return stability_main(&o, kp, map);
	if (afl_forkserver(after_abnormal))
		return child_loop(&o, kp, map);
	r = run_one(&o, kp, map);
	if (o.map_count)
		fprintf(stderr, "ukcov-fuzz-guest: %zu map entries\n", map_entries(map));
	return r;
}
