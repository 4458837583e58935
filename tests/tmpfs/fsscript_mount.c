/* fsscript's mount operations: mount(2), umount2(2) and statfs(2) of mounts.
 *
 *   mount P FLAGS DATA     mount("tmpfs", P, "tmpfs", FLAGS, DATA): a new
 *                          tmpfs, MS_REMOUNT, or a propagation change
 *   mountfs P TYPE FLAGS   mount(NULL, P, TYPE, FLAGS, NULL): another file
 *                          system (ukcov grafts the host's, vfs/graft.c)
 *   mountbind SRC DST FLAGS  mount(SRC, DST, NULL, MS_BIND|FLAGS, NULL)
 *   umount P FLAGS         umount2(P, FLAGS)
 *   statvfs P, fstatvfs F  statfs(2) with the counts and the mount flags
 *   mountinfo P            the /proc/self/mountinfo line of the mount P is
 *                          on: its mount options, type, source and super
 *                          options
 *
 * DATA "-" is NULL. A statfs of the file system the scripts start on (the
 * host's /dev/shm or ukcov's mount: their sizes are not the script's to
 * compare) prints "fs=base" instead of the counts and flags.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>

#include "fsscript.h"

#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

struct flag_name {
	const char *name;
	long val;
};

#define FN(x) { #x, x }
static const struct flag_name flag_names[] = {
	FN(MS_RDONLY), FN(MS_NOSUID), FN(MS_NODEV), FN(MS_NOEXEC),
	FN(MS_SYNCHRONOUS), FN(MS_REMOUNT), FN(MS_MANDLOCK), FN(MS_DIRSYNC),
	FN(MS_NOATIME), FN(MS_NODIRATIME), FN(MS_BIND), FN(MS_MOVE), FN(MS_REC),
	FN(MS_SILENT), FN(MS_UNBINDABLE), FN(MS_PRIVATE), FN(MS_SLAVE),
	FN(MS_SHARED), FN(MS_RELATIME), FN(MS_STRICTATIME), FN(MS_LAZYTIME), FN(MS_NOSYMFOLLOW),
	FN(MNT_FORCE), FN(MNT_DETACH), FN(MNT_EXPIRE), FN(UMOUNT_NOFOLLOW),
	{ NULL, 0 }
};

static long flag_word(const char *s, size_t n)
{
	char *end;
	long v;

	for (const struct flag_name *f = flag_names; f->name; f++)
		if (strlen(f->name) == n && !strncmp(f->name, s, n))
			return f->val;
	v = strtol(s, &end, 0);
	if (!n || (size_t)(end - s) != n)
		fsi_parse_error();
	return v;
}

/* FLAG|FLAG|0x10 */
static long flags_arg(struct interp *in, int i)
{
	const char *s = fsi_arg_tok(in, i);
	long v = 0;

	for (;;) {
		size_t n = strcspn(s, "|");

		v |= flag_word(s, n);
		if (!s[n])
			return v;
		s += n + 1;
	}
}

#define L(x) ((long)(x))
#define SYS(nr, ...) fsi_sys(in, nr, __VA_ARGS__)

static long base_dev(struct interp *in);

#define MS_NOT_NEW (MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

static void op_mount(struct interp *in)
{
	const char *data = fsi_arg_tok(in, 3);
	long flags = flags_arg(in, 2), r;
	struct stat st;

	base_dev(in);
	r = SYS(SYS_mount, L("tmpfs"), L(fsi_arg_path(in, 1)), L("tmpfs"), flags,
		L(strcmp(data, "-") ? data : NULL), 0);
	if (r == 0 && !(flags & MS_NOT_NEW) &&
	    SYS(SYS_stat, L(fsi_arg_path(in, 1)), L(&st), 0, 0, 0, 0) == 0)
		fsi_forget_dev(in, st.st_dev);
	fsi_out_ret(in, r);
}

static void op_mountfs(struct interp *in)
{
	long flags = flags_arg(in, 3), r;
	struct stat st;

	base_dev(in);
	r = SYS(SYS_mount, 0, L(fsi_arg_path(in, 1)), L(fsi_arg_tok(in, 2)), flags, 0, 0);
	if (r == 0 && !(flags & MS_NOT_NEW) &&
	    SYS(SYS_stat, L(fsi_arg_path(in, 1)), L(&st), 0, 0, 0, 0) == 0)
		fsi_forget_dev(in, st.st_dev);
	fsi_out_ret(in, r);
}

static void op_bind(struct interp *in)
{
	fsi_out_ret(in, SYS(SYS_mount, L(fsi_arg_path(in, 1)), L(fsi_arg_path(in, 2)), 0,
			MS_BIND | flags_arg(in, 3), 0, 0));
}

/*
 * After an umount: the inodes seen on file systems no longer mounted are
 * forgotten. Linux gives a new mount the lowest free anonymous device
 * number, which a file system freed since may have had; whether it was
 * freed first, or another one on the host (ukcov's store mounts, running
 * beside the oracle's) took it, is a race: the new mount's inodes must
 * not take the old ones' labels on one side only. The device of a mount
 * cannot be had from a stat of its path (from a covered cwd, "." names
 * the covered directory): mountinfo lists the mounted ones.
 */
