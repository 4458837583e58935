/* ukcov tmpfs: inotify of mount inodes (include/linux/fsnotify.h's hooks).
 *
 * A guest's inotify instance is a host instance: its queue, read, poll,
 * blocking, IN_Q_OVERFLOW and max_queued_events are the host's.  A watch
 * of a mount inode is a host watch, in that instance, of a host object of
 * the inode in the store's watch root (store.c), and every event is the
 * host's answer to a real operation on that object (docs/tmpfs-api.md):
 *
 *   - a regular file's data file itself, by a name of it ("INO", the
 *     anchor): the host reports by itself its opens, closes, reads, writes
 *     and truncates (the guest's descriptions are host descriptions of it,
 *     its reads and writes the core's pread and pwrite), and IN_DELETE_SELF
 *     + IN_IGNORED when the inode is freed (anchor_make());
 *   - any other inode's shadow ("INO"): for a directory a directory that
 *     mirrors its names (an empty directory for a directory, an empty file
 *     for any other node), kept in step by the hooks below while the tmpfs
 *     directory lives, so that making, removing and renaming the mirror's
 *     names makes the host queue IN_CREATE, IN_DELETE, IN_MOVED_FROM/TO
 *     (with one cookie) and IN_ISDIR; for other nodes an empty file.
 *     Removing and closing it when the inode is freed is its IN_DELETE_SELF
 *     and IN_IGNORED;
 *   - a watched directory's child's opens and closes: a stand-in
 *     description of its mirror name per guest description (tmpfs_wdesc).
 *
 * What no such operation reports is made by setting the object's times to
 * their own values (fsnotify_change(): both times are IN_ATTRIB, mtime
 * alone IN_MODIFY, atime alone IN_ACCESS), on the inode's object and, for
 * a watched directory's child, first on its mirror name; IN_MOVE_SELF by
 * renaming the object in the watch root.  Objects are held by O_PATH
 * descriptors, whose close the host does not report.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpfs_int.h"

/*
 * A guest description's stand-ins while it is open: a description of the
 * inode's name in the watched parent's mirror (fd[0]) and, for a watched
 * directory, of its shadow (fd[1]). Opening them is the IN_OPEN, closing
 * them when the guest's description is seen closed the IN_CLOSE_*.
 */
struct tmpfs_wdesc {
	int fd[2];
	bool write;
};

/* stand-ins a mount may hold: past it, further opens go unreported (they are supervisor fds) */
#define WDESC_MAX 4096

/* the shadow's names in the watch root: renaming between them is IN_MOVE_SELF */
static void shadow_name(const struct tmpfs_inode *ino, char *buf, size_t len)
{
	snprintf(buf, len, "%" PRIu64 "%s", ino->ino, ino->wmoved ? "~" : "");
}

static int mirror_make(int dfd, const char *name, int isdir)
{
	return isdir ? mkdirat(dfd, name, 0700) : mknodat(dfd, name, S_IFREG | 0600, 0);
}

static int mirror_fill(struct tmpfs_inode *dir, int fd)
{
	for (struct tmpfs_dirent *de = dir->dir.head; de; de = de->next)
		if (mirror_make(fd, de->name, S_ISDIR(de->inode->mode)))
			return -ENOMEM;
	return 0;
}

/* Removes what a mirror holds (files and empty directories). Returns 0 or -errno. */
static int mirror_clear(int fd)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *d;
	DIR *dir;

	if (dfd < 0)
		return -errno;
	dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return -ENOMEM;
	}
	while ((d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
		    unlinkat(dfd, d->d_name, 0) && errno == EISDIR)
			unlinkat(dfd, d->d_name, AT_REMOVEDIR);
	closedir(dir);
	return 0;
}

