# mknod, mknodat (mkfifo): every node type, then every path call on each
# type: stat/lstat/statx (type, st_rdev), chmod, chown, link, rename,
# unlink, utimensat, truncate, readlink, access, O_PATH opens
# (block devices are a number no host device has, 240:1: the st_blksize of
# one that exists is its minimum I/O size, which test_devnodes checks)
umask 022
mknod fifo S_IFIFO|0666 0
mknod sock S_IFSOCK|0644 0
mknod chr S_IFCHR|0666 259
mknod blk S_IFBLK|0600 61441
mknod "" S_IFDIR|0755 0
mknodat AT_FDCWD "" S_IFDIR|0755 0
mknodat 999 x S_IFDIR|0755 0
mknod "" 0170000 0
mknod nothere/x S_IFDIR|0755 0
mknod reg S_IFREG|0640 0
mknod zero 0 0
mknod wh S_IFCHR 0
mknod suid S_IFIFO|04777 0
mknodat AT_FDCWD @/fat S_IFIFO|0600 0
stat fifo
stat sock
stat chr
stat blk
stat reg
stat zero
stat wh
stat suid
lstat fat
statx AT_FDCWD chr 0 STATX_BASIC_STATS
statx AT_FDCWD blk 0 STATX_BASIC_STATS
statx AT_FDCWD fifo 0 STATX_BASIC_STATS
# errors in do_mknodat()'s order
mknod fifo S_IFIFO|0666 0
mknod sock S_IFSOCK 0
mknod chr S_IFCHR|0666 259
mknod dir S_IFDIR|0755 0
mknod bad 0170000 0
mknod bad 0110000 0
mknod nodir/x S_IFIFO 0
mknod fifo/x S_IFIFO 0
mknod trail/ S_IFIFO 0
mknod fifo/ S_IFIFO 0
mknod . S_IFIFO 0
mknod .. S_IFIFO 0
mknod "" S_IFIFO 0
mknod dir S_IFDIR|0755 0
mknodat 999 fx S_IFIFO 0
mknodat 999 fx 0170000 0
mknodat 999 fx S_IFDIR 0
mknodat 999 @/fy S_IFIFO 0
mknodat 999 =fz S_IFIFO 0
mknodat 999 =fz 0170000 0
mknodat 999 =fz S_IFDIR 0
mknodat 999 "" S_IFIFO 0
mkdir d 0755
open d O_RDONLY|O_DIRECTORY -> $d
mknodat $d f2 S_IFIFO|0644 0
mknodat $d s2 S_IFSOCK|0644 0
open reg O_RDONLY -> $r
mknodat $r f3 S_IFIFO 0
stat d/f2
getdents $d 4096
open @ O_RDONLY|O_DIRECTORY -> $root
getdents $root 4096
# every path call on each type
chmod fifo 0640
chmod sock 0600
chmod chr 0604
chmod blk 0660
stat fifo
stat sock
stat chr
stat blk
chown fifo 1 2
chown sock 3 4
chown chr 5 6
lchown blk 7 8
stat fifo
stat sock
stat chr
stat blk
utimensat AT_FDCWD fifo 100.5 200.25 0
utimensat AT_FDCWD sock NULL 0
utimensat AT_FDCWD chr OMIT 300.0 AT_SYMLINK_NOFOLLOW
stat fifo
stat sock
stat chr
truncate fifo 0
truncate sock 0
truncate chr 0
truncate blk 10
truncate fifo -1
readlink fifo
readlink sock
readlink chr
access fifo R_OK|W_OK
access sock X_OK
access chr F_OK
access blk W_OK
link fifo fifo2
link sock sock2
link chr chr2
link blk blk2
stat fifo2
stat sock2
rename fifo2 fifo3
rename sock2 d/sock3
rename chr2 blk2
stat blk2
renameat2 AT_FDCWD fifo3 AT_FDCWD blk2 RENAME_EXCHANGE
stat fifo3
stat blk2
rename fifo3 d
rename d fifo3
unlink fifo3
unlink blk2
unlink d/sock3
rmdir fifo
unlink fifo/
stat fifo
# O_PATH opens of each type; fstat, fchmod, fchown of those fds
open fifo O_PATH -> $pf
open sock O_PATH -> $ps
open chr O_PATH -> $pc
fstat $pf
fstat $ps
fstat $pc
fstatat $pf "" AT_EMPTY_PATH
open sock O_RDONLY
open sock O_WRONLY|O_NONBLOCK
open sock O_RDONLY|O_TRUNC
open sock O_PATH|O_DIRECTORY
open fifo O_RDONLY|O_DIRECTORY
open fifo O_CREAT|O_EXCL|O_RDWR 0644
symlink fifo lfifo
stat lfifo
lstat lfifo
open lfifo O_PATH|O_NOFOLLOW -> $pl
fstat $pl
# permissions as another user
su 1000 1000
mknod u-fifo S_IFIFO|0666 0
mknod u-sock S_IFSOCK|0666 0
mknod u-chr S_IFCHR|0666 259
mknod u-blk S_IFBLK|0666 61441
mknod u-wh S_IFCHR|0666 0
mknod d/nope S_IFIFO 0
mknod nodir/x S_IFCHR 259
stat u-fifo
stat u-wh
chmod fifo 0777
chown u-fifo 1000 1000
link u-fifo u-fifo2
link blk u-blk2
unlink u-fifo2
su 0 0
# may_create_in_sticky(): O_CREAT on another user's socket or device in a
# sticky world-writable directory is EACCES even for root (regular files
# and fifos only with fs.protected_regular/_fifos, which the host decides)
open u-sock O_CREAT|O_RDWR 0644
open u-sock O_RDWR
open u-wh O_CREAT|O_WRONLY 0644
open u-sock O_CREAT|O_EXCL|O_RDWR 0644
open s2 O_CREAT|O_RDWR 0644
unlink u-fifo
unlink u-sock
unlink u-wh
unlink sock
unlink chr
unlink blk
unlink reg
unlink zero
unlink wh
unlink suid
unlink fat
unlink lfifo
