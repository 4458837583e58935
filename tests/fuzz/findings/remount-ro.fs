# A remount read-only is EBUSY while an inode of the mount lives with no
# link (sb_prepare_remount_readonly()'s s_remove_count): a file unlinked
# while open (read-only too), an O_TMPFILE (an open for writing either way),
# a removed directory that is a cwd. Found by ukcov fuzz (7 Dec morning):
# an O_TMPFILE opened O_WRONLY|O_RDWR (no FMODE_WRITE: not a writer) made
# Linux's EBUSY, ukcov's 0.
mkdir m 0755
mount m 0 -
open m/f O_CREAT|O_RDONLY 0644 -> $f
unlink m/f
mount m MS_REMOUNT|MS_RDONLY -
close $f
mount m MS_REMOUNT|MS_RDONLY -
mount m MS_REMOUNT -
open m O_TMPFILE|O_RDWR 0600 -> $t
mount m MS_REMOUNT|MS_RDONLY -
fdlinkat $t m/g
mount m MS_REMOUNT|MS_RDONLY -
close $t
mount m MS_REMOUNT|MS_RDONLY -
mount m MS_REMOUNT -
mkdir m/d 0755
chdir m/d
rmdir @/m/d
mount @/m MS_REMOUNT|MS_RDONLY -
chdir @
mount m MS_REMOUNT|MS_RDONLY -
mount m MS_REMOUNT -
open m O_TMPFILE|O_WRONLY|O_RDWR 0600 -> $u
mount m MS_REMOUNT|MS_RDONLY -
close $u
mount m MS_REMOUNT|MS_RDONLY -
mount m MS_REMOUNT -
umount m 0
