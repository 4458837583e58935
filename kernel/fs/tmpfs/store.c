/* ukcov tmpfs: the host objects behind a mount's files (its "store").
 *
 * A regular file's data and a directory's open descriptions are host
 * objects, so that the guest's descriptions can be host descriptions of
 * them (fs/tmpfs_kfile.c): the host kernel then maps and locks them with
 * Linux's own code.  Where they live:
 *
 *   - a private host tmpfs per mount (fsopen("tmpfs") + fsconfig(size=,
 *     huge=never) + fsmount()), never attached anywhere, so nothing
 *     propagates to the host's mount table and the mount dies with its
 *     last fd.  Its size is the mount's size=, so a page first written
 *     through a shared mapping is refused there exactly as on Linux's
 *     tmpfs (SIGBUS), and a write stops at the page the host refuses
 *     (generic_perform_write() is the host's).  Pages ukcov charges that
 *     are no file data (a long symlink's) are held in the same mount, in
 *     one "ballast" file (fallocate one page each, given back by shrinking
 *     it), so the host's free count is always the mount's.  Data files are
 *     O_TMPFILE files of it, directories' host objects are directories
 *     named after their inode while it lives (opened by that name).  A
 *     description of an opener past the F_GETSIG tag's 16 is opened by a
 *     name of the data file that says who opened it (see desc_name()), so
 *     its own path is its tag, for any number of openers;
 *   - without CAP_SYS_ADMIN (fsopen: EPERM), or when the caller asks
 *     (opts->no_private_store), data files are memfds, accounted by ukcov
 *     alone (regfile.c), directories are made and removed at once in
 *     $TMPDIR (an open, removed directory still locks and reopens through
 *     /proc/self/fd), and a description's tag is its F_GETSIG
 *     (fs/tmpfs_kfile.c: 16 openers at most).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tmpfs_int.h"

static int fsconfig_str(int fs, const char *key, const char *val)
{
	return (int)syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, key, val, 0);
}

int tmpfs_host_mkdtemp(char *buf, size_t len, const char *prefix)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp && tmp[0] == '/' && (size_t)snprintf(buf, len, "%s/%s-XXXXXX", tmp, prefix) < len &&
	    mkdtemp(buf))
		return 0;
	if ((size_t)snprintf(buf, len, "/tmp/%s-XXXXXX", prefix) >= len)
		return -ENAMETOOLONG;
	return mkdtemp(buf) ? 0 : -errno;
}

int tmpfs_host_private_mount(uint64_t bytes)
{
	int fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC), mnt = -1;
	char size[32];

	if (fs < 0)
		return -errno;
	snprintf(size, sizeof(size), "%" PRIu64, bytes);
	/*
	 * nr_inodes=0: ukcov counts inodes itself (max_inodes).  mode 0700,
	 * owned by the supervisor's fsuid (the deputy rule, docs/security.md):
	 * the mount is reachable through our fds only, never by a path, but a
	 * guest's description of a directory is one of its directories, and
	 * ".." of that is the root.  huge=
	 * is refused without CONFIG_TRANSPARENT_HUGEPAGE, where there are
	 * no huge pages to refuse.
	 */
	fsconfig_str(fs, "huge", "never");
	if (!fsconfig_str(fs, "size", size) && !fsconfig_str(fs, "nr_inodes", "0") &&
	    !fsconfig_str(fs, "mode", "0700") &&
	    !syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		mnt = -errno;
	close(fs);
	return mnt;
}

/*
 * Whether data files can be mode 0000 (docs/security.md): a description of
 * one that ukcov did not make (a guest's reopen of a sibling's
 * /proc/PID/fd/N) would be counted as ukcov's when it closes. Mode 0000
 * refuses it to everyone without CAP_DAC_OVERRIDE; ukcov's own reopens
 * through /proc/self/fd need that capability then (an unprivileged
 * supervisor keeps memfds' 0777: its guests are its own user anyway).
 */
static int data_lockable(void)
{
	int fd = memfd_create("ukcov-probe", MFD_CLOEXEC), again = -1;
	char proc[64];

	if (fd < 0)
		return 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (!fchmod(fd, 0))
		again = open(proc, O_RDWR | O_CLOEXEC);
	if (again >= 0)
		close(again);
	close(fd);
	return again >= 0;
}

int tmpfs_store_resize(struct tmpfs_mount *m)
{
	char size[32];
	int fs, err = 0;

	if (m->store_fd < 0)
		return 0;
	fs = (int)syscall(SYS_fspick, m->store_fd, "", FSPICK_EMPTY_PATH | FSPICK_CLOEXEC);
	if (fs < 0)
		return -errno;
	snprintf(size, sizeof(size), "%" PRIu64, m->unlimited_pages ? 0 : m->max_pages << TMPFS_PAGE_SHIFT);
	if (fsconfig_str(fs, "size", size) ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0))
		err = -errno;
	close(fs);
	return err;
}

