/*
 * The deputy rule (docs/security.md): a guest gets through ukcov exactly
 * what Linux gives it directly. Run as root, twice by test_deputy.sh:
 * natively with HOST the fixture directory and MNT a directory of /dev/shm,
 * and under `ukcov run --tmpfs=MNT` with HOST a symlink in the mount to the
 * fixture. Each case prints one line; the two transcripts must match.
 *   deputy HOST MNT REAL DEVDIR
 * REAL is the fixture's real path (what a hostile guest plants links to);
 * DEVDIR where device nodes open (MNT through ukcov; /dev/shm is nodev).
 * Identities (each in a child of its own, the supervisor staying root):
 *   nobody   uid/gid 65534, no groups
 *   capless  uid 0 with every capability dropped (bounding set too)
 *   userns   nobody after unshare(CLONE_NEWUSER): full caps in its namespace
 *   usermap  the same with uid/gid 0 mapped to 65534 in the namespace
 *   caplessns capless root after unshare(CLONE_NEWUSER) (mapping root back
 *            needs CAP_SETFCAP: unmapped)
 *   bigmap   nobody after unshare(CLONE_NEWUSER), its maps 21 lines written
 *            by its parent (1000 is 65534, 2000 is 4242)
 * Each tries host files through HOST (read, write, create, lookups), host
 * Unix sockets and a socket bound in MNT (peer credentials as the server
 * sees them), and planting names where the mount's private store would be.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *host, *mnt, *real, *devdir;

static char kmsg[4096];

static const char *res(int r)
{
	static char buf[64];

	if (r >= 0)
		return "ok";
	snprintf(buf, sizeof(buf), "%s", strerrorname_np(errno) ? strerrorname_np(errno) : "E?");
	return buf;
}

static const char *hp(const char *name)
{
	static char buf[4][4096];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", host, name);
	return buf[i];
}

static const char *mp(const char *name)
{
	static char buf[4][4096];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", mnt, name);
	return buf[i];
}

static void try_open(const char *id, const char *what, const char *path, int flags)
{
	int fd = open(path, flags, 0644);
	char data[32] = "";

	printf("%s open %s -> %s", id, what, res(fd));
	if (fd >= 0 && (flags & O_ACCMODE) != O_WRONLY) {
		ssize_t n = read(fd, data, sizeof(data) - 1);

		data[n > 0 ? n : 0] = '\0';
		data[strcspn(data, "\n")] = '\0';
		printf(" read \"%s\"", data);
	}
	if (fd >= 0 && (flags & O_ACCMODE) != O_RDONLY)
		printf(" write %s", res((int)write(fd, "x", 1)));
	printf("\n");
	if (fd >= 0)
		close(fd);
}

/* An O_PATH descriptor reads nothing; ukcov's is read-only instead (README): only what the guest may read. */
static void try_opath(const char *id, const char *what, const char *path)
{
	int fd = open(path, O_PATH);
	char data[8];

	bool readable = fd >= 0 && read(fd, data, sizeof(data)) >= 0;

	printf("%s O_PATH %s readable beyond the guest's rights -> %s\n", id, what,
	       readable && faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) ? "yes" : "no");
	if (fd >= 0)
		close(fd);
}

/* The owner and group the identity is shown (its user namespace's ids). */
static void show_owner(const char *id, const char *what, const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct statx sx;
	struct stat st;

	if (stat(path, &st) || statx(AT_FDCWD, path, 0, STATX_UID | STATX_GID, &sx)) {
		printf("%s owner %s -> %s\n", id, what, res(-1));
	} else {
		printf("%s owner %s -> stat %u:%u statx %u:%u", id, what, st.st_uid, st.st_gid,
		       sx.stx_uid, sx.stx_gid);
		if (fd >= 0 && !fstat(fd, &st))
			printf(" fstat %u:%u", st.st_uid, st.st_gid);
		printf("\n");
	}
	if (fd >= 0)
		close(fd);
}

