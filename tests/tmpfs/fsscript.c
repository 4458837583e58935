/* fsscript: run a file-system syscall script and print a normalized transcript.
 *
 *   fsscript [--backend=real|lib] ROOT [SCRIPT]     (SCRIPT defaults to stdin)
 *   fsscript --gen SEED NOPS                        (print a random script)
 *
 * One operation per line; the transcript line is the operation followed by
 * " => " and its result: the return value or -ERRNAME, data read (escaped),
 * normalized stat fields.  Differences between two backends (the host
 * kernel on /dev/shm, ukcov's tmpfs) show up as differing lines.
 * See tests/tmpfs/README for the language.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "fsscript.h"

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
#endif

#define MAXTOK 64
#define MAXVARS 512
#define MAXINODES 8192

struct tok {
	char *s;
	size_t len;
	int quoted;
};

struct var {
	char name[32];
	long fd;
};

/*
 * Both backends report the last fd they returned through pseudo call -1;
 * the interpreter never calls the backend in between.
 */
struct last_fd {
	struct fs_backend *inner;
	long last;
};

struct seen_inode {
	uint64_t dev, ino;
	int label;
	struct timespec t[4]; /* atime, mtime, ctime, btime last observed */
};

struct interp {
	struct fs_backend *b;
	const char *root;
	size_t rootlen;
	struct var vars[MAXVARS];
	int nvars;
	struct seen_inode *inodes;
	int ninodes;
	struct timespec tmax;	 /* newest timestamp observed so far */
	struct timespec last_op; /* coarse time the last operation started */
	struct tok t[MAXTOK];
	int nt, ntok; /* arguments in use, tokens to free */
	char *store[MAXTOK]; /* decoded argument buffers to free */
	int nstore;
	char out[1 << 16];
	size_t outlen;
	FILE *tx;	 /* where transcript lines go */
	unsigned flags;	 /* FSI_* */
	struct fs_backend track; /* the backend, remembering its last fd */
	struct last_fd *lf;
	/* fork/join: the script in two processes, one after the other */
	FILE *child_tx;	  /* a forked child: its transcript, sent up child_fd at its end */
	char *child_buf;
	size_t child_len;
	int child_fd;
	int forked_child; /* this line is the child's fork: the parent prints it */
	int skip;	  /* a parent: lines its child ran, nesting up to their join */
	int child_status; /* the child's wait status, printed at its join */
	char *pending;	  /* the child's transcript, printed after the fork line */
	size_t npending;
	const char *base; /* paths under it are printed relative to root */
	struct fsi_child_hooks hooks;
};

struct name_val {
	const char *name;
	long val;
};

#define NV(x) { #x, x }
static const struct name_val open_flags[] = {
	NV(O_RDONLY), NV(O_WRONLY), NV(O_RDWR), NV(O_CREAT), NV(O_EXCL),
	NV(O_TRUNC), NV(O_APPEND), NV(O_DIRECTORY), NV(O_NOFOLLOW),
	NV(O_PATH), NV(O_CLOEXEC), NV(O_NONBLOCK), NV(O_NOCTTY),
	NV(O_SYNC), NV(O_DSYNC), NV(O_NOATIME), { "O_LARGEFILE", 0100000 },
	NV(O_TMPFILE), NV(O_ACCMODE), NV(O_DIRECT),
	NV(AT_SYMLINK_NOFOLLOW), NV(AT_REMOVEDIR), NV(AT_SYMLINK_FOLLOW),
	NV(AT_EMPTY_PATH), NV(AT_EACCESS), NV(AT_NO_AUTOMOUNT),
	{ "RENAME_NOREPLACE", RENAME_NOREPLACE },
	{ "RENAME_EXCHANGE", RENAME_EXCHANGE },
	{ "RENAME_WHITEOUT", RENAME_WHITEOUT },
	NV(RESOLVE_NO_XDEV), NV(RESOLVE_NO_MAGICLINKS),
	NV(RESOLVE_NO_SYMLINKS), NV(RESOLVE_BENEATH), NV(RESOLVE_IN_ROOT),
	NV(R_OK), NV(W_OK), NV(X_OK), NV(F_OK),
	NV(SEEK_SET), NV(SEEK_CUR), NV(SEEK_END), NV(SEEK_DATA),
	NV(SEEK_HOLE),
	NV(F_DUPFD), NV(F_DUPFD_CLOEXEC), NV(F_GETFD), NV(F_SETFD),
	NV(F_GETFL), NV(F_SETFL), NV(FD_CLOEXEC),
	NV(F_GETLK), NV(F_SETLK), NV(F_SETLKW), NV(F_OFD_GETLK), NV(F_OFD_SETLK),
	NV(F_SETOWN), NV(F_GETOWN), NV(F_SETSIG), NV(F_GETSIG), NV(F_SETLEASE),
	NV(F_GETLEASE), NV(F_ADD_SEALS), NV(F_GET_SEALS), NV(F_SEAL_SEAL),
	NV(F_SEAL_SHRINK), NV(F_SEAL_GROW), NV(F_SEAL_WRITE),
	NV(F_RDLCK), NV(F_WRLCK), NV(F_UNLCK), NV(PROT_READ), NV(PROT_WRITE),
	NV(F_NOTIFY), NV(DN_ACCESS), NV(DN_MODIFY), NV(DN_CREATE), NV(DN_DELETE),
	NV(DN_RENAME), NV(DN_ATTRIB), NV(DN_MULTISHOT),
	NV(STATX_TYPE), NV(STATX_MODE), NV(STATX_NLINK), NV(STATX_UID),
	NV(STATX_GID), NV(STATX_ATIME), NV(STATX_MTIME), NV(STATX_CTIME),
	NV(STATX_INO), NV(STATX_SIZE), NV(STATX_BLOCKS),
	NV(STATX_BASIC_STATS), NV(STATX_BTIME), NV(STATX_ALL),
	NV(AT_STATX_SYNC_AS_STAT), NV(AT_STATX_FORCE_SYNC),
	NV(AT_STATX_DONT_SYNC),
	NV(S_IFREG), NV(S_IFDIR), NV(S_IFIFO), NV(S_IFSOCK), NV(S_IFCHR),
	NV(S_IFBLK), NV(S_IFLNK), NV(S_ISUID), NV(S_ISGID), NV(S_ISVTX),
	{ "AT_FDCWD", AT_FDCWD },
	{ "FALLOC_FL_KEEP_SIZE", 0x01 }, { "FALLOC_FL_PUNCH_HOLE", 0x02 },
	{ "FALLOC_FL_NO_HIDE_STALE", 0x04 }, { "FALLOC_FL_COLLAPSE_RANGE", 0x08 },
	{ "FALLOC_FL_ZERO_RANGE", 0x10 }, { "FALLOC_FL_INSERT_RANGE", 0x20 },
	{ "FALLOC_FL_UNSHARE_RANGE", 0x40 }, { "FALLOC_FL_WRITE_ZEROES", 0x80 },
	{ "XATTR_CREATE", 1 }, { "XATTR_REPLACE", 2 },
	{ "RWF_HIPRI", 0x01 }, { "RWF_DSYNC", 0x02 }, { "RWF_SYNC", 0x04 },
	{ "RWF_NOWAIT", 0x08 }, { "RWF_APPEND", 0x10 }, { "RWF_NOAPPEND", 0x20 },
	{ "RWF_ATOMIC", 0x40 }, { "RWF_DONTCACHE", 0x80 },
	{ "SPLICE_F_MOVE", 0x01 }, { "SPLICE_F_NONBLOCK", 0x02 },
	{ "SPLICE_F_MORE", 0x04 }, { "SPLICE_F_GIFT", 0x08 },
	{ "FS_SECRM_FL", 0x01 }, { "FS_UNRM_FL", 0x02 }, { "FS_COMPR_FL", 0x04 },
	{ "FS_SYNC_FL", 0x08 }, { "FS_IMMUTABLE_FL", 0x10 }, { "FS_APPEND_FL", 0x20 },
	{ "FS_NODUMP_FL", 0x40 }, { "FS_NOATIME_FL", 0x80 }, { "FS_DIRSYNC_FL", 0x10000 },
	{ "FS_PROJINHERIT_FL", 0x20000000 }, { "FS_CASEFOLD_FL", 0x40000000 },
	{ NULL, 0 }
};