void tmpfs_store_init(struct tmpfs_mount *m, int private)
{
	int mnt = private ? tmpfs_host_private_mount(m->unlimited_pages ? 0 : m->max_pages << TMPFS_PAGE_SHIFT) : -EPERM;
	struct stat st;

	m->store_fd = m->ballast_fd = m->watch_root = -1;
	m->data_locked = data_lockable();
	if (mnt < 0)
		return;
	if (fstat(mnt, &st)) {
		close(mnt);
		return;
	}
	m->store_uid = st.st_uid;
	m->ballast_fd = openat(mnt, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (m->ballast_fd < 0) {
		close(mnt);
		return;
	}
	m->store_fd = mnt;
	/*
	 * Made now rather than by the first watch, so that the first guest call
	 * that watches takes the same path as the next: a kcov client (a
	 * fuzzer replaying an input) would see a one-time path in it.
	 */
	tmpfs_store_watch_root(m);
}

void tmpfs_store_fini(struct tmpfs_mount *m)
{
	if (m->watch_root >= 0)
		close(m->watch_root);
	m->watch_root = -1;
	if (m->ballast_fd >= 0)
		close(m->ballast_fd);
	if (m->store_fd >= 0)
		close(m->store_fd);
	m->store_fd = m->ballast_fd = -1;
}

/*
 * The store is used as its owner: the embedder's thread may wear another
 * fsuid (a test's process after setfsuid(); the supervisor never does
 * while it calls the core). Returns the fsuid to give back.
 */
static uint32_t store_enter(const struct tmpfs_mount *m)
{
	uint32_t was = (uint32_t)syscall(SYS_setfsuid, -1);

	if (was != m->store_uid)
		syscall(SYS_setfsuid, m->store_uid);
	return was;
}

static void store_leave(const struct tmpfs_mount *m, uint32_t was)
{
	int saved = errno;

	if (was != m->store_uid)
		syscall(SYS_setfsuid, was);
	errno = saved;
}

/*
 * Opens the store's name @name as the file @want and nothing else: beneath
 * the store's root, no symlink followed, O_NONBLOCK until it is known to be
 * @want (a planted fifo cannot block it), then compared. Returns the fd,
 * -ESTALE when @name is not @want (planted or stale: the caller replaces
 * it), or -errno.
 */
static int store_open_as(struct tmpfs_mount *m, const char *name, int flags, const struct stat *want)
{
	/* RESOLVE_NO_SYMLINKS covers the last component: no O_NOFOLLOW for F_GETFL to show */
	struct open_how how = { .flags = (uint64_t)(unsigned int)(flags | O_NONBLOCK | O_CLOEXEC),
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
					   RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
	struct stat st;
	int fd;

	for (int tries = 0; tries < 2; tries++) {
		fd = (int)syscall(SYS_openat2, m->store_fd, name, &how, sizeof(how));
		if (fd < 0 && errno == ENOSYS) /* before 5.6: one component, so O_NOFOLLOW is all of it */
			fd = openat(m->store_fd, name, (int)how.flags | O_NOFOLLOW);
		/* shmem takes O_DIRECT since Linux 6.6; before, the description goes without it */
		if (fd >= 0 || errno != EINVAL || !(how.flags & O_DIRECT))
			break;
		how.flags &= ~(uint64_t)O_DIRECT;
	}
	if (fd < 0)
		return errno == ELOOP ? -ESTALE : errno == EMFILE || errno == ENFILE ? -ENFILE : -errno;
	if (fstat(fd, &st) || st.st_dev != want->st_dev || st.st_ino != want->st_ino) {
		close(fd);
		return -ESTALE;
	}
	if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, (int)how.flags & ~O_NONBLOCK)) {
		close(fd);
		return -EIO;
	}
	return fd;
}

/* A name in the store that is not what ukcov put there goes, whatever it is. */
static void store_unplant(struct tmpfs_mount *m, const char *name)
{
	if (unlinkat(m->store_fd, name, 0) && errno == EISDIR)
		unlinkat(m->store_fd, name, AT_REMOVEDIR);
}

int tmpfs_store_private(const struct tmpfs_mount *m)
{
	return m->store_fd >= 0;
}

int tmpfs_mount_private_store(const struct tmpfs_mount *m)
{
	return tmpfs_store_private(m);
}