static void try_files(const char *id)
{
	char name[64];
	struct stat st;

	try_open(id, "dev kmsg O_RDONLY|O_NONBLOCK", kmsg, O_RDONLY | O_NONBLOCK);
	/* The tmpfs core's own checks: a uid 1000 0600 file and a root 0755 directory in the mount. */
	try_open(id, "mount u1000only O_RDONLY", mp("u1000only"), O_RDONLY);
	try_open(id, "mount u1000only O_WRONLY", mp("u1000only"), O_WRONLY);
	snprintf(name, sizeof(name), "rodir/made.%s", id);
	try_open(id, "mount rodir/made O_CREAT", mp(name), O_CREAT | O_WRONLY);
	printf("%s chmod mount u1000only -> %s\n", id, res(chmod(mp("u1000only"), 0666)));
	try_opath(id, "secret", hp("secret"));
	try_opath(id, "pub", hp("pub"));
	try_open(id, "secret O_RDONLY", hp("secret"), O_RDONLY);
	try_open(id, "pub O_WRONLY|O_APPEND", hp("pub"), O_WRONLY | O_APPEND);
	try_open(id, "pub O_RDONLY", hp("pub"), O_RDONLY);
	try_open(id, "u1000 O_RDWR", hp("u1000"), O_RDWR);
	try_open(id, "private/x O_RDONLY", hp("private/x"), O_RDONLY);
	snprintf(name, sizeof(name), "made.%s", id);
	try_open(id, "made O_CREAT|O_EXCL", hp(name), O_CREAT | O_EXCL | O_WRONLY);
	snprintf(name, sizeof(name), "ro/made.%s", id);
	try_open(id, "ro/made O_CREAT", hp(name), O_CREAT | O_WRONLY);
	printf("%s stat private/x -> %s\n", id, res(stat(hp("private/x"), &st)));
	printf("%s access secret R_OK -> %s\n", id, res(access(hp("secret"), R_OK)));
	printf("%s faccessat secret R_OK AT_EACCESS -> %s\n", id,
	       res(faccessat(AT_FDCWD, hp("secret"), R_OK, AT_EACCESS)));
	printf("%s faccessat u1000 W_OK AT_EACCESS -> %s\n", id,
	       res(faccessat(AT_FDCWD, hp("u1000"), W_OK, AT_EACCESS)));
	snprintf(name, sizeof(name), "ro/dir.%s", id);
	printf("%s mkdir ro/dir -> %s\n", id, res(mkdir(hp(name), 0755)));
	printf("%s chmod u1000 -> %s\n", id, res(chmod(hp("u1000"), 0666)));
	/* In a user namespace the ids are its own (EINVAL unmapped) */
	printf("%s chown pub -> %s\n", id, res(chown(hp("pub"), 65534, 65534)));
	/* Owners as the identity's user namespace maps them (65534 unmapped). */
	show_owner(id, "host secret", hp("secret"));
	show_owner(id, "host u1000", hp("u1000"));
	show_owner(id, "mount u1000only", mp("u1000only"));
	show_owner(id, "mount d", mp("d"));
	show_owner(id, "mount n65534", mp("n65534"));
	printf("%s truncate secret -> %s\n", id, res(truncate(hp("secret"), 0)));
	printf("%s unlink sticky/u1000 -> %s\n", id, res(unlink(hp("sticky/u1000"))));
	printf("%s symlink ro/l -> %s\n", id, res(symlink("x", hp("ro/l"))));
	/* rename on the host and chdir to it answer EXDEV through a mount (README): not here */
}

/* The peer credentials a server sees for a connection from this process. */
static void try_stream(const char *id, const char *what, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), r;
	char line[128] = "";
	pid_t me = getpid();

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	r = connect(s, (struct sockaddr *)&sun, sizeof(sun));
	printf("%s connect %s -> %s", id, what, res(r));
	if (!r && write(s, &me, sizeof(me)) == sizeof(me)) {
		ssize_t n = read(s, line, sizeof(line) - 1);

		line[n > 0 ? n : 0] = '\0';
		printf(" peer %s", line);
	}
	printf("\n");
	close(s);
}

