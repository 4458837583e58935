/* fsgen: a seeded random fsscript generator (fsscript --gen SEED NOPS).
 *
 * Operations are drawn over a small namespace (a few names, a few
 * directories, eight fd variables) so that they collide often: most
 * calls hit existing objects of the wrong type, missing parents, full
 * directories, closed fds... and exercise the error paths as much as the
 * success paths.  Only relative names under ROOT are used, so the script
 * means the same on a plain /dev/shm directory and on a tmpfs mount.
 * The output depends only on SEED (xorshift64*, no libc rand()).
 */
#include <stdint.h>
#include <stdio.h>

#include "fsscript.h"

struct gen {
	uint64_t s;
	FILE *out;
};

static uint64_t rnd(struct gen *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545F4914F6CDD1Dull;
}

static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(rnd(g) % n);
}

#define PICK(g, arr) ((arr)[pick(g, sizeof(arr) / sizeof((arr)[0]))])

static const char *const dirs[] = { "", "", "", "d1/", "d2/", "d1/d3/",
				    "a/", "nx/", "l1/" };
static const char *const names[] = { "a", "b", "c", "d1", "d2", "d3",
				     "l1", "l2", "." , ".." };
/* symlink targets that stay inside ROOT wherever the link is */
static const char *const targets[] = { "a", "b", "d1", "l1", "l2", ".",
				       "@/d1", "@/b", "@/d1/../c", "nx" };
static const char *const fds[] = { "$f0", "$f1", "$f2", "$f3",
				   "$f4", "$f5", "$f6", "$f7" };
static const char *const oflags[] = {
	"O_RDONLY", "O_WRONLY", "O_RDWR", "O_CREAT|O_RDWR",
	"O_CREAT|O_WRONLY|O_TRUNC", "O_CREAT|O_EXCL|O_RDWR",
	"O_RDWR|O_APPEND", "O_CREAT|O_RDWR|O_APPEND", "O_RDONLY|O_DIRECTORY",
	"O_PATH", "O_PATH|O_NOFOLLOW", "O_RDONLY|O_NOFOLLOW",
	"O_CREAT|O_DIRECTORY", "O_RDWR|O_TRUNC", "O_RDONLY|O_CLOEXEC",
};
static const char *const modes[] = { "0644", "0600", "0755", "0777", "0000",
				     "0444", "01777", "02755", "04755" };
static const char *const offs[] = { "0", "1", "100", "4095", "4096", "4097",
				    "10000", "65536", "1048576", "-1",
				    "1073741824", "9223372036854775806" };
static const char *const lens[] = { "0", "1", "5", "100", "4096", "9000" };
static const char *const whence[] = { "SEEK_SET", "SEEK_CUR", "SEEK_END",
				      "SEEK_DATA", "SEEK_HOLE", "7" };
static const char *const data[] = { "\"hello\"", "x", "\"\"", "z{5000}",
				    "\"a\\x00b\"", "q{4096}", "w{100}" };
static const char *const ids[] = { "0", "1000", "-1", "2000" };
static const char *const resolves[] = { "0", "RESOLVE_BENEATH",
					"RESOLVE_IN_ROOT", "RESOLVE_NO_SYMLINKS",
					"RESOLVE_NO_XDEV" };
static const char *const atflags[] = { "0", "AT_SYMLINK_NOFOLLOW",
				       "AT_EMPTY_PATH", "AT_SYMLINK_FOLLOW",
				       "AT_REMOVEDIR", "0x1" };

/* ".." only below a directory, so that no path leaves ROOT */
static void path(struct gen *g, char *buf, size_t len)
{
	const char *d = PICK(g, dirs), *n = PICK(g, names);

	if (!*d && n[0] == '.' && n[1] == '.')
		n = "c";
	snprintf(buf, len, "%s%s", d, n);
}

static void gen_open(struct gen *g)
{
	char p[64];

	path(g, p, sizeof(p));
	switch (pick(g, 5)) {
	case 0:
		fprintf(g->out, "creat %s %s -> %s\n", p, PICK(g, modes),
			PICK(g, fds));
		break;
	case 4:
		fprintf(g->out, "openat2 %s =%s %s %s %s -> %s\n", PICK(g, fds),
			PICK(g, targets), PICK(g, oflags),
			pick(g, 2) ? "0" : "0644", PICK(g, resolves),
			PICK(g, fds));
		break;
	case 1:
		fprintf(g->out, "openat %s =%s %s %s -> %s\n", PICK(g, fds),
			PICK(g, targets), PICK(g, oflags), PICK(g, modes),
			PICK(g, fds));
		break;
	default:
		fprintf(g->out, "open %s %s %s -> %s\n", p, PICK(g, oflags),
			PICK(g, modes), PICK(g, fds));
	}
}

