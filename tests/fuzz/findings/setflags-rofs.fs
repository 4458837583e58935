# FS_IOC_SETFLAGS and FS_IOC_FSSETXATTR take mnt_want_write_file() first:
# on a read-only mount EROFS, before the flags' own checks; ukcov checked
# the flags first and set valid ones on a read-only mount (ukcov fuzz, 7
# Dec: EROFS / EOPNOTSUPP)
mkdir b 0755
mount b 0 -
open b/f O_CREAT|O_RDWR 0644 -> $f
open b O_RDONLY|O_DIRECTORY -> $d
setflags $f FS_NODUMP_FL
getflags $f
close $f
mount b MS_REMOUNT|MS_RDONLY -
open b/f O_RDONLY -> $f
setflags $f FS_SECRM_FL|FS_COMPR_FL
setflags $f FS_NOATIME_FL
setflags $d FS_NODUMP_FL
setflags $d FS_SECRM_FL|FS_COMPR_FL
open b/ 0 -> $e
setflags $e FS_SECRM_FL|FS_COMPR_FL
setflags $e FS_NODUMP_FL
close $e
ioctl $f FS_IOC_FSSETXATTR
getflags $f
mount b MS_REMOUNT -
setflags $f FS_SECRM_FL|FS_COMPR_FL
setflags $f 0
getflags $f
close $f
close $d
umount b 0
