// SPDX-License-Identifier: MIT
/*
 * The calling thread's credentials, from /proc/TID/status: what Linux's
 * permission checks use (fsuid, fsgid, groups, effective capabilities) and
 * the umask every create applies. Read at most once per syscall.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../task/pending.h"
#include "vfs.h"

static void parse_groups(const char *s, struct tmpfs_cred *cr)
{
	char *end;

	cr->ngroups = 0;
	while (cr->ngroups < TMPFS_NGROUPS_MAX) {
		unsigned long g = strtoul(s, &end, 10);

		if (end == s)
			break;
		cr->groups[cr->ngroups++] = (uint32_t)g;
		s = end;
	}
}

static int parse_status(char *buf, struct guest_cred *gc)
{
	unsigned int seen = 0;

	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long long cap;
		unsigned int a, b, cc, d;

		if (sscanf(line, "Tgid: %d", &gc->tgid) == 1)
			seen |= 1;
		else if (sscanf(line, "PPid: %d", &gc->ppid) == 1)
			seen |= 2;
		else if (sscanf(line, "Uid: %u %u %u %u", &a, &b, &cc, &d) == 4) {
			gc->fs.uid = a;
			gc->euid = b;
			gc->suid = cc;
			gc->fs.fsuid = d;
			seen |= 4;
		} else if (sscanf(line, "Gid: %u %u %u %u", &a, &b, &cc, &d) == 4) {
			gc->fs.gid = a;
			gc->egid = b;
			gc->sgid = cc;
			gc->fs.fsgid = d;
			seen |= 8;
		} else if (!strncmp(line, "Groups:", 7)) {
			parse_groups(line + 7, &gc->fs);
		} else if (sscanf(line, "CapEff: %llx", &cap) == 1) {
			/* TMPFS_CAP_* are Linux's capability numbers. */
			gc->fs.caps = (uint32_t)(cap & (TMPFS_CAP_ALL | TMPFS_CAP_XATTR));
			gc->fs.host_caps = cap;
			gc->cap_eff = cap;
			gc->cap_sys_admin = (cap >> CAP_SYS_ADMIN) & 1;
			seen |= 16;
		} else if (sscanf(line, "CapPrm: %llx", &cap) == 1) {
			gc->fs.caps_perm = (uint32_t)(cap & (TMPFS_CAP_ALL | TMPFS_CAP_XATTR));
			gc->fs.host_caps_perm = cap;
		} else if (sscanf(line, "Umask: %o", &a) == 1) {
			gc->fs.umask = a;
		}
	}
	return seen == 31 ? 0 : -ESRCH;
}

/*
 * Drops the records of processes that are gone (their tgid free, or
 * another process's), once the records double: at most twice the live
 * processes ever seen (docs/security.md).
 */
static void credgen_collect(struct sandbox *sb)
{
	for (int b = 0; b < KTASK_BUCKETS; b++) {
		for (struct credgen **pp = &sb->credgen[b], *g; (g = *pp);) {
			if (task_start_ticks(g->tgid) != g->start) {
				*pp = g->next;
				free(g);
				sb->ncredgen--;
				continue;
			}
			pp = &g->next;
		}
	}
	sb->credgen_gc_at = 2 * sb->ncredgen > 256 ? 2 * sb->ncredgen : 256;
}

/*
 * The process's record; a tgid that another process had before gets a new
 * generation. The chain's length is the table's history (KERNEL_NOCOV).
 */
KERNEL_NOCOV static struct credgen *credgen_find(struct sandbox *sb, pid_t tgid)
{
	struct credgen **head = &sb->credgen[(unsigned int)tgid % KTASK_BUCKETS], *g;
	uint64_t start = task_start_ticks(tgid);

	for (g = *head; g; g = g->next) {
		if (g->tgid != tgid)
			continue;
		if (g->start != start) {
			g->start = start;
			g->gen = ++sb->credgen_last;
		}
		return g;
	}
	if (sb->ncredgen >= sb->credgen_gc_at)
		credgen_collect(sb);
	g = tmpfs_calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->tgid = tgid;
	g->start = start;
	g->gen = ++sb->credgen_last;
	g->next = *head;
	*head = g;
	sb->ncredgen++;
	return g;
}

void credgen_bump(struct sandbox *sb, pid_t tgid)
{
	struct credgen *g = credgen_find(sb, tgid);

	if (g)
		g->gen = ++sb->credgen_last;
	sb->cred_epoch++;
}

/*
 * The soft "Max file size" of /proc/TID/limits, which anyone may read:
 * prlimit(2) of a thread whose uids are not all the supervisor's (a root
 * guest after seteuid(nobody)) needs CAP_SYS_RESOURCE. RLIM_INFINITY when
 * unlimited or unreadable.
 */
