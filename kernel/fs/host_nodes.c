// SPDX-License-Identifier: MIT
/*
 * Fifos and device nodes of the mounts, opened (see ../nodes.h).
 *
 * A fifo's pipe is a host FIFO in the supervisor's private directory, one
 * per tmpfs inode (every name of the inode, across rename and link, leads
 * to it). Every guest open is the supervisor's open of that FIFO, and the
 * guest gets the very host fd (SECCOMP_IOCTL_NOTIF_ADDFD): reads, writes,
 * poll, F_GETPIPE_SZ, SIGPIPE are the host pipe's, at native speed. The
 * host kernel keeps the reader and writer counts, so Linux's fifo_open()
 * rules hold by construction: O_RDWR never waits, O_RDONLY|O_NONBLOCK
 * succeeds at once, O_WRONLY|O_NONBLOCK without readers is ENXIO, and a
 * blocking open waits for the other side — in a helper thread
 * (pending.h), so the loop keeps serving. The supervisor keeps no end
 * open (its copy goes once installed): when the last guest writer closes,
 * readers see EOF; when the last reader closes, writers get EPIPE; and
 * when all are gone, the next open starts an empty pipe, as on Linux. (A
 * pipe kept by an fd and reopened through /proc/self/fd would hold an end
 * and break EOF/EPIPE; a named FIFO needs none.)
 *
 * A device node opens the host device of its number: a device node made
 * in the private directory when the supervisor may (CAP_MKNOD), else the
 * host's own node for that number (/dev/char/M:m, /dev/block/M:m, or one
 * found in /dev); none is ENXIO, as chrdev_open() without a driver. The
 * permission check is the tmpfs node's (done by tmpfs_openat()), as Linux
 * checks the node opened, not /dev's.
 *
 * fstat, fchmod, fchown, futimens and fstatfs on such an fd are the tmpfs
 * node's: the private object's (st_dev, st_ino) is registered as a
 * host_io sandbox file (file.h) whose attributes are the node's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <linux/mount.h>
#include <unistd.h>

#include "../sandbox.h"
#include "fs.h"
#include "../task/pending.h"

#define NODE_BUCKETS 64

/* A fifo or device node of a mount that was opened: its host object. */
struct node {
	struct tmpfs_inode *inode;  /* with a reference, for fstat on fds that outlive its names */
	struct mount *mnt;
	struct nodes *set;
	char host[128];             /* the private object (a FIFO, a device node) */
	struct node *next;
};

/*
 * A socket bound to a mount path: its private name and the path it was
 * given (getsockname), while the socket or the node lives (see sock_sweep()).
 */
struct sockname {
	char *host, *guest;
	struct tmpfs_inode *inode;  /* the socket node, with a reference */
	bool host_gone;             /* the node has no name left: its private name was unlinked */
	bool alive;                 /* scratch of sock_sweep() */
	struct sockname *next;
};

struct nodes {
	char dir[80];               /* the private directory, "" until needed */
	int dirfd;                  /* its root when a detached mount, else -1 */
	struct node *node[NODE_BUCKETS];
	unsigned int nnodes, gc_at; /* records, and the count that triggers their collection */
	dev_t dev;                  /* st_dev of the private directory's objects */
	struct sockname *sock[NODE_BUCKETS];
	unsigned int nsock, sock_gc_at; /* records, and the count that triggers a sweep */
};

static struct nodes *nodes_of(struct sandbox *sb)
{
	if (!sb->nodes)
		sb->nodes = tmpfs_calloc(1, sizeof(*sb->nodes));
	return sb->nodes;
}

/*
 * The private directory (the deputy rule, docs/security.md): a tmpfs of
 * its own, mounted nowhere (fsopen + fsmount, as the store), so that no
 * path of the host leads into it: nothing can be planted there, and its
 * names are reached through its fd, "/proc/self/fd/N/NAME", which only the
 * supervisor's threads may follow. Its root is 0700: a helper thread that
 * wears a guest's identity (a connect, pending.c) looks a name up there
 * with the supervisor's file identity (the tmpfs node's permissions are
 * what was checked). Without
 * CAP_SYS_ADMIN (an unprivileged supervisor: its guests are its own user)
 * a 0700 directory under $TMPDIR or /tmp instead. Its objects are opened
 * without O_NOFOLLOW (F_GETFL would show it to the guest): ukcov makes
 * every name there itself, exclusively (mkfifo, mknod, bind).
 */
