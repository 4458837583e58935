/* unit_tmpfs: unit tests of the tmpfs core's in-memory structures.
 *
 * Radix tree of pages, sparse reads, SEEK_DATA/SEEK_HOLE, directory
 * entries and cookies, the path walk (symlinks, ELOOP, leaving the mount),
 * ENOSPC accounting and release, rename edge cases.  Exit 0 pass, 1 fail;
 * each failure is printed with its line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "tmpfs_int.h"

static int failures, checks;

#define CHECK(cond)                                                            \
	do {                                                                   \
		checks++;                                                      \
		if (!(cond)) {                                                 \
			failures++;                                            \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n",       \
				__FILE__, __LINE__, __func__, #cond);          \
		}                                                              \
	} while (0)

#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		checks++;                                                      \
		if (a_ != b_) {                                                \
			failures++;                                            \
			fprintf(stderr, "%s:%d: %s: %s == %lld, want %lld\n",  \
				__FILE__, __LINE__, __func__, #a, a_, b_);     \
		}                                                              \
	} while (0)

static const struct tmpfs_cred root = { .caps = TMPFS_CAP_ALL,
					.caps_perm = TMPFS_CAP_ALL,
					.umask = 022 };

/* 1: mounts keep their data in memfds (the unprivileged supervisor's way) */
static int memfd_store;

static struct tmpfs_mount *mount_at(const char *mp, uint64_t size)
{
	struct tmpfs_mount_opts o = { .mountpoint = mp, .size = size, .no_private_store = memfd_store };
	struct tmpfs_mount *m = NULL;

	if (tmpfs_mount_create(&o, &m))
		abort();
	return m;
}

static struct tmpfs_file *open_f(struct tmpfs_mount *m, const char *path,
				 int flags)
{
	struct tmpfs_file *f = NULL;
	int err = tmpfs_openat(m, &root, NULL, path, flags, 0644, 0, NULL, &f);

	if (err)
		fprintf(stderr, "open %s: %d\n", path, err);
	return f;
}

/* The data file: a shared mapping of it and pread/pwrite see each other;
 * pages first written through the mapping are charged (memfds: at the
 * next write or stat). */
static void test_datafd(void)
{
	struct tmpfs_mount *m = mount_at("/mnt/t", 3 * 4096);
	struct tmpfs_file *f = open_f(m, "d", O_CREAT | O_RDWR);
	int fd = tmpfs_file_data_fd(f);
	char buf[4], *map;
	struct stat st;

	CHECK(fd >= 0);
	CHECK_EQ(tmpfs_file_data_fd(f), fd);
	CHECK_EQ(tmpfs_pwrite(f, &root, "abc", 3, 0), 3);
	CHECK_EQ(tmpfs_ftruncate(f, &root, 3 * 4096), 0);
	tmpfs_file_mapped(f);
	map = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(map != MAP_FAILED);
	if (map == MAP_FAILED)
		return;
	CHECK(!memcmp(map, "abc", 3));
	memcpy(map + 4096, "xyz", 3);
	CHECK_EQ(tmpfs_pread(f, &root, buf, 3, 4096), 3);
	CHECK(!memcmp(buf, "xyz", 3));
	tmpfs_fstat(f, &st);
	CHECK_EQ(st.st_blocks, 16);
	/* counted at once by a private host tmpfs, by the fstat for memfds */
	CHECK_EQ(tmpfs_used_bytes(m), 2 * 4096);
	/* the mapped page is charged now: one page left, then ENOSPC */
	CHECK_EQ(tmpfs_pwrite(f, &root, "q", 1, 2 * 4096), 1);
	CHECK_EQ(tmpfs_used_bytes(m), 3 * 4096);
	CHECK_EQ(tmpfs_pwrite(f, &root, "q", 1, 3 * 4096), -ENOSPC);
	CHECK_EQ(tmpfs_ftruncate(f, &root, 4096), 0);
	CHECK_EQ(tmpfs_used_bytes(m), 4096);
	munmap(map, 3 * 4096);
	tmpfs_file_put(f);
	tmpfs_mount_destroy(m);
}

/* A description opened by a name of the data file in the store says its
 * opener and O_TMPFILE in its own path, and keeps O_NOFOLLOW. */