/* A new, empty data file: its fd, or -ENOMEM (what a failed shmem allocation says). */
int tmpfs_store_file(struct tmpfs_mount *m)
{
	int fd;

	if (tmpfs_should_fail())
		return -ENOMEM;
	if (m->store_fd >= 0) {
		uint32_t was = store_enter(m);

		fd = openat(m->store_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0);
		store_leave(m, was);
	} else {
		fd = memfd_create("ukcov-tmpfs-data", MFD_CLOEXEC);
		if (fd >= 0 && m->data_locked && fchmod(fd, 0)) {
			close(fd);
			fd = -1;
		}
	}
	return fd < 0 ? -ENOMEM : fd;
}

/*
 * "w": made 0700 with the store (or, failing that, the first watch), opened beneath the store's root
 * without following anything. Without a private store there is none
 * (-EOPNOTSUPP): shadows would live in $TMPDIR, which a guest may reach.
 */
int tmpfs_store_watch_root(struct tmpfs_mount *m)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
					   RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
	uint32_t was;
	int fd;

	if (m->watch_root >= 0)
		return m->watch_root;
	if (m->store_fd < 0)
		return -EOPNOTSUPP;
	was = store_enter(m);
	fd = mkdirat(m->store_fd, "w", 0700);
	if (fd && errno == EEXIST) {
		store_unplant(m, "w");
		fd = mkdirat(m->store_fd, "w", 0700);
	}
	if (!fd)
		fd = (int)syscall(SYS_openat2, m->store_fd, "w", &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		fd = openat(m->store_fd, "w", (int)how.flags);
	store_leave(m, was);
	if (fd < 0)
		return -ENOMEM;
	m->watch_root = fd;
	return fd;
}

static void dir_name(uint64_t ino, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".d", ino);
}

/*
 * A new host directory for directory @ino: its fd (O_RDONLY), or -ENOMEM.
 * In the store it is named after the inode ("INO.d") until
 * tmpfs_store_dir_free(), and descriptions open it by that name, with
 * O_NOFOLLOW when asked; in $TMPDIR it is removed at once (nothing to
 * clean up, ever) and reopened through /proc/self/fd.
 */
int tmpfs_store_dir(struct tmpfs_mount *m, uint64_t ino)
{
	char path[4096];
	int fd;

	if (m->store_fd >= 0) {
		struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
					.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
						   RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
		uint32_t was = store_enter(m);

		dir_name(ino, path, sizeof(path));
		/* mkdir is exclusive: a name already there is no directory of ours */
		fd = mkdirat(m->store_fd, path, 0700);
		if (fd && errno == EEXIST) {
			store_unplant(m, path);
			fd = mkdirat(m->store_fd, path, 0700);
		}
		if (!fd)
			fd = (int)syscall(SYS_openat2, m->store_fd, path, &how, sizeof(how));
		if (fd < 0 && errno == ENOSYS)
			fd = openat(m->store_fd, path, (int)how.flags);
		store_leave(m, was);
		return fd < 0 ? -ENOMEM : fd;
	}
	if (tmpfs_host_mkdtemp(path, sizeof(path), "ukcov-dir"))
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rmdir(path);
	return fd < 0 ? -ENOMEM : fd;
}

int tmpfs_store_dir_open(struct tmpfs_mount *m, uint64_t ino, int hostfd, int flags,
			 const struct stat *host)
{
	char name[32];
	struct stat want;
	uint32_t was;
	int fd;

	if (host)
		want = *host;
	else if (fstat(hostfd, &want))
		return -errno;
	dir_name(ino, name, sizeof(name));
	was = store_enter(m);
	fd = store_open_as(m, name, flags, &want);
	store_leave(m, was);
	/* The name was replaced: the directory we hold is the one opened, never a stranger. */
	return fd == -ESTALE ? -ENOMEM : fd;
}

void tmpfs_store_dir_free(struct tmpfs_mount *m, uint64_t ino)
{
	char name[32];
	uint32_t was;

	if (m->store_fd < 0)
		return;
	dir_name(ino, name, sizeof(name));
	was = store_enter(m);
	unlinkat(m->store_fd, name, AT_REMOVEDIR);
	store_leave(m, was);
}

/*
 * Names of a data file in the store, one per opener a description of it
 * was opened by and variant (TMPFS_DESC_*): "INO.OPENER[t][n]".  A
 * description opened by such a name carries it as its own path, which
 * readlink of /proc/self/fd/N gives back (tmpfs_desc_parse()).
 */
static void desc_name(uint64_t ino, int opener, int variant, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 ".%d%s%s", ino, opener, variant & TMPFS_DESC_TMPFILE ? "t" : "",
		 variant & TMPFS_DESC_NOFOLLOW ? "n" : "");
}

