/* fsscript backends: one entry point shaped like syscall(2).
 *
 * The interpreter issues every operation as (nr, a0..a5) with host pointers
 * and receives the raw kernel convention back: a value >= 0 or -errno.  The
 * real backend forwards to the host kernel; the lib backend serves the call
 * from the in-memory tmpfs core, the way ukcov's syscall table will.
 */
#ifndef UKCOV_TESTS_FSSCRIPT_H
#define UKCOV_TESTS_FSSCRIPT_H

struct fs_backend {
	const char *name;
	/* returns the syscall result, or -errno */
	long (*sys)(void *ctx, long nr, long a0, long a1, long a2, long a3,
		    long a4, long a5);
	void *ctx;
};

/* real backend: the host kernel (syscall(2)) */
long fs_real_sys(void *ctx, long nr, long a0, long a1, long a2, long a3,
		 long a4, long a5);

/* lib backend (fsscript_lib.c): mount an empty tmpfs at @root.
 * returns 0, or -errno */
int fs_lib_backend_init(struct fs_backend *b, const char *root);
void fs_lib_backend_fini(struct fs_backend *b);

/* random script generator (fsgen.c): writes @nops operations to @out */
void fs_generate(unsigned long seed, int nops, void *out_file);

/*
 * The interpreter embedded in another program (the AFL++ guest, fuzz/):
 * a session per ROOT, fed one line at a time; its transcript lines go to
 * @tx.  Built from fsscript.c with -DFSSCRIPT_EMBED (no main).
 */
#include <stdio.h>
#define FSI_NO_CLOCK 1u /* no clock tick of its own per operation */
#define FSI_NO_TIMES 2u /* times relative to the last observation: not printed */
/*
 * inotify's IN_DELETE_SELF and IN_IGNORED of a removed object not printed:
 * Linux queues them when the inode's last dentry dies, which a description
 * open below a removed directory delays, ukcov when the inode dies
 * (docs/tmpfs-deviations.md); an input cannot be built to avoid that.
 */
#define FSI_NO_DEATHS 4u
struct interp;
struct interp *fsi_open(struct fs_backend *b, const char *root, unsigned flags);
/* 0: a line a parent skipped (its fork child ran it), else 1 */
int fsi_line(struct interp *in, const char *line, FILE *tx);
/* the fd bound to $name, or -1 */
long fsi_var(struct interp *in, const char *name);
void fsi_set_var(struct interp *in, const char *name, long fd);
void fsi_close(struct interp *in);
/*
 * Paths printed (readlink) that lie under @base but outside ROOT are
 * printed relative to ROOT (<root>+/../x): the fuzz guest's scratch top,
 * whose levels above ROOT differ in length per side. @base must outlive @in.
 */
void fsi_set_base(struct interp *in, const char *base);

/*
 * A `fork` child calls @start right after the fork and @end before it
 * exits (at its join, or the script's end): the fuzz guest gives the child
 * a kcov of its own and folds what it collected into AFL++'s map.
 */
struct fsi_child_hooks {
	void (*start)(void *ctx);
	void (*end)(void *ctx);
	void *ctx;
	/*
	 * An exec operation's child (fsscript_proc.c), which cannot call an
	 * end once it has exec'd: @exec_open runs in the parent before the
	 * fork, @exec_enable in the child before its execve (a kcov stays the
	 * task's across an exec, as Linux's), @exec_close in the parent once
	 * the child is reaped. Any may be NULL.
	 */
	void (*exec_open)(void *exec_ctx);
	void (*exec_enable)(void *exec_ctx);
	void (*exec_close)(void *exec_ctx);
	void *exec_ctx;
};
/* the hooks set (fsscript_proc.c's exec calls the exec ones) */
const struct fsi_child_hooks *fsi_child_hooks(const struct interp *in);
void fsi_set_child_hooks(struct interp *in, const struct fsi_child_hooks *h);

/*
 * For operations written in other files (fsscript_*.c): the current
 * line's arguments (0 is the operation's name) and its transcript.
 */
long fsi_sys(struct interp *in, long nr, long a0, long a1, long a2, long a3, long a4, long a5);
int fsi_nargs(struct interp *in);
long fsi_arg_num(struct interp *in, int i);
long fsi_arg_fd(struct interp *in, int i);
char *fsi_arg_path(struct interp *in, int i);
/* the token as written, unexpanded by ROOT */
const char *fsi_arg_tok(struct interp *in, int i);
const char *fsi_root(struct interp *in);
unsigned fsi_flags(const struct interp *in);
void fsi_outf(struct interp *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fsi_out_ret(struct interp *in, long r);
void fsi_out_data(struct interp *in, const char *p, size_t n);
/* data with ROOT (and the base's levels above it) replaced by <root> */
void fsi_out_path(struct interp *in, const char *p, size_t n);
/* a result that is an fd (bound by "-> $name"), or -errno */
void fsi_out_fd(struct interp *in, long r);
struct stat;
struct statx;
void fsi_out_stat(struct interp *in, long r, const struct stat *st);
void fsi_out_statx(struct interp *in, long r, const struct statx *sx);

/* fsscript_proc.c: reads what its operations read once (the ELF they copy), before any traced run */
void fsi_proc_warm(void);

/* a bad line (an other file's own parse errors) */
void fsi_parse_error(void);
/* forget the inodes seen on device @dev (a new mount may reuse its number) */
void fsi_forget_dev(struct interp *in, unsigned long long dev);
/* forgets the inodes seen on any device but the @n in @live (the mounted ones) */
void fsi_forget_devs_but(struct interp *in, const unsigned long long *live, int n);
/* a name of another file's own table (fsscript_*.c), NULL-terminated */
struct fsi_name {
	const char *name;
	long val;
};
#define FSI_NAME(x) { #x, (long)(x) }
/* argument @i as NAME|NAME|number: @names' names, else the interpreter's */
long fsi_arg_names(struct interp *in, int i, const struct fsi_name *names);
/* the argument as a string with its length (quoted data, \x escapes) */
char *fsi_arg_str(struct interp *in, int i, size_t *len);
/* whether argument @i was written in quotes */
int fsi_arg_quoted(struct interp *in, int i);

/*
 * The operations of other files, each a table looked up after
 * fsscript.c's own: fsscript_proc.c (/proc's views of the files, exec),
 * fsscript_mount.c (mount, mountbind, umount, statvfs, fstatvfs) and
 * fsscript_dev.c (device nodes, sockets, rlimits, guest-memory faults,
 * *xattrat, ioctls) and fsscript_notify.c (inotify). @name is the
 * operation's (token 0).
 */
struct fsi_op {
	const char *name;
	void (*fn)(struct interp *in, const char *name);
};
extern const struct fsi_op fsi_proc_ops[];
extern const struct fsi_op fsi_mount_ops[];
extern const struct fsi_op fsi_dev_ops[];
extern const struct fsi_op fsi_notify_ops[];
/* puts back the resource limits the rlimit op changed (between inputs) */
void fsi_dev_reset(void);

#endif
