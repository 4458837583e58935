/* fsscript operations on /proc's views of the files, and exec.
 *
 *   fdlink F              readlink /proc/self/fd/F
 *   proclink NAME         readlink /proc/NAME (self/cwd, self/root, thread-self/cwd)
 *   fdinfo F              /proc/self/fdinfo/F: its pos and flags (mnt_id, ino left out)
 *   reopen F FLAGS [MODE] open /proc/self/fd/F (binds with -> $x)
 *   fdstat HOW F          stat, lstat or statx of /proc/self/fd/F
 *   cwdstat HOW P         the same of /proc/self/cwd/P (P as written, never ROOT's)
 *   fdlinkat F P          linkat(/proc/self/fd/F, P, AT_SYMLINK_FOLLOW)
 *   mkexec P KIND         writes a known executable into P (0755 when new);
 *                         KIND "TEXT" (quoted): those bytes, a "#!" line
 *   exec P HOW            in a child: execve P (nofollow, fexecve, opath: by fd)
 *   fexec F               in a child: execveat(F, "", AT_EMPTY_PATH)
 *
 * Paths the links print are normalized as readlink's are (<root>+...); an
 * exec prints the child's errno, or how it ended and what it wrote on its
 * stdout (normalized the same way, /dev/fd/N's number masked).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsscript.h"

#define PROCBUF 4096

/* /proc/self/<dir>/<fd argument i> */
static const char *fd_path(struct interp *in, const char *dir, int i, char *buf, size_t cap)
{
	snprintf(buf, cap, "/proc/self/%s/%ld", dir, fsi_arg_fd(in, i));
	return buf;
}

/* replaces the digits after each @mark in s by one N */
static void mask_numbers(char *s, size_t *n, const char *mark)
{
	size_t ml = strlen(mark);
	char *at = s;

	while ((at = memmem(at, *n - (size_t)(at - s), mark, ml))) {
		char *d = at += ml;
		size_t k = 0;

		while (d + k < s + *n && d[k] >= '0' && d[k] <= '9')
			k++;
		if (!k)
			continue;
		*d = 'N';
		memmove(d + 1, d + k, *n - (size_t)(d + k - s));
		*n -= k - 1;
	}
}

/*
 * Numbers each side has of its own: a pipe's or socket's inode, an
 * O_TMPFILE's (its name is #INO), a process's pid, an fd's number.
 */
static void mask_own_numbers(char *s, size_t *n)
{
	static const char *const marks[] = { "pipe:[", "socket:[", "/#", "/proc/", "/fd/" };

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		mask_numbers(s, n, marks[i]);
}

static void out_link(struct interp *in, const char *path)
{
	char buf[PROCBUF];
	long r = fsi_sys(in, SYS_readlink, (long)path, (long)buf, sizeof(buf), 0, 0, 0);
	size_t n = r > 0 ? (size_t)r : 0;

	if (r < 0) {
		fsi_out_ret(in, r);
		return;
	}
	/* the length of what is compared */
	mask_own_numbers(buf, &n);
	fsi_outf(in, "%zu", n);
	fsi_out_path(in, buf, n);
}

static void op_fdlink(struct interp *in, const char *name __attribute__((unused)))
{
	char p[64];

	out_link(in, fd_path(in, "fd", 1, p, sizeof(p)));
}

static void op_proclink(struct interp *in, const char *name __attribute__((unused)))
{
	char p[PROCBUF];

	snprintf(p, sizeof(p), "/proc/%s", fsi_arg_tok(in, 1));
	out_link(in, p);
}

/* the value of "tag:\t..." in fdinfo's text, or -1 */
static long long fdinfo_field(const char *text, const char *tag, int base)
{
	const char *at = strstr(text, tag);

	return at ? strtoll(at + strlen(tag), NULL, base) : -1;
}

static void op_fdinfo(struct interp *in, const char *name __attribute__((unused)))
{
	char p[64], text[PROCBUF];
	long fd = fsi_sys(in, SYS_open, (long)fd_path(in, "fdinfo", 1, p, sizeof(p)),
			  O_RDONLY | O_CLOEXEC, 0, 0, 0, 0), n;

	if (fd < 0) {
		fsi_out_ret(in, fd);
		return;
	}
	n = fsi_sys(in, SYS_read, fd, (long)text, sizeof(text) - 1, 0, 0, 0);
	fsi_sys(in, SYS_close, fd, 0, 0, 0, 0, 0);
	if (n < 0) {
		fsi_out_ret(in, n);
		return;
	}
	text[n] = 0;
	fsi_outf(in, "pos=%lld flags=0%llo", fdinfo_field(text, "pos:", 10),
		 fdinfo_field(text, "flags:", 8));
}