static void try_dgram(const char *id, const char *what, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	pid_t me = getpid();
	char line[128] = "";
	ssize_t r;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	/* The reply comes to an autobound (abstract) name. */
	r = bind(s, (struct sockaddr *)&(struct sockaddr_un){ .sun_family = AF_UNIX },
		 sizeof(sa_family_t));
	if (!r)
		r = sendto(s, &me, sizeof(me), 0, (struct sockaddr *)&sun, sizeof(sun));
	printf("%s sendto %s -> %s", id, what, res((int)r));
	if (r >= 0) {
		ssize_t n = recv(s, line, sizeof(line) - 1, 0);

		line[n > 0 ? n : 0] = '\0';
		printf(" peer %s", line);
	}
	printf("\n");
	close(s);
}

/* Hostile: names planted where a tmpfs directory's parent leads (the store's root, once). */
static void try_plant(const char *id)
{
	char path[4096], proc[128], data[32], fname[64];
	int dfd = open(mp("d"), O_RDONLY | O_DIRECTORY), good = 0, planted = 0;
	pid_t holder;
	struct stat st;

	snprintf(fname, sizeof(fname), "f.%s", id);
	if (dfd < 0 || stat(mp(fname), &st)) {
		printf("%s plant: setup %s\n", id, res(-1));
		return;
	}
	/* A sibling process's fd: not the caller's own /proc/self. */
	holder = fork();
	if (holder == 0) {
		pause();
		_exit(0);
	}
	for (int k = 0; k <= 40; k++) {
		snprintf(proc, sizeof(proc), "/proc/%d/fd/%d/../%llu.%d", holder, dfd,
			 (unsigned long long)st.st_ino, k);
		snprintf(path, sizeof(path), "%s/u1000", real);
		planted += !symlink(path, proc);
		snprintf(proc, sizeof(proc), "/proc/%d/fd/%d/../%llu.d", holder, dfd,
			 (unsigned long long)st.st_ino + 1);
		snprintf(path, sizeof(path), "%s/private", real);
		planted += !symlink(path, proc);
	}
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	/*
	 * Openers of f (each process a credential of its own), all open at
	 * once, past the 16 the store tags: each must read f, never u1000.
	 */
	pid_t kids[40];

	for (int k = 0; k < 40; k++) {
		int p[2];

		kids[k] = -1;
		if (pipe(p))
			break;
		kids[k] = fork();
		if (kids[k] == 0) {
			int fd = open(mp(fname), O_RDWR);
			ssize_t n = fd < 0 ? -1 : read(fd, data, sizeof(data) - 1);

			(void)!write(p[1], n > 0 && !strncmp(data, "mine", 4) ? "y" : "n", 1);
			pause();
			_exit(0);
		}
		close(p[1]);
		if (read(p[0], data, 1) == 1 && data[0] == 'y')
			good++;
		close(p[0]);
	}
	for (int k = 0; k < 40; k++) {
		if (kids[k] > 0) {
			kill(kids[k], SIGKILL);
			waitpid(kids[k], NULL, 0);
		}
	}
	snprintf(path, sizeof(path), "%s", mp("d/sub"));
	printf("%s plant: 40 openers read the file itself: %d; mkdir in the mount %s\n", id, good,
	       res(mkdir(path, 0755)));
	(void)planted; /* where the symlinks land differs (natively: the directory itself) */
	rmdir(path);
	close(dfd);
}

/*
 * Hostile: a description ukcov did not make (a sibling's fd reopened by its
 * /proc link) opened and closed while ukcov's own stays open. The file must
 * stay the mount's: its size as fstat and stat see it after a write.
 */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p ? (pid_t)strtol(p + 4, NULL, 10) : 0;
}