static void test_descname(void)
{
	struct tmpfs_mount *m = mount_at("/mnt/t", 0);
	struct tmpfs_file *f = open_f(m, "n", O_CREAT | O_RDWR);
	char proc[64], link[128] = "";
	int fd = tmpfs_file_desc_open(f, 21, 1, O_RDONLY | O_NOFOLLOW, NULL), opener, tmpfile;

	if (!tmpfs_mount_private_store(m)) {
		CHECK_EQ(fd, -EOPNOTSUPP);
	} else {
		CHECK(fd >= 0);
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		CHECK(readlink(proc, link, sizeof(link) - 1) > 0);
		CHECK_EQ(tmpfs_desc_parse(link, &opener, &tmpfile), 0);
		CHECK_EQ(opener, 21);
		CHECK_EQ(tmpfile, 1);
		CHECK(fcntl(fd, F_GETFL) & O_NOFOLLOW);
		close(fd);
	}
	CHECK_EQ(tmpfs_desc_parse("/memfd:ukcov-tmpfs-data (deleted)", &opener, &tmpfile), -EINVAL);
	CHECK_EQ(opener, 0);
	tmpfs_file_put(f);
	tmpfs_mount_destroy(m);
}

/*
 * The store is the supervisor's (docs/security.md): its root 0700, and a
 * name planted there (reached as ".." of a directory's host object, as a
 * guest's description of a directory is) is never followed nor taken for
 * the file: every description opened by name is the data file itself.
 */
static void test_store_planted(void)
{
	struct tmpfs_mount *m = mount_at("/mnt/t", 0);
	struct tmpfs_file *f = open_f(m, "n", O_CREAT | O_RDWR), *d;
	char victim[] = "/tmp/ukcov-unit-victim.XXXXXX", name[64];
	int vfd = mkstemp(victim), dirfd, rootfd, data, fd;
	struct stat st, want, vst;

	CHECK(vfd >= 0);
	CHECK(!fstat(vfd, &vst));
	if (!tmpfs_mount_private_store(m)) { /* memfds: no store, no names */
		close(vfd);
		unlink(victim);
		tmpfs_file_put(f);
		tmpfs_mount_destroy(m);
		return;
	}
	CHECK_EQ(tmpfs_mkdirat(m, &root, NULL, "dd", 0755, NULL), 0);
	d = open_f(m, "dd", O_RDONLY | O_DIRECTORY);
	dirfd = tmpfs_file_host_fd(d);
	data = tmpfs_file_data_fd(f);
	CHECK(dirfd >= 0 && data >= 0 && !fstat(data, &want));
	rootfd = openat(dirfd, "..", O_RDONLY | O_DIRECTORY);
	CHECK(rootfd >= 0);
	CHECK(!fstat(rootfd, &st));
	CHECK_EQ(st.st_mode & 07777, 0700);
	tmpfs_fstat(f, &st);
	for (int k = 17; k <= 19; k++) {
		snprintf(name, sizeof(name), "%llu.%d", (unsigned long long)st.st_ino, k);
		if (k == 17)
			CHECK(!symlinkat(victim, rootfd, name));
		else if (k == 18)
			CHECK(!mkfifoat(rootfd, name, 0600)); /* would block a plain open */
		else
			CHECK(!linkat(AT_FDCWD, victim, rootfd, name, 0) || errno == EXDEV);
		fd = tmpfs_file_desc_open(f, k, 0, O_RDWR, NULL);
		CHECK(fd >= 0);
		CHECK(fd >= 0 && !fstat(fd, &st) && st.st_ino == want.st_ino && st.st_dev == want.st_dev);
		CHECK(fd < 0 || !(fcntl(fd, F_GETFL) & O_NONBLOCK));
		if (fd >= 0)
			close(fd);
		tmpfs_fstat(f, &st);
	}
	/* A directory's host object: a planted name is not taken for it either. */
	CHECK_EQ(tmpfs_mkdirat(m, &root, NULL, "d2", 0755, NULL), 0);
	{
		struct tmpfs_file *d2 = open_f(m, "d2", O_RDONLY | O_DIRECTORY);
		int h;

		tmpfs_fstat(d2, &st);
		snprintf(name, sizeof(name), "%llu.d", (unsigned long long)st.st_ino);
		CHECK(!symlinkat("/tmp", rootfd, name));
		h = tmpfs_file_host_fd(d2);
		CHECK(h >= 0 && !fstat(h, &st) && S_ISDIR(st.st_mode) && st.st_ino != vst.st_ino);
		CHECK(!fstatat(rootfd, name, &st, AT_SYMLINK_NOFOLLOW) && S_ISDIR(st.st_mode));
		fd = tmpfs_file_desc_open(d2, 1, 0, O_RDONLY | O_DIRECTORY, NULL);
		CHECK(fd >= 0);
		if (fd >= 0)
			close(fd);
		tmpfs_file_put(d2);
	}
	close(rootfd);
	close(vfd);
	unlink(victim);
	tmpfs_file_put(d);
	tmpfs_file_put(f);
	tmpfs_mount_destroy(m);
}

