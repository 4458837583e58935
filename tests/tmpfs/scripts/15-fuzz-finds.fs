# Divergences `ukcov fuzz` found (docs/fuzzing.md), one block each.
#
# openat2(2) refuses O_PATH with any flag but O_DIRECTORY, O_NOFOLLOW and
# O_CLOEXEC (build_open_flags(); open(2) and openat(2) drop them instead).
mkdir a 0755
open a/b O_WRONLY|O_CREAT 0644 -> $f
close $f
openat2 AT_FDCWD a/b O_WRONLY|O_PATH 0 0 -> $p
openat2 AT_FDCWD a/b O_PATH|O_TRUNC 0 0 -> $p
openat2 AT_FDCWD a/b O_PATH|O_APPEND 0 0 -> $p
openat2 AT_FDCWD a/b O_PATH|O_NONBLOCK 0 0 -> $p
openat2 AT_FDCWD nonexistent O_PATH|O_CREAT 0644 0 -> $p
openat2 AT_FDCWD a O_PATH|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC 0 0 -> $p
close $p
openat2 AT_FDCWD a/b O_PATH 0 0 -> $p
close $p
open a/b O_WRONLY|O_PATH|O_TRUNC 0644 -> $p
fstat $p
close $p
#
# utimensat(2) and futimens(3) check tv_nsec in vfs_utimes(): after the
# lookup (and the fd), whichever of the two times is not UTIME_OMIT.
open a/b O_RDWR 0644 -> $f
futimens $f 5.1000000000 OMIT
futimens $f OMIT 5.1000000000
futimens $f 5.-1 OMIT
futimens $f 5.999999999 OMIT
utimensat AT_FDCWD a/b 5.1000000000 OMIT 0
utimensat AT_FDCWD nonexistent 5.1000000000 OMIT 0
utimensat AT_FDCWD a/nonexistent/x OMIT 5.1000000000 0
futimens 999 5.1000000000 OMIT
stat a/b
#
# open(2) with O_CREAT and a trailing slash is EISDIR before the last
# component is looked at: a symlink there (even a looping one) is not
# followed (open_last_lookups()).
symlink s1 s1
creat s1/ 0644 -> $c
open s1/ O_RDWR|O_CREAT 0644 -> $c
symlink a s2
creat s2/ 0644 -> $c
open s2/ O_RDONLY|O_CREAT|O_EXCL 0644 -> $c
creat nonexistent/ 0644 -> $c
creat a/ 0644 -> $c
creat missing/x/ 0644 -> $c
open s1/ O_RDONLY 0 -> $c