static const char *const errnames[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
	[EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO",
	[E2BIG] = "E2BIG", [EBADF] = "EBADF", [EAGAIN] = "EAGAIN",
	[ENOMEM] = "ENOMEM", [EACCES] = "EACCES", [EFAULT] = "EFAULT",
	[EBUSY] = "EBUSY", [EEXIST] = "EEXIST", [EXDEV] = "EXDEV",
	[ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
	[EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE",
	[ETXTBSY] = "ETXTBSY", [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC",
	[ESPIPE] = "ESPIPE", [EROFS] = "EROFS", [EMLINK] = "EMLINK",
	[ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP",
	[EOVERFLOW] = "EOVERFLOW", [EOPNOTSUPP] = "EOPNOTSUPP",
	[ESTALE] = "ESTALE",
	[EDQUOT] = "EDQUOT", [ENODATA] = "ENODATA", [ENOTTY] = "ENOTTY",
	[ECHILD] = "ECHILD", [EPIPE] = "EPIPE", [ENOEXEC] = "ENOEXEC",
	[ENOTSOCK] = "ENOTSOCK", [EDESTADDRREQ] = "EDESTADDRREQ",
	[EPROTOTYPE] = "EPROTOTYPE", [EPROTONOSUPPORT] = "EPROTONOSUPPORT",
	[ESOCKTNOSUPPORT] = "ESOCKTNOSUPPORT", [EAFNOSUPPORT] = "EAFNOSUPPORT",
	[EADDRINUSE] = "EADDRINUSE", [EADDRNOTAVAIL] = "EADDRNOTAVAIL",
	[EISCONN] = "EISCONN", [ENOTCONN] = "ENOTCONN",
	[ECONNREFUSED] = "ECONNREFUSED", [ECONNRESET] = "ECONNRESET",
};

static void outf(struct interp *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void voutf(struct interp *in, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

static void voutf(struct interp *in, const char *fmt, va_list ap)
{
	size_t room = sizeof(in->out) - in->outlen;
	int n = vsnprintf(in->out + in->outlen, room, fmt, ap);

	if (n > 0)
		in->outlen += (size_t)n < room ? (size_t)n : room - 1;
}

static void outf(struct interp *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	voutf(in, fmt, ap);
	va_end(ap);
}

/* Data is printed with run-length compression so sparse reads stay short. */
static void out_data(struct interp *in, const char *p, size_t n)
{
	size_t i = 0;

	outf(in, " \"");
	while (i < n) {
		size_t run = 1;
		unsigned char c = (unsigned char)p[i];

		while (i + run < n && p[i + run] == p[i])
			run++;
		if (c == '"' || c == '\\' || c == '{')
			outf(in, "\\%c", c);
		else if (isprint(c))
			outf(in, "%c", c);
		else
			outf(in, "\\x%02x", c);
		if (run >= 8) {
			outf(in, "{%zu}", run);
			i += run;
		} else {
			i++;
		}
	}
	outf(in, "\"");
}

static void out_ret(struct interp *in, long r)
{
	if (r >= 0 || r < -4095) {
		outf(in, "%ld", r);
	} else if (-r < (long)(sizeof(errnames) / sizeof(errnames[0])) &&
		   errnames[-r]) {
		outf(in, "-%s", errnames[-r]);
	} else {
		outf(in, "-E%ld", -r);
	}
}

/* ---- tokens and arguments ---- */

static int unescape(const char *s, size_t n, char *dst)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c != '\\' || i + 1 == n) {
			dst[o++] = c;
			continue;
		}
		c = s[++i];
		if (c == 'n')
			dst[o++] = '\n';
		else if (c == 't')
			dst[o++] = '\t';
		else if (c == '0')
			dst[o++] = '\0';
		else if (c == 'x' && i + 2 < n) {
			char hex[3] = { s[i + 1], s[i + 2], 0 };

			dst[o++] = (char)strtol(hex, NULL, 16);
			i += 2;
		} else
			dst[o++] = c;
	}
	return (int)o;
}

/* Bare words may contain C{N}: the character C repeated N times. */
static size_t expand_rep(const char *s, size_t n, char **out)
{
	size_t cap = n + 1, o = 0, i;
	char *d = malloc(cap);

	for (i = 0; i < n; i++) {
		char *end;
		unsigned long rep;

		if (s[i] == '{' && o > 0 && isdigit((unsigned char)s[i + 1])) {
			rep = strtoul(s + i + 1, &end, 10);
			if (*end == '}' && rep > 0 && rep < (1ul << 24)) {
				cap += rep;
				d = realloc(d, cap);
				memset(d + o, d[o - 1], rep - 1);
				o += rep - 1;
				i = (size_t)(end - s);
				continue;
			}
		}
		d[o++] = s[i];
	}
	d[o] = 0;
	*out = d;
	return o;
}

static int tokenize(struct interp *in, char *line)
{
	char *p = line;

	in->nt = in->ntok = 0;
	for (;;) {
		struct tok *t = &in->t[in->nt];
		char *start;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#' || *p == '\n')
			break;
		if (in->nt == MAXTOK)
			return -1;
		start = p;
		/* @"..." is a quoted string under ROOT */
		t->quoted = *p == '@' && p[1] == '"' ? 2 : 1;
		if (t->quoted == 2)
			start = ++p;
		if (*p == '"') {
			char *buf;

			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p != '"')
				return -1;
			buf = malloc((size_t)(p - start) + 1);
			t->len = (size_t)unescape(start + 1,
						  (size_t)(p - start - 1), buf);
			buf[t->len] = 0;
			t->s = buf;
			p++;
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\n')
				p++;
			t->len = expand_rep(start, (size_t)(p - start), &t->s);
			t->quoted = 0;
		}
		in->nt++;
		in->ntok = in->nt;
	}
	return 0;
}

static void free_tokens(struct interp *in)
{
	int i;

	for (i = 0; i < in->ntok; i++)
		free(in->t[i].s);
	for (i = 0; i < in->nstore; i++)
		free(in->store[i]);
	in->nt = in->ntok = 0;
	in->nstore = 0;
}

static char *keep(struct interp *in, char *s)
{
	if (in->nstore < MAXTOK)
		in->store[in->nstore++] = s;
	return s;
}

static int parse_error;

static const struct tok *arg(struct interp *in, int i)
{
	static const struct tok none = { (char *)"", 0, 0 };

	if (i >= in->nt) {
		parse_error = 1;
		return &none;
	}
	return &in->t[i];
}

static long lookup_name(const char *s, size_t n, int *ok)
{
	const struct name_val *nv;
	char *end;
	long v;

	for (nv = open_flags; nv->name; nv++)
		if (strlen(nv->name) == n && !strncmp(nv->name, s, n))
			return nv->val;
	if (n == 0) {
		*ok = 0;
		return 0;
	}
	v = strtol(s, &end, 0);
	if ((size_t)(end - s) != n)
		*ok = 0;
	return v;
}

/* FLAG|FLAG|0644 -> value */
static long arg_num(struct interp *in, int i)
{
	const struct tok *t = arg(in, i);
	const char *s = t->s;
	long v = 0;
	int ok = 1;

	for (;;) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);

		v |= lookup_name(s, n, &ok);
		if (!bar)
			break;
		s = bar + 1;
	}
	if (!ok)
		parse_error = 1;
	return v;
}

static long arg_fd(struct interp *in, int i)
{
	const struct tok *t = arg(in, i);
	int k;

	if (t->s[0] != '$')
		return arg_num(in, i);
	for (k = 0; k < in->nvars; k++)
		if (!strcmp(in->vars[k].name, t->s + 1))
			return in->vars[k].fd;
	parse_error = 1;
	return -1;
}

static char *root_join(struct interp *in, const char *s, size_t n, int slash)
{
	char *p = malloc(in->rootlen + n + 2);

	memcpy(p, in->root, in->rootlen);
	if (slash)
		p[in->rootlen] = '/';
	memcpy(p + in->rootlen + (slash ? 1 : 0), s, n);
	p[in->rootlen + (slash ? 1 : 0) + n] = 0;
	return keep(in, p);
}

/* bare word: under ROOT; "quoted" or =word: literal; @x or @"x": ROOT
 * followed by x */
static char *arg_path(struct interp *in, int i)
{
	const struct tok *t = arg(in, i);

	if (t->quoted == 2)
		return root_join(in, t->s, t->len, 0);
	if (t->quoted)
		return t->s;
	if (t->s[0] == '=')
		return t->s + 1;
	if (t->s[0] == '@')
		return root_join(in, t->s + 1, t->len - 1, 0);
	if (!strcmp(t->s, "NULL"))
		return NULL;
	return root_join(in, t->s, t->len, 1);
}

/* symlink targets and data: literal unless written @x */
static char *arg_str(struct interp *in, int i, size_t *len)
{
	const struct tok *t = arg(in, i);

	if (!t->quoted && t->s[0] == '@') {
		*len = in->rootlen + t->len - 1;
		return root_join(in, t->s + 1, t->len - 1, 0);
	}
	*len = t->len;
	return t->s;
}

static void set_var(struct interp *in, const char *name, long fd)
{
	int k;

	for (k = 0; k < in->nvars; k++)
		if (!strcmp(in->vars[k].name, name))
			break;
	if (k == in->nvars) {
		if (in->nvars == MAXVARS)
			return;
		in->nvars++;
	}
	snprintf(in->vars[k].name, sizeof(in->vars[k].name), "%s", name);
	in->vars[k].fd = fd;
}

/* ---- normalization ---- */

/*
 * A path under the base but outside ROOT (a file renamed above it) is
 * printed as ROOT/../..: the levels between differ in length per side.
 */
static int above_root(struct interp *in, const char *s, size_t n)
{
	size_t bl = in->base ? strlen(in->base) : 0, c = 0, ups = 0, k = 0;
	char *rel;

	if (!bl || n <= bl || memcmp(s, in->base, bl) || s[bl] != '/')
		return 0;
	for (size_t i = 0; i < n && i < in->rootlen && s[i] == in->root[i]; i++)
		if (s[i] == '/')
			c = i;
	for (size_t i = c; i < in->rootlen; i++)
		ups += in->root[i] == '/';
	rel = malloc(3 * ups + n - c);
	while (ups--)
		k += (size_t)sprintf(rel + k, "/..");
	memcpy(rel + k, s + c, n - c);
	outf(in, " <root>+");
	out_data(in, rel, k + n - c);
	free(rel);
	return 1;
}

static void replace_root(struct interp *in, const char *s, size_t n)
{
	const char *hit = memmem(s, n, in->root, in->rootlen);

	if (!hit) {
		/*
		 * A readlink cut short inside the root's path (a target made with
		 * @, a small buffer): its bytes are the side's own, its length
		 * the same on both (the roots are as long).
		 */
		if (n && n < in->rootlen && !memcmp(s, in->root, n))
			outf(in, " <root:%zu>", n);
		else if (!above_root(in, s, n))
			out_data(in, s, n);
		return;
	}
	outf(in, " <root>+");
	out_data(in, hit + in->rootlen, n - (size_t)(hit - s) - in->rootlen);
}

static int ts_cmp(struct timespec a, struct timespec b)
{
	if (a.tv_sec != b.tv_sec)
		return a.tv_sec < b.tv_sec ? -1 : 1;
	if (a.tv_nsec != b.tv_nsec)
		return a.tv_nsec < b.tv_nsec ? -1 : 1;
	return 0;
}

static struct seen_inode *seen(struct interp *in, uint64_t dev, uint64_t ino,
			       int *fresh)
{
	int k;

	*fresh = 0;
	for (k = 0; k < in->ninodes; k++)
		if (in->inodes[k].dev == dev && in->inodes[k].ino == ino)
			return &in->inodes[k];
	if (in->ninodes == MAXINODES)
		return NULL;
	*fresh = 1;
	memset(&in->inodes[k], 0, sizeof(in->inodes[k]));
	in->inodes[k].dev = dev;
	in->inodes[k].ino = ino;
	in->inodes[k].label = ++in->ninodes;
	return &in->inodes[k];
}

/*
 * Times set explicitly by scripts (before 2001) print as values; others print
 * relative to the previous observation of the same inode: '*' first seen,
 * '=' unchanged, '+' advanced, '-' went back.
 */
static void out_time(struct interp *in, const char *tag, struct timespec *last,
		     struct timespec now, int fresh)
{
	if (now.tv_sec >= 1000000000 && (in->flags & FSI_NO_TIMES))
		return;
	if (now.tv_sec < 1000000000) {
		outf(in, " %s=%lld.%09ld", tag, (long long)now.tv_sec,
		     now.tv_nsec);
	} else {
		int c = ts_cmp(now, *last);

		fresh |= !last->tv_sec && !last->tv_nsec;
		outf(in, " %s=%c", tag, fresh ? '*' : c == 0 ? '=' : c > 0 ? '+' : '-');
		if (ts_cmp(now, in->tmax) > 0)
			in->tmax = now;
	}
	*last = now;
}

static void out_statfields(struct interp *in, uint64_t dev, uint64_t ino,
			   unsigned mode, unsigned long nlink, unsigned uid,
			   unsigned gid, long long size, long long blocks,
			   struct timespec *t, int nt)
{
	static const char *const tags[] = { "a", "m", "c", "b" };
	int fresh, k;
	struct seen_inode *si = seen(in, dev, ino, &fresh);

	outf(in, " mode=0%o nlink=%lu uid=%u gid=%u size=%lld blocks=%lld",
	     mode, nlink, uid, gid, size, blocks);
	if (!si)
		return;
	outf(in, " ino=#%d", si->label);
	/*
	 * A socket's own inode (sockfs: socket(2), accept(2)) has times near 0
	 * that sockfs sets or not as it pleases (two native runs of one input
	 * differed in its ctime, two others in its mtime alone): not a file
	 * system's times.
	 */
	for (k = 0; S_ISSOCK(mode) && k < nt; k++)
		if (t[k].tv_sec < 1000000000)
			nt = 0;
	for (k = 0; k < nt; k++)
		out_time(in, tags[k], &si->t[k], t[k], fresh);
}

static void out_stat(struct interp *in, const struct stat *st)
{
	struct timespec t[3] = { st->st_atim, st->st_mtim, st->st_ctim };

	out_statfields(in, st->st_dev, st->st_ino, st->st_mode,
		       (unsigned long)st->st_nlink, st->st_uid, st->st_gid,
		       (long long)st->st_size, (long long)st->st_blocks, t, 3);
	outf(in, " blksize=%ld", (long)st->st_blksize);
	if (st->st_rdev)
		outf(in, " rdev=%u:%u", major(st->st_rdev), minor(st->st_rdev));
}

static struct timespec sx_ts(struct statx_timestamp s)
{
	struct timespec t = { s.tv_sec, s.tv_nsec };

	return t;
}

static void out_statx(struct interp *in, const struct statx *sx)
{
	struct timespec t[4] = { sx_ts(sx->stx_atime), sx_ts(sx->stx_mtime),
				 sx_ts(sx->stx_ctime), sx_ts(sx->stx_btime) };
	/* the st_dev stat(2) gives for the same file: one inode numbering for both */
	uint64_t dev = makedev(sx->stx_dev_major, sx->stx_dev_minor);

	/*
	 * STATX_ATTR_MOUNT_ROOT is masked: ROOT is a mount root under
	 * `ukcov run --tmpfs=ROOT` and a plain directory of /dev/shm on the
	 * reference side, and both are right.
	 */
	outf(in, " mask=0x%x attr=0x%llx/0x%llx", sx->stx_mask,
	     (unsigned long long)(sx->stx_attributes & ~(uint64_t)STATX_ATTR_MOUNT_ROOT),
	     (unsigned long long)sx->stx_attributes_mask);
	out_statfields(in, dev, sx->stx_ino, sx->stx_mode, sx->stx_nlink,
		       sx->stx_uid, sx->stx_gid, (long long)sx->stx_size,
		       (long long)sx->stx_blocks, t,
		       (sx->stx_mask & STATX_BTIME) ? 4 : 3);
	outf(in, " blksize=%u", sx->stx_blksize);
	if (sx->stx_rdev_major || sx->stx_rdev_minor)
		outf(in, " rdev=%u:%u", sx->stx_rdev_major, sx->stx_rdev_minor);
}

/*
 * Each operation starts in a clock tick of its own, after every timestamp
 * seen so far.  The kernel stamps with a jiffy-grained clock: two updates
 * in one tick would look like "unchanged", and relatime's "atime <= mtime"
 * would depend on whether a write and a read shared a tick.
 */
static void wait_clock(struct interp *in)
{
	struct timespec now, d = { 0, 500000 };

	if (in->flags & FSI_NO_CLOCK)
		return;
	for (;;) {
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		if (ts_cmp(now, in->tmax) > 0 && ts_cmp(now, in->last_op) > 0)
			break;
		nanosleep(&d, NULL);
	}
	in->last_op = now;
}

/* ---- operations ---- */

#define SYS(nr, ...) sys6(in, nr, __VA_ARGS__)
static long sys6(struct interp *in, long nr, long a0, long a1, long a2, long a3,
		 long a4, long a5)
{
	return in->b->sys(in->b->ctx, nr, a0, a1, a2, a3, a4, a5);
}
#define L(x) ((long)(x))

struct op;
typedef void (*op_fn)(struct interp *in, const struct op *op);
enum kind { K_RET, K_FD, K_DATA, K_STAT, K_STATX };
struct op {
	const char *name;
	op_fn fn;
};

static char *iobuf;
#define IOBUF_SIZE (8u << 20)

static void finish(struct interp *in, long r, enum kind k, void *buf)
{
	if (k == K_FD && r >= 0) {
		outf(in, "fd");
		return;
	}
	out_ret(in, r);
	if (r < 0)
		return;
	if (k == K_DATA)
		out_data(in, buf, (size_t)r);
	else if (k == K_STAT)
		out_stat(in, buf);
	else if (k == K_STATX)
		out_statx(in, buf);
}

static long open_mode(struct interp *in, int i)
{
	return i < in->nt && in->t[i].s[0] != '-' ? arg_num(in, i) : 0;
}

static void op_open(struct interp *in, const struct op *op)
{
	long r;

	(void)op;
	r = SYS(SYS_open, L(arg_path(in, 1)), arg_num(in, 2), open_mode(in, 3),
		0, 0, 0);
	finish(in, r, K_FD, NULL);
}

static void op_openat(struct interp *in, const struct op *op)
{
	long r;

	(void)op;
	r = SYS(SYS_openat, arg_fd(in, 1), L(arg_path(in, 2)), arg_num(in, 3),
		open_mode(in, 4), 0, 0);
	finish(in, r, K_FD, NULL);
}

static void op_openat2(struct interp *in, const struct op *op)
{
	struct open_how how = { 0 };
	long r;

	(void)op;
	how.flags = (uint64_t)arg_num(in, 3);
	how.mode = (uint64_t)arg_num(in, 4);
	how.resolve = (uint64_t)arg_num(in, 5);
	/*
	 * Linux answers EAGAIN to a RESOLVE_BENEATH/IN_ROOT walk through ".."
	 * when a rename or mount happened anywhere on the system meanwhile
	 * (openat2(2): "the caller should retry"); a busy machine made the
	 * /dev/shm side of the differential suite differ now and then.
	 */
	for (int tries = 0; tries < 100; tries++) {
		r = SYS(SYS_openat2, arg_fd(in, 1), L(arg_path(in, 2)), L(&how),
			sizeof(how), 0, 0);
		if (r != -EAGAIN || !(how.resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)))
			break;
	}
	finish(in, r, K_FD, NULL);
}

