// SPDX-License-Identifier: MIT
/*
 * Unix sockets named by paths in a mount: bind(2), connect(2), sendto(2)
 * and sendmsg(2) to such a path, getsockname(2) and getpeername(2) of a
 * socket bound there. Every other address (other families, abstract names,
 * host paths) is the host's, untouched.
 *
 * As net/unix/af_unix.c does, the name is a socket node of the file system
 * (tmpfs_mknodat(S_IFSOCK), EEXIST being EADDRINUSE) and connecting finds
 * the socket through that node's inode. The socket itself stays the host's:
 * the supervisor binds the guest's socket (its own copy, from pidfd_getfd)
 * to a name in its private directory made from the node's inode (nodes.h),
 * and a guest naming the node by any of its paths connects or sends to that
 * name. A node nobody is bound to is ECONNREFUSED, as on Linux.
 *
 * The deputy rule (docs/security.md): a connect or send is made by a helper
 * thread wearing the guest's whole identity (pending.h), so that the host
 * daemon at the other end sees the guest's uid, gid and groups in
 * SO_PEERCRED and SCM_CREDENTIALS, and the host itself judges a path that
 * left the mount (its search and write permissions, at the connect: no
 * check made before as the guest and acted on after as root). The pid a
 * peer sees is the supervisor's (only the guest's own thread could give its
 * own: docs/security.md says so).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "../vfs/file.h"
#include "../fs/fs.h"
#include "pcall.h"
#include "../task/pending.h"
#include "sys.h"

/* A guest sockaddr_un naming a path (not abstract, not unnamed). */
struct uaddr {
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
};

/*
 * move_addr_to_kernel() + unix_validate_addr() + unix_mkname_bsd(): 0 with
 * the path when the address names a filesystem socket; 1 for anything
 * else (the host answers, its errors included).
 */
static int read_uaddr(struct sys_call *c, uint64_t uaddr, uint64_t len, struct uaddr *out)
{
	struct sockaddr_un sun;
	size_t n;

	if (!uaddr || len <= offsetof(struct sockaddr_un, sun_path) || len > sizeof(sun))
		return 1;
	memset(&sun, 0, sizeof(sun));
	if (guest_read(c->tid, &sun, uaddr, (size_t)len) || sun.sun_family != AF_UNIX || !sun.sun_path[0])
		return 1;
	/* The name ends at the first NUL or at the end of the address. */
	n = strnlen(sun.sun_path, (size_t)len - offsetof(struct sockaddr_un, sun_path));
	memcpy(out->path, sun.sun_path, n);
	out->path[n] = '\0';
	return 0;
}

/* sockfd_lookup_light()'s fdget() finds no O_PATH file: EBADF before anything else */
static bool opath_fd(struct sys_call *c, uint64_t fd)
{
	struct kfile *f;

	return !fd_get(c, (int)fd, &f) && (f->flags & O_PATH);
}

/*
 * The guest's socket fd as a supervisor fd (the same socket). Returns 0 and
 * *out, SYS_CONTINUE when it is no Unix socket (the host answers), or
 * -errno; never the host for a mount path (fail closed).
 */
static int64_t guest_socket(struct sys_call *c, int fd, int *out, int *type)
{
	int pidfd = sys_pidfd(c), hfd, dom = -1;
	const struct guest_cred *cr;
	socklen_t l = sizeof(dom);
	struct stat st;

	if (pidfd < 0)
		return pidfd;
	hfd = sys_cred(c, &cr);
	if (hfd)
		return hfd;
	hfd = thread_getfd_file(c->sb, pidfd, cr->tgid, fd);
	if (hfd < 0)
		return hfd == -EMFILE ? -ENFILE : hfd;
	if (fstat(hfd, &st) || !S_ISSOCK(st.st_mode)) {
		close(hfd);
		return -ENOTSOCK;
	}
	if (getsockopt(hfd, SOL_SOCKET, SO_DOMAIN, &dom, &l) || dom != AF_UNIX) {
		close(hfd);
		return SYS_CONTINUE;
	}
	l = sizeof(*type);
	if (getsockopt(hfd, SOL_SOCKET, SO_TYPE, type, &l))
		*type = SOCK_STREAM;
	*out = hfd;
	return 0;
}