static void test_sparse(void)
{
	struct tmpfs_mount *m = mount_at("/mnt/t", 0);
	struct tmpfs_file *f = open_f(m, "s", O_CREAT | O_RDWR);
	char buf[8192];
	struct stat st;

	CHECK_EQ(tmpfs_pwrite(f, &root, "x", 1, 10000), 1);
	CHECK_EQ(tmpfs_pwrite(f, &root, "y", 1, 1ll << 40), 1);
	tmpfs_fstat(f, &st);
	CHECK_EQ(st.st_size, (1ll << 40) + 1);
	CHECK_EQ(st.st_blocks, 16);
	CHECK_EQ(tmpfs_used_bytes(m), 8192);
	memset(buf, 'q', sizeof(buf));
	CHECK_EQ(tmpfs_pread(f, &root, buf, sizeof(buf), 4096), 8192);
	CHECK(buf[0] == 0 && buf[5903] == 0 && buf[5904] == 'x' && buf[5905] == 0);
	CHECK_EQ(tmpfs_lseek(f, 0, SEEK_DATA), 8192);
	CHECK_EQ(tmpfs_lseek(f, 0, SEEK_HOLE), 0);
	CHECK_EQ(tmpfs_lseek(f, 9000, SEEK_HOLE), 12288);
	CHECK_EQ(tmpfs_lseek(f, 12288, SEEK_DATA), 1ll << 40);
	CHECK_EQ(tmpfs_lseek(f, (1ll << 40) + 1, SEEK_DATA), -ENXIO);
	/* shrinking zeroes the tail of the last page, frees the rest */
	CHECK_EQ(tmpfs_ftruncate(f, &root, 10000), 0);
	CHECK_EQ(tmpfs_used_bytes(m), 4096);
	CHECK_EQ(tmpfs_ftruncate(f, &root, 20000), 0);
	CHECK_EQ(tmpfs_pread(f, &root, buf, 2, 9999), 2);
	CHECK(buf[0] == 0 && buf[1] == 0);
	tmpfs_file_put(f);
	tmpfs_mount_destroy(m);
}

static int list(struct tmpfs_file *d, char *names, size_t len, int bufsz)
{
	char buf[4096];
	int n, total = 0;

	names[0] = 0;
	while ((n = tmpfs_getdents64(d, buf, (size_t)bufsz)) > 0) {
		int p = 0;

		while (p < n) {
			uint16_t reclen;

			memcpy(&reclen, buf + p + 16, 2);
			strncat(names, buf + p + 19, len - strlen(names) - 2);
			strcat(names, " ");
			p += reclen;
			total++;
		}
	}
	return n < 0 ? n : total;
}