static void op_creat(struct interp *in, const struct op *op)
{
	(void)op;
	finish(in, SYS(SYS_creat, L(arg_path(in, 1)), arg_num(in, 2), 0, 0, 0, 0),
	       K_FD, NULL);
}

static void op_fd1(struct interp *in, const struct op *op)
{
	long nr = !strcmp(op->name, "close")	   ? SYS_close :
		  !strcmp(op->name, "fsync")	   ? SYS_fsync :
		  !strcmp(op->name, "fdatasync") ? SYS_fdatasync :
		  !strcmp(op->name, "fchdir")	   ? SYS_fchdir :
						     SYS_dup;

	finish(in, SYS(nr, arg_fd(in, 1), 0, 0, 0, 0, 0),
	       nr == SYS_dup ? K_FD : K_RET, NULL);
}

static size_t io_len(struct interp *in, int i)
{
	long n = arg_num(in, i);

	return n < 0 || (size_t)n > IOBUF_SIZE ? IOBUF_SIZE : (size_t)n;
}

static void op_read(struct interp *in, const struct op *op)
{
	int p = !strcmp(op->name, "pread");
	long r = SYS(p ? SYS_pread64 : SYS_read, arg_fd(in, 1), L(iobuf),
		     (long)io_len(in, 2), p ? arg_num(in, 3) : 0, 0, 0);

	finish(in, r, K_DATA, iobuf);
}