static void gen_io(struct gen *g)
{
	const char *f = PICK(g, fds);

	switch (pick(g, 9)) {
	case 0:
		fprintf(g->out, "write %s %s\n", f, PICK(g, data));
		break;
	case 1:
		fprintf(g->out, "pwrite %s %s %s\n", f, PICK(g, data),
			PICK(g, offs));
		break;
	case 2:
		fprintf(g->out, "read %s %s\n", f, PICK(g, lens));
		break;
	case 3:
		fprintf(g->out, "pread %s %s %s\n", f, PICK(g, lens),
			PICK(g, offs));
		break;
	case 4:
		fprintf(g->out, "lseek %s %s %s\n", f, PICK(g, offs),
			PICK(g, whence));
		break;
	case 5:
		fprintf(g->out, "writev %s %s %s\n", f, PICK(g, data),
			PICK(g, data));
		break;
	case 6:
		fprintf(g->out, "preadv %s %s %s %s\n", f, PICK(g, offs),
			PICK(g, lens), PICK(g, lens));
		break;
	case 7:
		fprintf(g->out, "ftruncate %s %s\n", f, PICK(g, offs));
		break;
	default:
		fprintf(g->out, "getdents %s %s\n", f,
			pick(g, 3) ? "4096" : pick(g, 2) ? "64" : "10");
	}
}

static void gen_stat(struct gen *g)
{
	char p[64];

	path(g, p, sizeof(p));
	switch (pick(g, 5)) {
	case 0:
		fprintf(g->out, "stat %s\n", p);
		break;
	case 1:
		fprintf(g->out, "lstat %s\n", p);
		break;
	case 2:
		fprintf(g->out, "fstat %s\n", PICK(g, fds));
		break;
	case 3:
		fprintf(g->out, "statx AT_FDCWD %s %s %s\n", p,
			pick(g, 2) ? "0" : "AT_SYMLINK_NOFOLLOW",
			pick(g, 2) ? "STATX_BASIC_STATS" : "STATX_ALL");
		break;
	default:
		fprintf(g->out, "fstatat %s =%s 0\n", PICK(g, fds),
			PICK(g, targets));
	}
}

static void gen_ns(struct gen *g)
{
	char p[64], q[64];

	path(g, p, sizeof(p));
	path(g, q, sizeof(q));
	switch (pick(g, 15)) {
	case 14:
		/* socket nodes: every path call works on them, and opening one
		 * is ENXIO (a FIFO's open could wait forever) */
		fprintf(g->out, "mknod %s S_IFSOCK|%s 0\n", p, PICK(g, modes));
		break;
	case 10:
		fprintf(g->out, "mkdirat %s =%s %s\n", PICK(g, fds),
			PICK(g, targets), PICK(g, modes));
		break;
	case 11:
		fprintf(g->out, "unlinkat %s =%s %s\n", PICK(g, fds),
			PICK(g, targets), PICK(g, atflags));
		break;
	case 12:
		fprintf(g->out, "linkat %s =%s AT_FDCWD %s %s\n", PICK(g, fds),
			pick(g, 3) ? PICK(g, targets) : "\"\"", q,
			PICK(g, atflags));
		break;
	case 13:
		fprintf(g->out, "readlinkat %s =%s %s\n", PICK(g, fds),
			pick(g, 3) ? PICK(g, targets) : "\"\"",
			pick(g, 2) ? "100" : "2");
		break;
	case 0:
	case 1:
		fprintf(g->out, "mkdir %s %s\n", p, PICK(g, modes));
		break;
	case 2:
		fprintf(g->out, "rmdir %s\n", p);
		break;
	case 3:
		fprintf(g->out, "unlink %s\n", p);
		break;
	case 4:
		fprintf(g->out, "rename %s %s\n", p, q);
		break;
	case 5:
		fprintf(g->out, "renameat2 AT_FDCWD %s AT_FDCWD %s %s\n", p, q,
			pick(g, 2) ? "RENAME_NOREPLACE" : "RENAME_EXCHANGE");
		break;
	case 6:
		fprintf(g->out, "link %s %s\n", p, q);
		break;
	case 7:
		fprintf(g->out, "symlink %s %s\n", PICK(g, targets), p);
		break;
	case 8:
		fprintf(g->out, "readlink %s\n", p);
		break;
	default:
		fprintf(g->out, "truncate %s %s\n", p, PICK(g, offs));
	}
}

