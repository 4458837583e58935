# ukcov fuzz findings (fuzzdev run): an *at call with AT_EMPTY_PATH and no name acts on
# its dirfd before other checks (fstatat: none; statx: mask and sync type;
# listxattrat/removexattrat: AT_FDCWD is EBADF), truncate checks the length
# before the name, and a buffer in kernel space is EFAULT before EISDIR
chdir @
mkdir d 0755
chdir d
setxattrat AT_FDCWD "" AT_EMPTY_PATH user.a aaa 0
setxattrat AT_FDCWD "" 0 user.a aaa 0
getxattrat AT_FDCWD "" AT_EMPTY_PATH user.a 100
listxattrat AT_FDCWD "" AT_EMPTY_PATH 100
listxattrat AT_FDCWD "" AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH 100
removexattrat AT_FDCWD "" AT_EMPTY_PATH user.a
setxattrat 999 "" AT_EMPTY_PATH user.a aaa 0
listxattrat 999 "" AT_EMPTY_PATH 100
setxattrat AT_FDCWD "" AT_EMPTY_PATH|0x10000 user.a aaa 0
listxattrat AT_FDCWD "" AT_EMPTY_PATH|0x10000 100
setxattrat AT_FDCWD "" AT_EMPTY_PATH bogus.x aaa 0
setxattrat AT_FDCWD "" AT_EMPTY_PATH user.a aaa 8
fstatat AT_FDCWD "" AT_EMPTY_PATH|AT_EACCESS
open @ O_DIRECTORY -> $f0
fstatat $f0 "" AT_EMPTY_PATH|AT_EACCESS|AT_NO_AUTOMOUNT|0x10000
fstatat $f0 "" AT_EMPTY_PATH|0x10000
fstatat 999 "" AT_EMPTY_PATH|0x10000
fstatat AT_FDCWD "" AT_EMPTY_PATH|0x10000
fstatat $f0 "" 0x10000
statx $f0 "" AT_EMPTY_PATH|0x10000 STATX_BASIC_STATS
truncate "" -1
truncate nothere -1
truncate "" 0
statx $f0 "" AT_EMPTY_PATH 0x80000000
statx $f0 "" AT_EMPTY_PATH|AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC STATX_TYPE
statx 999 "" AT_EMPTY_PATH|0x10000 STATX_TYPE
fstatat $f0 "" AT_EMPTY_PATH|AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC
fault read HIGH $f0 c
fault read NULL $f0 c
fault readv HIGH $f0 c
fault write HIGH $f0 c
fault pread HIGH $f0 c
