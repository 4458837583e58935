# Device nodes and FIFOs of a mount (found by ukcov fuzz, its ninth run; the
# supervisor crashed on it): a node open in a guest holds its mount, as its
# open file does on Linux (umount2 EBUSY; before, the mount went and the
# node's record pointed into it, a use after free a later umount2 hit); a
# node closed and unlinked is freed for statfs's f_ffree at once; a lazy
# umount2 keeps the mount for the open node.
mkdir b 0755
mount b 0 -
mknod b/c S_IFCHR|0644 0x103
open b/c 0 0644 -> $f0
umount b 0
statvfs b
close $f0
umount b 0
mount b 0 -
mknod b/c S_IFCHR|0644 0x103
open b/c 0 0644 -> $f1
close $f1
unlink b/c
statvfs b
mknod b/f S_IFIFO|0644 0
open b/f O_RDWR 0644 -> $f2
write $f2 abc
umount b 0
umount b MNT_DETACH
read $f2 10
close $f2
mount b 0 -
mknod b/f S_IFIFO|0644 0
open b/f O_RDWR 0644 -> $f3
close $f3
umount b 0