static void test_dir(void)
{
	struct tmpfs_mount *m = mount_at("/mnt/t", 0);
	struct tmpfs_file *d;
	struct stat st;
	char names[512], buf[64];

	CHECK_EQ(tmpfs_mkdirat(m, &root, NULL, "d", 0755, NULL), 0);
	tmpfs_file_put(open_f(m, "d/a", O_CREAT | O_RDWR));
	tmpfs_file_put(open_f(m, "d/b", O_CREAT | O_RDWR));
	CHECK_EQ(tmpfs_mkdirat(m, &root, NULL, "d/c", 0755, NULL), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "d", 0, NULL, &st), 0);
	CHECK_EQ(st.st_size, 40 + 3 * 20);
	CHECK_EQ(st.st_nlink, 3);
	d = open_f(m, "d", O_RDONLY | O_DIRECTORY);
	CHECK_EQ(list(d, names, sizeof(names), 4096), 5);
	CHECK(!strcmp(names, ". .. c b a "));
	/* resume after an unlink: cookies stay valid */
	tmpfs_lseek(d, 0, SEEK_SET);
	CHECK_EQ(tmpfs_getdents64(d, buf, 48), 48);
	CHECK_EQ(tmpfs_unlinkat(m, &root, NULL, "d/c", AT_REMOVEDIR, NULL), 0);
	CHECK_EQ(list(d, names, sizeof(names), 4096), 2);
	CHECK(!strcmp(names, "b a "));
	CHECK_EQ(tmpfs_getdents64(d, buf, 10), 0);
	tmpfs_lseek(d, 0, SEEK_SET);
	CHECK_EQ(tmpfs_getdents64(d, buf, 10), -EINVAL);
	/* SEEK_CUR past INT64_MAX: EINVAL, the position kept (found by make fuzz: it overflowed) */
	CHECK_EQ(tmpfs_lseek(d, 7450924633290322790ll, SEEK_SET), 7450924633290322790ll);
	CHECK_EQ(tmpfs_lseek(d, 7450924633290322790ll, SEEK_CUR), -EINVAL);
	CHECK_EQ(tmpfs_lseek(d, INT64_MAX, SEEK_CUR), -EINVAL);
	CHECK_EQ(tmpfs_lseek(d, 0, SEEK_CUR), 7450924633290322790ll);
	CHECK_EQ(tmpfs_lseek(d, -7450924633290322790ll, SEEK_CUR), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "d", 0, NULL, &st), 0);
	CHECK_EQ(st.st_size, 40 + 2 * 20);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(tmpfs_unlinkat(m, &root, NULL, "d", AT_REMOVEDIR, NULL),
		 -ENOTEMPTY);
	CHECK_EQ(tmpfs_unlinkat(m, &root, NULL, "d/a", 0, NULL), 0);
	CHECK_EQ(tmpfs_unlinkat(m, &root, NULL, "d/b", 0, NULL), 0);
	CHECK_EQ(tmpfs_unlinkat(m, &root, NULL, "d", AT_REMOVEDIR, NULL), 0);
	CHECK_EQ(tmpfs_getdents64(d, buf, sizeof(buf)), -ENOENT);
	tmpfs_file_put(d);
	tmpfs_mount_destroy(m);
}

static void test_walk(void)
{
	struct tmpfs_mount *m = mount_at("/mnt/t", 0);
	struct tmpfs_walk w = { 0 };
	struct stat st;
	char name[8];
	int i;

	CHECK_EQ(tmpfs_mkdirat(m, &root, NULL, "a", 0755, NULL), 0);
	CHECK_EQ(tmpfs_symlinkat(m, &root, "/etc/passwd", NULL, "a/out", NULL), 0);
	CHECK_EQ(tmpfs_symlinkat(m, &root, "/mnt/t/a", NULL, "in", NULL), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "in/out", 0, &w, &st), -TMPFS_EXIT);
	CHECK(w.host_path && !strcmp(w.host_path, "/etc/passwd"));
	CHECK_EQ(w.hops, 2);
	free(w.host_path);
	w = (struct tmpfs_walk){ 0 };
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "a/../../x/y", 0, &w, &st),
		 -TMPFS_EXIT);
	CHECK(w.host_path && !strcmp(w.host_path, "/mnt/x/y"));
	/* out by ".." at the root: which mount, and the rest after the mount point's parent */
	CHECK(w.exit_up == m && !strcmp(w.host_path + w.exit_rest, "/x/y"));
	free(w.host_path);
	w = (struct tmpfs_walk){ 0 };
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "/mnt/t/a", 0, &w, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "/mnt/tt", 0, &w, &st),
		 -TMPFS_EXIT);
	free(w.host_path);
	/* 40 links are followed, the 41st is ELOOP; hops carry over calls */
	CHECK_EQ(tmpfs_symlinkat(m, &root, "a", NULL, "l0", NULL), 0);
	for (i = 1; i <= 40; i++) {
		char prev[8];

		snprintf(name, sizeof(name), "l%d", i);
		snprintf(prev, sizeof(prev), "l%d", i - 1);
		CHECK_EQ(tmpfs_symlinkat(m, &root, prev, NULL, name, NULL), 0);
	}
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "l39", 0, NULL, &st), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "l40", 0, NULL, &st), -ELOOP);
	/* l5 is 6 links away from a */
	w = (struct tmpfs_walk){ .hops = 34 };
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "l5", 0, &w, &st), 0);
	CHECK_EQ(w.hops, 40);
	w = (struct tmpfs_walk){ .hops = 35 };
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "l5", 0, &w, &st), -ELOOP);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "a/out/x", AT_SYMLINK_NOFOLLOW,
			       NULL, &st), -TMPFS_EXIT);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "a/nothing/x", 0, NULL, &st),
		 -ENOENT);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "in/", AT_SYMLINK_NOFOLLOW,
			       NULL, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	tmpfs_mount_destroy(m);
}