/* Opens and closes every fd of process pid through /proc (never waiting: O_NONBLOCK). */
static void reopen_all(pid_t pid)
{
	char path[64];

	for (int n = 0; n < 256; n++) {
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, n);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
		if (fd >= 0)
			close(fd);
	}
}

static void try_foreign_close(const char *id)
{
	char fname[64], proc[128];
	int fd, p[2];
	pid_t holder;
	struct stat a, b;

	snprintf(fname, sizeof(fname), "g.%s", id);
	fd = open(mp(fname), O_RDWR);
	if (fd < 0 || pipe(p)) {
		printf("%s foreign close: setup %s\n", id, res(-1));
		return;
	}
	holder = fork();
	if (holder == 0) {
		(void)!write(p[1], "r", 1);
		pause();
		_exit(0);
	}
	(void)!read(p[0], proc, 1);
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", holder, fd);
	int other = open(proc, O_RDONLY);

	if (other >= 0)
		close(other);
	/* The release runs between syscalls: a few more calls let it. */
	for (int i = 0; i < 3; i++)
		(void)!getppid();
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	(void)!write(fd, "0123456789", 10);
	printf("%s foreign close: fstat %lld stat %lld\n", id,
	       fstat(fd, &a) ? -1LL : (long long)a.st_size,
	       stat(mp(fname), &b) ? -1LL : (long long)b.st_size);
	/* Every description the ancestors hold (the supervisor's own, through ukcov). */
	for (pid_t anc = getppid(), i = 0; anc > 1 && i < 4; anc = parent_of(anc), i++)
		reopen_all(anc);
	for (int i = 0; i < 3; i++)
		(void)!getppid();
	(void)!write(fd, "0123456789", 10);
	printf("%s foreign close of ancestors' fds: fstat %lld stat %lld\n", id,
	       fstat(fd, &a) ? -1LL : (long long)a.st_size,
	       stat(mp(fname), &b) ? -1LL : (long long)b.st_size);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static int capset_none(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 };

	for (int c = 0; c <= 63; c++)
		prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	return (int)syscall(SYS_capset, &h, d);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), r;

	if (fd < 0)
		return -1;
	r = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
	close(fd);
	return r;
}

/* bigmap: its parent, root in the host's namespace, writes its maps (more than one line needs CAP_SETUID there). */
static int sync_up[2], sync_down[2];

static int wait_for_maps(void)
{
	char c = 0;

	if (write(sync_up[1], "u", 1) != 1 || read(sync_down[0], &c, 1) != 1 || c != 'k')
		return -1;
	return 0;
}

/*
 * 21 extents (Linux reads up to 340; ukcov read 8), which /proc shows
 * sorted by the namespace's ids: 0..18 are ids nobody uses, 1000 is 65534
 * (the guest itself: its files) in the 20th, 2000 is 4242 (n4242's owner)
 * in the 21st. The host's 1000 stays unmapped: on host files ukcov lends no
 * capability.
 */
static int write_maps(pid_t pid)
{
	char map[1024], path[64];
	size_t n = 0;

	for (unsigned i = 0; i < 21; i++) {
		unsigned first = i, lower = 300000 + i;

		if (i == 19)
			first = 1000, lower = 65534;
		if (i == 20)
			first = 2000, lower = 4242;
		n += (size_t)snprintf(map + n, sizeof(map) - n, "%u %u 1\n", first, lower);
	}
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	if (write_file(path, map))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	return write_file(path, map);
}

