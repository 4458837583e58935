# linkat of /proc/self/fd/F with AT_SYMLINK_FOLLOW (fsscript_proc.c): a
# name for an open file, an O_PATH one, a deleted one, an O_TMPFILE one
# (materialized), a directory (EPERM), a closed fd
mkdir a 0755
open a/b O_CREAT|O_RDWR 0644 -> $f0
write $f0 aaaaa
fdlinkat $f0 a/c
stat a/c
open a/b O_PATH -> $f4
fdlinkat $f4 a/d
fdlinkat $f4 a/d
unlink a/b
fdlinkat $f0 a/e
open a O_TMPFILE|O_RDWR 0600 -> $f1
write $f1 ccc
fdinfo $f1
fdlinkat $f1 a/b
stat a/b
fdinfo $f1
fdlinkat $f1 a/b
open a O_DIRECTORY -> $f2
fdlinkat $f2 d
fdlinkat 999 d
fdlinkat $f0 e/
# the fd link of a closed fd names nothing (ENOENT before the new name's
# EEXIST or EXDEV): ukcov looked "/proc/self" up as the supervisor's own
# (its fd of that number), found by `ukcov fuzz` with these operations
open a/c O_RDWR -> $f3
close $f3
fdlinkat $f3 a/
fdlinkat $f3 a/e
open a/c O_PATH -> $f3
close $f3
fdlinkat $f3 a
# the same as another user: its own /proc/self/fd is open to it
# (proc_fd_permission()); ukcov looked as that user: EACCES
su 1001 1000 1000
fdlinkat $f3 a/f
fdlinkat 999 a
fdlinkat $f2 d
su 0 0 ""
