# remount read-only is EBUSY while any description of the mount is open
# for writing (sb_prepare_remount_readonly()). ukcov serves all of a
# file's descriptions on one tmpfs file, the first's (the anchor): it
# counted that one's mode alone, so a writer opened after a reader was no
# writer, and a writable anchor closed before its readers still was one
# (ukcov fuzz, 7 Dec: EBUSY / 0).
mkdir b 0755
mount b 0 -
open b/c O_CREAT|O_RDWR 0644 -> $z
close $z
open b/c O_RDONLY -> $r
open b/c O_RDWR|O_APPEND -> $w
mount b MS_REMOUNT|MS_RDONLY -
close $w
mount b MS_REMOUNT|MS_RDONLY -
mount b MS_REMOUNT -
open b/c O_WRONLY -> $w
close $r
mount b MS_REMOUNT|MS_RDONLY -
open b/c O_RDONLY -> $r
close $w
mount b MS_REMOUNT|MS_RDONLY -
mount b MS_REMOUNT -
open b/c O_PATH -> $p
open b/c O_WRONLY -> $w
mount b MS_REMOUNT|MS_RDONLY -
close $w
close $r
close $p
mount b MS_REMOUNT|MS_RDONLY -
umount b 0
# the first description's own writer count is fixed at its open: a call on
# another description loads that one's flags into it, and a writer closed
# after such a call was counted off twice (ukcov fuzz, 7 Dec: 0 / EBUSY)
mount b 0 -
open b/c O_CREAT 0644 -> $r
reopen $r O_WRONLY 0644 -> $w
write $w abc
fcntl $w F_GETFL
close $w
mount b MS_REMOUNT|MS_RDONLY -
mount b MS_REMOUNT -
close $r
umount b 0