/* A new shadow of a directory (filled with its names) or other non-regular inode. */
static int shadow_make(struct tmpfs_inode *ino)
{
	int root = tmpfs_store_watch_root(ino->mnt), fd, err;
	char name[32];

	if (root < 0)
		return root;
	shadow_name(ino, name, sizeof(name));
	/* inode numbers are never reused in a mount: the name is free */
	if (mirror_make(root, name, S_ISDIR(ino->mode)))
		return -ENOMEM;
	fd = openat(root, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -ENOMEM;
	err = S_ISDIR(ino->mode) ? mirror_fill(ino, fd) : 0;
	if (err) {
		close(fd);
		return err;
	}
	ino->wfd = fd;
	return 0;
}

/*
 * A description opened by name (tmpfs_file_desc_open()) is opened by a
 * name of the data file in the store, made on its first use: a link,
 * which the host reports as IN_ATTRIB to the file's watches. The name of
 * the first opener's plain descriptions, the commonest, is made before the
 * first watch, so that no IN_ATTRIB comes of it (a new opener's or an
 * O_NOFOLLOW one's still does: docs/tmpfs-deviations.md).
 */
static void store_name_ahead(struct tmpfs_inode *ino, int data)
{
	if (!tmpfs_store_private(ino->mnt) || (ino->reg.variants & 1) ||
	    tmpfs_store_desc_link(ino->mnt, ino->ino, data, 1, 0))
		return;
	if (ino->reg.names < 1)
		ino->reg.names = 1;
	ino->reg.variants |= 1;
}

/*
 * A regular file's anchor: a name of its data file in the watch root, and
 * an O_PATH fd opened by it. The name is what IN_MOVE_SELF renames; taken
 * away when the file loses its last name (its IN_ATTRIB), it leaves the
 * anchor's dentry the one whose release, when the inode is freed, is the
 * host's IN_DELETE_SELF and IN_IGNORED: the marks go before the
 * supervisor's own description of the data file is closed, so that close
 * is reported to nobody.
 */
static int anchor_make(struct tmpfs_inode *ino)
{
	int root = tmpfs_store_watch_root(ino->mnt), data = tmpfs_reg_data_fd(ino), fd;
	char name[32];

	if (root < 0)
		return root;
	if (data < 0)
		return data;
	shadow_name(ino, name, sizeof(name));
	if (linkat(data, "", root, name, AT_EMPTY_PATH))
		return -ENOMEM;
	fd = openat(root, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		unlinkat(root, name, 0);
		return -ENOMEM;
	}
	ino->wfd = fd;
	ino->wnamed = ino->nlink > 0;
	if (!ino->wnamed)
		unlinkat(root, name, 0);
	store_name_ahead(ino, data);
	return 0;
}

/* The regular file lost its last name: its anchor's goes too (the host's IN_ATTRIB). */
static void anchor_unname(struct tmpfs_inode *ino)
{
	int root = tmpfs_store_watch_root(ino->mnt);
	char name[32];

	if (!ino->wnamed || root < 0)
		return;
	shadow_name(ino, name, sizeof(name));
	unlinkat(root, name, 0);
	ino->wnamed = false;
}

void tmpfs_fsn_unlinked(struct tmpfs_inode *ino)
{
	if (S_ISREG(ino->mode) && ino->wfd >= 0 && !ino->nlink)
		anchor_unname(ino);
	else
		tmpfs_fsn_self(ino, IN_ATTRIB);
}

int tmpfs_inode_watch_fd(struct tmpfs_inode *ino)
{
	int err;

	if (ino->wfd < 0 && (err = S_ISREG(ino->mode) ? anchor_make(ino) : shadow_make(ino)))
		return err;
	ino->watched = true;
	return ino->wfd;
}

/* Sets the times of @name in @dfd ("": dfd itself) so that the host reports @mask. */
static void poke(int dfd, const char *name, uint32_t mask)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct stat st;

	/* a data file keeps its times: reg_sync() reads a mapping's write in its mtime */
	if (!*name) {
		if (fstat(dfd, &st))
			return;
		ts[0] = st.st_atim;
		ts[1] = st.st_mtim;
	}
	if (mask == IN_ACCESS)
		ts[1].tv_nsec = UTIME_OMIT;
	else if (mask == IN_MODIFY)
		ts[0].tv_nsec = UTIME_OMIT;
	utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW | (*name ? 0 : AT_EMPTY_PATH));
}

