# Device nodes and FIFOs of a mount, and the mount's flags (ukcov fuzz, its
# tenth run, 7 Dec): a device of a nodev mount is EACCES to open
# (may_open()'s path_nodev(), before the permission check; ukcov opened
# it); FS_IOC_SETFLAGS on a device of a read-only mount is EROFS
# (mnt_want_write_file() first; ukcov let the host answer ENOTTY for its
# own object); a device node closed and unlinked frees its inode at once
# (the record held it until a later collection: ENOSPC under nr_inodes).
mkdir b 0755
mount b MS_NODEV -
mknod b/c S_IFCHR|0644 0x103
open b/c 0 0644 -> $f0
open b/c O_PATH 0 -> $f0
close $f0
mknod b/f S_IFIFO|0644 0
open b/f O_RDWR 0644 -> $f1
close $f1
umount b 0
mount b 0 -
mknod b/c S_IFCHR|0644 0x103
open b/c 0 0644 -> $f2
setflags $f2 FS_NOATIME_FL
mount b MS_REMOUNT|MS_RDONLY -
setflags $f2 FS_NOATIME_FL
setflags $f2 FS_SECRM_FL|FS_COMPR_FL
getflags $f2
close $f2
mount b MS_REMOUNT -
umount b 0
mount b 0 nr_inodes=3
mknod b/c S_IFCHR|0644 0x103
open b/c 0 0644 -> $f3
close $f3
unlink b/c
mknod b/d S_IFIFO|0644 0
mknod b/e S_IFIFO|0644 0
statvfs b
umount b 0
