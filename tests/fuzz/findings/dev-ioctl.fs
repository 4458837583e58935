# ioctls of tmpfs files and directories, the *xattrat calls (Linux 6.13)
chdir @
open f O_CREAT|O_RDWR 0644 -> $f
write $f hello
lseek $f 2 SEEK_SET
ioctl $f FIONREAD
ioctl $f FIOQSIZE
ioctl $f FIGETBSZ
ioctl $f FIBMAP
ioctl $f FS_IOC_GETVERSION
ioctl $f FS_IOC_FSGETXATTR
ioctl $f FS_IOC_FSSETXATTR
ioctl $f TCGETS
ioctl $f 0x1234
ioctl $f FIONBIO
fcntl $f F_GETFL
ioctl $f FIOASYNC
ioctl $f FIOCLEX
fcntl $f F_GETFD
ioctl $f FIONCLEX
fcntl $f F_GETFD
mkdir d 0755
open d O_RDONLY|O_DIRECTORY -> $d
ioctl $d FIONREAD
ioctl $d FIOQSIZE
ioctl $d FIGETBSZ
ioctl $d FS_IOC_FSGETXATTR
open f O_PATH -> $p
ioctl $p FIONREAD
ioctl 999 FIONREAD
setxattrat AT_FDCWD f 0 user.a value 0
setxattrat AT_FDCWD f 0 user.a value XATTR_CREATE
setxattrat AT_FDCWD f 0 user.b v2 XATTR_REPLACE
setxattrat AT_FDCWD f AT_REMOVEDIR user.b v2 0
setxattrat $f "" AT_EMPTY_PATH user.b v2 0
setxattrat $f "" 0 user.b v2 0
getxattrat AT_FDCWD f 0 user.a 100
getxattrat AT_FDCWD f 0 user.a 0
getxattrat AT_FDCWD f 0 user.a 2
getxattrat $d f AT_SYMLINK_NOFOLLOW user.b 100
getxattrat AT_FDCWD nothere 0 user.a 100
symlink f l
getxattrat AT_FDCWD l AT_SYMLINK_NOFOLLOW user.a 100
getxattrat AT_FDCWD l 0 user.a 100
listxattrat AT_FDCWD f 0 100
listxattrat AT_FDCWD f 0 0
listxattrat AT_FDCWD f 0 3
listxattrat $f "" AT_EMPTY_PATH 100
removexattrat AT_FDCWD f 0 user.a
removexattrat AT_FDCWD f 0 user.a
removexattrat AT_FDCWD f 0x10000 user.b
setxattrat 999 f 0 user.a v 0
setxattrat AT_FDCWD f 0 bogus.x v 0
setxattrat AT_FDCWD f 0 user.b v 8
