// SPDX-License-Identifier: MIT
/*
 * execve(2). The host runs it; ukcov only keeps its own state right (a
 * traced non-leader thread takes the leader's TID, cached credentials are
 * read afresh), and runs programs whose file is in a mount: their data is
 * the supervisor's, so it hands the host a copy (a sealed memfd, installed in
 * the guest) and redirects the waiting execve to it (task/execredirect.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pcall.h"
#include "sys.h"
#include "../task/pending.h"
#include "../vfs/vfs.h"

/* Copies [off, end) of the file to fd at the same offsets. Returns 0 or -errno. */
static int exec_copy_range(struct tmpfs_file *f, const struct tmpfs_cred *cr, int fd, int64_t off,
			   int64_t end)
{
	char buf[65536];

	while (off < end) {
		size_t want = end - off < (int64_t)sizeof(buf) ? (size_t)(end - off) : sizeof(buf);
		ssize_t n = tmpfs_pread(f, cr, buf, want, off);

		if (n <= 0)
			return (int)n;
		if (pwrite(fd, buf, (size_t)n, off) != n)
			return -EIO;
		off += n;
	}
	return 0;
}

/*
 * Copies the file into a new sealed memfd. Returns it or -errno. Only its
 * data is copied, hole by hole as the file has them: a sparse file of a
 * terabyte (one ftruncate away for any guest) costs its data, not a
 * terabyte of zeros in the supervisor.
 */
static int exec_copy(struct tmpfs_file *f, const struct tmpfs_cred *cr, const char *name)
{
	int64_t size = tmpfs_lseek(f, 0, SEEK_END), off = 0, data, hole;
	ssize_t n = 0;
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	if (size < 0 || ftruncate(fd, size))
		n = size < 0 ? size : -errno;
	while (!n && off < size && (data = tmpfs_lseek(f, off, SEEK_DATA)) >= 0) {
		hole = tmpfs_lseek(f, data, SEEK_HOLE);
		if (hole < 0)
			hole = size;
		n = exec_copy_range(f, cr, fd, data, hole);
		off = hole;
	}
	if (n < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		close(fd);
		return n < 0 ? (int)n : -errno;
	}
	return fd;
}

/*
 * The checks Linux's do_open_execat() makes, in its order: the walk, then
 * MAY_EXEC on the file (root needs some x bit), a regular file (EACCES).
 * Returns 0 with the file open for reading (as the supervisor: an x-only
 * file is executable but not readable), SYS_CONTINUE when the walk leaves
 * the mount, or -errno.
 */
static int64_t exec_open(struct sys_call *c, struct pcall *pc, const struct tmpfs_cred *cr, int nofollow,
			 struct tmpfs_file **out, struct stat *st)
{
	struct tmpfs_cred reader = *cr;
	struct tmpfs_walk w = { 0 };
	char *host;
	int64_t r;

	/* a walk that crosses into a mount made inside this one goes on there */
	do {
		r = tmpfs_fstatat(pc->p.mnt->fs, cr, pc->p.dir, pc->p.path, nofollow, &pc->w, st);
	} while (pcall_exit(c, pc, &r, &host));
	if (host)
		return SYS_CONTINUE;
	/* may_open(): a symlink (execveat's AT_SYMLINK_NOFOLLOW) is ELOOP, any other non-file EACCES */
	if (r == 0 && !S_ISREG(st->st_mode))
		r = S_ISLNK(st->st_mode) ? -ELOOP : -EACCES;
	if (r == 0)
		r = tmpfs_faccessat(pc->p.mnt->fs, cr, pc->p.dir, pc->p.path, X_OK, AT_EACCESS, &w);
	if (r == 0) {
		reader.caps |= TMPFS_CAP_DAC_OVERRIDE | TMPFS_CAP_DAC_READ_SEARCH;
		r = tmpfs_openat(pc->p.mnt->fs, &reader, pc->p.dir, pc->p.path, O_RDONLY, 0, 0, &w, out);
	}
	free(w.host_path);
	return r == -TMPFS_EXIT ? SYS_CONTINUE : r;
}

