/* ukcov tmpfs: a caller in a user namespace of its own (ids it passes, capabilities it holds there). */
#include <errno.h>

#include "tmpfs_int.h"

uint32_t tmpfs_id_down(const struct tmpfs_idmap *m, uint32_t id)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (id - m->e[i].first < m->e[i].count)
			return m->e[i].lower + (id - m->e[i].first);
	return (uint32_t)-1;
}

uint32_t tmpfs_id_up(const struct tmpfs_idmap *m, uint32_t id)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (id - m->e[i].lower < m->e[i].count)
			return m->e[i].first + (id - m->e[i].lower);
	return (uint32_t)-1;
}

int tmpfs_capable(const struct tmpfs_inode *ino, const struct tmpfs_cred *c, uint32_t cap)
{
	const struct tmpfs_userns *ns = c->userns;

	if (c->caps & cap)
		return 1;
	/* privileged_wrt_inode_uidgid(): both mapped in the caller's namespace */
	return ns && (ns->caps & cap) && tmpfs_id_up(&ns->uid, ino->uid) != (uint32_t)-1 &&
	       tmpfs_id_up(&ns->gid, ino->gid) != (uint32_t)-1;
}

int tmpfs_chown_ids(const struct tmpfs_cred *c, uid_t *uid, gid_t *gid)
{
	if (!c->userns)
		return 0;
	/* chown_common(): make_kuid() of an id the namespace does not map is invalid */
	if (*uid != (uid_t)-1 && (*uid = tmpfs_id_down(&c->userns->uid, *uid)) == (uid_t)-1)
		return -EINVAL;
	if (*gid != (gid_t)-1 && (*gid = tmpfs_id_down(&c->userns->gid, *gid)) == (gid_t)-1)
		return -EINVAL;
	return 0;
}