static rlim_t proc_fsize(pid_t tid)
{
	char path[64], buf[4096];
	const char *line;
	unsigned long long v;

	snprintf(path, sizeof(path), "/proc/%d/limits", tid);
	if (proc_read(AT_FDCWD, path, buf, sizeof(buf)) < 0 || !(line = strstr(buf, "\nMax file size ")))
		return RLIM_INFINITY;
	if (sscanf(line + sizeof("\nMax file size ") - 1, " %llu", &v) != 1)
		return RLIM_INFINITY;
	return (rlim_t)v;
}

/* The thread's RLIMIT_FSIZE, which Linux's file systems read from current. */
static void cred_fsize(struct sys_call *c, struct guest_cred *gc)
{
	struct rlimit rl;

	if (prlimit(c->tid, RLIMIT_FSIZE, NULL, &rl))
		rl.rlim_cur = proc_fsize(c->tid);
	if (rl.rlim_cur == RLIM_INFINITY)
		return;
	gc->fs.has_fsize = 1;
	gc->fs.fsize = rl.rlim_cur;
}

void cred_fsize_exceeded(struct sys_call *c, int64_t r)
{
	const struct guest_cred *cr;

	/* Every EFBIG under a finite limit is the limit's: ukcov's file size limit is INT64_MAX. */
	if (r == -EFBIG && !sys_cred(c, &cr) && cr->fs.has_fsize)
		sig_send_later(&(struct sig_out){ .tgid = cr->tgid, .tid = c->tid, .sig = SIGXFSZ });
}

/*
 * The deputy rule (docs/security.md): a capability counts on the host's
 * objects only in the user namespace that owns them. CapEff in
 * /proc/TID/status is relative to the thread's own namespace, full after
 * unshare(CLONE_NEWUSER); ns_capable() on an object of the supervisor's
 * namespace gives such caps nothing, and nor does ukcov on the host.
 * Linux still honours them on inodes whose owner and group are both mapped
 * in the child namespace (capable_wrt_inode_uidgid()): the tmpfs core does
 * on its own inodes (fs.userns); the host's ukcov never lends them.
 * Returns 1 when the thread is in the supervisor's namespace, 0 when not,
 * -errno when it cannot tell (the caller fails closed).
 */