static int host_sun(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	size_t n = strlen(path);

	if (n >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

/* Looks a guest address path up: 0 with pc set (a mount's), SYS_CONTINUE (the host's), -errno. */
static int64_t addr_lookup(struct sys_call *c, const struct uaddr *a, struct pcall *pc)
{
	const struct guest_cred *cr;
	int64_t r = path_lookup_str(c, AT_FDCWD, a->path, &pc->p);

	pcall_reset(pc);
	if (r)
		return r;
	if (!pc->p.mnt)
		return SYS_CONTINUE;
	r = sys_cred(c, &cr);
	if (r)
		return r;
	pc->cred = &cr->fs;
	return 0;
}

/* Implements bind(2). */
int64_t sys_bind(struct sys_call *c)
{
	struct tmpfs_inode *ino = NULL;
	struct sockaddr_un sun;
	struct pcall pc;
	struct uaddr a;
	socklen_t len;
	char *host, name[128];
	int hfd, type;
	mode_t um;
	int64_t r;

	if (opath_fd(c, c->args[0]))
		return -EBADF;
	if (read_uaddr(c, c->args[1], c->args[2], &a))
		return SYS_CONTINUE;
	r = addr_lookup(c, &a, &pc);
	if (r)
		return r;
	r = guest_socket(c, (int)c->args[0], &hfd, &type);
	if (r)
		return r;
	/* unix_bind_bsd(): mknod the node first (EEXIST is EADDRINUSE), then bind. */
	do {
		r = tmpfs_mknodat(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, S_IFSOCK | 0777, 0, &pc.w,
				  &ino);
	} while (pcall_exit(c, &pc, &r, &host));
	if (host && !host_sun(host, &sun, &len) && host_change_begin(pc.cred, &um))
		r = host_change_end(bind(hfd, (struct sockaddr *)&sun, len), um);
	if (!r && ino) {
		r = nodes_host_name(c->sb, 's', pc.p.mnt, ino, name, sizeof(name));
		if (!r)
			r = host_sun(name, &sun, &len);
		if (!r && bind(hfd, (struct sockaddr *)&sun, len))
			r = -errno;
		if (!r)
			r = nodes_sock_name_set(c->sb, ino, name, a.path);
		/* Already bound (EINVAL) or out of memory: the node goes again, as out_unlink. */
		if (r)
			tmpfs_unlink_if(pc.p.mnt->fs, pc.cred, pc.p.dir, pc.p.path, ino);
	}
	close(hfd);
	return r == -EEXIST ? -EADDRINUSE : r;
}

/*
 * The host name of the socket a guest address names in a mount
 * (unix_find_bsd()): 0 with sun set, or -errno. A walk that leaves the
 * mount gives the rest of the path (*on_host): the host checks it when the
 * guest's helper connects (may_lookup(), write permission), as Linux.
 */
static int64_t find_socket(struct sys_call *c, struct pcall *pc, struct sockaddr_un *sun,
			   socklen_t *len, bool *on_host)
{
	struct tmpfs_inode *ino;
	char *host, name[128];
	int64_t r;

	*on_host = false;
	do {
		r = tmpfs_lookup_socket(pc->p.mnt->fs, pc->cred, pc->p.dir, pc->p.path, &pc->w, &ino);
	} while (pcall_exit(c, pc, &r, &host));
	if (host) {
		*on_host = true;
		return host_sun(host, sun, len);
	}
	if (r)
		return r;
	tmpfs_inode_accessed(ino);
	r = nodes_host_name(c->sb, 's', pc->p.mnt, ino, name, sizeof(name));
	return r ? r : host_sun(name, sun, len);
}

/* A connect or send in a helper thread that wears the guest's identity; req->sockfd is taken. */
static int64_t as_guest(struct sys_call *c, struct pending_req *req, bool on_host)
{
	const struct guest_cred *cr;
	int64_t r = sys_cred(c, &cr);

	if (r) {
		close(req->sockfd);
		free(req->buf);
		return r;
	}
	cred_ident(cr, &req->ident);
	if (req->op == PENDING_SEND)
		req->ident.pid = cr->tgid;
	req->ident.private_name = !on_host;
	return pending_start(c, req);
}

/*
 * A stream connect made by the guest's own thread, so that the listener's
 * SO_PEERCRED is the guest's pid as well as its uid and gid
 * (task/connectredirect.c): to the host path a walk left the mount for, or
 * through a door to the private name. Returns SYS_PENDING, -errno, or 1:
 * not this way (a debugger traces the thread; too many at once) to a
 * socket ukcov bound, the caller's helper connects.
 */
static int64_t connect_by_guest(struct sys_call *c, const struct sockaddr_un *sun, bool on_host)
{
	struct connect_redirect *r = tmpfs_calloc(1, sizeof(*r));
	int64_t ret;

	if (!r)
		return -ENOMEM;
	*r = (struct connect_redirect){ .listener = c->sb->listener, .id = c->id, .tid = c->tid,
					.sockfd = (int)c->args[0], .addr = c->args[1], .door = -1 };
	snprintf(r->path, sizeof(r->path), "%s", on_host ? sun->sun_path : "s");
	if (!on_host) {
		r->door = nodes_sock_door(c->sb, sun->sun_path, r->door_path, sizeof(r->door_path));
		if (r->door < 0) {
			ret = r->door;
			free(r);
			/* The name is there but nobody bound it (a node made by mknod). */
			return ret == -ENOENT ? -ECONNREFUSED : 1;
		}
	}
	ret = guest_connect_redirect(r);
	free(r);
	if (ret != -EBUSY && ret != -EAGAIN)
		return ret ? ret : SYS_PENDING;
	/*
	 * The thread cannot make it (a debugger traces it: -EBUSY; every
	 * redirect slot taken: -EAGAIN). A helper thread of the supervisor
	 * would connect with the supervisor's pid, which a host daemon may
	 * look up in /proc as an identity (polkit's unix-process): to a host
	 * socket the connect fails closed instead, EPERM as an LSM's refusal,
	 * EAGAIN as a full backlog. A socket ukcov bound has a sandbox process
	 * as its listener: the helper may connect there.
	 */
	if (on_host)
		return ret == -EBUSY ? -EPERM : -EAGAIN;
	return 1;
}

/* Implements connect(2). */
int64_t sys_connect(struct sys_call *c)
{
	struct pending_req *req;
	struct sockaddr_un sun;
	struct pcall pc;
	struct uaddr a;
	socklen_t len;
	int hfd, type;
	bool on_host;
	int64_t r;

	/* The connect our redirect made the guest's thread run. */
	r = guest_connect_trapped(c->sb->listener, c->id, c->tid, (int)c->args[0], c->args[1]);
	if (r <= 0)
		return r ? r : SYS_CONTINUE;
	if (opath_fd(c, c->args[0]))
		return -EBADF;
	if (read_uaddr(c, c->args[1], c->args[2], &a))
		return SYS_CONTINUE;
	r = addr_lookup(c, &a, &pc);
	if (r)
		return r;
	r = guest_socket(c, (int)c->args[0], &hfd, &type);
	if (r)
		return r;
	r = find_socket(c, &pc, &sun, &len, &on_host);
	if (!r)
		r = type == SOCK_STREAM || type == SOCK_SEQPACKET ? connect_by_guest(c, &sun, on_host) : 1;
	if (r != 1) {
		close(hfd);
		return r;
	}
	req = tmpfs_calloc(1, sizeof(*req));
	if (!req) {
		close(hfd);
		return -ENOMEM;
	}
	req->op = PENDING_CONNECT;
	req->sockfd = hfd;
	req->addr = sun;
	req->addrlen = len;
	/* The name is there but nobody bound it (a node made by mknod): ECONNREFUSED. */
	req->enoent_errno = on_host ? 0 : ECONNREFUSED;
	r = as_guest(c, req, on_host);
	free(req);
	return r;
}

/*
 * A datagram to a mount path: sent by the supervisor; one that may wait (a
 * blocking socket, a full receiver) is sent by a helper and answered later.
 */
static int64_t send_to_mount(struct sys_call *c, int fd, const struct uaddr *a,
			     const struct iovec *giov, size_t niov, int flags)
{
	struct sockaddr_un sun;
	struct pcall pc;
	socklen_t len;
	size_t total = 0;
	char *buf = NULL;
	int hfd, type;
	bool on_host;
	int64_t r = guest_socket(c, fd, &hfd, &type);

	if (r)
		return r;
	/*
	 * Only a datagram goes to the address: a stream socket answers
	 * EISCONN or EOPNOTSUPP and a seqpacket one ignores it
	 * (unix_stream_sendmsg(), unix_seqpacket_sendmsg()), before any path
	 * lookup: the host does exactly that.
	 */
	if (type != SOCK_DGRAM) {
		close(hfd);
		return SYS_CONTINUE;
	}
	r = addr_lookup(c, a, &pc);
	if (!r)
		r = find_socket(c, &pc, &sun, &len, &on_host);
	for (size_t i = 0; !r && i < niov; i++) {
		if (giov[i].iov_len > (1u << 22) - total)
			r = -EMSGSIZE; /* beyond any datagram a Unix socket takes */
		else
			total += giov[i].iov_len;
	}
	if (!r && !(buf = tmpfs_malloc(total ? total : 1)))
		r = -ENOMEM;
	for (size_t i = 0, off = 0; !r && i < niov; off += giov[i].iov_len, i++)
		if (guest_read(c->tid, buf + off, (uint64_t)(uintptr_t)giov[i].iov_base, giov[i].iov_len))
			r = -EFAULT;
	if (!r) {
		struct pending_req *req = tmpfs_calloc(1, sizeof(*req));

		if (!req) {
			free(buf);
			close(hfd);
			return -ENOMEM;
		}
		/* MSG_DONTWAIT and the socket's O_NONBLOCK say whether the helper waits. */
		*req = (struct pending_req){ .op = PENDING_SEND, .sockfd = hfd, .addr = sun,
					     .addrlen = len, .enoent_errno = on_host ? 0 : ECONNREFUSED,
					     .buf = buf, .len = total,
					     .send_flags = flags | MSG_NOSIGNAL };
		r = as_guest(c, req, on_host);
		free(req);
		return r;
	}
	free(buf);
	close(hfd);
	return r;
}

/* Implements sendto(2) to a mount path; any other call is the host's. */
int64_t sys_sendto(struct sys_call *c)
{
	struct iovec iov = { (void *)(uintptr_t)c->args[1], (size_t)c->args[2] };
	struct uaddr a;

	if (opath_fd(c, c->args[0]))
		return -EBADF;
	if (read_uaddr(c, c->args[4], c->args[5], &a))
		return SYS_CONTINUE;
	return send_to_mount(c, (int)c->args[0], &a, &iov, 1, (int)c->args[3]);
}

/* Implements sendmsg(2) to a mount path (without ancillary data); any other call is the host's. */
int64_t sys_sendmsg(struct sys_call *c)
{
	struct msghdr msg;
	struct iovec *iov;
	struct uaddr a;
	int64_t r;

	if (opath_fd(c, c->args[0]))
		return -EBADF;
	if (guest_read(c->tid, &msg, c->args[1], sizeof(msg)) ||
	    read_uaddr(c, (uint64_t)(uintptr_t)msg.msg_name, msg.msg_namelen, &a))
		return SYS_CONTINUE;
	/* Passing fds or credentials through the supervisor is not done: refused, never the host. */
	if (msg.msg_controllen)
		return -EOPNOTSUPP;
	if (msg.msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	iov = tmpfs_calloc(msg.msg_iovlen ? msg.msg_iovlen : 1, sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	if (guest_read(c->tid, iov, (uint64_t)(uintptr_t)msg.msg_iov, msg.msg_iovlen * sizeof(*iov)))
		r = -EFAULT;
	else
		r = send_to_mount(c, (int)c->args[0], &a, iov, msg.msg_iovlen, (int)c->args[2]);
	free(iov);
	return r;
}

/*
 * getsockname(2), getpeername(2): a name in the private directory is shown
 * as the mount path it was bound to, as Linux keeps the name given to bind.
 */
static int64_t sockname(struct sys_call *c, bool peer)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun), ulen;
	const char *guest;
	int hfd, type;
	int64_t r;

	if (opath_fd(c, c->args[0]))
		return -EBADF;
	if (guest_read(c->tid, &ulen, c->args[2], sizeof(ulen)))
		return SYS_CONTINUE;
	r = guest_socket(c, (int)c->args[0], &hfd, &type);
	if (r)
		return r == -ENOTSOCK || r == -EBADF ? SYS_CONTINUE : r;
	r = (peer ? getpeername : getsockname)(hfd, (struct sockaddr *)&sun, &len) ? -errno : 0;
	close(hfd);
	if (r || len <= offsetof(struct sockaddr_un, sun_path) || !sun.sun_path[0] ||
	    !(guest = nodes_sock_name(c->sb, sun.sun_path)))
		return SYS_CONTINUE;
	r = host_sun(guest, &sun, &len);
	if (r)
		return r;
	if ((int)ulen < 0)
		return -EINVAL;
	/* move_addr_to_user(): as much as fits, and the full length. */
	if (guest_write(c->tid, c->args[1], &sun, ulen < len ? ulen : len) ||
	    guest_write(c->tid, c->args[2], &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

/* Implements getsockname(2). */
int64_t sys_getsockname(struct sys_call *c)
{
	return sockname(c, false);
}

/* Implements getpeername(2). */
int64_t sys_getpeername(struct sys_call *c)
{
	return sockname(c, true);
}