static void op_write(struct interp *in, const struct op *op)
{
	int p = !strcmp(op->name, "pwrite");
	size_t len;
	char *s = arg_str(in, 2, &len);
	long r = SYS(p ? SYS_pwrite64 : SYS_write, arg_fd(in, 1), L(s),
		     (long)len, p ? arg_num(in, 3) : 0, 0, 0);

	finish(in, r, K_RET, NULL);
}

/* the position arguments of preadv/preadv2 (pwritev...): 1 plain, 2 the v2 with flags */
static int positional(const struct op *op)
{
	size_t n = strlen(op->name);

	return op->name[0] != 'p' ? 0 : op->name[n - 1] == '2' ? 2 : 1;
}

static long rw_nr(int p, int write)
{
	static const long nr[2][3] = { { SYS_readv, SYS_preadv, SYS_preadv2 },
				       { SYS_writev, SYS_pwritev, SYS_pwritev2 } };

	return nr[write][p];
}

/*
 * readv $f N...; preadv $f OFF N...; preadv2 $f OFF FLAGS N... (RWF_*, OFF
 * -1: the file position): data printed per buffer
 */
static void op_readv(struct interp *in, const struct op *op)
{
	int p = positional(op), first = 2 + p, i, n = 0;
	struct iovec iov[16];
	size_t used = 0;
	long r;

	for (i = first; i < in->nt && n < 16; i++, n++) {
		iov[n].iov_base = iobuf + used;
		iov[n].iov_len = io_len(in, i);
		if (used + iov[n].iov_len > IOBUF_SIZE)
			iov[n].iov_len = 0;
		used += iov[n].iov_len;
	}
	r = SYS(rw_nr(p, 0), arg_fd(in, 1), L(iov), n, p ? arg_num(in, 2) : 0, 0,
		p == 2 ? arg_num(in, 3) : 0);
	out_ret(in, r);
	for (i = 0; r > 0 && i < n; i++) {
		size_t k = (size_t)r < iov[i].iov_len ? (size_t)r : iov[i].iov_len;

		out_data(in, iov[i].iov_base, k);
		r -= (long)k;
	}
}

/* writev $f DATA...; pwritev $f OFF DATA...; pwritev2 $f OFF FLAGS DATA... */
static void op_writev(struct interp *in, const struct op *op)
{
	int p = positional(op), first = 2 + p, i, n = 0;
	struct iovec iov[16];

	for (i = first; i < in->nt && n < 16; i++, n++)
		iov[n].iov_base = arg_str(in, i, &iov[n].iov_len);
	finish(in, SYS(rw_nr(p, 1), arg_fd(in, 1), L(iov), n, p ? arg_num(in, 2) : 0, 0,
		       p == 2 ? arg_num(in, 3) : 0),
	       K_RET, NULL);
}

static void op_lseek(struct interp *in, const struct op *op)
{
	(void)op;
	finish(in, SYS(SYS_lseek, arg_fd(in, 1), arg_num(in, 2), arg_num(in, 3),
		       0, 0, 0),
	       K_RET, NULL);
}

static void op_stat(struct interp *in, const struct op *op)
{
	struct stat st;
	long r;

	if (!strcmp(op->name, "fstat"))
		r = SYS(SYS_fstat, arg_fd(in, 1), L(&st), 0, 0, 0, 0);
	else if (!strcmp(op->name, "fstatat"))
		r = SYS(SYS_newfstatat, arg_fd(in, 1), L(arg_path(in, 2)), L(&st),
			arg_num(in, 3), 0, 0);
	else
		r = SYS(!strcmp(op->name, "stat") ? SYS_stat : SYS_lstat,
			L(arg_path(in, 1)), L(&st), 0, 0, 0, 0);
	finish(in, r, K_STAT, &st);
}

static void op_statx(struct interp *in, const struct op *op)
{
	struct statx sx;
	long r;

	(void)op;
	memset(&sx, 0, sizeof(sx));
	r = SYS(SYS_statx, arg_fd(in, 1), L(arg_path(in, 2)), arg_num(in, 3),
		arg_num(in, 4), L(&sx), 0);
	finish(in, r, K_STATX, &sx);
}

/* mkdir, rmdir, unlink, chdir, truncate, chmod, access: path + numbers */
static void op_path(struct interp *in, const struct op *op)
{
	static const struct { const char *n; long nr; } t[] = {
		{ "mkdir", SYS_mkdir }, { "rmdir", SYS_rmdir },
		{ "unlink", SYS_unlink }, { "chdir", SYS_chdir },
		{ "truncate", SYS_truncate }, { "chmod", SYS_chmod },
		{ "access", SYS_access }, { "chown", SYS_chown },
		{ "lchown", SYS_lchown }, { "mknod", SYS_mknod },
	};
	size_t k;

	for (k = 0; strcmp(t[k].n, op->name); k++)
		;
	finish(in, SYS(t[k].nr, L(arg_path(in, 1)),
		       in->nt > 2 ? arg_num(in, 2) : 0,
		       in->nt > 3 ? arg_num(in, 3) : 0, 0, 0, 0),
	       K_RET, NULL);
}

/* dirfd + path + numbers: mkdirat, unlinkat, fchmodat, faccessat(2), fchownat */
static void op_at(struct interp *in, const struct op *op)
{
	static const struct { const char *n; long nr; } t[] = {
		{ "mkdirat", SYS_mkdirat }, { "unlinkat", SYS_unlinkat },
		{ "fchmodat", SYS_fchmodat }, { "faccessat", SYS_faccessat },
		{ "faccessat2", SYS_faccessat2 }, { "fchownat", SYS_fchownat },
		{ "mknodat", SYS_mknodat }, { "fchmodat2", 452 },
	};
	size_t k;
	long a[3] = { 0, 0, 0 };
	int i;

	for (k = 0; strcmp(t[k].n, op->name); k++)
		;
	for (i = 0; i < 3 && 3 + i < in->nt; i++)
		a[i] = arg_num(in, 3 + i);
	finish(in, SYS(t[k].nr, arg_fd(in, 1), L(arg_path(in, 2)), a[0], a[1],
		       a[2], 0),
	       K_RET, NULL);
}

