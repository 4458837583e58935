# statx(fd, "", AT_EMPTY_PATH|...): Linux 6.18 checks no other flag for an fd
# alone (vfs_statx_fd()); ukcov answered EINVAL
# (the lib backend's miniature checks them: a ukcov run script)
mkdir sxa 0755
open sxa O_DIRECTORY -> $sx0
statx $sx0 "" AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH|AT_REMOVEDIR|AT_SYMLINK_FOLLOW|AT_STATX_DONT_SYNC STATX_BASIC_STATS
statx $sx0 "" AT_EMPTY_PATH|0x10000 STATX_TYPE
statx $sx0 sxa AT_EMPTY_PATH|0x10000 STATX_TYPE
statx AT_FDCWD "" AT_EMPTY_PATH|0x10000 STATX_TYPE
statx $sx0 "" AT_EMPTY_PATH|AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC STATX_TYPE
open sxa/b O_CREAT|O_RDWR 0600 -> $sx1
statx $sx1 "" AT_EMPTY_PATH|AT_REMOVEDIR STATX_TYPE
statx 999 "" AT_EMPTY_PATH|AT_REMOVEDIR STATX_TYPE
