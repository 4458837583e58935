/*
 * Guest: execve(2) of files in DIR under load, run on Linux's tmpfs
 * (/dev/shm) and inside `ukcov run --tmpfs` by test_exec_load.sh:
 *   loop DIR N        N fork+execs of a copy of /bin/true and N of a "#!"
 *                     script run by it, all exit 0
 *   signals DIR N     the same under a stream of SA_RESTART signals; then N
 *                     failing execs (ENOEXEC) under a signal stream from a
 *                     thread: always ENOEXEC, and no fd left behind
 *   vfork DIR S       for S seconds, execs whose signal handler vforks a
 *                     sleeping child when the signal interrupted the execve,
 *                     while this process times its own trapped calls
 *   killme DIR FILE   a chain of execs that its own child kills (SIGKILL);
 *                     the child writes its pid to FILE and then sleeps
 *   leaderexit DIR N  N execs by a thread whose leader exited alone
 *   mask DIR          the program exec'd by the leader or another thread has
 *                     the execing thread's mask and its pending signal
 *   names DIR         a 255-byte file name and a deep path, executed
 *   altstack DIR      execs failing after the redirect from a handler on a
 *                     small alternate stack: nothing below it is written
 * Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <time.h>
#include <unistd.h>

static int fails;
static char dir[512];

#define CHECK(c, ...) do { if (!(c)) { fails++; printf("FAIL %d: ", __LINE__); \
	printf(__VA_ARGS__); printf(" (errno %s)\n", strerror(errno)); } } while (0)

static char *at(const char *name)
{
	static char b[4][4200];
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

static int put(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, mode);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return -1;
	return close(fd);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_urg(int sig)
{
	(void)sig;
}

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* The open fds, as a bitmap of the first 4096 numbers (a ukcov-reserved slot answers EBADF). */
static void fd_set_of(unsigned char *map)
{
	memset(map, 0, 512);
	for (int fd = 0; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			map[fd / 8] |= (unsigned char)(1 << (fd % 8));
}

/* Fails for each fd open in after and not in before. */
static void fd_diff(const unsigned char *before, const unsigned char *after)
{
	for (int fd = 0; fd < 4096; fd++)
		CHECK((after[fd / 8] & ~before[fd / 8] & (1 << (fd % 8))) == 0, "fd %d left open by failed execs", fd);
}

/* Runs execve(path, argv) in a child; returns its exit status or 100 + errno of a failed exec. */
static int run_true(const char *path, bool signals)
{
	char *argv[] = { "true", NULL };
	pid_t p = fork();
	int st;

	if (p == 0) {
		/* SIGURG: ignored by default, so the program exec'd is not killed by the stream. */
		if (signals)
			handle(SIGURG, on_urg, SA_RESTART);
		execve(path, argv, (char *[]){ NULL });
		_exit(100 + errno);
	}
	while (signals && waitpid(p, &st, WNOHANG) == 0) {
		kill(p, SIGURG);
		usleep(20);
	}
	if (!signals)
		waitpid(p, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 200 + WTERMSIG(st);
}

/* N execs of a copy of /bin/true, then N of a "#!" script whose interpreter it is. */
static int t_loop(int n, bool signals)
{
	static const char script[] = "#!/bin/true -x\n";
	const char *what[] = { "true", "script" };

	CHECK(copy("/bin/true", at("true"), 0755) == 0, "copy /bin/true");
	CHECK(put(at("script"), script, sizeof script - 1, 0755) == 0, "script");
	for (int k = 0; k < 2; k++) {
		int bad = 0, last = 0;
		double t0 = now_ms(), worst = 0;

		for (int i = 0; i < n; i++) {
			double t1 = now_ms();
			int st = run_true(at(what[k]), signals);

			if (now_ms() - t1 > worst)
				worst = now_ms() - t1;
			if (st) {
				bad++;
				last = st;
			}
		}
		printf("%s: %d of %d execs of %s failed (last status %d; %.0f ms, the slowest %.0f ms)\n",
		       signals ? "signals" : "loop", bad, n, what[k], last, now_ms() - t0, worst);
		CHECK(bad == 0, "execs of %s failed", what[k]);
	}
	return fails != 0;
}

static pthread_t main_thread;
static volatile int stop_sending;

static void *sender(void *arg)
{
	(void)arg;
	while (!stop_sending) {
		pthread_kill(main_thread, SIGURG);
		usleep(20);
	}
	return NULL;
}

/* A failing exec under signals: ENOEXEC every time (never ENOENT), and no fd left behind. */
static int t_signals(int n)
{
	static unsigned char before[512], after[512];
	static const char elf[64] = "\177ELF";
	int bad = 0, other = 0;
	pthread_t t;

	if (t_loop(n, true))
		return 1;
	CHECK(put(at("badelf"), elf, sizeof elf, 0755) == 0, "bad ELF");
	handle(SIGURG, on_urg, SA_RESTART);
	fd_set_of(before);
	main_thread = pthread_self();
	pthread_create(&t, NULL, sender, NULL);
	for (int i = 0; i < n; i++) {
		errno = 0;
		execve(at("badelf"), (char *[]){ "x", NULL }, (char *[]){ NULL });
		if (errno != ENOEXEC) {
			bad++;
			other = errno;
		}
	}
	stop_sending = 1;
	pthread_join(t, NULL);
	fd_set_of(after);
	printf("signals: %d of %d failing execs said other than ENOEXEC (%s)\n", bad, n, strerror(other));
	CHECK(bad == 0, "wrong errno");
	fd_diff(before, after);
	return fails != 0;
}

#define VFORK_SLEEP_MS 1000
#define VFORK_LIMIT_MS 300
#define VFORK_CHILDREN 4

static volatile int vforked;

/*
 * Only when the signal took the thread out of its execve (the interrupted
 * call is restarted after us: its number is back in rax, at the syscall
 * instruction): then vfork, once, a child that sleeps. A vfork parent sleeps
 * killably, and no ptrace stop comes before the child is done.
 */
static void on_urg_vfork(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	if (vforked || uc->uc_mcontext.gregs[REG_RAX] != SYS_execve)
		return;
	vforked = 1;
	if (vfork() == 0) {
		struct timespec ts = { VFORK_SLEEP_MS / 1000, (VFORK_SLEEP_MS % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		_exit(0);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static pid_t vfork_child(void)
{
	pid_t a = fork();

	if (a == 0) {
		struct sigaction sa = { .sa_sigaction = on_urg_vfork, .sa_flags = SA_RESTART | SA_SIGINFO };

		sigemptyset(&sa.sa_mask);
		sigaction(SIGURG, &sa, NULL);
		execve(at("true"), (char *[]){ "true", NULL }, (char *[]){ NULL });
		_exit(100 + errno);
	}
	return a;
}

/*
 * For `seconds`, children (VFORK_CHILDREN at a time) exec /bin/true from DIR
 * while this process sends them SIGURG every millisecond; a signal that
 * interrupts a child's execve makes its handler vfork a child that sleeps
 * VFORK_SLEEP_MS. Between signals this process times a trapped call of its
 * own: the loop must answer it within milliseconds whatever the children's
 * execs wait for (the limit, VFORK_LIMIT_MS, leaves room for a loaded
 * machine; a loop that waited for a vforked exec would wait about a second).
 */
static int t_vfork(int seconds)
{
	static double lat[1 << 16];
	double worst = 0, end = now_ms() + seconds * 1000.0;
	pid_t kids[VFORK_CHILDREN] = { 0 };
	struct stat st;
	int calls = 0, execs = 0, bad = 0, live = 0;

	CHECK(copy("/bin/true", at("true"), 0755) == 0, "copy /bin/true");
	do {
		double t0;

		for (int i = 0; i < VFORK_CHILDREN; i++) {
			int status;

			if (kids[i] && waitpid(kids[i], &status, WNOHANG) == kids[i]) {
				kids[i] = 0;
				live--;
				execs++;
				bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
			}
			if (!kids[i] && now_ms() < end) {
				kids[i] = vfork_child();
				live++;
			}
			if (kids[i])
				kill(kids[i], SIGURG);
		}
		t0 = now_ms();
		stat(at("true"), &st); /* a trapped call (inside a mount) */
		t0 = now_ms() - t0;
		if (t0 > worst)
			worst = t0;
		if (calls < (int)(sizeof lat / sizeof lat[0]))
			lat[calls] = t0;
		calls++;
		usleep(1000);
	} while (live);
	if (calls > (int)(sizeof lat / sizeof lat[0]))
		calls = sizeof lat / sizeof lat[0];
	qsort(lat, (size_t)calls, sizeof lat[0], cmp_double);
	printf("vfork: %d execs (%d failed), %d trapped calls meanwhile: median %.3f ms, 99%% %.2f ms, "
	       "the slowest %.2f ms\n", execs, bad, calls, calls ? lat[calls / 2] : 0,
	       calls ? lat[calls * 99 / 100] : 0, worst);
	CHECK(bad == 0, "%d execs failed", bad);
	CHECK(worst < VFORK_LIMIT_MS, "a trapped call waited %.1f ms", worst);
	return fails != 0;
}

/* The chain: exec myself again, for ever (until killed). */
static int kill_chain(void)
{
	execve(at("exec_load"), (char *[]){ "exec_load", "killchain", dir, NULL }, (char *[]){ NULL });
	return 100 + errno;
}

static int t_killme(const char *pidfile)
{
	char buf[32];
	pid_t prog = getpid(), c;

	if (access(at("exec_load"), X_OK))
		CHECK(copy("/proc/self/exe", at("exec_load"), 0755) == 0, "copy myself");
	c = fork();
	if (c == 0) {
		int len = snprintf(buf, sizeof buf, "%d\n", getpid());

		put(pidfile, buf, (size_t)len, 0644);
		srand((unsigned)(getpid() ^ (int)now_ms()));
		usleep(5000 + rand() % 20000);
		kill(prog, SIGKILL);
		sleep(30); /* must not outlive PROG under ukcov */
		_exit(0);
	}
	return kill_chain();
}

static void *exec_late(void *arg)
{
	usleep(20000); /* the leader has exited by then */
	execve(arg, (char *[]){ "true", NULL }, (char *[]){ NULL });
	_exit(100 + errno);
}

/*
 * A process whose leader exited alone (pthread_exit): a second thread then
 * execs from DIR; exec waits for the zombie leader (de_thread()), and the
 * process becomes /bin/true under the leader's pid. Then the same while a
 * N rounds.
 */
static int t_leaderexit(int n)
{
	int bad = 0, last = 0;

	CHECK(copy("/bin/true", at("true"), 0755) == 0, "copy /bin/true");
	for (int i = 0; i < n; i++) {
		int st;
		pid_t p = fork();

		if (p == 0) {
			pthread_t t;

			pthread_create(&t, NULL, exec_late, at("true"));
			pthread_exit(NULL);
		}
		waitpid(p, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			bad++;
			last = st;
		}
	}
	printf("leaderexit: %d of %d execs from a thread whose leader had exited failed (last status %#x)\n",
	       bad, n, last);
	CHECK(bad == 0, "execs failed");
	return fails != 0;
}

/*
 * The program exec'd from the mount (a copy of cat, printing its own
 * /proc/self/status) starts with the mask the execing thread had, and the
 * signal pending then still pending: by the process's leader, and by
 * another thread (which takes the leader's TID in the exec).
 */
static void *exec_status(void *arg)
{
	(void)arg;
	kill(getpid(), SIGUSR1);
	execve(at("cat"), (char *[]){ "cat", "/proc/self/status", NULL }, (char *[]){ NULL });
	_exit(100 + errno);
}

static int t_mask(void)
{
	CHECK(copy("/bin/cat", at("cat"), 0755) == 0, "copy /bin/cat");
	for (int thread = 0; thread < 2; thread++) {
		char buf[8192] = "", *blk, *pnd;
		int fds[2], st;
		ssize_t n, got = 0;
		pid_t p;

		if (pipe(fds))
			return 1;
		p = fork();
		if (p == 0) {
			pthread_t t;
			sigset_t usr1;

			/* Every thread blocks it: kill() may pick any that does not. */
			sigemptyset(&usr1);
			sigaddset(&usr1, SIGUSR1);
			sigprocmask(SIG_BLOCK, &usr1, NULL);
			dup2(fds[1], 1);
			if (!thread)
				exec_status(NULL);
			pthread_create(&t, NULL, exec_status, NULL);
			pthread_join(t, NULL);
			_exit(99);
		}
		close(fds[1]);
		while ((n = read(fds[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
			got += n;
		close(fds[0]);
		waitpid(p, &st, 0);
		blk = strstr(buf, "\nSigBlk:");
		pnd = strstr(buf, "\nShdPnd:");
		blk = blk ? blk + 8 : NULL;
		pnd = pnd ? pnd + 8 : NULL;
		printf("mask: exec by %s: status %#x, SigBlk %.16s, ShdPnd %.16s\n",
		       thread ? "a thread" : "the leader", st, blk ? blk + 1 : "?", pnd ? pnd + 1 : "?");
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "exec by %s", thread ? "a thread" : "the leader");
		CHECK(blk && !strncmp(blk, "\t0000000000000200", 17), "the mask after exec");
		CHECK(pnd && !strncmp(pnd, "\t0000000000000200", 17), "SIGUSR1 pending after exec");
	}
	return fails != 0;
}

static int t_names(void)
{
	char name[256], *deep = at(""), *p;
	size_t n = strlen(deep);
	int st;

	memset(name, 'n', 255);
	name[255] = '\0';
	CHECK(copy("/bin/true", at(name), 0755) == 0, "copy to a 255-byte name");
	st = run_true(at(name), false);
	CHECK(st == 0, "exec a 255-byte name: %d", st);
	/* A path of 4000 bytes: directories of 200 bytes each. */
	p = deep + n;
	while (p < deep + 3700) {
		memset(p, 'd', 199);
		p[199] = '\0';
		CHECK(mkdir(deep, 0755) == 0 || errno == EEXIST, "mkdir deep");
		p[199] = '/';
		p += 200;
	}
	strcpy(p, "true");
	CHECK(copy("/bin/true", deep, 0755) == 0, "copy to a deep path (%zu bytes)", strlen(deep));
	st = run_true(deep, false);
	CHECK(st == 0, "exec a path of %zu bytes: %d", strlen(deep), st);
	printf("names: a 255-byte name and a %zu-byte path\n", strlen(deep));
	return fails != 0;
}

static struct {
	unsigned char below[16384];
	unsigned char stack[65536];
} alt;
static int alt_errno[2];
static volatile uintptr_t alt_depth; /* how far below its top a handler's locals are */
static volatile bool alt_measure;
static char alt_path[2][600], *alt_argv[] = { "x", NULL };

static void on_usr1(int sig)
{
	volatile char here;

	(void)sig;
	if (alt_measure) {
		alt_depth = (uintptr_t)(alt.stack + sizeof alt.stack) - (uintptr_t)&here;
		return;
	}
	/* Only execve's own wrapper below us: the paths were made beforehand. */
	errno = 0;
	execve(alt_path[0], alt_argv, alt_argv + 1);
	alt_errno[0] = errno;
	errno = 0;
	execve(alt_path[1], alt_argv, alt_argv + 1);
	alt_errno[1] = errno;
}

static int t_altstack(void)
{
	static unsigned char before[512], after[512], base[sizeof alt];
	static const char elf[64] = "\177ELF";
	static const char script[] = "#!/nonexistent/interpreter -x\necho hi\n";
	stack_t ss = { .ss_sp = alt.stack, .ss_size = sizeof alt.stack };
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_ONSTACK };
	size_t dirty = 0, size;

	CHECK(put(at("badelf"), elf, sizeof elf, 0755) == 0, "bad ELF");
	CHECK(put(at("badinterp"), script, sizeof script - 1, 0755) == 0, "bad interpreter");
	/* Binds execve now: a lazy binding inside the handler would save registers deep below. */
	execve("", alt_argv, alt_argv + 1);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/*
	 * As small as the signal frame lets it be: the handler's locals 512
	 * bytes above its bottom, so that anything written a little below the
	 * stack pointer lands in the memory below it.
	 */
	CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack");
	alt_measure = true;
	raise(SIGUSR1);
	alt_measure = false;
	size = alt_depth + 512;
	ss.ss_sp = alt.stack + sizeof alt.stack - size;
	ss.ss_size = size;
	CHECK(sigaltstack(&ss, NULL) == 0, "sigaltstack of %zu bytes", size);
	/*
	 * First the same from a host file that fails (/dev/null: EACCES): what
	 * Linux and the C library themselves leave below the stack is the
	 * baseline; the execs from the mount may change nothing beyond it.
	 */
	snprintf(alt_path[0], sizeof alt_path[0], "/dev/null");
	snprintf(alt_path[1], sizeof alt_path[1], "/dev/null");
	memset(&alt, 0xa5, sizeof alt.below + sizeof alt.stack - size);
	raise(SIGUSR1);
	memcpy(base, &alt, sizeof alt.below + sizeof alt.stack - size);
	snprintf(alt_path[0], sizeof alt_path[0], "%s", at("badelf"));
	snprintf(alt_path[1], sizeof alt_path[1], "%s", at("badinterp"));
	memset(&alt, 0xa5, sizeof alt.below + sizeof alt.stack - size);
	fd_set_of(before);
	raise(SIGUSR1);
	fd_set_of(after);
	for (size_t i = 0; i < sizeof alt.below + sizeof alt.stack - size; i++)
		dirty += ((unsigned char *)&alt)[i] != 0xa5 && base[i] == 0xa5;
	printf("altstack: %zu-byte stack, execs failed with %s and %s, %zu bytes below it changed beyond what a failing host exec changes\n",
	       size, strerror(alt_errno[0]), strerror(alt_errno[1]), dirty);
	CHECK(alt_errno[0] == ENOEXEC, "bad ELF: %s", strerror(alt_errno[0]));
	CHECK(alt_errno[1] == ENOENT, "bad interpreter: %s", strerror(alt_errno[1]));
	CHECK(dirty == 0, "%zu bytes below the alternate stack written", dirty);
	fd_diff(before, after);
	return fails != 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	/* Line by line: the test's output shows how far a case got when it times out. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(dir, sizeof dir, "%s", argv[2]);
	if (!strcmp(argv[1], "loop") && argc == 4)
		return t_loop(atoi(argv[3]), false);
	if (!strcmp(argv[1], "signals") && argc == 4)
		return t_signals(atoi(argv[3]));
	if (!strcmp(argv[1], "vfork") && argc == 4)
		return t_vfork(atoi(argv[3]));
	if (!strcmp(argv[1], "killme") && argc == 4)
		return t_killme(argv[3]);
	if (!strcmp(argv[1], "killchain"))
		return kill_chain();
	if (!strcmp(argv[1], "leaderexit") && argc == 4)
		return t_leaderexit(atoi(argv[3]));
	if (!strcmp(argv[1], "mask"))
		return t_mask();
	if (!strcmp(argv[1], "names"))
		return t_names();
	if (!strcmp(argv[1], "altstack"))
		return t_altstack();
	return 2;
}