/*
 * The same through an open stand-in: an unlinked child's events still go
 * to its directory, by the dentry that keeps its name, unless the watch
 * said IN_EXCL_UNLINK (the host's own rule).
 */
static void poke_unlinked(const struct tmpfs_inode *ino, uint32_t mask)
{
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	int fd = -1;

	for (size_t i = ino->nwdescs; i-- > 0 && fd < 0;)
		if (ino->wdescs[i].fd[0] >= 0 && (mask != IN_MODIFY || ino->wdescs[i].write))
			fd = ino->wdescs[i].fd[0];
	if (fd < 0)
		return;
	/* a hole punched in the empty stand-in: fsnotify_modify() of a file,
	 * which IN_EXCL_UNLINK filters (a change of times would not be) */
	if (mask == IN_MODIFY)
		fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 1);
	else if (mask == IN_ACCESS)
		futimens(fd, ts);
}

static int self_fd(const struct tmpfs_inode *ino)
{
	return ino->watched ? ino->wfd : -1;
}

/*
 * The inode's directory and name there, when it has one: what its own
 * events also go to (fsnotify_parent()). A non-directory's is its latest
 * name (Linux's: the one it was reached by).
 */
static struct tmpfs_inode *parent_of(struct tmpfs_inode *ino, const char **name)
{
	if (S_ISDIR(ino->mode)) {
		if (!ino->dir.self || !ino->dir.parent || ino->dir.parent == ino)
			return NULL;
		*name = ino->dir.self->name;
		return ino->dir.parent;
	}
	if (!ino->lde)
		return NULL;
	*name = ino->lde->name;
	return ino->lparent;
}

void tmpfs_inode_dnotify_mask(struct tmpfs_inode *dir, uint32_t mask)
{
	dir->dn_mask = mask;
}

/* dnotify_handle_event(): a directory's dnotify hears its own events and its names' */
static void dnotify(struct tmpfs_inode *dir, uint32_t mask)
{
	if (dir && (dir->dn_mask & mask) && dir->mnt->dnotify)
		dir->mnt->dnotify(dir, mask);
}

void tmpfs_fsn_child(struct tmpfs_inode *ino, uint32_t mask)
{
	const char *name;
	struct tmpfs_inode *dir = parent_of(ino, &name);

	dnotify(dir, mask);
	if (dir && dir->wfd >= 0)
		poke(dir->wfd, name, mask);
	else if (!ino->lde)
		poke_unlinked(ino, mask);
}

void tmpfs_fsn_self(struct tmpfs_inode *ino, uint32_t mask)
{
	int fd = self_fd(ino);

	if (S_ISDIR(ino->mode))
		dnotify(ino, mask);

	if (fd >= 0)
		poke(fd, "", mask);
}

void tmpfs_fsn_change(struct tmpfs_inode *ino, uint32_t mask)
{
	/* fsnotify_handle_event(): the parent's event is queued first */
	tmpfs_fsn_child(ino, mask);
	tmpfs_fsn_self(ino, mask);
}

void tmpfs_fsn_create(struct tmpfs_inode *dir, const char *name, const struct tmpfs_inode *ino)
{
	dnotify(dir, IN_CREATE);
	if (dir->wfd >= 0)
		mirror_make(dir->wfd, name, S_ISDIR(ino->mode));
}

void tmpfs_fsn_delete(struct tmpfs_inode *dir, const char *name, int isdir)
{
	dnotify(dir, IN_DELETE);
	if (dir->wfd >= 0)
		unlinkat(dir->wfd, name, isdir ? AT_REMOVEDIR : 0);
}