KERNEL_NOCOV static int private_dir(struct sandbox *sb)
{
	struct nodes *ns = nodes_of(sb);
	int err;

	if (!ns)
		return -ENOMEM;
	if (ns->dir[0])
		return 0;
	ns->dirfd = (sb->feat.forced & SANDBOX_FALLBACK_TMPFS_STORE) ? -EPERM : tmpfs_host_private_mount(1 << 20);
	if (ns->dirfd >= 0) {
		snprintf(ns->dir, sizeof(ns->dir), "/proc/self/fd/%d", ns->dirfd);
		return 0;
	}
	/* Short enough for a socket's sun_path with the node's name after it. */
	err = tmpfs_host_mkdtemp(ns->dir, sizeof("/") + 48 + sizeof("/ukcov-XXXXXX"), "ukcov");
	if (err)
		ns->dir[0] = '\0';
	return err;
}

int nodes_host_name(struct sandbox *sb, char kind, struct mount *mnt, struct tmpfs_inode *ino,
		    char *buf, size_t len)
{
	int err = private_dir(sb);

	if (err)
		return err;
	if ((size_t)snprintf(buf, len, "%s/%c%d.%llu", sb->nodes->dir, kind, (int)mnt->id,
			     (unsigned long long)tmpfs_inode_ino(ino)) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * A door to the private socket name `host`, for the guest's own thread to
 * connect through (task/connectredirect.c): a fresh directory of the
 * private directory, search-only for others, holding one link, "s", to the
 * socket, which is made writable for all (its tmpfs node's permissions were
 * what was checked; the private directory keeps everyone else out).
 * Returns the directory's fd (to hand over) with its name in door_path, or
 * -errno.
 */
int nodes_sock_door(struct sandbox *sb, const char *host, char *door_path, size_t len)
{
	static unsigned int seq;
	char link_path[PATH_MAX];
	int err = private_dir(sb), fd;

	if (err)
		return err;
	for (;;) {
		if ((size_t)snprintf(door_path, len, "%s/door.%u", sb->nodes->dir, ++seq) >= len)
			return -ENAMETOOLONG;
		if (!mkdir(door_path, 0711))
			break;
		if (errno != EEXIST)
			return -errno;
	}
	snprintf(link_path, sizeof(link_path), "%s/s", door_path);
	if (chmod(door_path, 0711) || link(host, link_path) || chmod(link_path, 0777) ||
	    (fd = open(door_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		err = -errno;
		unlink(link_path);
		rmdir(door_path);
		return err;
	}
	return fd;
}

static unsigned int name_bucket(const char *host)
{
	uint32_t h = 2166136261u;

	while (*host)
		h = (h ^ (unsigned char)*host++) * 16777619u;
	return h % NODE_BUCKETS;
}

KERNEL_NOCOV static struct sockname *sock_find(struct nodes *ns, const char *host)
{
	for (struct sockname *n = ns->sock[name_bucket(host)]; n; n = n->next)
		if (!strcmp(n->host, host))
			return n;
	return NULL;
}

/* Marks the records whose name a live socket still has (/proc/net/unix: bound names). */
KERNEL_NOCOV static int sock_mark_alive(struct nodes *ns)
{
	char line[512];
	FILE *f = fopen("/proc/net/unix", "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');
		struct sockname *n;

		if (!path)
			continue;
		path[strcspn(path, "\n")] = '\0';
		if ((n = sock_find(ns, path)))
			n->alive = true;
	}
	fclose(f);
	return 0;
}

/*
 * Bounds the records (docs/security.md): once they double, a node with no
 * name left loses its private name, and a record goes once neither its
 * socket (Linux keeps the name for getsockname while it lives) nor a name
 * of its node is left. Records and private names are then at most twice
 * the live sockets and named socket nodes.
 */
KERNEL_NOCOV static void sock_sweep(struct nodes *ns)
{
	bool known = !sock_mark_alive(ns);

	for (int b = 0; b < NODE_BUCKETS; b++) {
		for (struct sockname **pp = &ns->sock[b], *n; (n = *pp);) {
			if (!n->host_gone && tmpfs_inode_unlinked(n->inode)) {
				unlink(n->host);
				n->host_gone = true;
			}
			if (known && !n->alive && n->host_gone) {
				*pp = n->next;
				tmpfs_inode_put(n->inode);
				free(n->host);
				free(n->guest);
				free(n);
				ns->nsock--;
				continue;
			}
			n->alive = false;
			pp = &n->next;
		}
	}
	ns->sock_gc_at = 2 * ns->nsock > 64 ? 2 * ns->nsock : 64;
}

/*
 * The record of @host, made if there is none. Whether one is left from an
 * earlier bind of the same name, and when the sweep runs, are the records'
 * history, not the call's (a fuzzer's replays of one input would differ):
 * built without coverage, with private_dir() and the sweep (KERNEL_NOCOV).
 */
KERNEL_NOCOV static struct sockname *sock_record(struct nodes *ns, struct tmpfs_inode *ino,
						 const char *host)
{
	struct sockname *n;
	unsigned int b;

	if (ns->nsock >= ns->sock_gc_at)
		sock_sweep(ns);
	if ((n = sock_find(ns, host)))
		return n;
	n = tmpfs_calloc(1, sizeof(*n));
	if (!n || !(n->host = tmpfs_strdup(host))) {
		free(n);
		return NULL;
	}
	tmpfs_inode_get(ino);
	n->inode = ino;
	b = name_bucket(host);
	n->next = ns->sock[b];
	ns->sock[b] = n;
	ns->nsock++;
	return n;
}

int nodes_sock_name_set(struct sandbox *sb, struct tmpfs_inode *ino, const char *host,
			const char *guest)
{
	struct nodes *ns = nodes_of(sb);
	struct sockname *n = ns ? sock_record(ns, ino, host) : NULL;

	if (!n)
		return -ENOMEM;
	free(n->guest);
	n->guest = tmpfs_strdup(guest);
	return n->guest ? 0 : -ENOMEM;
}

const char *nodes_sock_name(struct sandbox *sb, const char *host)
{
	struct sockname *n = sb->nodes ? sock_find(sb->nodes, host) : NULL;

	return n ? n->guest : NULL;
}

/* The node records (kfiles) must be gone, or are never released after this. */
void nodes_cleanup(struct sandbox *sb)
{
	struct nodes *ns = sb->nodes;
	struct dirent *e;
	DIR *d;

	if (!ns)
		return;
	if (ns->dir[0] && ns->dirfd >= 0) {
		close(ns->dirfd); /* the mount goes with its last reference */
	} else if (ns->dir[0] && (d = opendir(ns->dir))) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	if (ns->dir[0] && ns->dirfd < 0)
		rmdir(ns->dir);
	for (int b = 0; b < NODE_BUCKETS; b++) {
		for (struct sockname *n = ns->sock[b], *next; n; n = next) {
			next = n->next;
			tmpfs_inode_put(n->inode);
			free(n->host);
			free(n->guest);
			free(n);
		}
	}
	free(ns);
	sb->nodes = NULL;
}

/* ---- the sandbox file of a node's fds: attributes are the node's ---- */

static unsigned int node_bucket(const struct tmpfs_inode *ino)
{
	return (unsigned int)(((uintptr_t)ino >> 4) * 0x9e3779b97f4a7c15ull >> 58) % NODE_BUCKETS;
}

static const struct tmpfs_cred *cred_of(struct sys_call *c)
{
	const struct guest_cred *gc;

	return sys_cred(c, &gc) ? NULL : &gc->fs;
}

static int node_getattr(struct kfile *f, struct stat *st)
{
	tmpfs_inode_stat(((struct node *)f->priv)->inode, st);
	return 0;
}

static int node_statx(struct kfile *f, unsigned int mask, struct statx *stx)
{
	tmpfs_inode_statx(((struct node *)f->priv)->inode, mask, stx);
	return 0;
}

static int node_fchmod(struct sys_call *c, struct kfile *f, mode_t mode)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_inode_chmod(((struct node *)f->priv)->inode, cr, mode) : -ESRCH;
}

static int node_fchown(struct sys_call *c, struct kfile *f, uid_t uid, gid_t gid)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_inode_chown(((struct node *)f->priv)->inode, cr, uid, gid) : -ESRCH;
}

static int node_futimens(struct sys_call *c, struct kfile *f, const struct timespec *times)
{
	const struct tmpfs_cred *cr = cred_of(c);

	return cr ? tmpfs_inode_utimens(((struct node *)f->priv)->inode, cr, times) : -ESRCH;
}

static int node_statfs(struct kfile *f, struct statfs *sf)
{
	return tmpfs_statfs(((struct node *)f->priv)->mnt->fs, sf);
}

/*
 * The record goes once no process holds its object: collected when the
 * node has no name left (no new open can reach it: nodes_collect()), and
 * whenever umount2 or a read-only remount would be EBUSY
 * (files_collect_stale(): a later open makes it again). The host object
 * is removed, the inode let go.
 */
static void node_release(struct kfile *f)
{
	struct node *n = f->priv, **pp;

	for (pp = &n->set->node[node_bucket(n->inode)]; *pp != n; pp = &(*pp)->next)
		;
	*pp = n->next;
	n->set->nnodes--;
	unlink(n->host);
	tmpfs_inode_put(n->inode);
	free(n);
}

static const struct kfile_ops node_ops;

/* also asked by the table walks (KERNEL_NOCOV): how many times is the table's history */
KERNEL_NOCOV static struct tmpfs_inode *node_inode(struct kfile *f, struct mount **mnt)
{
	struct node *n = f->priv;

	*mnt = n->mnt;
	return n->inode;
}

/* asked by the collection (KERNEL_NOCOV), whose runs are the table's history */
KERNEL_NOCOV static bool node_dead(struct kfile *f)
{
	return f->ops == &node_ops && tmpfs_inode_unlinked(((struct node *)f->priv)->inode);
}

static const struct kfile_ops node_ops = {
	.name = "tmpfs-node",
	.release = node_release,
	.host_io = true,
	.getattr = node_getattr,
	.statx = node_statx,
	.fchmod = node_fchmod,
	.fchown = node_fchown,
	.futimens = node_futimens,
	.statfs = node_statfs,
	.node_inode = node_inode,
};

/* ---- the node records ---- */

static dev_t node_dev(const struct tmpfs_inode *ino)
{
	uint32_t r = tmpfs_inode_rdev(ino);

	/* new_decode_dev(): 12 bits of major, 20 of minor */
	return makedev((r & 0xfff00) >> 8, (r & 0xff) | ((r >> 12) & 0xfff00));
}

/* Registers the private object as the sandbox file behind the node's fds. */
static int node_register(struct sandbox *sb, struct node *n)
{
	int fd = open(n->host, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct kfile *f;
	struct stat st;

	if (fd < 0)
		return -errno;
	f = kfile_new(sb, fd, &node_ops, n, 0);
	if (!fstat(fd, &st))
		sb->nodes->dev = st.st_dev;
	close(fd);
	return f ? 0 : -ENOMEM;
}

/*
 * Records of nodes without a name that no process holds open are
 * collected when their number doubles (a scan of every process's fds, as
 * for kcov instances; kfile_collect()).
 */
KERNEL_NOCOV static void nodes_collect(struct sandbox *sb)
{
	struct nodes *ns = sb->nodes;

	if (ns->nnodes < ns->gc_at || !ns->dev)
		return;
	kfile_collect(sb, ns->dev, node_dead);
	ns->gc_at = 2 * ns->nnodes > 64 ? 2 * ns->nnodes : 64;
}

/* whether a record's node has no name left: a walk of the records (KERNEL_NOCOV, the table's history) */
KERNEL_NOCOV static bool nodes_any_dead(const struct nodes *ns)
{
	for (unsigned int b = 0; b < NODE_BUCKETS; b++)
		for (const struct node *n = ns->node[b]; n; n = n->next)
			if (tmpfs_inode_unlinked(n->inode))
				return true;
	return false;
}

void nodes_name_removed(struct sandbox *sb)
{
	struct nodes *ns = sb->nodes;

	/* not while a helper waits to open a node's object: Linux's blocked open holds it */
	if (!ns || !ns->nnodes || !ns->dev || !nodes_any_dead(ns) || pending_any(sb))
		return;
	kfile_collect(sb, ns->dev, node_dead);
}

/* ino's record in the chain @n, or NULL: a walk whose length is the heap's doing (KERNEL_NOCOV) */
KERNEL_NOCOV static struct node *node_find(struct node *n, const struct tmpfs_inode *ino)
{
	while (n && n->inode != ino)
		n = n->next;
	return n;
}

/* The node's record, with its private object made on first use. */
static int node_get(struct sandbox *sb, struct mount *mnt, struct tmpfs_inode *ino, struct node **out)
{
	mode_t mode = tmpfs_inode_mode(ino);
	struct node *n, **head;
	int err;

	if (!nodes_of(sb))
		return -ENOMEM;
	head = &sb->nodes->node[node_bucket(ino)];
	if ((*out = node_find(*head, ino)))
		return 0;
	nodes_collect(sb);
	n = tmpfs_calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	err = nodes_host_name(sb, S_ISFIFO(mode) ? 'f' : 'd', mnt, ino, n->host, sizeof(n->host));
	if (!err && S_ISFIFO(mode) && mkfifo(n->host, 0600))
		err = -errno;
	/* Without CAP_MKNOD the host's own node is used, and no record kept (*out NULL). */
	if (!err && !S_ISFIFO(mode) && mknod(n->host, (mode & S_IFMT) | 0600, node_dev(ino))) {
		free(n);
		*out = NULL;
		return 0;
	}
	n->inode = ino;
	n->mnt = mnt;
	n->set = sb->nodes;
	if (!err)
		err = node_register(sb, n);
	if (err) {
		if (n->host[0])
			unlink(n->host);
		free(n);
		return err;
	}
	tmpfs_inode_get(ino);
	sb->nodes->nnodes++;
	n->next = *head;
	*head = n;
	*out = n;
	return 0;
}

/* The flags of the guest's open that the host object keeps (creation flags are done with). */
static int host_flags(int flags)
{
	return (flags & (O_ACCMODE | O_NONBLOCK | O_APPEND | O_DSYNC | O_SYNC | O_ASYNC | O_DIRECT |
			 O_NOATIME)) |
	       O_CLOEXEC;
}

/* As fifo_open(): see the top of the file. */
static int64_t fifo_open(struct sys_call *c, struct node *n, int flags)
{
	struct pending_req *req;
	int acc = flags & O_ACCMODE, hflags = host_flags(flags), fd;
	int64_t r;

	/* Waiters interrupted by a signal are gone from the counts before this open looks at them. */
	pending_flush_abandoned(c->sb);
	if ((flags & O_NONBLOCK) || acc == O_RDWR || acc == O_ACCMODE) {
		fd = open(n->host, hflags);
		if (fd < 0)
			return -errno;
		if (acc != O_WRONLY)
			pending_settle(c->sb, n->host, O_WRONLY);
		if (acc != O_RDONLY)
			pending_settle(c->sb, n->host, O_RDONLY);
		return sys_install_opened(c, fd, flags);
	}
	if (acc == O_WRONLY) {
		/* A reader is there already: no wait (the writer keeps its blocking mode). */
		fd = open(n->host, hflags | O_NONBLOCK);
		if (fd >= 0 && fcntl(fd, F_SETFL, hflags & ~O_CLOEXEC)) {
			r = -errno;
			close(fd);
			return r;
		}
		if (fd >= 0) {
			pending_settle(c->sb, n->host, O_RDONLY);
			return sys_install_opened(c, fd, flags);
		}
		if (errno != ENXIO)
			return -errno;
	}
	req = tmpfs_calloc(1, sizeof(*req));
	if (!req)
		return -ENOMEM;
	req->op = PENDING_OPEN;
	memcpy(req->path, n->host, sizeof(n->host));
	req->flags = hflags;
	req->newfd_flags = flags & O_CLOEXEC;
	r = pending_start(c, req);
	free(req);
	return r;
}

/* The host's node for device number dev, of type S_IFCHR or S_IFBLK: 0, or -ENXIO. */
static int host_dev_path(mode_t type, dev_t dev, char *buf, size_t len)
{
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(buf, len, "/dev/%s/%u:%u", S_ISCHR(type) ? "char" : "block", major(dev), minor(dev));
	if (!stat(buf, &st) && (st.st_mode & S_IFMT) == type && st.st_rdev == dev)
		return 0;
	d = opendir("/dev");
	if (!d)
		return -ENXIO;
	while ((e = readdir(d))) {
		snprintf(buf, len, "/dev/%s", e->d_name);
		if (!lstat(buf, &st) && (st.st_mode & S_IFMT) == type && st.st_rdev == dev) {
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	return -ENXIO;
}

static int64_t dev_open(struct sys_call *c, struct tmpfs_inode *ino, struct node *n, int flags)
{
	mode_t type = tmpfs_inode_mode(ino) & S_IFMT;
	dev_t dev = node_dev(ino);
	/* The supervisor must not gain a controlling terminal; O_EXCL means something to block devices. */
	int hflags = host_flags(flags) | O_NOCTTY | (flags & O_EXCL && S_ISBLK(type) ? O_EXCL : 0);
	struct pending_req *req;
	const struct guest_cred *gc;
	int64_t r;

	req = tmpfs_calloc(1, sizeof(*req));
	if (!req)
		return -ENOMEM;
	if (n)
		memcpy(req->path, n->host, sizeof(n->host));
	else if ((r = host_dev_path(type, dev, req->path, sizeof(req->path)))) {
		free(req);
		return r;
	}
	/*
	 * A device's open may wait (a tty, a tape): in a helper. The driver's
	 * own checks (capable(CAP_SYS_RAWIO) of /dev/mem, a tty's) judge the
	 * guest: the helper wears its identity, with the supervisor's file
	 * identity for the node's lookup only (the tmpfs node's permissions
	 * were checked, as Linux checks the node opened, not /dev's).
	 */
	r = sys_cred(c, &gc);
	if (!r)
		cred_ident(gc, &req->ident);
	if (r) {
		free(req);
		return r;
	}
	req->ident.private_name = true;
	req->op = PENDING_OPEN;
	req->flags = hflags;
	req->newfd_flags = flags & O_CLOEXEC;
	req->expect_rdev = dev;
	r = pending_start(c, req);
	free(req);
	return r;
}

int64_t nodes_open(struct sys_call *c, struct tmpfs_file *tf, int flags)
{
	struct tmpfs_inode *ino = tmpfs_file_inode(tf);
	mode_t mode = tmpfs_inode_mode(ino);
	struct node *n;
	int64_t r;

	if ((flags & O_PATH) || !(S_ISFIFO(mode) || S_ISCHR(mode) || S_ISBLK(mode)))
		return tmpfs_install(c, tf, flags);
	r = node_get(c->sb, mount_of_fs(c->sb, tmpfs_file_mount(tf)), ino, &n);
	if (!r)
		r = S_ISFIFO(mode) ? fifo_open(c, n, flags) : dev_open(c, ino, n, flags);
	tmpfs_file_put(tf);
	return r;
}
