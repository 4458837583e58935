/* ukcov tmpfs: symbolic links.
 *
 * As shmem_symlink(): a target shorter than SHORT_SYMLINK_LEN (128) is kept
 * in the inode and costs no block; a longer one takes a page, charged to
 * the mount (st_blocks 8) and may fail with ENOSPC.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tmpfs_int.h"

/* returns 0, -ENOSPC or -ENOMEM */
int tmpfs_symlink_init(struct tmpfs_inode *ino, const char *target)
{
	size_t len = strlen(target);
	int err;

	if (len >= TMPFS_SHORT_SYMLINK) {
		err = tmpfs_acct_pages(ino->mnt, 1);
		if (err)
			return err;
	}
	ino->lnk.target = tmpfs_strdup(target);
	if (!ino->lnk.target) {
		if (len >= TMPFS_SHORT_SYMLINK)
			tmpfs_unacct_pages(ino->mnt, 1);
		return -ENOMEM;
	}
	ino->lnk.len = len;
	return 0;
}

void tmpfs_symlink_free(struct tmpfs_inode *ino)
{
	if (ino->lnk.target && ino->lnk.len >= TMPFS_SHORT_SYMLINK)
		tmpfs_unacct_pages(ino->mnt, 1);
	free(ino->lnk.target);
	ino->lnk.target = NULL;
}