/*
 * deny_write_access() of do_open_execat(): ETXTBSY while some description
 * of the file is open for writing. The counts of the file's descriptions
 * (vfs/release.c) say none is, or maybe some (a close not read yet, closes
 * merged): then the guest processes' fds say.
 */
static int exec_writers(struct sys_call *c, struct tmpfs_file *tf)
{
	int data = tmpfs_file_data_fd(tf);
	struct kfile *f;
	struct stat st;

	if (data < 0 || fstat(data, &st))
		return 0; /* no data file: never opened, so never for writing */
	f = kfile_find(c->sb, st.st_dev, st.st_ino);
	if (!f || f->opened_w <= f->closed_w)
		return 0;
	return kfile_held_writable(f) ? -ETXTBSY : 0;
}

/*
 * binfmt_script's parse of a "#!" line (fs/binfmt_script.c), in buf (the
 * file's first BINPRM_BUF_SIZE bytes, zero-filled past its end): the
 * interpreter and its optional argument. Returns 0, or -ENOEXEC as Linux.
 */
static int script_parse(char *buf, size_t size, struct exec_redirect *r)
{
	char *end = buf + size - 1, *i_end = memchr(buf, '\n', size), *name, *sep, *arg = NULL, *p;

	if (!i_end) {
		for (p = buf + 2; p < end && (*p == ' ' || *p == '\t'); p++)
			;
		if (p == end)
			return -ENOEXEC; /* the whole buffer is spaces and tabs */
		/* No later space, tab or NUL: the interpreter's path is cut off. */
		while (p < end && *p != ' ' && *p != '\t' && *p)
			p++;
		if (p == end)
			return -ENOEXEC;
		i_end = end;
	}
	while (i_end > buf + 2 && (i_end[-1] == ' ' || i_end[-1] == '\t'))
		i_end--;
	for (name = buf + 2; name < i_end && (*name == ' ' || *name == '\t'); name++)
		;
	if (name == i_end)
		return -ENOEXEC;
	for (sep = name; sep < i_end && *sep != ' ' && *sep != '\t' && *sep; sep++)
		;
	if (sep < i_end && *sep)
		for (arg = sep; arg < i_end && (*arg == ' ' || *arg == '\t'); arg++)
			;
	*i_end = '\0';
	*sep = '\0';
	snprintf(r->interp, sizeof(r->interp), "%s", name);
	/*
	 * An argument that starts at a NUL is "", and still an argument:
	 * load_script() splices in any i_arg it found ("#!a \0": sh's $# counts it).
	 */
	r->has_arg = arg && arg < i_end;
	snprintf(r->arg, sizeof(r->arg), "%s", r->has_arg ? arg : "");
	return 0;
}

static uint64_t str_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h | 1;
}

/* The record of c's thread, or NULL. */
static struct exec_copy *copy_find(struct sandbox *sb, pid_t tid)
{
	for (size_t i = 0; i < sizeof(sb->exec_copies) / sizeof(sb->exec_copies[0]); i++)
		if (sb->exec_copies[i].tid == tid)
			return &sb->exec_copies[i];
	return NULL;
}

static void copy_drop(struct exec_copy *e)
{
	if (e->tid && e->memfd >= 0)
		close(e->memfd);
	memset(e, 0, sizeof(*e));
	e->memfd = -1;
}

/*
 * A record for tid: its own, else a free one, one of a thread that is gone,
 * or the least recently used (bounded: a guest cannot pile up copies).
 */
static struct exec_copy *copy_slot(struct sandbox *sb, pid_t tid)
{
	struct exec_copy *e = copy_find(sb, tid), *old = NULL;
	char proc[32];

	for (size_t i = 0; !e && i < sizeof(sb->exec_copies) / sizeof(sb->exec_copies[0]); i++) {
		struct exec_copy *x = &sb->exec_copies[i];

		snprintf(proc, sizeof(proc), "/proc/%d", x->tid);
		if (!x->tid || access(proc, F_OK))
			e = x;
		else if (!old || x->used < old->used)
			old = x;
	}
	if (!e)
		e = old;
	copy_drop(e);
	e->tid = tid;
	e->used = ++sb->exec_clock;
	return e;
}

/*
 * A script: binfmt_script's rewrite, done by the helper. Linux runs at most
 * this many interpreters deep (exec_binprm(): ELOOP); an interpreter of our
 * own making is known by its path, at the start of the page we had mapped.
 */