/* the moved inode's IN_MOVE_SELF: its shadow renamed in the watch root */
static void move_self(struct tmpfs_inode *ino)
{
	int root = tmpfs_store_watch_root(ino->mnt);
	char from[32], to[32];

	if (!ino->watched || root < 0 || (S_ISREG(ino->mode) && !ino->wnamed))
		return;
	shadow_name(ino, from, sizeof(from));
	ino->wmoved = !ino->wmoved;
	shadow_name(ino, to, sizeof(to));
	if (renameat(root, from, root, to))
		ino->wmoved = !ino->wmoved;
}

/* One side of a move whose directory has no mirror: a stand-in name in the watch root. */
struct move_end {
	int fd;
	const char *name;
	bool stand_in;
};

static int move_end(struct tmpfs_inode *dir, const char *name, const char *stand_in,
		    int make, int isdir, struct move_end *e)
{
	e->fd = dir->wfd;
	e->name = name;
	e->stand_in = dir->wfd < 0;
	if (!e->stand_in)
		return 0;
	e->fd = tmpfs_store_watch_root(dir->mnt);
	e->name = stand_in;
	if (e->fd < 0)
		return -1;
	/* a leftover stand-in goes first */
	if (unlinkat(e->fd, stand_in, 0))
		unlinkat(e->fd, stand_in, AT_REMOVEDIR);
	return make && mirror_make(e->fd, stand_in, isdir) ? -1 : 0;
}

static void move_end_put(const struct move_end *e)
{
	if (e->stand_in && unlinkat(e->fd, e->name, 0))
		unlinkat(e->fd, e->name, AT_REMOVEDIR);
}

void tmpfs_fsn_move(struct tmpfs_inode *odir, const char *oname, struct tmpfs_inode *ndir,
		    const char *nname, struct tmpfs_inode *ino, struct tmpfs_inode *other,
		    unsigned flags)
{
	int exchange = !!(flags & RENAME_EXCHANGE);
	struct move_end o, n;

	/* fsnotify_move(), twice for an exchange: FS_RENAME (within one directory), then the two names */
	for (int i = 0; i <= exchange; i++) {
		if (odir == ndir)
			dnotify(odir, TMPFS_FSN_RENAME);
		dnotify(i ? ndir : odir, IN_MOVED_FROM);
		dnotify(i ? odir : ndir, IN_MOVED_TO);
	}
	if (odir->wfd >= 0 || ndir->wfd >= 0) {
		if (!move_end(odir, oname, "move.o", 1, S_ISDIR(ino->mode), &o)) {
			if (!move_end(ndir, nname, "move.n", exchange,
				      other && S_ISDIR(other->mode), &n)) {
				renameat2(o.fd, o.name, n.fd, n.name, exchange ? RENAME_EXCHANGE : 0);
				move_end_put(&n);
			}
			move_end_put(&o);
		}
	}
	/* fsnotify_move(): the replaced inode's link count, then the moved one's IN_MOVE_SELF */
	if (other && !exchange && !S_ISDIR(other->mode))
		tmpfs_fsn_unlinked(other);
	else if (other && !exchange)
		dnotify(other, IN_ATTRIB);
	move_self(ino);
	if (exchange && other)
		move_self(other);
}

