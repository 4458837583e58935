/*
 * The kcov documentation's remote flow, with the sandbox's one remote
 * producer: KCOV_REMOTE_ENABLE with a common handle, then a child (created
 * afterwards, so it inherits the handle) opens and closes a file in the
 * mount at argv[1]. The file's release, done by the kernel between syscalls
 * on the child's behalf, must land in our area although our own syscalls
 * are not traced; after KCOV_DISABLE another child's release must not.
 * A child forked before the enable does not inherit the handle (Linux copies
 * it at fork): its release must not land either. Dropping the cwd record of
 * an exited child whose cwd was in the mount lands too.
 * Prints the PCs of the release (for symbolization by the script).
 * Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kcov.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COVER_SIZE (64 << 10)

struct remote_arg {
	uint32_t trace_mode, area_size, num_handles;
	uint64_t common_handle __attribute__((aligned(8)));
	uint64_t handles[];
};

static unsigned long *cover;

/* A child forked now that opens and closes a file when told to (through the pipe). */
static pid_t early_child(const char *dir, int *go)
{
	int p[2];
	pid_t pid;
	char c, path[4096];

	if (pipe(p))
		perror("pipe"), exit(1);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		snprintf(path, sizeof(path), "%s/early", dir);
		int fd = open(path, O_CREAT | O_RDWR, 0600);

		_exit(fd < 0 || close(fd));
	}
	close(p[0]);
	*go = p[1];
	return pid;
}

static void child_open_close(const char *dir, int i)
{
	char path[4096];
	pid_t pid = fork();

	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/f%d", dir, i);
		int fd = open(path, O_CREAT | O_RDWR, 0600);

		if (fd < 0 || write(fd, "x", 1) != 1 || close(fd))
			_exit(1);
		_exit(0);
	}
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
		fprintf(stderr, "FAIL: child %d\n", i), exit(1);
}

static void child_chdir_exit(const char *dir)
{
	char path[4096];
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/cwd", dir);
		_exit(mkdir(path, 0755) || chdir(path));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
		fprintf(stderr, "FAIL: chdir child\n"), exit(1);
}

/* Trapped syscalls until area[0] moves or `ms` pass: the release runs between two of them. */
static unsigned long wait_count(int ms)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < ms; i++) {
		unsigned long n = __atomic_load_n(&cover[0], __ATOMIC_ACQUIRE);

		if (n)
			return n;
		(void)!read(-1, NULL, 0);
		nanosleep(&ts, NULL);
	}
	return __atomic_load_n(&cover[0], __ATOMIC_ACQUIRE);
}

int main(int argc, char **argv)
{
	struct remote_arg *arg = calloc(1, sizeof(*arg));
	struct timespec tick = { 0, 30000000 };
	unsigned long n;
	int fd = open("/sys/kernel/debug/kcov", O_RDWR), go, st;
	pid_t early;

	if (argc != 2 || fd < 0 || !arg || ioctl(fd, KCOV_INIT_TRACE, COVER_SIZE))
		perror("kcov setup"), exit(1);
	cover = mmap(NULL, COVER_SIZE * 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED)
		perror("mmap"), exit(1);
	early = early_child(argv[1], &go);
	nanosleep(&tick, NULL); /* a few clock ticks: the child is older than the enable */
	arg->trace_mode = KCOV_TRACE_PC;
	arg->area_size = COVER_SIZE;
	arg->num_handles = 0;
	arg->common_handle = 0x42; /* kcov_remote_handle(KCOV_SUBSYSTEM_COMMON, 0x42) */
	if (ioctl(fd, KCOV_REMOTE_ENABLE, arg))
		perror("KCOV_REMOTE_ENABLE"), exit(1);
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	/* Our own syscalls are not traced any more. */
	(void)!read(-1, NULL, 0);
	if (cover[0]) {
		fprintf(stderr, "FAIL: own syscall traced after REMOTE_ENABLE: %lu PCs\n", cover[0]);
		return 1;
	}
	if (write(go, "x", 1) != 1 || waitpid(early, &st, 0) != early || st != 0)
		fprintf(stderr, "FAIL: early child\n"), exit(1);
	n = wait_count(300);
	if (n) {
		fprintf(stderr, "FAIL: a child forked before REMOTE_ENABLE inherited the handle (%lu PCs)\n", n);
		return 1;
	}
	child_open_close(argv[1], 1);
	n = wait_count(2000);
	if (!n) {
		fprintf(stderr, "FAIL: the child's file release reached no area\n");
		return 1;
	}
	for (unsigned long i = 1; i <= n && i < COVER_SIZE; i++)
		printf("%#lx\n", cover[i]);
	/* A child whose cwd is in the mount exits: dropping its cwd record is the same kind of work. */
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	child_chdir_exit(argv[1]);
	n = wait_count(2000);
	if (!n) {
		fprintf(stderr, "FAIL: dropping an exited child's cwd record reached no area\n");
		return 1;
	}
	for (unsigned long i = 1; i <= n && i < COVER_SIZE; i++)
		printf("%#lx\n", cover[i]);
	if (ioctl(fd, KCOV_DISABLE, 0))
		perror("KCOV_DISABLE"), exit(1);
	__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
	child_open_close(argv[1], 2);
	n = wait_count(300);
	if (n) {
		fprintf(stderr, "FAIL: %lu PCs after KCOV_DISABLE\n", n);
		return 1;
	}
	return 0;
}
