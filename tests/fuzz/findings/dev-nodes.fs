# device nodes the fuzz vocabulary names (Q): /dev/zero, /dev/full, a
# major no driver has (character and block), opened, read, written,
# stat'ed, ioctl'ed, refused by the node's own permissions
chdir @
umask 0
mknod a S_IFCHR|0666 0x105
mknod b S_IFCHR|0666 0x107
mknod c S_IFCHR|0644 0x103
mknod d S_IFCHR|0644 0xf001
mknod e S_IFBLK|0600 0xf001
stat a
stat b
stat d
stat e
open a O_RDWR 0644 -> $f0
read $f0 10
pread $f0 3 100
write $f0 aaa
lseek $f0 100 SEEK_SET
fstat $f0
ioctl $f0 FIONREAD
ioctl $f0 FIGETBSZ
ioctl $f0 TCGETS
ioctl $f0 FIBMAP
open b O_RDWR 0644 -> $f1
read $f1 10
write $f1 aaa
pwrite $f1 aaa 0
ioctl $f1 FIONREAD
open c O_RDWR 0644 -> $f2
read $f2 10
write $f2 aaa
open d 0 0644 -> $f3
open e 0 0644 -> $f3
open d O_PATH 0644 -> $f3
fstat $f3
open a O_DIRECTORY 0644 -> $f3
su 1000 1000 1000
open c O_RDWR 0644 -> $f3
open a O_RDWR 0644 -> $f3
su 0 0
chmod a 0
su 1000 1000 1000
open a 0 0644 -> $f3
su 0 0
open a 0 0644 -> $f3
truncate a 0
truncate b 0