static void op_two(struct interp *in, const struct op *op)
{
	long nr = !strcmp(op->name, "rename") ? SYS_rename : SYS_link;

	finish(in, SYS(nr, L(arg_path(in, 1)), L(arg_path(in, 2)), 0, 0, 0, 0),
	       K_RET, NULL);
}

/* renameat D P D P [FLAGS]; renameat2 ...; linkat D P D P FLAGS */
static void op_two_at(struct interp *in, const struct op *op)
{
	long nr = !strcmp(op->name, "renameat")	 ? SYS_renameat :
		  !strcmp(op->name, "renameat2") ? SYS_renameat2 :
						   SYS_linkat;

	finish(in, SYS(nr, arg_fd(in, 1), L(arg_path(in, 2)), arg_fd(in, 3),
		       L(arg_path(in, 4)), in->nt > 5 ? arg_num(in, 5) : 0, 0),
	       K_RET, NULL);
}

static void op_symlink(struct interp *in, const struct op *op)
{
	size_t len;
	char *target = arg_str(in, 1, &len);
	long r;

	if (!strcmp(op->name, "symlink"))
		r = SYS(SYS_symlink, L(target), L(arg_path(in, 2)), 0, 0, 0, 0);
	else
		r = SYS(SYS_symlinkat, L(target), arg_fd(in, 2),
			L(arg_path(in, 3)), 0, 0, 0);
	finish(in, r, K_RET, NULL);
}

static void op_readlink(struct interp *in, const struct op *op)
{
	int at = !strcmp(op->name, "readlinkat");
	int ni = at ? 3 : 2;
	long n = ni < in->nt ? arg_num(in, ni) : 4096, r;

	if (n < 0 || n > 65536)
		n = 65536;
	if (at)
		r = SYS(SYS_readlinkat, arg_fd(in, 1), L(arg_path(in, 2)),
			L(iobuf), n, 0, 0);
	else
		r = SYS(SYS_readlink, L(arg_path(in, 1)), L(iobuf), n, 0, 0, 0);
	out_ret(in, r);
	if (r >= 0)
		replace_root(in, iobuf, (size_t)r);
}

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* getdents $d N: name:type:d_off per record */
static void op_getdents(struct interp *in, const struct op *op)
{
	long r = SYS(SYS_getdents64, arg_fd(in, 1), L(iobuf),
		     (long)io_len(in, 2), 0, 0, 0), p;

	(void)op;
	out_ret(in, r);
	for (p = 0; p < r;) {
		struct dirent64 *d = (struct dirent64 *)(iobuf + p);

		outf(in, " %s:%u:%lld", d->d_name, d->d_type,
		     (long long)d->d_off);
		p += d->d_reclen;
	}
}

static void op_fdnum(struct interp *in, const struct op *op)
{
	static const struct { const char *n; long nr; } t[] = {
		{ "ftruncate", SYS_ftruncate }, { "fchmod", SYS_fchmod },
		{ "fchown", SYS_fchown }, { "dup2", SYS_dup2 },
		{ "dup3", SYS_dup3 }, { "fcntl", SYS_fcntl },
		{ "fallocate", SYS_fallocate },
	};
	size_t k;
	long a[3] = { 0, 0, 0 }, r;
	int i;

	for (k = 0; strcmp(t[k].n, op->name); k++)
		;
	for (i = 0; i < 3 && 2 + i < in->nt; i++)
		a[i] = t[k].nr == SYS_dup2 || t[k].nr == SYS_dup3 ? arg_fd(in, 2 + i) :
								    arg_num(in, 2 + i);
	if (t[k].nr == SYS_dup3 && in->nt > 3)
		a[1] = arg_num(in, 3);
	r = SYS(t[k].nr, arg_fd(in, 1), a[0], a[1], a[2], 0, 0);
	if (t[k].nr == SYS_fcntl && (a[0] == F_DUPFD || a[0] == F_DUPFD_CLOEXEC))
		finish(in, r, K_FD, NULL);
	else if (t[k].nr == SYS_fcntl && a[0] == F_GETFL && r >= 0)
		outf(in, "0x%lx", r);
	/* a lease (lease_setup()) makes its setter the owner: a pid, which differs per side */
	else if (t[k].nr == SYS_fcntl && a[0] == F_GETOWN && r > 0 && r == getpid())
		outf(in, "self");
	else
		finish(in, r, t[k].nr == SYS_dup2 || t[k].nr == SYS_dup3 ? K_FD : K_RET,
		       NULL);
}

/* a time token: NOW, OMIT, or SEC.NSEC */
static void parse_ts(struct interp *in, int i, struct timespec *ts)
{
	const struct tok *t = arg(in, i);
	char *dot;

	ts->tv_sec = 0;
	if (!strcmp(t->s, "NOW")) {
		ts->tv_nsec = UTIME_NOW;
	} else if (!strcmp(t->s, "OMIT")) {
		ts->tv_nsec = UTIME_OMIT;
	} else {
		ts->tv_sec = strtol(t->s, &dot, 10);
		ts->tv_nsec = *dot == '.' ? strtol(dot + 1, NULL, 10) : 0;
	}
}

/* utimensat D P (NULL | A M) FLAGS; futimens $f A M */
static void op_utimens(struct interp *in, const struct op *op)
{
	struct timespec ts[2];
	int f = !strcmp(op->name, "futimens"), i = f ? 2 : 3;
	long r, times = L(ts), flags;

	if (!strcmp(arg(in, i)->s, "NULL")) {
		times = 0;
		i += 1;
	} else {
		parse_ts(in, i, &ts[0]);
		parse_ts(in, i + 1, &ts[1]);
		i += 2;
	}
	flags = i < in->nt ? arg_num(in, i) : 0;
	r = SYS(SYS_utimensat, arg_fd(in, 1), f ? 0 : L(arg_path(in, 2)), times,
		flags, 0, 0);
	finish(in, r, K_RET, NULL);
}

static void op_getcwd(struct interp *in, const struct op *op)
{
	long n = in->nt > 1 ? arg_num(in, 1) : 4096, r;

	(void)op;
	r = SYS(SYS_getcwd, L(iobuf), n, 0, 0, 0, 0);
	out_ret(in, r);
	if (r > 0)
		replace_root(in, iobuf, strnlen(iobuf, (size_t)r));
}

static void op_statfs(struct interp *in, const struct op *op)
{
	struct statfs sf;
	long r;

	if (!strcmp(op->name, "fstatfs"))
		r = SYS(SYS_fstatfs, arg_fd(in, 1), L(&sf), 0, 0, 0, 0);
	else
		r = SYS(SYS_statfs, L(arg_path(in, 1)), L(&sf), 0, 0, 0, 0);
	out_ret(in, r);
	if (r == 0)
		outf(in, " type=0x%lx bsize=%ld namelen=%ld frsize=%ld",
		     (long)sf.f_type, (long)sf.f_bsize, (long)sf.f_namelen,
		     (long)sf.f_frsize);
}

static void op_umask(struct interp *in, const struct op *op)
{
	(void)op;
	out_ret(in, SYS(SYS_umask, arg_num(in, 1), 0, 0, 0, 0, 0) >= 0 ? 0 : -1);
}

/*
 * su UID GID [G1,G2,...]: switch the file-system identity.  setfsuid to a
 * non-zero id drops the file capabilities (CAP_DAC_OVERRIDE, CAP_FOWNER,
 * CAP_CHOWN, ...) from the effective set; back to 0 restores them, as
 * kernel/sys.c does.  access(2) keeps using the real uid (still 0).
 */
static void op_su(struct interp *in, const struct op *op)
{
	gid_t groups[32];
	long n = 0;
	char *s = in->nt > 3 ? arg(in, 3)->s : NULL;

	(void)op;
	while (s && *s && n < 32) {
		groups[n++] = (gid_t)strtoul(s, &s, 10);
		if (*s == ',')
			s++;
	}
	SYS(SYS_setgroups, n, L(groups), 0, 0, 0, 0);
	SYS(SYS_setfsgid, arg_num(in, 2), 0, 0, 0, 0, 0);
	SYS(SYS_setfsuid, arg_num(in, 1), 0, 0, 0, 0, 0);
	outf(in, "0");
}

