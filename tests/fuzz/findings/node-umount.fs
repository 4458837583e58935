# A fifo or device node of a mount that was opened once keeps the mount
# busy only while a description of it lives (Linux: the open file's
# reference to the mount). ukcov's record of the node's host object held
# its inode until the node's last name went: umount2 and a read-only
# remount were EBUSY after the last close, and after an open that failed
# (ENXIO: a device without a driver, a FIFO's O_WRONLY|O_NONBLOCK without
# a reader) (ukcov fuzz, 7 Dec: umount => 0 / -EBUSY).
mkdir m 0755
mount m 0 -
mknod m/b S_IFBLK|0600 0xf001
creat m/b 0644 -> $f
umount m 0
mount m 0 -
mknod m/c S_IFCHR|0644 0xf001
open m/c O_RDONLY -> $f
umount m 0
mount m 0 -
mknod m/n S_IFCHR|0644 0x103
open m/n O_RDONLY -> $f
umount m 0
close $f
umount m 0
mount m 0 -
mknod m/p S_IFIFO|0644 0
open m/p O_RDWR -> $f
umount m 0
mount m MS_REMOUNT|MS_RDONLY -
close $f
umount m 0
mount m 0 -
mknod m/p S_IFIFO|0644 0
open m/p O_WRONLY|O_NONBLOCK -> $f
umount m 0
mount m 0 -
mknod m/p S_IFIFO|0644 0
mknod m/n S_IFCHR|0644 0x103
open m/p O_RDWR -> $f
close $f
open m/n O_RDONLY -> $g
close $g
unlink m/p
unlink m/n
mount m MS_REMOUNT|MS_RDONLY -
mount m MS_REMOUNT -
mknod m/p2 S_IFIFO|0644 0
open m/p2 O_RDWR -> $f
write $f abc
close $f
open m/p2 O_RDONLY|O_NONBLOCK -> $f
read $f 10
close $f
umount m 0