#define BINPRM_MAX_DEPTH 5

static int64_t exec_script(struct sys_call *c, struct exec_redirect *r, char *head, size_t size,
			   bool inaccessible)
{
	struct exec_copy *prev = copy_find(c->sb, c->tid), *e;
	unsigned int depth = 0;
	int64_t err = script_parse(head, size, r);

	if (err)
		return err;
	/* BINPRM_FLAGS_PATH_INACCESSIBLE: the interpreter could not open /dev/fd/N of a close-on-exec fd */
	if (inaccessible)
		return -ENOENT;
	/*
	 * "#!" and nothing: Linux opens "" inside the kernel (open_exec()),
	 * which names the cwd, a directory: EACCES. From user space "" would be
	 * ENOENT.
	 */
	if (!r->interp[0])
		return -EACCES;
	if (prev && prev->interp_hash && !r->at && !(c->args[0] & 4095) && prev->interp_hash == str_hash(r->path))
		depth = prev->depth + 1;
	if (depth >= BINPRM_MAX_DEPTH)
		return -ELOOP;
	e = copy_slot(c->sb, c->tid);
	e->depth = depth;
	e->interp_hash = str_hash(r->interp);
	r->script = true;
	err = guest_execve_redirect(r);
	return err ? err : SYS_PENDING;
}

/*
 * The guest fd a binary's copy goes to: the window's slot for it, unless the
 * guest's own table has grown up to there (the host gives the lowest free
 * numbers): then a free one of the window. Returns it or -errno.
 */
static int exec_slot(struct sys_call *c)
{
	struct stat st;
	int h = sys_pidfd(c), r = h < 0 ? h : thread_fdstat(c->sb, h, c->sb->fd_exec, &st);

	if (r == -EBADF)
		return c->sb->fd_exec;
	if (r < 0)
		return r;
	/* A copy of ours left there (the thread was let go before its exec failed): replaced. */
	for (size_t i = 0; i < sizeof(c->sb->exec_copies) / sizeof(c->sb->exec_copies[0]); i++) {
		const struct exec_copy *e = &c->sb->exec_copies[i];

		if (e->tid && e->copy_ino && e->copy_dev == st.st_dev && e->copy_ino == st.st_ino)
			return c->sb->fd_exec;
	}
	return fd_alloc_window(c);
}

/*
 * A binary: its copy waits in the record until the redirected execveat
 * traps. A signal may take the thread out of its execve before the redirect
 * (it comes back when the handler returns): the copy of the same file,
 * unchanged (its ctime), is kept for the next try, so that a stream of
 * signals cannot make each try copy the whole program again.
 */
static int64_t exec_binary(struct sys_call *c, struct exec_redirect *r, struct tmpfs_file *f,
			   const struct tmpfs_cred *cr, const char *name, const struct stat *st, bool elf)
{
	struct exec_copy *e = copy_find(c->sb, c->tid);
	struct stat copy;
	int fd, err, slot;

	if (e && e->memfd >= 0 && e->dev == st->st_dev && e->ino == st->st_ino &&
	    e->ctime_ns == st->st_ctim.tv_sec * 1000000000ll + st->st_ctim.tv_nsec) {
		fd = e->memfd;
		e->memfd = -1;
	} else {
		fd = exec_copy(f, cr, name);
		if (fd < 0)
			return fd;
		/*
		 * The program's file refuses writers while the copy runs. Without
		 * a watch on the copy (max_user_watches) it runs all the same, its
		 * file writable, rather than not at all.
		 */
		if (elf && exectext_add(c->sb, fd, tmpfs_file_inode(f)) && c->sb->verbose)
			fprintf(stderr, "ukcov: %s runs without ETXTBSY for writers: no watch\n", name);
	}
	slot = exec_slot(c);
	if (slot < 0) {
		close(fd);
		return slot;
	}
	e = copy_slot(c->sb, c->tid);
	e->memfd = fd;
	if (!fstat(fd, &copy)) {
		e->copy_dev = copy.st_dev;
		e->copy_ino = copy.st_ino;
	}
	e->slot = slot;
	e->dev = st->st_dev;
	e->ino = st->st_ino;
	e->ctime_ns = st->st_ctim.tv_sec * 1000000000ll + st->st_ctim.tv_nsec;
	e->nul = r->path_addr + r->path_len;
	r->script = false;
	r->slot = slot;
	err = guest_execve_redirect(r);
	if (err)
		copy_drop(e);
	return err ? err : SYS_PENDING;
}

