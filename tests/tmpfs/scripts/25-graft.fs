# Another file system on a mount's directory (a graft of the host's ramfs,
# kernel/vfs/graft.c): mountinfo's "none" for a mount without a source, its
# type and flags; EBUSY while an fd of a guest is open in it; umount2 of
# its root named with a trailing "." (which crosses no mount); umount2 and
# mount of paths inside it answer what the walk there finds (ENOENT,
# ENOTDIR; not a mount's root: EINVAL); ENODEV for an unknown type,
# EINVAL for a type that needs a device.
mkdir a 0755
mountfs a ramfs MS_NOEXEC|MS_NODEV
mountinfo a
statvfs a
mkdir a/d 0755
open a/d/f O_CREAT|O_RDWR 0644 -> $f1
write $f1 hello
stat a/d/f
umount a 0
umount a/. 0
umount a/d 0
umount a/x 0
umount a/d/f 0
umount a/d/f/x 0
mount a/x 0 -
mount a/d/f 0 -
mount a/d/f/y 0 -
close $f1
umount a/. 0
umount a 0
mountfs a bogusfs 0
mountfs a ext2 0
mount a 0 -
mountinfo a
umount a 0
# fchdir to a directory of a graft: getcwd names it by the guest's path
mountfs a ramfs 0
mkdir a/d 0755
open a/d O_DIRECTORY 0 -> $f0
fchdir $f0
getcwd
mkdir =x 0755
stat a/d/x
chdir @
close $f0
umount a 0
# another file system onto a file: made first (EINVAL without a device), then ENOTDIR
open f O_CREAT 0644 -> $f2
close $f2
mountfs f ext2 0
mountfs f ramfs 0
mountfs f bogusfs 0
# made as the caller: its root is the caller's fsuid's and fsgid's
chmod a 0777
su 1000 1000 0
mountfs a ramfs 0
stat a
creat a/f 0644 -> $f3
stat a/f
close $f3
su 0 0 0
umount a 0
# (rename of "." or ".." at a graft's root is EXDEV in ukcov, EBUSY on Linux:
# docs/mounts.md)
mountfs a ramfs 0
creat a/b 0644 -> $f4
close $f4
link a/b a/..
umount a 0
# the super block's flags of mount(2) reach the graft (mountinfo, statfs)
mountfs a ramfs MS_LAZYTIME|MS_NODIRATIME
mountinfo a
umount a 0
mountfs a ramfs MS_SYNCHRONOUS|MS_DIRSYNC
mountinfo a
statvfs a
umount a 0
# a path that ends at a graft's root names its directory, never the magic
# link that reaches it (fuzz run 10 of 7 Dec: lstat said a symlink,
# readlink read it, link's old name answered EXDEV where Linux says EPERM)
mkdir g 0755
chdir g
mountfs =. ramfs 0
mkdir g/e 0755
link g g/x
link g/ g/x
link g x
lstat g
stat g
readlink g
lchown g 0 0
lgetxattr g user.x 10
open g O_NOFOLLOW|O_RDONLY 0 -> $f5
fstat $f5
close $f5
open g O_CREAT|O_EXCL|O_RDWR 0644 -> $f6
open g O_CREAT|O_RDWR 0644 -> $f6
mkdir g 0755
symlink x g
rmdir g
unlink g
chdir @
umount g 0
# /proc's fd links of a graft's files read the guest path, as Linux names
# them (the host, its mount detached, named them from the graft's root:
# fuzz run 10's fdlink)
mkdir h 0755
mountfs h ramfs 0
mkdir h/d 0755
open h/d/f O_CREAT|O_RDWR 0644 -> $f7
fdlink $f7
open h O_DIRECTORY 0 -> $f8
fdlink $f8
unlink h/d/f
fdlink $f7
close $f7
close $f8
umount h 0
