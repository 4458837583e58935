/*
 * Guest (--tmpfs=/mnt/t, as root): mount(2) and umount2(2) of a tmpfs on a
 * directory, run twice: under /dev/shm (Linux's own mount(2) on Linux's
 * tmpfs) and under /mnt/t (the sandbox's); every step's result must be the
 * same. Covers a new tmpfs with options, its own st_dev and statfs, paths
 * that cross into it and back (absolute, relative, ".."), EBUSY for rmdir
 * and rename of the mount point, umount2 with an open file, a cwd or a
 * mount inside, MS_REMOUNT|MS_RDONLY and EROFS in each call Linux refuses,
 * remount read-only with a file open for writing, umount2's EINVAL cases,
 * MNT_DETACH, MNT_EXPIRE, bind mounts, unknown options and types, and
 * the mounts' lines in /proc/self/mountinfo. Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

#define MAXSTEPS 128

struct transcript {
	int n;
	char line[MAXSTEPS][96];
};

static char base[256];

static const char *P(const char *rel)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base, rel);
	return buf[i];
}

static void note(struct transcript *t, const char *what, long r)
{
	if (t->n < MAXSTEPS)
		snprintf(t->line[t->n++], sizeof(t->line[0]), "%-40s %s", what,
			 r < 0 ? strerrorname_np(errno) : r ? "1" : "0");
}

/* umount2, retried while EBUSY: a sandbox file is released when its close is seen, not at close() */
static int umount_retry(const char *path, int flags)
{
	int r = -1;

	for (int i = 0; i < 100; i++) {
		r = umount2(path, flags);
		if (!r || errno != EBUSY)
			break;
		usleep(20000);
	}
	return r;
}

/*
 * The mount at `path` in /proc/self/mountinfo, checked against statx (its
 * mnt_id), stat (its device) and what `want` says (its fs type, "ro"/"rw"):
 * 1 when they agree, 0 when the line says otherwise, -1 (ENOENT) without one.
 */
static long mountinfo_agrees(const char *path, const char *want_type, const char *want_ro)
{
	char line[4096], mp[1024], opts[256], type[64];
	unsigned long long id = 0;
	unsigned int maj, min;
	struct statx sx;
	long found = -1;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f || statx(AT_FDCWD, path, 0, STATX_MNT_ID, &sx))
		return f ? (fclose(f), -1) : -1;
	while (fgets(line, sizeof(line), f)) {
		char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%llu %*u %u:%u %*s %1023s %255s", &id, &maj, &min, mp, opts) != 5 ||
		    sscanf(dash, " - %63s", type) != 1 || strcmp(mp, path))
			continue;
		found = id == sx.stx_mnt_id && maj == sx.stx_dev_major && min == sx.stx_dev_minor &&
			!strcmp(type, want_type) && !strncmp(opts, want_ro, 2);
	}
	fclose(f);
	if (found < 0)
		errno = ENOENT;
	return found;
}

