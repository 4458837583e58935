# stat, lstat, fstat, newfstatat, statx: modes, link counts, sizes, blocks
stat .
lstat .
stat nothing
stat nothing/
open f O_CREAT|O_RDWR 0644 -> $f
stat f
stat f/
stat f/.
lstat f/
stat ./f
stat .//f
fstatat AT_FDCWD f 0
fstatat AT_FDCWD f AT_SYMLINK_NOFOLLOW
fstatat AT_FDCWD f 0x1
fstatat $f "" AT_EMPTY_PATH
fstatat AT_FDCWD f AT_STATX_DONT_SYNC
fstatat AT_FDCWD nothere AT_STATX_DONT_SYNC
fstatat $f "" AT_EMPTY_PATH|AT_STATX_DONT_SYNC
fstatat AT_FDCWD f 0x6000
fstatat $f "" 0
fstatat $f =x 0
fstatat 999 =x 0
fstatat 999 @/f 0
mkdir d 0700
stat d
stat .
mkdir d/e 0755
stat d
stat .
open d O_RDONLY -> $d
fstatat $d =e 0
fstatat $d =.. 0
fstatat $d "" AT_EMPTY_PATH
fstat $d
open d/e/g O_CREAT|O_WRONLY 0600 -> $g
stat d/e
stat d
# symlink sizes: short ones live in the inode, long ones take a page
symlink f ls
lstat ls
stat ls
symlink x{127} l127
lstat l127
symlink x{128} l128
lstat l128
symlink @/d/e/g labs
lstat labs
stat labs
stat labs/
fstatat AT_FDCWD ls AT_SYMLINK_NOFOLLOW
fstatat AT_FDCWD ls 0
# statx
statx AT_FDCWD f 0 STATX_BASIC_STATS
statx AT_FDCWD f 0 STATX_ALL
statx AT_FDCWD f 0 0
statx AT_FDCWD f 0 STATX_TYPE|STATX_SIZE
statx AT_FDCWD f 0 STATX_MTIME
statx AT_FDCWD f 0 STATX_BTIME
statx AT_FDCWD ls AT_SYMLINK_NOFOLLOW STATX_BASIC_STATS
statx AT_FDCWD ls 0 STATX_BASIC_STATS
statx AT_FDCWD d 0 STATX_ALL
statx $f "" AT_EMPTY_PATH STATX_BASIC_STATS
statx $d =e AT_STATX_SYNC_AS_STAT STATX_ALL
statx $d =e AT_STATX_FORCE_SYNC STATX_ALL
statx $d =e AT_STATX_DONT_SYNC STATX_ALL
statx $d =e AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC STATX_ALL
statx $d =e 0 0x80000000
statx $d =e 0x10000 STATX_ALL
statx AT_FDCWD nothing 0 STATX_ALL
statx 999 =f 0 STATX_ALL
# data sizes and blocks
write $f a{4097}
fstat $f
statx AT_FDCWD f 0 STATX_BLOCKS|STATX_SIZE
ftruncate $f 1
fstat $f
ftruncate $f 0
fstat $f
# nlink of hard links and directories
link f f2
stat f
stat f2
unlink f
fstat $f
stat f2
rmdir d/e
unlink d/e/g
rmdir d/e
stat d
fstat $g
fstat $d
