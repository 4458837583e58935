# found by ukcov fuzz: statx reports chattr's append, immutable and nodump
# flags in stx_attributes (shmem_getattr()); the other flags have no bit
open f O_CREAT|O_RDWR 0644 -> $f
mkdir d 0755
open d O_RDONLY|O_DIRECTORY -> $d
getflags $f
setflags $f FS_NODUMP_FL|FS_NOATIME_FL
getflags $f
statx AT_FDCWD f 0 STATX_TYPE
statx $f "" AT_EMPTY_PATH STATX_BASIC_STATS
setflags $f FS_SYNC_FL
statx AT_FDCWD f 0 STATX_TYPE
setflags $d FS_NODUMP_FL|FS_DIRSYNC_FL
setflags $d FS_NODUMP_FL
statx AT_FDCWD d 0 STATX_TYPE
setflags $f 0
statx AT_FDCWD f 0 STATX_TYPE
su 1000 1000
setflags $f FS_NODUMP_FL
getflags $f