static void gen_attr(struct gen *g)
{
	char p[64];

	path(g, p, sizeof(p));
	switch (pick(g, 10)) {
	case 7:
		fprintf(g->out, "fchownat %s =%s %s %s %s\n", PICK(g, fds),
			PICK(g, targets), PICK(g, ids), PICK(g, ids),
			PICK(g, atflags));
		break;
	case 8:
		fprintf(g->out, "fchmodat %s =%s %s\n", PICK(g, fds),
			PICK(g, targets), PICK(g, modes));
		break;
	case 9:
		fprintf(g->out, "futimens %s %s OMIT\n", PICK(g, fds),
			pick(g, 2) ? "NOW" : "7.5");
		break;
	case 0:
		fprintf(g->out, "chmod %s %s\n", p, PICK(g, modes));
		break;
	case 1:
		fprintf(g->out, "fchmod %s %s\n", PICK(g, fds), PICK(g, modes));
		break;
	case 2:
		fprintf(g->out, "chown %s %s %s\n", p, PICK(g, ids),
			PICK(g, ids));
		break;
	case 3:
		fprintf(g->out, "lchown %s %s %s\n", p, PICK(g, ids),
			PICK(g, ids));
		break;
	case 4:
		fprintf(g->out, "utimensat AT_FDCWD %s %s %s 0\n", p,
			pick(g, 2) ? "NOW" : "OMIT",
			pick(g, 2) ? "123.456" : "NOW");
		break;
	case 5:
		fprintf(g->out, "access %s %s\n", p,
			pick(g, 2) ? "R_OK|W_OK" : "X_OK");
		break;
	default:
		fprintf(g->out, "faccessat2 AT_FDCWD %s %s AT_EACCESS\n", p,
			pick(g, 2) ? "R_OK" : "W_OK|X_OK");
	}
}

static void gen_fd(struct gen *g)
{
	char p[64];

	path(g, p, sizeof(p));
	switch (pick(g, 12)) {
	case 9:
		fprintf(g->out, "dup3 %s %s %s -> %s\n", PICK(g, fds),
			PICK(g, fds), pick(g, 2) ? "0" : "O_CLOEXEC",
			PICK(g, fds));
		break;
	case 10:
		fprintf(g->out, "fcntl %s F_DUPFD 100 -> %s\n", PICK(g, fds),
			PICK(g, fds));
		break;
	case 11:
		fprintf(g->out, "statfs %s\n", p);
		break;
	case 0:
	case 1:
		fprintf(g->out, "close %s\n", PICK(g, fds));
		break;
	case 2:
		fprintf(g->out, "dup %s -> %s\n", PICK(g, fds), PICK(g, fds));
		break;
	case 3:
		fprintf(g->out, "fcntl %s F_GETFL\n", PICK(g, fds));
		break;
	case 4:
		fprintf(g->out, "fcntl %s F_SETFL %s\n", PICK(g, fds),
			pick(g, 2) ? "O_APPEND" : "0");
		break;
	case 5:
		fprintf(g->out, "fsync %s\n", PICK(g, fds));
		break;
	case 6:
		fprintf(g->out, "chdir %s\n", pick(g, 2) ? p : "@");
		break;
	case 7:
		fprintf(g->out, "fchdir %s\n", PICK(g, fds));
		break;
	default:
		fprintf(g->out, "getcwd\n");
	}
}

/* credentials change rarely; every script ends as root again */
static void gen_cred(struct gen *g)
{
	if (pick(g, 2))
		fprintf(g->out, "su %s %s\n", pick(g, 2) ? "1000" : "0",
			pick(g, 2) ? "1000" : "0");
	else
		fprintf(g->out, "umask %s\n", pick(g, 2) ? "022" : "077");
}

void fs_generate(unsigned long seed, int nops, void *out_file)
{
	struct gen g = { seed * 0x9E3779B97F4A7C15ull + 1, out_file };
	int i;

	fprintf(g.out, "# fsgen seed %lu, %d operations\n", seed, nops);
	fprintf(g.out, "mkdir d1 0755\nmkdir d2 0777\nmkdir d1/d3 0755\n");
	for (i = 0; i < nops; i++) {
		unsigned k = pick(&g, 100);

		if (k < 20)
			gen_open(&g);
		else if (k < 45)
			gen_io(&g);
		else if (k < 60)
			gen_stat(&g);
		else if (k < 80)
			gen_ns(&g);
		else if (k < 90)
			gen_attr(&g);
		else if (k < 99)
			gen_fd(&g);
		else
			gen_cred(&g);
	}
	fprintf(g.out, "su 0 0\nchdir @\n");
}