/* memfd_create(2) takes a name of at most 249 bytes; Linux's file names go to 255. */
#define MEMFD_NAME_MAX 249

/* FD_CLOEXEC of the guest's fd (its fdinfo's flags), 0 when it cannot be read */
static bool guest_fd_cloexec(pid_t tid, int fd)
{
	char path[64], line[128];
	unsigned long flags = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, fd);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %lo", &flags) == 1)
			break;
	if (f)
		fclose(f);
	return flags & O_CLOEXEC;
}

/*
 * The name binfmt_script hands the interpreter (alloc_bprm()): the path as
 * given, or for execveat(2) relative to a dirfd "/dev/fd/N" or
 * "/dev/fd/N/PATH"; *inaccessible when N is close-on-exec (the interpreter
 * could not open it). Returns 0, or -ENAMETOOLONG.
 */
static int exec_script_name(struct sys_call *c, struct exec_redirect *r, bool *inaccessible)
{
	char name[sizeof(r->path)];
	int dirfd = (int)c->args[0];

	*inaccessible = false;
	if (!r->at || dirfd == AT_FDCWD || r->path[0] == '/')
		return 0;
	if ((size_t)snprintf(name, sizeof(name), r->path[0] ? "/dev/fd/%d/%s" : "/dev/fd/%d%s", dirfd,
			     r->path) >= sizeof(name))
		return -ENAMETOOLONG;
	memcpy(r->path, name, sizeof(name));
	*inaccessible = guest_fd_cloexec(c->tid, dirfd);
	return 0;
}

static int64_t exec_from_mount(struct sys_call *c, struct pcall *pc, int nofollow)
{
	struct path_ref *p = &pc->p;
	const struct guest_cred *gc;
	struct tmpfs_file *f;
	const char *base = strrchr(p->path, '/');
	struct exec_redirect *r;
	struct stat st;
	char head[256] = { 0 }, name[MEMFD_NAME_MAX + 1];
	uint64_t upath = c->args[c->nr == SYS_execveat];
	bool inaccessible;
	ssize_t n;
	long len;
	int64_t ret = sys_cred(c, &gc);

	if (ret)
		return ret;
	/* execveat(fd, "", ..., AT_EMPTY_PATH): the fd's own file */
	if (!p->path[0])
		p->path = tmpfs_path_self;
	ret = exec_open(c, pc, &gc->fs, nofollow, &f, &st);
	if (ret)
		return ret;
	r = tmpfs_calloc(1, sizeof(*r));
	len = r ? guest_read_str(c->tid, r->path, upath, sizeof(r->path)) : -ENOMEM;
	if (len < 0) {
		tmpfs_file_put(f);
		free(r);
		return len;
	}
	r->listener = c->sb->listener;
	r->id = c->id;
	r->tid = c->tid;
	r->tgid = gc->tgid;
	r->at = c->nr == SYS_execveat;
	r->path_addr = upath;
	r->path_len = (size_t)len;
	n = tmpfs_pread(f, &gc->fs, head, sizeof(head), 0);
	ret = exec_writers(c, f);
	if (ret) {
		/* deny_write_access(): a file open for writing is not run */
	} else if (n >= 2 && head[0] == '#' && head[1] == '!') {
		ret = exec_script_name(c, r, &inaccessible);
		if (!ret)
			ret = exec_script(c, r, head, sizeof(head), inaccessible);
	} else {
		/* the memfd's name: the file's name, or for an fd's own file the name it was reached by */
		snprintf(name, sizeof(name), "%s", p->path == tmpfs_path_self ? "fd" : base ? base + 1 : p->path);
		ret = exec_binary(c, r, f, &gc->fs, name, &st, n >= 4 && !memcmp(head, "\177ELF", 4));
	}
	tmpfs_file_put(f);
	free(r);
	if (SYS_IS_ERRNO(ret) && c->sb->verbose)
		fprintf(stderr, "ukcov: exec of %s from a mount: %s\n", p->path, strerror((int)-ret));
	return ret;
}