static int become(const char *id)
{
	bool nobody = strncmp(id, "capless", 7);

	/* root keeps every capability: only what root gets natively */
	if (!strcmp(id, "root"))
		return 0;
	if (nobody && (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		       setresuid(65534, 65534, 65534)))
		return -1;
	/* A set-id change makes the process undumpable: its /proc files root's. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -1;
	if (!nobody && (setgroups(0, NULL) || capset_none()))
		return -1;
	if (!strcmp(id, "capless") || !strcmp(id, "nobody"))
		return 0;
	if (unshare(CLONE_NEWUSER))
		return -1;
	if (!strcmp(id, "userns") || !strcmp(id, "caplessns"))
		return 0;
	if (!strcmp(id, "bigmap"))
		return wait_for_maps();
	if (write_file("/proc/self/setgroups", "deny"))
		return fprintf(stderr, "%s: setgroups: %s\n", id, strerror(errno)), -1;
	if (write_file("/proc/self/uid_map", "0 65534 1"))
		return fprintf(stderr, "%s: uid_map: %s\n", id, strerror(errno)), -1;
	if (write_file("/proc/self/gid_map", "0 65534 1"))
		return fprintf(stderr, "%s: gid_map: %s\n", id, strerror(errno)), -1;
	return 0;
}

/* A file's mode and owner (as shown) after a change, on one line. */
static void show_change(const char *id, const char *what, const char *path, int r)
{
	struct stat st;

	printf("%s %s -> %s", id, what, res(r));
	if (!lstat(path, &st))
		printf(" now 0%o %u:%u", st.st_mode & 07777, st.st_uid, st.st_gid);
	printf("\n");
}

/*
 * Ids a guest passes are its user namespace's (chown_common(): EINVAL for
 * one it does not map, after the lookup's errors and EROFS), and the
 * capabilities it holds there count on inodes whose owner and group it maps
 * (capable_wrt_inode_uidgid()): on a file it made (mount and host) and on
 * ones it does not own.
 */
static void try_ns_ids(const char *id)
{
	char m[4096], h[4096], name[64];
	int fd;

	snprintf(m, sizeof(m), "%s/own.%s", mp("d"), id);
	snprintf(name, sizeof(name), "open/own.%s", id);
	snprintf(h, sizeof(h), "%s", hp(name));
	/* bigmap maps ids its caps would count for on host files: no host part (docs/security.md) */
	for (int i = 0; i < (strcmp(id, "bigmap") ? 2 : 1); i++) {
		const char *f = i ? h : m, *w = i ? "host own" : "mount own";
		char what[64];

		fd = open(f, O_CREAT | O_EXCL | O_WRONLY, 0640);
		printf("%s create %s -> %s\n", id, w, res(fd));
		if (fd >= 0)
			close(fd);
		snprintf(what, sizeof(what), "chmod %s 06750", w);
		show_change(id, what, f, chmod(f, 06750));
		snprintf(what, sizeof(what), "chown %s 0:0", w);
		show_change(id, what, f, chown(f, 0, 0));
		snprintf(what, sizeof(what), "chown %s 1000:-1", w);
		show_change(id, what, f, chown(f, 1000, -1));
		snprintf(what, sizeof(what), "lchown %s -1:1000", w);
		show_change(id, what, f, lchown(f, -1, 1000));
		snprintf(what, sizeof(what), "fchownat %s -1:-1", w);
		show_change(id, what, f, fchownat(AT_FDCWD, f, -1, -1, 0));
		fd = open(f, O_RDONLY);
		snprintf(what, sizeof(what), "fchown %s 0:-1", w);
		show_change(id, what, f, fd < 0 ? fd : fchown(fd, 0, -1));
		if (fd >= 0)
			close(fd);
		snprintf(what, sizeof(what), "chmod %s 0", w);
		show_change(id, what, f, chmod(f, 0));
		if (i)
			continue; /* a host file: ukcov lends no capability there (docs/security.md) */
		fd = open(f, O_RDWR);
		printf("%s open %s 0000 O_RDWR -> %s\n", id, w, res(fd));
		if (fd >= 0)
			close(fd);
	}
	show_change(id, "chown mount n65534 0:0", mp("n65534"), chown(mp("n65534"), 0, 0));
	show_change(id, "chown mount n4242 -1:0", mp("n4242"), chown(mp("n4242"), -1, 0));
	show_change(id, "chmod mount n4242 0606", mp("n4242"), chmod(mp("n4242"), 0606));
	show_change(id, "chown mount u1000only 0:-1", mp("u1000only"), chown(mp("u1000only"), 0, -1));
	show_change(id, "chown mount u1000only 1000:-1", mp("u1000only"), chown(mp("u1000only"), 1000, -1));
	show_change(id, "chown mount missing 1000:1000", mp("missing"), chown(mp("missing"), 1000, 1000));
	show_change(id, "chown host missing 1000:1000", hp("missing"), chown(hp("missing"), 1000, 1000));
	show_change(id, "chown host private/x 4242:-1", hp("private/x"), chown(hp("private/x"), 4242, -1));
	show_change(id, "chmod mount rodir", mp("rodir"), chmod(mp("rodir"), 0777));
}

static void as(const char *id)
{
	pid_t pid;

	fflush(stdout);
	if (pipe(sync_up) || pipe(sync_down))
		return;
	pid = fork();
	if (pid > 0 && !strcmp(id, "bigmap")) {
		char c;

		close(sync_up[1]); /* a child that dies early: EOF */
		if (read(sync_up[0], &c, 1) != 1 || write_maps(pid))
			fprintf(stderr, "bigmap: maps: %s\n", strerror(errno));
		else if (write(sync_down[1], "k", 1) != 1)
			perror("bigmap");
	}
	if (pid != 0)
		close(sync_up[0]), close(sync_up[1]), close(sync_down[0]), close(sync_down[1]);
	if (pid == 0) {
		if (become(id)) {
			printf("%s: cannot take the identity (%s)\n", id, strerror(errno));
			_exit(1);
		}
		try_files(id);
		try_stream(id, "host srv.sock", hp("srv.sock"));
		try_stream(id, "host priv.sock", hp("priv.sock"));
		try_dgram(id, "host dg.sock", hp("dg.sock"));
		try_stream(id, "mount in.sock", mp("in.sock"));
		try_stream(id, "mount inpriv.sock", mp("inpriv.sock"));
		try_dgram(id, "mount indg.sock", mp("indg.sock"));
		try_plant(id);
		try_foreign_close(id);
		try_ns_ids(id); /* last: root changes the mount's files */
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

/*
 * The servers, root with every capability: each answers with the peer's
 * uid and gid, and whether its pid is the one the client says it has.
 */
static void reply(int s, const struct ucred *uc, pid_t said, const struct sockaddr_un *to,
		  socklen_t tolen)
{
	char line[96];
	/* A stream's SO_PEERCRED and a datagram's SCM_CREDENTIALS alike: the guest's own. */
	int n = snprintf(line, sizeof(line), "uid %u gid %u pid %s", uc->uid, uc->gid,
			 uc->pid == said ? "same" : "other");

	sendto(s, line, (size_t)n, 0, (const struct sockaddr *)to, tolen);
}

static void stream_server(int ls)
{
	for (;;) {
		int s = accept(ls, NULL, NULL);
		struct ucred uc;
		socklen_t l = sizeof(uc);
		pid_t said = 0;

		if (s < 0)
			continue;
		if (read(s, &said, sizeof(said)) == sizeof(said) &&
		    !getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &l))
			reply(s, &uc, said, NULL, 0);
		close(s);
	}
}

static void dgram_server(int s)
{
	for (;;) {
		char cbuf[CMSG_SPACE(sizeof(struct ucred))];
		struct sockaddr_un from;
		pid_t said = 0;
		struct iovec iov = { &said, sizeof(said) };
		struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
				    .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm;

		if (recvmsg(s, &m, 0) < 0)
			continue;
		cm = CMSG_FIRSTHDR(&m);
		if (cm && cm->cmsg_type == SCM_CREDENTIALS)
			reply(s, (struct ucred *)CMSG_DATA(cm), said, &from, m.msg_namelen);
	}
}

static pid_t serve(const char *path, int type, mode_t mode)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, type, 0);
	pid_t pid;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	unlink(path);
	/*
	 * SO_PASSCRED before any client may send: a datagram sent while the
	 * receiver has it off carries no credentials (unix_maybe_add_creds()),
	 * and recvmsg() then shows pid 0 and the overflow ids.
	 */
	if (s < 0 || bind(s, (struct sockaddr *)&sun, sizeof(sun)) || chmod(path, mode) ||
	    (type == SOCK_STREAM && listen(s, 16)) ||
	    (type == SOCK_DGRAM && setsockopt(s, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int)))) {
		fprintf(stderr, "server %s: %s\n", path, strerror(errno));
		exit(2);
	}
	pid = fork();
	if (pid == 0) {
		(type == SOCK_STREAM ? stream_server : dgram_server)(s);
		_exit(0);
	}
	close(s);
	return pid;
}