void tmpfs_fsn_open(struct tmpfs_inode *ino, int flags)
{
	/* OPEN_FMODE(): a description open for writing closes with IN_CLOSE_WRITE */
	bool write = !S_ISDIR(ino->mode) && ((flags + 1) & 2);
	int acc = S_ISDIR(ino->mode) ? O_RDONLY | O_DIRECTORY : write ? O_WRONLY : O_RDONLY;
	struct tmpfs_wdesc d = { { -1, -1 }, write }, *grown;
	struct tmpfs_inode *dir;
	const char *name;

	if (ino->mnt->nwdescs >= WDESC_MAX)
		return;
	/* fsnotify_open(): the parent's event first */
	dir = parent_of(ino, &name);
	if (dir && dir->wfd >= 0)
		d.fd[0] = openat(dir->wfd, name, acc | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (S_ISDIR(ino->mode) && ino->watched && ino->wfd >= 0)
		d.fd[1] = openat(ino->wfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d.fd[0] < 0 && d.fd[1] < 0)
		return;
	grown = tmpfs_realloc(ino->wdescs, (ino->nwdescs + 1) * sizeof(*grown));
	if (!grown) {
		for (int i = 0; i < 2; i++)
			if (d.fd[i] >= 0)
				close(d.fd[i]);
		return;
	}
	ino->wdescs = grown;
	ino->wdescs[ino->nwdescs++] = d;
	ino->mnt->nwdescs++;
}

static void wdesc_close(const struct tmpfs_wdesc *d)
{
	for (int i = 0; i < 2; i++)
		if (d->fd[i] >= 0)
			close(d->fd[i]);
}

void tmpfs_fsn_close(struct tmpfs_inode *ino, int write)
{
	for (size_t i = ino->nwdescs; i-- > 0;) {
		if (ino->wdescs[i].write != !!write)
			continue;
		wdesc_close(&ino->wdescs[i]);
		ino->wdescs[i] = ino->wdescs[--ino->nwdescs];
		ino->mnt->nwdescs--;
		return;
	}
}

void tmpfs_fsn_close_all(struct tmpfs_inode *ino)
{
	for (size_t i = 0; i < ino->nwdescs; i++)
		wdesc_close(&ino->wdescs[i]);
	ino->mnt->nwdescs -= ino->nwdescs;
	free(ino->wdescs);
	ino->wdescs = NULL;
	ino->nwdescs = 0;
}

void tmpfs_fsn_free(struct tmpfs_inode *ino)
{
	char name[32];
	int root;

	tmpfs_fsn_close_all(ino);
	if (ino->wfd < 0)
		return;
	root = tmpfs_store_watch_root(ino->mnt);
	if (S_ISREG(ino->mode)) {
		anchor_unname(ino);
		close(ino->wfd);
		ino->wfd = -1;
		return;
	}
	shadow_name(ino, name, sizeof(name));
	/* a directory's mirror empties with it; emptied here if a hook missed a name */
	if (root >= 0 && unlinkat(root, name, S_ISDIR(ino->mode) ? AT_REMOVEDIR : 0) &&
	    errno == ENOTEMPTY && !mirror_clear(ino->wfd))
		unlinkat(root, name, AT_REMOVEDIR);
	close(ino->wfd);
	ino->wfd = -1;
}

int tmpfs_watchat(struct tmpfs_mount *m, const struct tmpfs_cred *c, struct tmpfs_inode *dir,
		  const char *path, int nofollow, int onlydir, struct tmpfs_walk *w)
{
	struct tmpfs_inode *ino;
	int err = tmpfs_lookup_inode(m, c, dir, path, nofollow ? AT_SYMLINK_NOFOLLOW : 0, w, &ino);

	if (err)
		return err;
	/* inotify_find_inode(): LOOKUP_DIRECTORY, then MAY_READ */
	if (onlydir && !S_ISDIR(ino->mode))
		return -ENOTDIR;
	err = tmpfs_permission(ino, c, TMPFS_MAY_READ);
	return err ? err : tmpfs_inode_watch_fd(ino);
}

void tmpfs_file_notify_access(struct tmpfs_file *f)
{
	/* no read of the data file reports it: the parent's event, then the file's own */
	tmpfs_fsn_change(f->inode, IN_ACCESS);
}

void tmpfs_file_notify_open(struct tmpfs_file *f, int flags)
{
	tmpfs_fsn_open(f->inode, flags);
}

void tmpfs_file_notify_close(struct tmpfs_file *f, int write, int all)
{
	if (all)
		tmpfs_fsn_close_all(f->inode);
	else
		tmpfs_fsn_close(f->inode, write);
}
