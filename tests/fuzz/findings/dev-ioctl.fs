# ioctls of tmpfs files and directories, the *xattrat calls (Linux 6.13)
chdir @
open c O_RDWR|O_CREAT 0644 -> $f0
write $f0 aaaaa
lseek $f0 2 SEEK_SET
ioctl $f0 FIONREAD
ioctl $f0 FIOQSIZE
ioctl $f0 FIGETBSZ
ioctl $f0 FIBMAP
ioctl $f0 FS_IOC_GETVERSION
ioctl $f0 FS_IOC_FSGETXATTR
ioctl $f0 FS_IOC_FSSETXATTR
ioctl $f0 TCGETS
ioctl $f0 0x1234
ioctl $f0 FIONBIO
fcntl $f0 F_GETFL
ioctl $f0 FIOASYNC
ioctl $f0 FIOCLEX
fcntl $f0 F_GETFD
ioctl $f0 FIONCLEX
fcntl $f0 F_GETFD
mkdir d 0755
open d O_DIRECTORY 0644 -> $f1
ioctl $f1 FIONREAD
ioctl $f1 FIOQSIZE
ioctl $f1 FIGETBSZ
ioctl $f1 FIBMAP
ioctl $f1 FS_IOC_FSGETXATTR
open c O_PATH 0644 -> $f2
ioctl $f2 FIONREAD
ioctl 999 FIONREAD
su 1000 1000 1000
ioctl $f0 FIBMAP
su 0 0