static void test_enospc(void)
{
	struct tmpfs_mount *m = mount_at("/mnt/t", 5 * 4096);
	struct tmpfs_file *f = open_f(m, "f", O_CREAT | O_RDWR);
	struct tmpfs_file *g;
	static char big[8 * 4096 + 1]; /* NUL-terminated for the symlink */
	struct statfs sf;

	memset(big, 'b', 8 * 4096);
	/* a write that does not fit is cut at the last page that does */
	CHECK_EQ(tmpfs_write(f, &root, big, 8 * 4096), 5 * 4096);
	CHECK_EQ(tmpfs_write(f, &root, "x", 1), -ENOSPC);
	CHECK_EQ(tmpfs_pwrite(f, &root, "x", 1, 100), 1); /* existing page */
	tmpfs_statfs(m, &sf);
	CHECK_EQ(sf.f_blocks, 5);
	CHECK_EQ(sf.f_bfree, 0);
	CHECK_EQ(tmpfs_symlinkat(m, &root, big + 8 * 4096 - 200, NULL, "l",
				 NULL), -ENOSPC);
	/* unlinked but open: data stays readable, space stays used */
	CHECK_EQ(tmpfs_unlinkat(m, &root, NULL, "f", 0, NULL), 0);
	CHECK_EQ(tmpfs_used_bytes(m), 5 * 4096);
	CHECK_EQ(tmpfs_pread(f, &root, big, 2, 0), 2);
	g = open_f(m, "g", O_CREAT | O_RDWR);
	CHECK_EQ(tmpfs_write(g, &root, "y", 1), -ENOSPC);
	tmpfs_file_put(f);
	CHECK_EQ(tmpfs_used_bytes(m), 0);
	CHECK_EQ(tmpfs_write(g, &root, "y", 1), 1);
	/* truncating down releases pages */
	CHECK_EQ(tmpfs_pwrite(g, &root, big, 4 * 4096, 4096), 4 * 4096);
	CHECK_EQ(tmpfs_used_bytes(m), 5 * 4096);
	CHECK_EQ(tmpfs_ftruncate(g, &root, 4097), 0);
	CHECK_EQ(tmpfs_used_bytes(m), 2 * 4096);
	tmpfs_file_put(g);
	tmpfs_mount_destroy(m);
}

static void test_rename(void)
{
	struct tmpfs_mount *m = mount_at("/mnt/t", 0);
	struct stat st;

	CHECK_EQ(tmpfs_mkdirat(m, &root, NULL, "a", 0755, NULL), 0);
	CHECK_EQ(tmpfs_mkdirat(m, &root, NULL, "a/b", 0755, NULL), 0);
	CHECK_EQ(tmpfs_mkdirat(m, &root, NULL, "e", 0755, NULL), 0);
	tmpfs_file_put(open_f(m, "f", O_CREAT | O_RDWR));
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "a", NULL, "a/b/c", 0, NULL),
		 -EINVAL);
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "a/b", NULL, "a", 0, NULL),
		 -ENOTEMPTY);
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "e", NULL, "a", 0, NULL),
		 -ENOTEMPTY);
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "f", NULL, "e", 0, NULL),
		 -EISDIR);
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "e", NULL, "f", 0, NULL),
		 -ENOTDIR);
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "f", NULL, "e", RENAME_NOREPLACE,
				 NULL), -EEXIST);
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "f", NULL, "e", RENAME_EXCHANGE,
				 NULL), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "f", 0, NULL, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "a/b", NULL, "f", 0, NULL), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "a", 0, NULL, &st), 0);
	CHECK_EQ(st.st_nlink, 2);
	CHECK_EQ(st.st_size, 40);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, ".", 0, NULL, &st), 0);
	CHECK_EQ(st.st_nlink, 4); /* a, e (a file now), f */
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, "f", NULL, "/elsewhere", 0,
				 NULL), -EXDEV);
	CHECK_EQ(tmpfs_renameat2(m, &root, NULL, ".", NULL, "x", 0, NULL),
		 -EBUSY);
	tmpfs_mount_destroy(m);
}

static uint32_t blksize_of(uint32_t rdev)
{
	return rdev == 0x0700 ? 512 : 0; /* 7:0 exists, nothing else */
}