static void op_reopen(struct interp *in, const char *name __attribute__((unused)))
{
	char p[64];
	long mode = fsi_nargs(in) > 3 ? fsi_arg_num(in, 3) : 0;

	fsi_out_fd(in, fsi_sys(in, SYS_open, (long)fd_path(in, "fd", 1, p, sizeof(p)),
			       fsi_arg_num(in, 2), mode, 0, 0, 0));
}

/* HOW (stat, lstat, statx) of @path */
static void stat_how(struct interp *in, const char *how, const char *path)
{
	struct statx sx;
	struct stat st;
	long r;

	if (!strcmp(how, "statx")) {
		memset(&sx, 0, sizeof(sx));
		r = fsi_sys(in, SYS_statx, AT_FDCWD, (long)path, 0,
			    STATX_BASIC_STATS | STATX_BTIME, (long)&sx, 0);
		fsi_out_statx(in, r, &sx);
		return;
	}
	r = fsi_sys(in, strcmp(how, "lstat") ? SYS_stat : SYS_lstat, (long)path, (long)&st,
		    0, 0, 0, 0);
	fsi_out_stat(in, r, &st);
}

static void op_fdstat(struct interp *in, const char *name __attribute__((unused)))
{
	char p[64];

	stat_how(in, fsi_arg_tok(in, 1), fd_path(in, "fd", 2, p, sizeof(p)));
}

/* the path as written: relative to the cwd whatever its ROOT marks say */
static void op_cwdstat(struct interp *in, const char *name __attribute__((unused)))
{
	const char *rel = fsi_arg_tok(in, 2);
	char *p;

	rel += *rel == '=' || *rel == '@';
	if (asprintf(&p, "/proc/self/cwd/%s", rel) < 0) {
		fsi_out_ret(in, -ENOMEM);
		return;
	}
	stat_how(in, fsi_arg_tok(in, 1), p);
	free(p);
}

static void op_fdlinkat(struct interp *in, const char *name __attribute__((unused)))
{
	char p[64];

	fsi_out_ret(in, fsi_sys(in, SYS_linkat, AT_FDCWD, (long)fd_path(in, "fd", 1, p, sizeof(p)),
				AT_FDCWD, (long)fsi_arg_path(in, 2), AT_SYMLINK_FOLLOW, 0));
}

/* ---- exec ---- */

/* a copy of a small ELF executable of the host, read once */
static const char *elf_bytes(size_t *len)
{
	static char *elf;
	static size_t n;
	FILE *f;

	if (!elf && (f = fopen("/bin/true", "re"))) {
		elf = malloc(1 << 20);
		n = fread(elf, 1, 1 << 20, f);
		fclose(f);
	}
	*len = n;
	return elf;
}

void fsi_proc_warm(void)
{
	size_t len;

	elf_bytes(&len);
}

/* the executable of KIND */
static char *exec_text(const char *kind, size_t *len)
{
	static const struct {
		const char *kind, *text;
	} texts[] = {
		{ "sh", "#!/bin/sh\necho \"$0\" $#\nexit 3\n" },
		{ "missing", "#!/nonexistent/ukcov-interp\n" },
		{ "dirinterp", "#!/\n" },
		{ "garbage", "garbage\n" },
		{ "empty", "" },
	};
	char *t = NULL;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (!strcmp(kind, texts[i].kind))
			t = strdup(texts[i].text);
	/*
	 * nest: a script whose interpreter is the script "a" of the cwd
	 * (open_exec() of a relative name walks from the exec'ing process's
	 * cwd). Not ROOT/a: the file's bytes would name each side's own
	 * scratch root, and a read of it would differ by construction.
	 */
	if (!strcmp(kind, "nest"))
		t = strdup("#!a\n");
	if (!strcmp(kind, "long") && (t = malloc(304))) {
		/* no newline within BINPRM_BUF_SIZE (256): binfmt_script's ENOEXEC */
		memcpy(t, "#!/", 3);
		memset(t + 3, 'x', 300);
		t[303] = 0;
	}
	if (!strcmp(kind, "badelf") && (t = calloc(1, 65)))
		memcpy(t, "\x7f" "ELF\x02\x01\x01", 7);
	*len = t ? (!strcmp(kind, "badelf") ? 64 : strlen(t)) : 0;
	if (!strcmp(kind, "elf")) {
		const char *e = elf_bytes(len);

		t = e ? memcpy(malloc(*len + 1), e, *len) : NULL;
	}
	return t;
}