int main(int argc, char **argv)
{
	static const char *const ids[] = { "nobody", "capless", "userns", "usermap", "caplessns",
					   "bigmap", "root" };
	pid_t servers[6];
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: deputy HOST MNT REAL DEVDIR\n");
		return 2;
	}
	host = argv[1];
	mnt = argv[2];
	real = argv[3];
	devdir = argv[4];
	/* /dev/kmsg's number: its driver checks CAP_SYSLOG (dmesg_restrict) at open. */
	snprintf(kmsg, sizeof(kmsg), "%s/kmsg", devdir);
	unlink(kmsg);
	if (mknod(kmsg, S_IFCHR | 0666, makedev(1, 11)) || chmod(kmsg, 0666)) {
		perror("mknod kmsg");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	if (mkdir(mp("d"), 0777) || chmod(mp("d"), 0777) || mkdir(mp("rodir"), 0755) ||
	    (fd = open(mp("u1000only"), O_CREAT | O_WRONLY, 0600)) < 0 ||
	    fchown(fd, 1000, 1000) || write(fd, "1000's\n", 7) != 7 || close(fd) ||
	    (fd = open(mp("n65534"), O_CREAT | O_WRONLY, 0644)) < 0 || fchown(fd, 65534, 65534) ||
	    close(fd) || (fd = open(mp("n4242"), O_CREAT | O_WRONLY, 0600)) < 0 ||
	    fchown(fd, 4242, 4242) || close(fd)) {
		perror("mount fixture");
		return 2;
	}
	/* A file per identity: its store names are new when the identity plants them. */
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "f.%s", ids[i]);
		if ((fd = open(mp(name), O_CREAT | O_WRONLY, 0666)) < 0 || fchmod(fd, 0666) ||
		    write(fd, "mine\n", 5) != 5 || close(fd)) {
			perror("mount fixture");
			return 2;
		}
		snprintf(name, sizeof(name), "g.%s", ids[i]);
		if ((fd = open(mp(name), O_CREAT | O_WRONLY, 0666)) < 0 || fchmod(fd, 0666) || close(fd)) {
			perror("mount fixture");
			return 2;
		}
	}
	servers[0] = serve(hp("srv.sock"), SOCK_STREAM, 0777);
	servers[1] = serve(hp("priv.sock"), SOCK_STREAM, 0700);
	servers[2] = serve(hp("dg.sock"), SOCK_DGRAM, 0777);
	servers[3] = serve(mp("in.sock"), SOCK_STREAM, 0777);
	servers[4] = serve(mp("indg.sock"), SOCK_DGRAM, 0777);
	servers[5] = serve(mp("inpriv.sock"), SOCK_STREAM, 0700);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		as(ids[i]);
	for (int i = 0; i < 6; i++) {
		kill(servers[i], SIGKILL);
		waitpid(servers[i], NULL, 0);
	}
	return 0;
}
