# MS_REMOUNT (found by ukcov fuzz, run 12 of 7 Dec): MS_RDONLY with "rw" in
# the options makes the mount read-only and leaves the super block rw, so
# an unlinked open file does not make it EBUSY (mnt_make_readonly() counts
# writers only); the super block going read-only later does
# (sb_prepare_remount_readonly()); a remount's options may name only
# MS_RMT_MASK's flags ("dirsync" is EINVAL, reconfigure_super()), and the
# super block keeps its dirsync.
mkdir b 0755
mount b MS_DIRSYNC -
open b/f O_CREAT|O_RDONLY 0644 -> $f0
unlink b/f
mount b MS_REMOUNT|MS_RDONLY rw,async
mountinfo b
statvfs b
mkdir b/x 0755
mount b MS_REMOUNT|MS_RDONLY -
mount b MS_REMOUNT rw
mount b MS_REMOUNT|MS_RDONLY sync,dirsync,lazytime
mount b MS_REMOUNT dirsync=1
mount b MS_REMOUNT|MS_SYNCHRONOUS mand
mountinfo b
mount b MS_REMOUNT -
mountinfo b
close $f0
mount b MS_REMOUNT|MS_RDONLY -
mountinfo b
umount b 0
# a writer does not stop the mount alone from going read-only
mount b 0 -
open b/w O_CREAT|O_RDWR 0644 -> $f1
mount b MS_REMOUNT|MS_RDONLY -
mount b MS_REMOUNT|MS_RDONLY rw
write $f1 abc
mkdir b/y 0755
mountinfo b
close $f1
umount b 0
# "async" in the options clears the super block's sync, which statfs reports
mount b MS_DIRSYNC|MS_SYNCHRONOUS rw,async
statvfs b
mountinfo b
# a super block going read-only skips the writers of a mount read-only already
open b/d O_RDWR|O_CREAT 0644 -> $f1
mount b MS_REMOUNT|MS_RDONLY -
mount b MS_REMOUNT|MS_RDONLY rw
mount b MS_REMOUNT|MS_RDONLY -
mountinfo b
close $f1
umount b 0