static void op_mkexec(struct interp *in, const char *name __attribute__((unused)))
{
	size_t len;
	char *t = exec_text(fsi_arg_tok(in, 2), &len);
	long fd, r;

	if (!t && fsi_arg_quoted(in, 2)) {
		const char *text = fsi_arg_str(in, 2, &len);

		if ((t = malloc(len + 1)))
			memcpy(t, text, len);
	}

	if (!t) {
		fsi_outf(in, "UNKNOWN KIND");
		return;
	}
	fd = fsi_sys(in, SYS_openat, AT_FDCWD, (long)fsi_arg_path(in, 1),
		     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755, 0, 0);
	r = fd < 0 ? fd : fsi_sys(in, SYS_write, fd, (long)t, (long)len, 0, 0, 0);
	if (fd >= 0)
		fsi_sys(in, SYS_close, fd, 0, 0, 0, 0, 0);
	fsi_out_ret(in, r < 0 ? r : 0);
	free(t);
}

struct exec_how {
	const char *path; /* NULL: by @fd */
	int fd, open_flags, at_flags;
};

/* the child: never returns; its errno goes up @err when the exec fails */
static void exec_child(const struct exec_how *h, const struct fsi_child_hooks *k, int out, int err)
{
	static char *const envp[] = { "PATH=/usr/bin:/bin", NULL };
	char *argv[] = { (char *)(h->path ? h->path : ""), NULL };
	int fd = h->fd, null = open("/dev/null", O_WRONLY);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* a hung interpreter ends with the default action of SIGALRM */
	alarm(2);
	dup2(out, 1);
	dup2(null, 2);
	if (h->open_flags >= 0 && (fd = open(h->path, h->open_flags)) < 0)
		goto fail;
	if (k->exec_enable)
		k->exec_enable(k->exec_ctx);
	if (!h->path || h->open_flags >= 0)
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
	else if (h->at_flags)
		syscall(SYS_execveat, AT_FDCWD, h->path, argv, envp, h->at_flags);
	else
		syscall(SYS_execve, h->path, argv, envp);
fail:
	if (write(err, &errno, sizeof(errno)) < 0)
		_exit(126);
	_exit(127);
}

static ssize_t read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while ((r = read(fd, buf + n, cap - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (n += (size_t)r) == cap)
			break;
	}
	return (ssize_t)n;
}

static void run_exec(struct interp *in, const struct exec_how *h)
{
	const struct fsi_child_hooks *k = fsi_child_hooks(in);
	int out[2], err[2] = { -1, -1 }, e = 0, st = 0;
	char buf[PROCBUF];
	size_t len;
	ssize_t n;
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) < 0) {
		fsi_out_ret(in, -errno);
		return;
	}
	if (k->exec_open)
		k->exec_open(k->exec_ctx);
	if (pipe2(err, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		fsi_out_ret(in, -errno);
		if (k->exec_close)
			k->exec_close(k->exec_ctx);
		close(out[0]);
		close(out[1]);
		if (err[0] >= 0) {
			close(err[0]);
			close(err[1]);
		}
		return;
	}
	if (pid == 0)
		exec_child(h, k, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	if (read_all(err[0], (char *)&e, sizeof(e)) != sizeof(e))
		e = 0;
	n = read_all(out[0], buf, PROCBUF);
	close(out[0]);
	close(err[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (k->exec_close)
		k->exec_close(k->exec_ctx);
	if (e) {
		fsi_out_ret(in, -e);
		return;
	}
	fsi_outf(in, WIFEXITED(st) ? "exit %d" : "SIG%d",
		 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	len = (size_t)n;
	mask_own_numbers(buf, &len);
	fsi_out_path(in, buf, len);
}

static void op_exec(struct interp *in, const char *name __attribute__((unused)))
{
	const char *how = fsi_arg_tok(in, 2);
	struct exec_how h = { fsi_arg_path(in, 1), -1, -1, 0 };

	if (!strcmp(how, "nofollow"))
		h.at_flags = AT_SYMLINK_NOFOLLOW;
	else if (!strcmp(how, "fexecve"))
		h.open_flags = O_RDONLY | O_CLOEXEC;
	else if (!strcmp(how, "opath"))
		h.open_flags = O_PATH;
	run_exec(in, &h);
}

static void op_fexec(struct interp *in, const char *name __attribute__((unused)))
{
	struct exec_how h = { NULL, (int)fsi_arg_fd(in, 1), -1, 0 };

	run_exec(in, &h);
}

const struct fsi_op fsi_proc_ops[] = {
	{ "fdlink", op_fdlink }, { "proclink", op_proclink }, { "fdinfo", op_fdinfo },
	{ "reopen", op_reopen }, { "fdstat", op_fdstat }, { "cwdstat", op_cwdstat },
	{ "fdlinkat", op_fdlinkat }, { "mkexec", op_mkexec }, { "exec", op_exec },
	{ "fexec", op_fexec },
	{ NULL, NULL }
};
