# preadv2/pwritev2 with RWF_* flags, pipes with splice and tee, chattr's
# FS_IOC_GETFLAGS/SETFLAGS: what the fuzz vocabulary names of them
open f O_CREAT|O_RDWR 0644 -> $f
pwritev2 $f 0 0 abc def
pwritev2 $f 2 RWF_APPEND Z
pwritev2 $f -1 RWF_DSYNC|RWF_SYNC xy
pwritev2 $f 0 RWF_NOWAIT q
pwritev2 $f 0 0x40000000 q
preadv2 $f 0 0 3 100
preadv2 $f -1 RWF_HIPRI 4
preadv2 $f 0 RWF_NOWAIT 4
open a O_CREAT|O_WRONLY|O_APPEND 0644 -> $a
pwritev2 $a 0 RWF_NOAPPEND first
pread $a 10 0
pipe $r $w
pipe $r2 $w2 O_NONBLOCK
lseek $f 0 SEEK_SET
splice $f $w 5
tee $r $w2 3
tee $r $w2 3 SPLICE_F_NONBLOCK
splice $r $a 100
read $r2 10
read $r2 10
splice $f $a 3
splice $w $f 3
tee $f $w 3
splice $r2 $w 1 SPLICE_F_NONBLOCK
write $w2 pipe
splice $r2 $f 4
pread $f 20 0
getflags $f
setflags $f FS_NODUMP_FL|FS_NOATIME_FL
getflags $f
setflags $f FS_SYNC_FL|FS_DIRSYNC_FL
setflags $f 0x00100000
getflags $f
setflags $f 0
getflags $r
open d O_RDONLY|O_DIRECTORY -> $d
mkdir e 0755
open e O_RDONLY|O_DIRECTORY -> $e
setflags $e FS_DIRSYNC_FL
getflags $e
su 1000 1000
setflags $f FS_NODUMP_FL
getflags $f
# found by ukcov fuzz: splice's length 0 is 0 before its flags and fds are
# looked at, tee's after its flags; RWF_APPEND|RWF_NOAPPEND is EINVAL
splice $f $d 0
splice 999 999 0 0x100
splice $f $d 1 0x100
splice $f $w2 1 0x100
tee $f $d 0
tee 999 999 0 0x100
tee $r $w2 0
tee 999 999 1
preadv2 $f 0 RWF_APPEND|RWF_NOAPPEND 4
pwritev2 $f 0 RWF_APPEND|RWF_NOAPPEND x
pwritev2 $f 0 RWF_NOWAIT|RWF_APPEND|RWF_NOAPPEND x
pwritev2 $f 0 0x100000|RWF_APPEND|RWF_NOAPPEND x
open f O_PATH -> $p
mkdir e2 0755
open e2 O_RDONLY|O_DIRECTORY -> $e2
splice $p $w 0
splice $e2 $w 0 0x100
splice $p $w 1 0x100
tee $p $e2 0
tee $p $e2 1 0x100
tee $p $e2 1
# found by ukcov fuzz: flock's command is checked before the fd (EINVAL),
# an O_PATH fd is EBADF; preadv2 on a directory takes RWF_HIPRI alone
# (do_loop_readv_writev(): EOPNOTSUPP before ->read's EISDIR)
flock $p 0
flock 999 3
flock $p 1
flock $p 8
flock $e2 0
preadv2 $e2 0 RWF_DSYNC 10
preadv2 $e2 -1 RWF_HIPRI 10
preadv2 $e2 0 0x40000000 10
preadv2 $e2 0 RWF_APPEND|RWF_NOAPPEND 10
preadv2 $e2 0 RWF_DSYNC 0
preadv $e2 0 10