/*
 * The execveat(2) a binary's redirect left the thread at (execredirect.c):
 * its copy goes in the guest now, at the reserved slot, close-on-exec, and
 * the host runs it. Returns SYS_CONTINUE, -errno, or 1: not such a call.
 */
int64_t sys_exec_redirected(struct sys_call *c)
{
	struct exec_copy *e = copy_find(c->sb, c->tid);
	struct seccomp_notif_addfd addfd = {
		.id = c->id,
		.flags = SECCOMP_ADDFD_FLAG_SETFD,
		.newfd_flags = O_CLOEXEC,
	};

	if (!e || e->memfd < 0 || (int)c->args[0] != e->slot || c->args[1] != e->nul ||
	    c->args[4] != AT_EMPTY_PATH)
		return 1;
	addfd.srcfd = (uint32_t)e->memfd;
	addfd.newfd = (uint32_t)e->slot;
	e->used = ++c->sb->exec_clock;
	/* EBADF: the slot is past a lowered RLIMIT_NOFILE; the host cannot run it from there. */
	if (ioctl(c->sb->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd) < 0)
		return errno == EBADF ? -EMFILE : -errno;
	/*
	 * The guest holds the copy now, and the program will run from it: the
	 * supervisor lets go of its own reference, so that the copy dies with
	 * the last process running it (exectext.c: the file's ETXTBSY ends).
	 */
	close(e->memfd);
	e->memfd = -1;
	return SYS_CONTINUE;
}

/*
 * The host runs the exec. A traced thread that is not its process's leader
 * will take the leader's TID (task_exec_begin()); with a mount, cached
 * credentials are read afresh (a root process regains its capabilities on
 * exec).
 */
static int64_t exec_on_host(struct sys_call *c)
{
	if (c->task->pidfd >= 0)
		task_exec_begin(c->sb, c->task);
	return sys_cred_changing(c);
}

/* Implements execve(2): a file in a mount runs from a copy, any other is the host's. */
int64_t sys_execve(struct sys_call *c)
{
	struct pcall *pc;
	int64_t r;

	if (c->sb->nmounts) {
		pc = tmpfs_malloc(sizeof(*pc));
		if (!pc)
			return -ENOMEM;
		r = pcall_start(c, pc, AT_FDCWD, c->args[0], 0);
		r = r ? SYS_CONTINUE : exec_from_mount(c, pc, 0);
		free(pc);
		if (r != SYS_CONTINUE)
			return r;
	}
	return exec_on_host(c);
}

/*
 * Implements execveat(2): the one a redirect of an exec left (above), else
 * as execve with do_execveat_common()'s order: the name's own errors
 * (getname(): "" without AT_EMPTY_PATH is ENOENT), then flags other than
 * AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH (EINVAL), then the walk from
 * dirfd (AT_EMPTY_PATH: the fd's own file, fexecve(3)).
 */
int64_t sys_execveat(struct sys_call *c)
{
	int flags = (int)c->args[4];
	struct pcall *pc;
	long n;
	int64_t r = c->sb->nmounts ? sys_exec_redirected(c) : 1;

	if (r != 1)
		return r == SYS_CONTINUE ? exec_on_host(c) : r;
	if (!c->sb->nmounts)
		return exec_on_host(c);
	pc = tmpfs_malloc(sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	n = guest_read_str(c->tid, pc->p.buf, c->args[1], sizeof(pc->p.buf));
	if (n == 0 && !(flags & AT_EMPTY_PATH))
		r = -ENOENT;
	else if (n >= 0 && (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		r = -EINVAL;
	else if (pcall_start_read(c, pc, (int)c->args[0], n, flags & AT_EMPTY_PATH ? LOOKUP_EMPTY_OK : 0))
		r = SYS_CONTINUE; /* a bad name or dirfd, a path on the host: the host's own answer */
	else
		r = exec_from_mount(c, pc, flags & AT_SYMLINK_NOFOLLOW);
	free(pc);
	return r == SYS_CONTINUE ? exec_on_host(c) : r;
}
