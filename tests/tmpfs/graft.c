/*
 * Guest (--tmpfs=/mnt/t, as root; argv[1]: a block device with an empty
 * ext2): another file system mounted onto a directory of a mount is grafted
 * from the host. Run twice, onto /dev/shm (Linux's own mount) and onto
 * /mnt/t; every step must give the same result: the mount, paths into it
 * (absolute, relative, through a directory fd), creating, renaming,
 * linking and removing in it, its statfs, MS_REMOUNT|MS_RDONLY, umount2.
 * Exit 0 pass, 1 fail.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define MAXSTEPS 96

struct transcript {
	int n;
	char line[MAXSTEPS][96];
};

static char base[256];
static const char *dev;

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
		snprintf(t->line[t->n++], sizeof(t->line[0]), "%-36s %s", what,
			 r < 0 ? strerrorname_np(errno) : r ? "1" : "0");
}

static long fd_result(int fd)
{
	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static void run(struct transcript *t)
{
	struct statfs sf;
	struct stat st;
	char buf[16], buf2[512];
	int fd;

	t->n = 0;
	note(t, "mkdir m", mkdir(P("m"), 0755));
	note(t, "mount ext2", mount(dev, P("m"), "ext2", 0, NULL));
	note(t, "statfs ext2", statfs(P("m"), &sf) ? -1 : sf.f_type == 0xEF53);
	note(t, "lost+found", stat(P("m/lost+found"), &st) ? -1 : S_ISDIR(st.st_mode));
	fd = open(P("m/file"), O_CREAT | O_RDWR, 0644);
	note(t, "creat file", fd < 0 ? -1 : 0);
	note(t, "write", fd < 0 ? -1 : write(fd, "hello", 5) == 5);
	note(t, "fstatfs ext2", fd < 0 || fstatfs(fd, &sf) ? -1 : sf.f_type == 0xEF53);
	if (fd >= 0)
		close(fd);
	note(t, "mkdir m/d", mkdir(P("m/d"), 0755));
	note(t, "rename into m/d", rename(P("m/file"), P("m/d/f")));
	note(t, "link", link(P("m/d/f"), P("m/hl")));
	note(t, "symlink", symlink("d/f", P("m/sl")));
	note(t, "readlink", readlink(P("m/sl"), buf, sizeof(buf)) == 3 ? 0 : -1);
	note(t, "read through symlink", (fd = open(P("m/sl"), O_RDONLY)) < 0 ? -1 :
		(read(fd, buf, 5) == 5) + 0 * close(fd));
	note(t, "chmod", chmod(P("m/d/f"), 0600));
	note(t, "stat mode", stat(P("m/d/f"), &st) ? -1 : (st.st_mode & 0777) == 0600);
	note(t, "rename out of the graft", rename(P("m/d/f"), P("outside")));
	/* symlinks in the graft resolve in the guest's view (LTP's stat04) */
	note(t, "symlink abs to the mount", symlink(P("outside"), P("m/abs")));
	note(t, "stat through it", stat(P("m/abs"), &st) ? -1 : st.st_size);
	note(t, "lstat it", lstat(P("m/abs"), &st) ? -1 : S_ISLNK(st.st_mode));
	note(t, "open through it", (fd = open(P("m/abs"), O_RDONLY)) < 0 ? -1 :
		(read(fd, buf, 5) == 5) + 0 * close(fd));
	note(t, "O_NOFOLLOW open of it", fd_result(open(P("m/abs"), O_RDONLY | O_NOFOLLOW)));
	note(t, "symlink abs dir", symlink(P("m/d"), P("m/absd")));
	note(t, "stat through abs dir", stat(P("m/absd/../hl"), &st) ? -1 : st.st_size);
	note(t, "symlink .. above the graft", symlink("../outside", P("m/up")));
	note(t, "stat through it", stat(P("m/up"), &st) ? -1 : st.st_size);
	note(t, "stat m/../outside", stat(P("m/../outside"), &st) ? -1 : st.st_size);
	note(t, "symlink loop", symlink(P("m/loop"), P("m/loop")));
	note(t, "stat the loop", stat(P("m/loop"), &st));
	note(t, "unlink abs (the link)", unlink(P("m/abs")));
	note(t, "target still there", stat(P("outside"), &st) ? -1 : st.st_size);
	note(t, "unlink the others", unlink(P("m/absd")) | unlink(P("m/up")) | unlink(P("m/loop")));
	note(t, "chdir base", chdir(base));
	note(t, "relative stat", stat("m/hl", &st));
	fd = open(P("m/d"), O_RDONLY | O_DIRECTORY);
	note(t, "dirfd openat", fd < 0 ? -1 : fd_result(openat(fd, "f", O_RDONLY)));
	if (fd >= 0)
		close(fd);
	note(t, "chdir into the graft", chdir(P("m/d")));
	note(t, "getcwd there", getcwd(buf2, sizeof(buf2)) ? !strcmp(buf2, P("m/d")) : -1);
	note(t, "relative creat", fd_result(open("rel", O_CREAT | O_WRONLY, 0644)));
	note(t, "relative rename", rename("rel", "rel2"));
	note(t, "relative stat ../hl", stat("../hl", &st));
	note(t, "relative unlink", unlink("rel2"));
	note(t, "chdir to the graft's root", chdir(P("m")));
	note(t, "relative stat ../outside", stat("../outside", &st) ? -1 : st.st_size);
	note(t, "chdir /", chdir("/"));
	note(t, "rmdir mount point", rmdir(P("m")));
	note(t, "remount ro", mount(dev, P("m"), "ext2", MS_REMOUNT | MS_RDONLY, NULL));
	note(t, "creat on ro", fd_result(open(P("m/new"), O_CREAT | O_WRONLY, 0644)));
	/* both names in the read-only graft, the old one its root (LTP's linkat02): EROFS */
	note(t, "link of the root on ro", link(P("m"), P("m/new2")));
	note(t, "link on ro", link(P("m/d/f"), P("m/new3")));
	note(t, "remount rw", mount(dev, P("m"), "ext2", MS_REMOUNT, NULL));
	note(t, "unlink hl", unlink(P("m/hl")));
	note(t, "unlink sl", unlink(P("m/sl")));
	note(t, "unlink d/f", unlink(P("m/d/f")));
	note(t, "rmdir d", rmdir(P("m/d")));
	note(t, "umount", umount2(P("m"), 0));
	note(t, "gone", access(P("m/lost+found"), F_OK));
	note(t, "rmdir m", rmdir(P("m")));
}

int main(int argc, char **argv)
{
	static struct transcript linux_t, ukcov_t;
	int fails = 0;

	if (argc != 2)
		return fprintf(stderr, "usage: graft BLOCKDEV\n"), 2;
	dev = argv[1];
	snprintf(base, sizeof(base), "/dev/shm/ukcov-graft.%d", (int)getpid());
	if (mkdir(base, 0755))
		return perror(base), 1;
	run(&linux_t);
	rmdir(base);
	snprintf(base, sizeof(base), "/mnt/t/graft");
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
	printf("%d steps, %s\n", linux_t.n, fails ? "FAIL" : "ok");
	return fails != 0;
}