static long fd_result(int fd)
{
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static void rofs_steps(struct transcript *t)
{
	struct statvfs sv;

	note(t, "remount ro", mount(NULL, P("m"), "tmpfs", MS_REMOUNT | MS_RDONLY, NULL));
	note(t, "mountinfo: ro", mountinfo_agrees(P("m"), "tmpfs", "ro"));
	note(t, "statvfs ST_RDONLY", statvfs(P("m"), &sv) ? -1 : !!(sv.f_flag & ST_RDONLY));
	note(t, "creat new", fd_result(open(P("m/new"), O_CREAT | O_WRONLY, 0644)));
	note(t, "open file O_WRONLY", fd_result(open(P("m/file"), O_WRONLY)));
	note(t, "open file O_RDONLY|O_TRUNC", fd_result(open(P("m/file"), O_RDONLY | O_TRUNC)));
	note(t, "open file O_RDONLY", fd_result(open(P("m/file"), O_RDONLY)));
	note(t, "open file O_RDONLY|O_CREAT", fd_result(open(P("m/file"), O_RDONLY | O_CREAT, 0644)));
	note(t, "mkdir new", mkdir(P("m/d2"), 0755));
	note(t, "mkdir existing", mkdir(P("m/dir"), 0755));
	note(t, "mkdir missing parent", mkdir(P("m/no/d"), 0755));
	note(t, "unlink file", unlink(P("m/file")));
	note(t, "unlink missing", unlink(P("m/missing")));
	note(t, "rmdir dir", rmdir(P("m/dir")));
	note(t, "rmdir missing", rmdir(P("m/missing")));
	note(t, "rename", rename(P("m/file"), P("m/f2")));
	note(t, "chmod", chmod(P("m/file"), 0600));
	note(t, "chown", chown(P("m/file"), 1, 1));
	note(t, "utime NULL", utime(P("m/file"), NULL));
	note(t, "access W_OK", access(P("m/file"), W_OK));
	note(t, "access R_OK", access(P("m/file"), R_OK));
	note(t, "truncate", truncate(P("m/file"), 0));
	note(t, "symlink", symlink("file", P("m/sl")));
	note(t, "link", link(P("m/file"), P("m/hl")));
	note(t, "mkfifo", mkfifo(P("m/fifo"), 0644));
	note(t, "remount rw", mount(NULL, P("m"), "tmpfs", MS_REMOUNT, NULL));
	note(t, "creat after rw", fd_result(open(P("m/new"), O_CREAT | O_WRONLY, 0644)));
}

static void busy_steps(struct transcript *t)
{
	int fd;

	note(t, "rmdir mount point", rmdir(P("m")));
	note(t, "rename mount point", rename(P("m"), P("m2")));
	note(t, "rename onto mount point", rename(P("other"), P("m")));
	fd = open(P("m/file"), O_RDWR);
	note(t, "remount ro, file open rw", mount(NULL, P("m"), "tmpfs", MS_REMOUNT | MS_RDONLY, NULL));
	note(t, "umount, file open", umount2(P("m"), 0));
	close(fd);
	note(t, "chdir into mount", chdir(P("m/dir")));
	note(t, "umount, cwd inside", umount2(P("m"), 0));
	note(t, "relative ../file", access("../file", F_OK));
	note(t, "chdir out", chdir("/"));
	note(t, "umount bad flag", umount2(P("m"), 0x100));
	note(t, "umount not a root", umount2(P("m/dir"), 0));
	note(t, "umount plain dir", umount2(P("other"), 0));
}

static void nested_steps(struct transcript *t)
{
	struct stat a, b;

	note(t, "mkdir m/sub", mkdir(P("m/sub"), 0755));
	note(t, "mount on m/sub", mount("inner", P("m/sub"), "tmpfs", 0, "size=64k"));
	note(t, "creat m/sub/x", fd_result(open(P("m/sub/x"), O_CREAT | O_WRONLY, 0600)));
	note(t, "sub/.. is m", stat(P("m/sub/.."), &a) || stat(P("m"), &b) ? -1 :
		a.st_dev == b.st_dev && a.st_ino == b.st_ino);
	note(t, "umount m, sub mounted", umount2(P("m"), 0));
	note(t, "umount m/sub", umount_retry(P("m/sub"), 0));
	note(t, "m/sub/x gone", access(P("m/sub/x"), F_OK));
}

/* A child leaves two descriptions open for writing (their close events merge) and exits. */
static void exit_steps(struct transcript *t)
{
	int status = -1;
	pid_t pid;

	note(t, "mkdir m3", mkdir(P("m3"), 0755));
	note(t, "mount m3", mount("x", P("m3"), "tmpfs", 0, NULL));
	pid = fork();
	if (pid == 0) {
		open(P("m3/f"), O_CREAT | O_RDWR, 0644);
		open(P("m3/f"), O_RDWR);
		_exit(0);
	}
	note(t, "child exits, files left open", pid < 0 ? -1 : waitpid(pid, &status, 0) == pid && status == 0);
	note(t, "umount m3 after it", umount_retry(P("m3"), 0));
	note(t, "rmdir m3", rmdir(P("m3")));
}

static void bind_steps(struct transcript *t)
{
	struct stat a, b;

	note(t, "mkdir src", mkdir(P("src"), 0755));
	note(t, "mkdir b", mkdir(P("b"), 0755));
	note(t, "creat src/f", fd_result(open(P("src/f"), O_CREAT | O_WRONLY, 0644)));
	note(t, "bind a file onto b", mount(P("src/f"), P("b"), NULL, MS_BIND, NULL));
	note(t, "bind src onto b", mount(P("src"), P("b"), NULL, MS_BIND, NULL));
	note(t, "b/f through the bind", access(P("b/f"), F_OK));
	note(t, "creat b/g", fd_result(open(P("b/g"), O_CREAT | O_WRONLY, 0644)));
	note(t, "src/g is it", stat(P("src/g"), &a) || stat(P("b/g"), &b) ? -1 :
		a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	note(t, "rmdir bind point", rmdir(P("b")));
	note(t, "umount b", umount_retry(P("b"), 0));
	note(t, "bind src onto itself", mount(P("src"), P("src"), NULL, MS_BIND, NULL));
	note(t, "src/f still there", access(P("src/f"), F_OK));
	note(t, "umount the self-bind", umount_retry(P("src"), 0));
	note(t, "umount src again", umount2(P("src"), 0));
	note(t, "b/f gone", access(P("b/f"), F_OK));
	note(t, "unlink src/f", unlink(P("src/f")));
	note(t, "unlink src/g", unlink(P("src/g")));
	note(t, "rmdir src", rmdir(P("src")));
	note(t, "rmdir b", rmdir(P("b")));
}

static void run(struct transcript *t)
{
	struct stat sb, sm;
	struct statfs sf;

	t->n = 0;
	note(t, "mkdir m", mkdir(P("m"), 0755));
	note(t, "mkdir other", mkdir(P("other"), 0755));
	note(t, "mount missing target", mount("x", P("missing"), "tmpfs", 0, NULL));
	note(t, "mount unknown type", mount("x", P("m"), "nosuchfs-ukcov", 0, NULL));
	note(t, "mount bad option", mount("x", P("m"), "tmpfs", 0, "bogus=1"));
	note(t, "mount via a ..-path", mount("x", P("m/../other/../m"), "tmpfs", 0, "mode=0750,size=1m"));
	note(t, "root mode", stat(P("m"), &sm) ? -1 : (long)(sm.st_mode & 07777) == 0750);
	note(t, "own st_dev", stat(base, &sb) ? -1 : sb.st_dev != sm.st_dev);
	note(t, "statfs tmpfs", statfs(P("m"), &sf) ? -1 : sf.f_type == 0x01021994);
	note(t, "statfs blocks", statfs(P("m"), &sf) ? -1 : sf.f_blocks == 256);
	note(t, "mountinfo: id, dev, type", mountinfo_agrees(P("m"), "tmpfs", "rw"));
	note(t, "mkdir m/dir", mkdir(P("m/dir"), 0755));
	note(t, "creat m/file", fd_result(open(P("m/file"), O_CREAT | O_WRONLY, 0644)));
	note(t, "chdir base", chdir(base));
	note(t, "relative m/file", access("m/file", F_OK));
	note(t, "relative m/dir/../file", access("m/dir/../file", F_OK));
	note(t, "chdir /", chdir("/"));
	busy_steps(t);
	rofs_steps(t);
	nested_steps(t);
	bind_steps(t);
	exit_steps(t);
	note(t, "umount m", umount_retry(P("m"), 0));
	note(t, "m/file gone", access(P("m/file"), F_OK));
	note(t, "mountinfo: line gone", mountinfo_agrees(P("m"), "tmpfs", "rw"));
	note(t, "m empty again", rmdir(P("m")));
	note(t, "mkdir m", mkdir(P("m"), 0755));
	note(t, "mount again", mount("x", P("m"), "tmpfs", MS_RDONLY, "nr_inodes=10"));
	note(t, "ro from the start", mkdir(P("m/d"), 0755));
	note(t, "MNT_EXPIRE|MNT_DETACH", umount2(P("m"), MNT_EXPIRE | MNT_DETACH));
	note(t, "MNT_EXPIRE, first", umount2(P("m"), MNT_EXPIRE));
	note(t, "fd into it", fd_result(open(P("m"), O_RDONLY | O_DIRECTORY)));
	note(t, "umount MNT_DETACH", umount_retry(P("m"), MNT_DETACH));
	note(t, "rmdir m", rmdir(P("m")));
	note(t, "rmdir other", rmdir(P("other")));
}

/*
 * get_anon_bdev() takes the lowest free minor, so a mount made after an
 * umount has the unmounted one's device number: in the sandbox, always
 * (its own numbers); on the host only when nothing else took the minor
 * in between (ukcov's own store mounts of another run do), so not
 * compared. 0 when it came back.
 */
static int device_number_back(void)
{
	struct stat a, b;
	int r = mkdir(P("r"), 0755) || mount("x", P("r"), "tmpfs", 0, NULL) || stat(P("r"), &a) ||
		umount_retry(P("r"), 0) || mount("x", P("r"), "tmpfs", 0, NULL) || stat(P("r"), &b);

	if (!r && a.st_dev != b.st_dev)
		printf("ukcov: a mount after an umount has device %#llx, the unmounted one had %#llx\n",
		       (unsigned long long)b.st_dev, (unsigned long long)a.st_dev);
	umount_retry(P("r"), 0);
	rmdir(P("r"));
	return r || a.st_dev != b.st_dev;
}

int main(void)
{
	static struct transcript linux_t, ukcov_t;
	int fails = 0;

	snprintf(base, sizeof(base), "/dev/shm/ukcov-mounts.%d", (int)getpid());
	if (mkdir(base, 0755))
		return perror(base), 1;
	run(&linux_t);
	rmdir(base);
	snprintf(base, sizeof(base), "/mnt/t/mounts");
	if (mkdir(base, 0755))
		return perror(base), 1;
	run(&ukcov_t);
	for (int i = 0; i < linux_t.n || i < ukcov_t.n; i++) {
		const char *l = i < linux_t.n ? linux_t.line[i] : "(none)";
		const char *u = i < ukcov_t.n ? ukcov_t.line[i] : "(none)";

		if (strcmp(l, u)) {
			printf("step %d: Linux: %s\n        ukcov: %s\n", i, l, u);
			fails++;
		}
	}
	fails += device_number_back();
	printf("%d steps, %s\n", linux_t.n, fails ? "FAIL" : "ok");
	return fails != 0;
}
