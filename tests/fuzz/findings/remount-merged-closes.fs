# remount read-only after the writable descriptions of a file were closed while
# read-only ones of it stay open: inotify merged two IN_CLOSE_WRITE into one,
# the file counted a writer that was gone, and ukcov answered EBUSY (Linux 0).
# The count is now put right from the guests' fds when a remount meets a writer
# (files_recount_writers()) (ukcov fuzz, 7 Dec, run 10).
mkdir b 0755
mount b 0 -
open b/c O_RDWR|O_CREAT 0644 -> $f0
close $f0
open b/c 0 0644 -> $f1
open b/c O_NOFOLLOW 0644 -> $f2
close $w
mount b MS_REMOUNT -
open b/c O_WRONLY 0644 -> $f2
close $f1
open b/c O_WRONLY 0644 -> $f2
close $w
close $f1
mount b MS_REMOUNT|MS_RDONLY -