/* mknod: types, rdev encoding, the whiteout, CAP_MKNOD, the magic-link self path */
static void test_nodes(void)
{
	struct tmpfs_mount_opts o = { .mountpoint = "/mnt/n", .bdev_blksize = blksize_of };
	struct tmpfs_cred user = root;
	struct tmpfs_inode *ino = NULL, *pino = NULL;
	struct tmpfs_mount *m = NULL;
	struct statx sx;
	struct stat st;

	if (tmpfs_mount_create(&o, &m))
		abort();
	user.fsuid = user.fsgid = 1000;
	user.caps = 0;
	/* 0xfff:0xfffff, the largest number the 32-bit encoding holds */
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "c", S_IFCHR | 0666, 0xfffffffu, NULL, &ino), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "c", 0, NULL, &st), 0);
	CHECK_EQ(st.st_rdev, 0xfffffffu);
	CHECK_EQ(st.st_mode, S_IFCHR | 0644);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(tmpfs_statx(m, &root, NULL, "c", 0, STATX_BASIC_STATS, NULL, &sx), 0);
	CHECK_EQ(sx.stx_rdev_major, 0xfff);
	CHECK_EQ(sx.stx_rdev_minor, 0xffff);
	CHECK_EQ(tmpfs_inode_rdev(ino), 0xfffffffu);
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "b", S_IFBLK | 0600, 0x0700, NULL, NULL), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "b", 0, NULL, &st), 0);
	CHECK_EQ(st.st_blksize, 512);
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "b2", S_IFBLK | 0600, 0x0701, NULL, NULL), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "b2", 0, NULL, &st), 0);
	CHECK_EQ(st.st_blksize, 4096);
	/* fifos and sockets drop the device number */
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "p", S_IFIFO | 0644, 0x103, NULL, &pino), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "p", 0, NULL, &st), 0);
	CHECK_EQ(st.st_rdev, 0);
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "p", S_IFIFO | 0644, 0, NULL, NULL), -EEXIST);
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "q", S_IFDIR | 0755, 0, NULL, NULL), -EPERM);
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "q", 0170000, 0, NULL, NULL), -EINVAL);
	/* the type is checked before the lookup */
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "no/q", 0170000, 0, NULL, NULL), -EINVAL);
	CHECK_EQ(tmpfs_mknodat(m, &root, NULL, "no/q", S_IFIFO, 0, NULL, NULL), -ENOENT);
	/* devices need CAP_MKNOD, but for the whiteout */
	CHECK_EQ(tmpfs_mknodat(m, &user, NULL, "u", S_IFCHR | 0666, 0x103, NULL, NULL), -EPERM);
	CHECK_EQ(tmpfs_mknodat(m, &user, NULL, "u", S_IFBLK | 0666, 0, NULL, NULL), -EPERM);
	CHECK_EQ(tmpfs_mknodat(m, &user, NULL, "wh", S_IFCHR | 0666, 0, NULL, NULL), 0);
	CHECK_EQ(tmpfs_mknodat(m, &user, NULL, "s", S_IFSOCK | 0666, 0, NULL, &ino), 0);
	CHECK_EQ(tmpfs_lookup_socket(m, &user, NULL, "s", NULL, &ino), 0);
	CHECK_EQ(tmpfs_lookup_socket(m, &user, NULL, "p", NULL, &ino), -EACCES);
	CHECK_EQ(tmpfs_lookup_socket(m, &root, NULL, "p", NULL, &ino), -ECONNREFUSED);
	/* bind's undo removes the name only while it is still the socket's */
	CHECK_EQ(tmpfs_unlink_if(m, &root, NULL, "s", pino), -ENOENT);
	CHECK_EQ(tmpfs_unlink_if(m, &root, NULL, "s", ino), 0);
	/* a magic link's target, by the self path */
	CHECK_EQ(tmpfs_fchmodat(m, &root, pino, tmpfs_path_self, 0600, 0, NULL), 0);
	CHECK_EQ(tmpfs_fstatat(m, &root, NULL, "p", 0, NULL, &st), 0);
	CHECK_EQ(st.st_mode, S_IFIFO | 0600);
	tmpfs_mount_destroy(m);
}

int main(void)
{
	/* the file data in a private host tmpfs (as root), then in memfds */
	for (memfd_store = 0; memfd_store < 2; memfd_store++) {
		test_datafd();
		test_sparse();
		test_enospc();
		test_descname();
		test_store_planted();
	}
	memfd_store = 0;
	test_dir();
	test_walk();
	test_rename();
	test_nodes();
	printf("unit_tmpfs: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
