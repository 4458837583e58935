# device nodes the fuzz vocabulary names (Q): /dev/zero, /dev/full, a
# major no driver has, opened, read, written, stat'ed, ioctl'ed
chdir @
umask 022
mknod zero S_IFCHR|0666 0x105
mknod full S_IFCHR|0666 0x107
mknod null S_IFCHR|0644 0x103
mknod none S_IFCHR|0644 0xf001
mknod bnone S_IFBLK|0600 0xf001
stat zero
stat full
stat none
stat bnone
open zero O_RDWR -> $z
read $z 10
pread $z 5 100
write $z abc
lseek $z 100 SEEK_SET
fstat $z
ioctl $z FIONREAD
ioctl $z FIGETBSZ
ioctl $z TCGETS
open full O_RDWR -> $f
read $f 7
write $f abc
pwrite $f abc 0
ioctl $f FIONREAD
open null O_RDWR -> $n
read $n 10
write $n abc
open none O_RDONLY -> $x
open bnone O_RDONLY -> $x
open none O_PATH -> $x
fstat $x
open zero O_RDONLY|O_DIRECTORY -> $x
su 1000 1000 1000
open null O_RDWR -> $x
open zero O_RDWR -> $x
su 0 0 ""
chmod zero 0
su 1000 1000 1000
open zero O_RDONLY -> $x
su 0 0 ""
open zero O_RDONLY -> $x
truncate zero 0
truncate full 0