static void forget_unmounted(struct interp *in)
{
	static unsigned long long live[4096];
	unsigned int maj, min;
	char line[4096];
	int n = 0;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return;
	while (n < 4096 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*d %*d %u:%u", &maj, &min) == 2)
			live[n++] = makedev(maj, min);
	fclose(f);
	fsi_forget_devs_but(in, live, n);
}

static void op_umount(struct interp *in)
{
	long r = SYS(SYS_umount2, L(fsi_arg_path(in, 1)), flags_arg(in, 2), 0, 0, 0, 0);

	if (r == 0)
		forget_unmounted(in);
	fsi_out_ret(in, r);
}

/*
 * The device of ROOT's file system (ROOT may be a mount's root, as in the
 * differential suite, so not its parent's), as it was before any mount of
 * a script: taken once per ROOT, by the first mount or statvfs line (a
 * script may mount over ROOT or above it). -1 when it cannot be seen.
 */
static long base_dev(struct interp *in)
{
	static struct {
		char root[4096];
		long dev;
	} seen[4];
	static int n;
	struct stat st;
	int k;

	for (k = 0; k < n; k++)
		if (!strcmp(seen[k].root, fsi_root(in)))
			return seen[k].dev;
	if (SYS(SYS_stat, L(fsi_root(in)), L(&st), 0, 0, 0, 0) < 0)
		return -1;
	k = n < 4 ? n++ : 3;
	snprintf(seen[k].root, sizeof(seen[k].root), "%s", fsi_root(in));
	seen[k].dev = (long)st.st_dev;
	return seen[k].dev;
}

static void op_statvfs(struct interp *in, int by_fd)
{
	struct statfs sf;
	struct stat st;
	long r, dev = -1;

	if (by_fd) {
		r = SYS(SYS_fstatfs, fsi_arg_fd(in, 1), L(&sf), 0, 0, 0, 0);
		if (r == 0 && SYS(SYS_fstat, fsi_arg_fd(in, 1), L(&st), 0, 0, 0, 0) == 0)
			dev = (long)st.st_dev;
	} else {
		r = SYS(SYS_statfs, L(fsi_arg_path(in, 1)), L(&sf), 0, 0, 0, 0);
		if (r == 0 && SYS(SYS_stat, L(fsi_arg_path(in, 1)), L(&st), 0, 0, 0, 0) == 0)
			dev = (long)st.st_dev;
	}
	fsi_out_ret(in, r);
	if (r < 0)
		return;
	fsi_outf(in, " type=0x%lx bsize=%ld namelen=%ld frsize=%ld", (long)sf.f_type,
		   (long)sf.f_bsize, (long)sf.f_namelen, (long)sf.f_frsize);
	if (dev >= 0 && dev == base_dev(in))
		fsi_outf(in, " fs=base");
	else
		fsi_outf(in, " blocks=%ld bfree=%ld files=%ld ffree=%ld flags=0x%lx",
			   (long)sf.f_blocks, (long)sf.f_bfree, (long)sf.f_files,
			   (long)sf.f_ffree, (long)sf.f_flags);
}

/* drops the ",inode64" and ",inode32" of @opts: shown or not by CONFIG_TMPFS_INODE64 */
static void drop_inums(char *opts)
{
	char *p;

	while ((p = strstr(opts, ",inode64")) || (p = strstr(opts, ",inode32")))
		memmove(p, p + 8, strlen(p + 8) + 1);
}

/*
 * The line of the file system P is on, found by its device (the last such
 * line: the top mount), less what differs by construction: ids, device
 * numbers, the root and mount point (the scratch roots differ), the
 * optional fields (propagation: ukcov's mounts are all private,
 * docs/mounts.md) and inode32/inode64. The base file system prints
 * fs=base, a file system with no line (lazily unmounted) fs=none.
 */
static void op_mountinfo(struct interp *in)
{
	char line[4096], found[4096] = "", *f[64], *save = NULL;
	unsigned int maj, min;
	struct stat st;
	long r = SYS(SYS_stat, L(fsi_arg_path(in, 1)), L(&st), 0, 0, 0, 0);
	int n = 0, dash;
	FILE *mi;

	fsi_out_ret(in, r);
	if (r < 0)
		return;
	if ((long)st.st_dev == base_dev(in)) {
		fsi_outf(in, " fs=base");
		return;
	}
	mi = fopen("/proc/self/mountinfo", "re");
	while (mi && fgets(line, sizeof(line), mi))
		if (sscanf(line, "%*d %*d %u:%u", &maj, &min) == 2 && makedev(maj, min) == st.st_dev)
			memcpy(found, line, sizeof(found));
	if (mi)
		fclose(mi);
	for (char *t = strtok_r(found, " \n", &save); t && n < 64; t = strtok_r(NULL, " \n", &save))
		f[n++] = t;
	for (dash = 6; dash < n && strcmp(f[dash], "-"); dash++)
		;
	if (dash + 3 >= n) {
		fsi_outf(in, " fs=none");
		return;
	}
	drop_inums(f[dash + 3]);
	fsi_outf(in, " mnt=%s type=%s source=%s super=%s", f[5], f[dash + 1], f[dash + 2], f[dash + 3]);
}

static void fsm_run(struct interp *in, const char *name)
{
	if (!strcmp(name, "mount"))
		op_mount(in);
	else if (!strcmp(name, "mountfs"))
		op_mountfs(in);
	else if (!strcmp(name, "mountbind"))
		op_bind(in);
	else if (!strcmp(name, "umount"))
		op_umount(in);
	else if (!strcmp(name, "mountinfo"))
		op_mountinfo(in);
	else
		op_statvfs(in, !strcmp(name, "fstatvfs"));
}

const struct fsi_op fsi_mount_ops[] = {
	{ "mount", fsm_run }, { "mountfs", fsm_run }, { "mountbind", fsm_run }, { "umount", fsm_run },
	{ "statvfs", fsm_run }, { "fstatvfs", fsm_run }, { "mountinfo", fsm_run },
	{ NULL, NULL }
};