/*
 * setxattr P NAME DATA [FLAGS] (lsetxattr; fsetxattr D ...),
 * getxattr P NAME N (lgetxattr; fgetxattr D ...), listxattr P N
 * (llistxattr; flistxattr D N), removexattr P NAME (lremovexattr;
 * fremovexattr D NAME): the value or the NUL-separated names printed
 */
static void op_xattr(struct interp *in, const struct op *op)
{
	static const struct { const char *n; long nr; int kind; } t[] = {
		{ "setxattr", SYS_setxattr, 0 }, { "lsetxattr", SYS_lsetxattr, 0 },
		{ "fsetxattr", SYS_fsetxattr, 0 }, { "getxattr", SYS_getxattr, 1 },
		{ "lgetxattr", SYS_lgetxattr, 1 }, { "fgetxattr", SYS_fgetxattr, 1 },
		{ "listxattr", SYS_listxattr, 2 }, { "llistxattr", SYS_llistxattr, 2 },
		{ "flistxattr", SYS_flistxattr, 2 }, { "removexattr", SYS_removexattr, 3 },
		{ "lremovexattr", SYS_lremovexattr, 3 }, { "fremovexattr", SYS_fremovexattr, 3 },
	};
	size_t k, nlen, vlen;
	long obj, r;
	char *name, *val;

	for (k = 0; strcmp(t[k].n, op->name); k++)
		;
	obj = op->name[0] == 'f' ? arg_fd(in, 1) : L(arg_path(in, 1));
	/* a size of 0 asks for the size alone: nothing was written to print */
	if (t[k].kind == 2) {
		size_t n = io_len(in, 2);

		r = SYS(t[k].nr, obj, L(iobuf), (long)n, 0, 0, 0);
		finish(in, r, n ? K_DATA : K_RET, iobuf);
		return;
	}
	name = arg_str(in, 2, &nlen);
	if (t[k].kind == 0) {
		val = arg_str(in, 3, &vlen);
		r = SYS(t[k].nr, obj, L(name), L(val), (long)vlen,
			in->nt > 4 ? arg_num(in, 4) : 0, 0);
	} else if (t[k].kind == 1) {
		r = SYS(t[k].nr, obj, L(name), L(iobuf), (long)io_len(in, 3), 0, 0);
	} else {
		r = SYS(t[k].nr, obj, L(name), 0, 0, 0, 0);
	}
	finish(in, r, t[k].kind == 1 && io_len(in, 3) ? K_DATA : K_RET, iobuf);
}

/* capeff MASK: the effective capabilities 0..31 (permitted ones only) */
static void op_capeff(struct interp *in, const struct op *op)
{
	struct { uint32_t version; int pid; } h = { 0x20080522, 0 };
	struct { uint32_t eff, perm, inh; } d[2];
	long r;

	(void)op;
	r = SYS(SYS_capget, L(&h), L(d), 0, 0, 0, 0);
	if (!r) {
		d[0].eff = (uint32_t)arg_num(in, 1) & d[0].perm;
		r = SYS(SYS_capset, L(&h), L(d), 0, 0, 0, 0);
	}
	finish(in, r, K_RET, NULL);
}

/* flock $f OP; copy_file_range / sendfile $in $out N */
static void op_fdcalls(struct interp *in, const struct op *op)
{
	long r;

	if (!strcmp(op->name, "flock"))
		r = SYS(SYS_flock, arg_fd(in, 1), arg_num(in, 2), 0, 0, 0, 0);
	else if (!strcmp(op->name, "sendfile"))
		r = SYS(SYS_sendfile, arg_fd(in, 2), arg_fd(in, 1), 0,
			(long)io_len(in, 3), 0, 0);
	else
		r = SYS(SYS_copy_file_range, arg_fd(in, 1), 0, arg_fd(in, 2), 0,
			(long)io_len(in, 3), 0);
	finish(in, r, K_RET, NULL);
}

/* lock $f CMD TYPE START LEN: fcntl record locks (F_GETLK prints what it found) */
static void op_lock(struct interp *in, const struct op *op)
{
	struct flock fl = { 0 };
	long cmd = arg_num(in, 2), r;

	(void)op;
	fl.l_type = (short)arg_num(in, 3);
	fl.l_whence = SEEK_SET;
	fl.l_start = arg_num(in, 4);
	fl.l_len = arg_num(in, 5);
	r = SYS(SYS_fcntl, arg_fd(in, 1), cmd, L(&fl), 0, 0, 0);
	out_ret(in, r);
	if (r == 0 && (cmd == F_GETLK || cmd == F_OFD_GETLK))
		outf(in, " type=%d start=%lld len=%lld", fl.l_type, (long long)fl.l_start,
		     (long long)fl.l_len);
}

/* pipe $r $w [FLAGS]: pipe2, binding both ends (the numbers never printed) */
static void op_pipe(struct interp *in, const struct op *op)
{
	int fds[2];
	long r;

	(void)op;
	r = SYS(SYS_pipe2, L(fds), in->nt > 3 ? arg_num(in, 3) : 0, 0, 0, 0, 0);
	if (r == 0 && arg(in, 1)->s[0] == '$' && arg(in, 2)->s[0] == '$') {
		set_var(in, arg(in, 1)->s + 1, fds[0]);
		set_var(in, arg(in, 2)->s + 1, fds[1]);
	}
	finish(in, r, K_RET, NULL);
}

/* splice $in $out N [FLAGS]; tee $in $out N [FLAGS]: NULL offsets (the files' positions) */
static void op_splice(struct interp *in, const struct op *op)
{
	long flags = in->nt > 4 ? arg_num(in, 4) : 0, r;

	if (!strcmp(op->name, "tee"))
		r = SYS(SYS_tee, arg_fd(in, 1), arg_fd(in, 2), (long)io_len(in, 3), flags, 0, 0);
	else
		r = SYS(SYS_splice, arg_fd(in, 1), 0, arg_fd(in, 2), 0, (long)io_len(in, 3), flags);
	finish(in, r, K_RET, NULL);
}

/* getflags $f; setflags $f FLAGS: FS_IOC_GETFLAGS / FS_IOC_SETFLAGS (chattr) */
static void op_ioflags(struct interp *in, const struct op *op)
{
	int flags = 0;
	long r;

	if (!strcmp(op->name, "setflags")) {
		flags = (int)arg_num(in, 2);
		r = SYS(SYS_ioctl, arg_fd(in, 1), FS_IOC_SETFLAGS, L(&flags), 0, 0, 0);
		finish(in, r, K_RET, NULL);
		return;
	}
	r = SYS(SYS_ioctl, arg_fd(in, 1), FS_IOC_GETFLAGS, L(&flags), 0, 0, 0);
	out_ret(in, r);
	if (r == 0)
		outf(in, " flags=0x%x", flags);
}

static sigjmp_buf bus_jmp;

static void on_bus(int sig)
{
	siglongjmp(bus_jmp, sig);
}

/*
 * mmap $f OFF LEN PROT: a shared mapping, read whole (a page past the end
 * of the file is SIGBUS, printed as such); mwrite $f OFF DATA: the data
 * written through a shared mapping, then msync(MS_SYNC).
 */
static void op_mmap(struct interp *in, const struct op *op)
{
	int w = !strcmp(op->name, "mwrite");
	struct sigaction sa = { .sa_handler = on_bus }, old_bus, old_segv;
	size_t len = 0;
	char *data = w ? arg_str(in, 3, &len) : NULL;
	long off = arg_num(in, 2), prot = w ? PROT_READ | PROT_WRITE : arg_num(in, 4), r;
	volatile long mapped;
	int sig;

	if (!w)
		len = io_len(in, 3);
	mapped = SYS(SYS_mmap, 0, (long)len, prot, MAP_SHARED, arg_fd(in, 1), off);
	if (mapped < 0) {
		out_ret(in, mapped);
		return;
	}
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	if ((sig = sigsetjmp(bus_jmp, 1)) == 0) {
		if (w) {
			memcpy((void *)mapped, data, len);
			r = SYS(SYS_msync, mapped, (long)len, MS_SYNC, 0, 0, 0);
			out_ret(in, r);
		} else {
			memcpy(iobuf, (void *)mapped, len);
			outf(in, "0");
			out_data(in, iobuf, len);
		}
	} else {
		outf(in, "%s", sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
	}
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	SYS(SYS_munmap, mapped, (long)len, 0, 0, 0, 0);
}

/*
 * fork: the lines up to the matching join run in a child (fds, cwd, umask
 * and identity inherited; the file system shared) while the parent waits;
 * then the parent skips them and runs the rest. The child's transcript
 * lines follow the fork line, and the join line shows how the child ended:
 * one deterministic interleaving of two processes, the same on both sides.
 */
static void collect_child(struct interp *in, int fd, pid_t pid)
{
	size_t cap = 4096;
	ssize_t n;

	in->pending = malloc(cap);
	in->npending = 0;
	for (;;) {
		if (in->npending == cap)
			in->pending = realloc(in->pending, cap *= 2);
		n = read(fd, in->pending + in->npending, cap - in->npending);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		in->npending += (size_t)n;
	}
	close(fd);
	while (waitpid(pid, &in->child_status, 0) < 0 && errno == EINTR)
		;
}

static void op_fork(struct interp *in, const struct op *op)
{
	int p[2];
	pid_t pid;

	(void)op;
	fflush(in->tx);
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		out_ret(in, -errno);
		return;
	}
	if (pid == 0) {
		/* the parent killed (AFL++'s timeout): no orphan keeps writing */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		/* an outer level's transcript and pipe are the parent's alone */
		if (in->child_tx) {
			fclose(in->child_tx);
			free(in->child_buf);
			close(in->child_fd);
		}
		in->child_fd = p[1];
		in->child_buf = NULL;
		in->tx = in->child_tx = open_memstream(&in->child_buf, &in->child_len);
		in->forked_child = 1;
		if (in->hooks.start)
			in->hooks.start(in->hooks.ctx);
		return;
	}
	close(p[1]);
	collect_child(in, p[0], pid);
	outf(in, "0");
	in->skip = 1;
}