static int in_own_userns(struct sandbox *sb, pid_t tid)
{
	char path[64];
	struct stat st;

	if (!sb->userns_ino) {
		if (stat("/proc/self/ns/user", &st))
			return -errno;
		sb->userns_dev = st.st_dev;
		sb->userns_ino = st.st_ino;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/user", tid);
	if (stat(path, &st))
		return errno == ENOENT ? -ESRCH : -errno;
	return st.st_dev == sb->userns_dev && st.st_ino == sb->userns_ino;
}

/* /proc/TID/uid_map or gid_map (lower ids are the reader's: the host's), every line of it. */
static void read_id_map(pid_t tid, const char *which, struct tmpfs_idmap *map)
{
	/* 340 lines of three 10-digit ids */
	size_t len = TMPFS_ID_EXTENTS_MAX * 34 + 1, got = 0;
	char path[64], *buf = tmpfs_malloc(len), *p;
	ssize_t n = 1;
	int fd;

	map->n = 0;
	snprintf(path, sizeof(path), "/proc/%d/%s", tid, which);
	fd = buf ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	while (fd >= 0 && got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	if (fd >= 0)
		close(fd);
	if (!buf || fd < 0 || n < 0) {
		free(buf);
		return;
	}
	buf[got] = '\0';
	for (p = buf; map->n < TMPFS_ID_EXTENTS_MAX && *p; map->n++) {
		unsigned long f, l, cnt;
		int used;

		if (sscanf(p, " %lu %lu %lu%n", &f, &l, &cnt, &used) != 3)
			break;
		map->e[map->n] = (struct tmpfs_id_extent){ (uint32_t)f, (uint32_t)l, (uint32_t)cnt };
		p += used;
	}
	free(buf);
}

/* A map is written once, after the unshare the credentials were read at: until both are, read afresh. */
static void read_id_maps(pid_t tid, struct guest_cred *gc)
{
	if (!gc->userns.uid.n)
		read_id_map(tid, "uid_map", &gc->userns.uid);
	if (!gc->userns.gid.n)
		read_id_map(tid, "gid_map", &gc->userns.gid);
}

/* from_kuid_munged(): a host id as the namespace sees it, or the overflow id. */
static uint32_t id_shown(const struct tmpfs_idmap *m, uint32_t id)
{
	uint32_t up = tmpfs_id_up(m, id);

	return up == (uint32_t)-1 ? 65534 : up;
}

void cred_shown_ids(const struct guest_cred *gc, uint32_t *uid, uint32_t *gid)
{
	if (!gc->foreign_ns)
		return;
	*uid = id_shown(&gc->userns.uid, *uid);
	*gid = id_shown(&gc->userns.gid, *gid);
}

void cred_shown_stat(struct sys_call *c, uint32_t *uid, uint32_t *gid)
{
	const struct guest_cred *gc;

	if (sys_cred(c, &gc))
		return;
	cred_shown_ids(gc, uid, gid);
}

int sys_cred(struct sys_call *c, const struct guest_cred **out)
{
	struct credgen *g;
	char path[64], buf[4096];
	struct guest_cred *gc;
	ssize_t n;

	struct guest_cred **cached = NULL;
	uint64_t *cached_epoch = NULL;
	struct pidslot *ps;

	if (c->cred) {
		*out = c->cred;
		return 0;
	}
	/*
	 * The cache sits with the thread's validated pidfd (a tracked task's,
	 * or the pidfd cache's), so a thread that reuses a TID starts afresh.
	 */
	if (c->task->pidfd >= 0) {
		cached = &c->task->cred;
		cached_epoch = &c->task->cred_epoch;
	} else if (sys_pidfd(c) >= 0 && (ps = pidcache_slot(c->sb, c->tid))) {
		cached = &ps->cred;
		cached_epoch = &ps->cred_epoch;
	}
	if (cached && *cached && *cached_epoch == c->sb->cred_epoch) {
		if ((*cached)->foreign_ns)
			read_id_maps(c->tid, *cached);
		c->cred = *cached;
		*out = c->cred;
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/status", c->tid);
	n = proc_read(AT_FDCWD, path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	gc = tmpfs_calloc(1, sizeof(*gc));
	if (!gc)
		return -ENOMEM;
	gc->fs.umask = 022;
	if (parse_status(buf, gc)) {
		free(gc);
		return -ESRCH;
	}
	/* After the status: the thread is stopped in this call, so both are of the same credentials. */
	n = in_own_userns(c->sb, c->tid);
	if (n < 0) {
		free(gc);
		return (int)n;
	}
	if (!n) {
		/* Its caps count on the mount's inodes it maps (tmpfs_capable()), never on the host's. */
		gc->userns.caps = gc->fs.caps;
		gc->fs.userns = &gc->userns;
		gc->fs.caps = gc->fs.caps_perm = 0, gc->fs.host_caps = gc->fs.host_caps_perm = 0, gc->cap_eff = 0, gc->cap_sys_admin = false;
		gc->foreign_ns = true;
		read_id_maps(c->tid, gc);
	}
	if (c->sb->fsize_limited)
		cred_fsize(c, gc);
	/* 0 (no generation) makes the file system compare the values instead. */
	g = credgen_find(c->sb, gc->tgid);
	gc->fs.serial = g ? g->gen : 0;
	if (cached) {
		free(*cached);
		*cached = gc;
		*cached_epoch = c->sb->cred_epoch;
	}
	c->cred = gc;
	c->cred_owned = !cached;
	*out = gc;
	return 0;
}

void cred_ident(const struct guest_cred *gc, struct pending_ident *out)
{
	*out = (struct pending_ident){
		.set = true,
		.uid = { gc->fs.uid, gc->euid, gc->suid },
		.gid = { gc->fs.gid, gc->egid, gc->sgid },
		.fsuid = gc->fs.fsuid,
		.fsgid = gc->fs.fsgid,
		.ngroups = gc->fs.ngroups < PENDING_NGROUPS ? gc->fs.ngroups : PENDING_NGROUPS,
		.caps = gc->fs.host_caps,
	};
	memcpy(out->groups, gc->fs.groups, out->ngroups * sizeof(out->groups[0]));
}

/*
 * Acting as the guest on the host. The supervisor finishes on the host the
 * calls whose walk left a mount (sys_path.c, sys_open.c); Linux goes on
 * there with the caller's credentials (may_lookup() on each directory, the
 * final inode's permissions, the owner of what it creates), so the
 * supervisor thread takes them for that one call. fsuid, fsgid, the group
 * list and the capability sets belong to a thread in Linux: the raw
 * syscalls change the server thread alone (glibc's wrappers of setgroups()
 * would change every thread). One syscall is served at a time, so one saved
 * identity is enough.
 */
#define HOST_NGROUPS 256


static struct {
	bool active;
	uint32_t fsuid, fsgid;
	int ngroups;
	gid_t groups[HOST_NGROUPS];
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3];
} host_saved;

static int caps_rw(int nr, struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };

	return (int)syscall(nr, &h, d);
}

static uint32_t fsid_now(int nr)
{
	return (uint32_t)syscall(nr, -1); /* an invalid id changes nothing, returns the current one */
}

/* The file capabilities (TMPFS_CAP_*, Linux's numbers 0..4) become the guest's. */
static int caps_take(const struct tmpfs_cred *as, uint64_t keep)
{
	struct __user_cap_data_struct now[_LINUX_CAPABILITY_U32S_3];

	if (caps_rw(SYS_capget, now))
		return -1;
	/*
	 * Exactly the guest's effective set (within ours): never one of the
	 * supervisor's own (CAP_SYS_PTRACE would open another process's
	 * /proc/PID/mem, CAP_DAC_OVERRIDE any file).
	 */
	now[0].effective = (uint32_t)(as->host_caps | keep) & now[0].permitted;
	now[1].effective = (uint32_t)((as->host_caps | keep) >> 32) & now[1].permitted;
	return caps_rw(SYS_capset, now);
}

/* Whether the thread's group list already is `as`'s (order aside): no setgroups() needed. */
static bool groups_are(const struct tmpfs_cred *as)
{
	if ((uint32_t)host_saved.ngroups != as->ngroups)
		return false;
	for (uint32_t i = 0; i < as->ngroups; i++) {
		int j = 0;

		while (j < host_saved.ngroups && host_saved.groups[j] != as->groups[i])
			j++;
		if (j == host_saved.ngroups)
			return false;
	}
	return true;
}

static int cred_enter(const struct tmpfs_cred *as, uint64_t keep)
{
	gid_t groups[TMPFS_NGROUPS_MAX];

	host_saved.fsuid = fsid_now(SYS_setfsuid);
	host_saved.fsgid = fsid_now(SYS_setfsgid);
	host_saved.ngroups = (int)syscall(SYS_getgroups, HOST_NGROUPS, host_saved.groups);
	if (host_saved.ngroups < 0 || caps_rw(SYS_capget, host_saved.caps))
		return -EACCES;
	for (uint32_t i = 0; i < as->ngroups; i++)
		groups[i] = as->groups[i];
	/*
	 * Without CAP_SETGID (an unprivileged supervisor) only a guest whose
	 * identity is the supervisor's can be served; any other is refused
	 * rather than served as the supervisor.
	 */
	if (!groups_are(as) && syscall(SYS_setgroups, as->ngroups, groups))
		return -EACCES;
	host_saved.active = true;
	syscall(SYS_setfsgid, as->fsgid);
	syscall(SYS_setfsuid, as->fsuid);
	if (fsid_now(SYS_setfsuid) != as->fsuid || fsid_now(SYS_setfsgid) != as->fsgid ||
	    caps_take(as, keep)) {
		cred_host_leave();
		return -EACCES;
	}
	return 0;
}

int cred_host_enter(const struct tmpfs_cred *as)
{
	return cred_enter(as, 0);
}

/*
 * Linux never refuses a process its own /proc entries on ptrace grounds
 * (same_thread_group() in __ptrace_may_access()), even when it is not
 * dumpable (after a setuid): the supervisor's thread, standing for it,
 * keeps CAP_SYS_PTRACE for exactly that, and the files' modes still judge
 * the guest's fsuid. Only for the guest's own /proc/TGID and /proc/TID.
 */
int cred_host_enter_own_proc(const struct tmpfs_cred *as)
{
	return cred_enter(as, 1ull << CAP_SYS_PTRACE);
}

int cred_host_enter_for(struct sys_call *c, const struct tmpfs_cred *as, const char *host)
{
	const struct guest_cred *gc;
	pid_t pid;

	if (proc_pid_part(host, &pid) && !sys_cred(c, &gc) && proc_tgid(pid) == gc->tgid)
		return cred_host_enter_own_proc(as);
	return cred_host_enter(as);
}

void cred_host_leave(void)
{
	int saved_errno = errno;

	if (!host_saved.active)
		return;
	/*
	 * CAP_SETUID and CAP_SETGID first (the guest's set may lack them);
	 * setfsuid(0) raises the file capabilities again; capset then
	 * restores the set exactly.
	 */
	caps_rw(SYS_capset, host_saved.caps);
	syscall(SYS_setfsuid, host_saved.fsuid);
	syscall(SYS_setfsgid, host_saved.fsgid);
	syscall(SYS_setgroups, host_saved.ngroups, host_saved.groups);
	caps_rw(SYS_capset, host_saved.caps);
	host_saved.active = false;
	errno = saved_errno;
}