/* The store's name @name for the data file @datafd (kept if it is there): 0 or -errno. */
static int desc_link(struct tmpfs_mount *m, const char *name, int datafd)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", datafd);
	/* an O_TMPFILE file without O_EXCL may be given names (I_LINKABLE) */
	if (linkat(AT_FDCWD, proc, m->store_fd, name, AT_SYMLINK_FOLLOW) && errno != EEXIST)
		return errno == EMFILE || errno == ENFILE ? -ENFILE : -ENOMEM;
	return 0;
}

int tmpfs_store_desc_open(struct tmpfs_mount *m, uint64_t ino, int datafd, int opener,
			  int variant, int flags, const struct stat *host)
{
	char name[48];
	struct stat want;
	uint32_t was;
	int fd = -ESTALE, err;

	if (host)
		want = *host;
	else if (fstat(datafd, &want))
		return -errno;
	desc_name(ino, opener, variant, name, sizeof(name));
	was = store_enter(m);
	/*
	 * The name stays from an earlier open by the same opener; anything
	 * else under it (planted, or left by a dead inode) is removed and the
	 * name made again, once.
	 */
	for (int tries = 0; fd == -ESTALE && tries < 2; tries++) {
		if (tries)
			store_unplant(m, name);
		if ((err = desc_link(m, name, datafd))) {
			fd = err;
			break;
		}
		fd = store_open_as(m, name, flags, &want);
	}
	store_leave(m, was);
	return fd == -ESTALE ? -ENOMEM : fd;
}

int tmpfs_store_desc_link(struct tmpfs_mount *m, uint64_t ino, int datafd, int opener, int variant)
{
	char name[48];
	uint32_t was;
	int r;

	desc_name(ino, opener, variant, name, sizeof(name));
	was = store_enter(m);
	r = desc_link(m, name, datafd);
	store_leave(m, was);
	return r;
}

/* @variants: a bit per TMPFS_DESC_* combination that was given names */
void tmpfs_store_desc_unlink(struct tmpfs_mount *m, uint64_t ino, int openers, int variants)
{
	char name[48];

	uint32_t was;

	if (m->store_fd < 0)
		return;
	was = store_enter(m);
	for (int k = 1; k <= openers; k++) {
		for (int v = 0; v < 4; v++) {
			if (!(variants & (1 << v)))
				continue;
			desc_name(ino, k, v, name, sizeof(name));
			unlinkat(m->store_fd, name, 0);
		}
	}
	store_leave(m, was);
}

int tmpfs_desc_parse(const char *link, int *opener, int *variant)
{
	char *end;
	long k;

	*opener = *variant = 0;
	if (link[0] != '/' || !(link = strchr(link, '.')))
		return -EINVAL;
	k = strtol(link + 1, &end, 10);
	if (end == link + 1 || k < 1 || k > INT32_MAX)
		return -EINVAL;
	*opener = (int)k;
	if (*end == 't')
		*variant |= TMPFS_DESC_TMPFILE, end++;
	if (*end == 'n')
		*variant |= TMPFS_DESC_NOFOLLOW;
	return 0;
}

/*
 * Pages the private mount holds (data, mapped pages, ballast): the host's
 * count, which is the one it refuses pages by.
 */
int tmpfs_store_used(const struct tmpfs_mount *m, uint64_t *pages)
{
	struct statfs sf;

	if (m->store_fd < 0 || fstatfs(m->store_fd, &sf))
		return -EINVAL;
	*pages = sf.f_blocks >= sf.f_bfree ? (uint64_t)(sf.f_blocks - sf.f_bfree) : 0;
	return 0;
}

/* Holds one more non-data page in the private mount: 0, or -ENOSPC when it is full. */
int tmpfs_store_ballast_get(struct tmpfs_mount *m)
{
	off_t at = (off_t)(m->ballast_pages << TMPFS_PAGE_SHIFT);

	if (m->store_fd < 0)
		return 0;
	if (tmpfs_should_fail())
		return -ENOMEM;
	if (fallocate(m->ballast_fd, 0, at, TMPFS_PAGE_SIZE))
		return errno == ENOSPC ? -ENOSPC : -ENOMEM;
	m->ballast_pages++;
	return 0;
}

/* Gives one back (any: pages are interchangeable; the last one is freed). */
void tmpfs_store_ballast_put(struct tmpfs_mount *m)
{
	if (m->store_fd < 0 || !m->ballast_pages)
		return;
	m->ballast_pages--;
	/* shrinking frees the last page (cannot fail on a tmpfs file we own) */
	(void)!ftruncate(m->ballast_fd, (off_t)(m->ballast_pages << TMPFS_PAGE_SHIFT));
}