/* a child ends at its join; a parent's join was its skipped lines' end */
/*
 * The transcript goes up in one write, which the parent's reads find whole
 * (up to a pipe's 64 KiB): written as it came, the number of reads the
 * parent makes would depend on timing, and a fuzzer's coverage with it.
 */
static void child_exit(struct interp *in)
{
	if (!in->child_tx)
		return;
	if (in->hooks.end)
		in->hooks.end(in->hooks.ctx);
	fclose(in->child_tx);
	for (size_t off = 0; off < in->child_len;) {
		ssize_t n = write(in->child_fd, in->child_buf + off, in->child_len - off);

		if (n <= 0 && errno != EINTR)
			break;
		off += n > 0 ? (size_t)n : 0;
	}
	_exit(0);
}

static void op_join(struct interp *in, const struct op *op)
{
	(void)op;
	child_exit(in);
	out_ret(in, -ECHILD);
}

/* a parent, over the lines its child ran: returns 1 while skipping */
static int skipped(struct interp *in)
{
	int st = in->child_status;

	if (!in->skip)
		return 0;
	if (!strcmp(in->t[0].s, "fork"))
		in->skip++;
	else if (!strcmp(in->t[0].s, "join") && --in->skip == 0) {
		fprintf(in->tx, "join => %s%d\n", WIFEXITED(st) ? "" : "SIG",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
	return 1;
}

/* ---- for fsscript_mount.c; the other accessors are below ---- */

void fsi_parse_error(void)
{
	parse_error = 1;
}

/*
 * A new mount's device may be one an unmounted file system had (Linux
 * recycles anonymous device numbers): the inodes seen on it before are
 * forgotten, so that the new file system's are labelled afresh.
 */
void fsi_forget_dev(struct interp *in, unsigned long long dev)
{
	for (int k = 0; k < in->ninodes; k++)
		if (in->inodes[k].dev == dev)
			in->inodes[k].dev = UINT64_MAX;
}

void fsi_forget_devs_but(struct interp *in, const unsigned long long *live, int n)
{
	for (int k = 0; k < in->ninodes; k++) {
		int mounted = in->inodes[k].dev == UINT64_MAX;

		for (int i = 0; i < n && !mounted; i++)
			mounted = in->inodes[k].dev == live[i];
		if (!mounted)
			in->inodes[k].dev = UINT64_MAX;
	}
}

static void op_echo(struct interp *in, const struct op *op)
{
	(void)in;
	(void)op;
}

static const struct op ops[] = {
	{ "open", op_open }, { "openat", op_openat }, { "openat2", op_openat2 },
	{ "creat", op_creat }, { "close", op_fd1 }, { "fsync", op_fd1 },
	{ "fdatasync", op_fd1 }, { "fchdir", op_fd1 }, { "dup", op_fd1 },
	{ "read", op_read }, { "pread", op_read }, { "write", op_write },
	{ "pwrite", op_write }, { "readv", op_readv }, { "preadv", op_readv },
	{ "writev", op_writev }, { "pwritev", op_writev },
	{ "preadv2", op_readv }, { "pwritev2", op_writev },
	{ "pipe", op_pipe }, { "splice", op_splice }, { "tee", op_splice },
	{ "getflags", op_ioflags }, { "setflags", op_ioflags },
	{ "fork", op_fork }, { "join", op_join },
	{ "lseek", op_lseek }, { "fstat", op_stat }, { "stat", op_stat },
	{ "lstat", op_stat }, { "fstatat", op_stat }, { "statx", op_statx },
	{ "mkdir", op_path }, { "rmdir", op_path }, { "unlink", op_path },
	{ "chdir", op_path }, { "truncate", op_path }, { "chmod", op_path },
	{ "access", op_path }, { "chown", op_path }, { "lchown", op_path },
	{ "mknod", op_path }, { "mknodat", op_at },
	{ "mkdirat", op_at }, { "unlinkat", op_at }, { "fchmodat", op_at },
	{ "faccessat", op_at }, { "faccessat2", op_at }, { "fchownat", op_at },
	{ "fchmodat2", op_at },
	{ "rename", op_two }, { "link", op_two }, { "renameat", op_two_at },
	{ "renameat2", op_two_at }, { "linkat", op_two_at },
	{ "symlink", op_symlink }, { "symlinkat", op_symlink },
	{ "readlink", op_readlink }, { "readlinkat", op_readlink },
	{ "getdents", op_getdents }, { "ftruncate", op_fdnum },
	{ "fchmod", op_fdnum }, { "fchown", op_fdnum }, { "dup2", op_fdnum },
	{ "dup3", op_fdnum }, { "fcntl", op_fdnum }, { "fallocate", op_fdnum },
	{ "utimensat", op_utimens }, { "futimens", op_utimens },
	{ "getcwd", op_getcwd }, { "statfs", op_statfs },
	{ "fstatfs", op_statfs }, { "umask", op_umask }, { "su", op_su },
	{ "echo", op_echo }, { "capeff", op_capeff },
	{ "setxattr", op_xattr }, { "lsetxattr", op_xattr }, { "fsetxattr", op_xattr },
	{ "getxattr", op_xattr }, { "lgetxattr", op_xattr }, { "fgetxattr", op_xattr },
	{ "listxattr", op_xattr }, { "llistxattr", op_xattr }, { "flistxattr", op_xattr },
	{ "removexattr", op_xattr }, { "lremovexattr", op_xattr }, { "fremovexattr", op_xattr },
	{ "flock", op_fdcalls }, { "copy_file_range", op_fdcalls }, { "sendfile", op_fdcalls },
	{ "lock", op_lock }, { "mmap", op_mmap }, { "mwrite", op_mmap },
	{ NULL, NULL }
};

/* ---- for the operations of other files (fsscript.h) ---- */

long fsi_sys(struct interp *in, long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return sys6(in, nr, a0, a1, a2, a3, a4, a5);
}

int fsi_nargs(struct interp *in)
{
	return in->nt;
}

long fsi_arg_num(struct interp *in, int i)
{
	return arg_num(in, i);
}

long fsi_arg_fd(struct interp *in, int i)
{
	return arg_fd(in, i);
}

char *fsi_arg_path(struct interp *in, int i)
{
	return arg_path(in, i);
}

const char *fsi_arg_tok(struct interp *in, int i)
{
	return arg(in, i)->s;
}

const char *fsi_root(struct interp *in)
{
	return in->root;
}

long fsi_arg_names(struct interp *in, int i, const struct fsi_name *names)
{
	const char *s = fsi_arg_tok(in, i);
	long v = 0;

	for (;;) {
		size_t n = strcspn(s, "|");
		const struct fsi_name *nv = names;

		while (nv->name && (strlen(nv->name) != n || strncmp(nv->name, s, n)))
			nv++;
		if (nv->name) {
			v |= nv->val;
		} else {
			char *end;
			long x = strtol(s, &end, 0);

			if ((size_t)(end - s) != n)
				return fsi_arg_num(in, i); /* the interpreter's names */
			v |= x;
		}
		if (!s[n])
			return v;
		s += n + 1;
	}
}

unsigned fsi_flags(const struct interp *in)
{
	return in->flags;
}

void fsi_outf(struct interp *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	voutf(in, fmt, ap);
	va_end(ap);
}

void fsi_out_ret(struct interp *in, long r)
{
	out_ret(in, r);
}

void fsi_out_data(struct interp *in, const char *p, size_t n)
{
	out_data(in, p, n);
}

void fsi_out_path(struct interp *in, const char *p, size_t n)
{
	replace_root(in, p, n);
}

void fsi_out_fd(struct interp *in, long r)
{
	finish(in, r, K_FD, NULL);
}

void fsi_out_stat(struct interp *in, long r, const struct stat *st)
{
	finish(in, r, K_STAT, (void *)st);
}

void fsi_out_statx(struct interp *in, long r, const struct statx *sx)
{
	finish(in, r, K_STATX, (void *)sx);
}

void fsi_set_base(struct interp *in, const char *base)
{
	in->base = base;
}

const struct fsi_child_hooks *fsi_child_hooks(const struct interp *in)
{
	return &in->hooks;
}

void fsi_set_child_hooks(struct interp *in, const struct fsi_child_hooks *h)
{
	in->hooks = *h;
}

char *fsi_arg_str(struct interp *in, int i, size_t *len)
{
	return arg_str(in, i, len);
}

int fsi_arg_quoted(struct interp *in, int i)
{
	return arg(in, i)->quoted;
}

/* an operation of the other files' tables (fsscript.h), or NULL */
static const struct fsi_op *fsi_ext_op(const char *name)
{
	static const struct fsi_op *const tables[] = { fsi_proc_ops, fsi_mount_ops, fsi_dev_ops,
								fsi_notify_ops };

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (const struct fsi_op *t = tables[i]; t->name; t++)
			if (!strcmp(t->name, name))
				return t;
	return NULL;
}

/* ---- driver ---- */

long fs_real_sys(void *ctx, long nr, long a0, long a1, long a2, long a3,
		    long a4, long a5)
{
	long r;

	(void)ctx;
	r = syscall(nr, a0, a1, a2, a3, a4, a5);
	return r == -1 ? -errno : r;
}

/* "... -> $name" binds the fd returned by the operation */
static const char *strip_binding(struct interp *in)
{
	if (in->nt >= 2 && !strcmp(in->t[in->nt - 2].s, "->") &&
	    in->t[in->nt - 1].s[0] == '$') {
		in->nt -= 2;
		return in->t[in->nt + 1].s + 1;
	}
	return NULL;
}

/*
 * A call that failed changed nothing (Linux checks before it acts), so the
 * next operation need not wait for a tick of its own: only a call that may
 * have moved a timestamp starts a new one. That saves a tick (4 ms at
 * HZ=250) per failing operation, most of a random script's. mmap's mwrite
 * is no single call: its msync may fail after the store through the mapping.
 */
static int op_changed_nothing(const struct interp *in, const struct op *op)
{
	return in->outlen >= 2 && in->out[0] == '-' && in->out[1] == 'E' &&
	       op->fn != op_mmap;
}

/* returns 0 for a line a parent skipped (its child ran it), else 1 */
static int run_line(struct interp *in, char *line)
{
	const struct op *op;
	const struct fsi_op *ext;
	const char *bind;
	struct timespec prev_op;
	size_t len = strlen(line);
	long fd;

	while (len && (line[len - 1] == '\n' || line[len - 1] == ' '))
		line[--len] = 0;
	if (line[strspn(line, " \t")] == '#' || !line[strspn(line, " \t")])
		return 1;
	if (tokenize(in, line) < 0 || in->nt == 0) {
		if (in->nt == 0 && !strchr(line, '"'))
			goto out;
		fprintf(in->tx, "%s => PARSE ERROR\n", line);
		goto out;
	}
	if (skipped(in)) {
		free_tokens(in);
		return 0;
	}
	bind = strip_binding(in);
	for (op = ops; op->name && strcmp(op->name, in->t[0].s); op++)
		;
	ext = op->name ? NULL : fsi_ext_op(in->t[0].s);
	in->outlen = 0;
	parse_error = 0;
	if (!op->name && !ext) {
		fprintf(in->tx, "%s => UNKNOWN OP\n", line);
		goto out;
	}
	prev_op = in->last_op;
	wait_clock(in);
	if (ext)
		ext->fn(in, ext->name);
	else
		op->fn(in, op);
	if (op_changed_nothing(in, op))
		in->last_op = prev_op;
	if (bind && in->outlen >= 2 && !strncmp(in->out, "fd", 2)) {
		/* the backend's fd number is kept, never printed */
		fd = in->b->sys(in->b->ctx, -1, 0, 0, 0, 0, 0, 0);
		set_var(in, bind, fd);
	}
	if (in->forked_child) {
		in->forked_child = 0;
		goto out;
	}
	fprintf(in->tx, "%s => %.*s%s\n", line, (int)in->outlen, in->out,
		parse_error ? " PARSE ERROR" : "");
	if (in->pending) {
		fwrite(in->pending, 1, in->npending, in->tx);
		free(in->pending);
		in->pending = NULL;
	}
out:
	free_tokens(in);
	return 1;
}


static long tracking_sys(void *ctx, long nr, long a0, long a1, long a2, long a3,
			 long a4, long a5)
{
	struct last_fd *lf = ctx;
	long r;

	if (nr == -1)
		return lf->last;
	r = lf->inner->sys(lf->inner->ctx, nr, a0, a1, a2, a3, a4, a5);
	lf->last = r;
	return r;
}

struct interp *fsi_open(struct fs_backend *inner, const char *root,
		        unsigned flags)
{
	struct interp *in = calloc(1, sizeof(*in));

	in->lf = calloc(1, sizeof(*in->lf));
	in->lf->inner = inner;
	in->lf->last = -1;
	in->track = (struct fs_backend){ "tracking", tracking_sys, in->lf };
	in->b = &in->track;
	in->root = root;
	in->rootlen = strlen(root);
	in->inodes = calloc(MAXINODES, sizeof(*in->inodes));
	in->tx = stdout;
	in->flags = flags;
	/* a write to a pipe or FIFO without a reader is EPIPE, a result */
	signal(SIGPIPE, SIG_IGN);
	/*
	 * A lease's break and dnotify's events raise SIGIO at their owner, the
	 * interpreter (F_SETSIG 0): what is compared is what the calls answer;
	 * the signals themselves have their own two-sided tests
	 * (tests/tmpfs/fcntl_lease.c, dnotify.c).
	 */
	signal(SIGIO, SIG_IGN);
	if (!iobuf)
		iobuf = malloc(IOBUF_SIZE);
	return in;
}

int fsi_line(struct interp *in, const char *line, FILE *tx)
{
	char *copy = strdup(line);
	int ran;

	in->tx = in->child_tx ? in->child_tx : tx;
	ran = run_line(in, copy);
	free(copy);
	return ran;
}

long fsi_var(struct interp *in, const char *name)
{
	for (int k = 0; k < in->nvars; k++)
		if (!strcmp(in->vars[k].name, name))
			return in->vars[k].fd;
	return -1;
}

void fsi_set_var(struct interp *in, const char *name, long fd)
{
	set_var(in, name, fd);
}

void fsi_close(struct interp *in)
{
	child_exit(in);
	free(in->inodes);
	free(in->lf);
	free(in);
}

#ifndef FSSCRIPT_EMBED
static char *slurp(FILE *f)
{
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);

	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = 0;
	return buf;
}

static int run_script(struct fs_backend *inner, const char *root, char *text)
{
	struct interp *in = fsi_open(inner, root, 0);
	char *line, *save = NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		run_line(in, line);
	fsi_close(in);
	free(iobuf);
	return 0;
}

int main(int argc, char **argv)
{
	struct fs_backend real = { "real", fs_real_sys, NULL }, lib, *b = &real;
	int i = 1, rc;
	FILE *f = stdin;
	char *text;

	if (argc == 4 && !strcmp(argv[1], "--gen")) {
		fs_generate(strtoul(argv[2], NULL, 0), atoi(argv[3]), stdout);
		return 0;
	}
	if (argc > 1 && !strncmp(argv[1], "--backend=", 10)) {
		if (!strcmp(argv[1] + 10, "lib"))
			b = &lib;
		i++;
	}
	if (argc - i < 1 || argc - i > 2) {
		fprintf(stderr, "usage: fsscript [--backend=real|lib] ROOT [SCRIPT]\n"
				"       fsscript --gen SEED NOPS\n");
		return 2;
	}
	if (argc - i == 2 && !(f = fopen(argv[i + 1], "r"))) {
		perror(argv[i + 1]);
		return 2;
	}
	text = slurp(f);
	if (f != stdin)
		fclose(f);
	if (b == &lib && fs_lib_backend_init(&lib, argv[i]) < 0) {
		fprintf(stderr, "fsscript: cannot start the lib backend\n");
		return 2;
	}
	b->sys(b->ctx, SYS_umask, 022, 0, 0, 0, 0, 0);
	rc = run_script(b, argv[i], text);
	if (b == &lib)
		fs_lib_backend_fini(&lib);
	free(text);
	return rc;
}
#endif /* FSSCRIPT_EMBED */
