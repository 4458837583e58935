# inotify of mount inodes (fsscript_notify.c; kernel/fs/tmpfs/fsnotify.c):
# watches of directories and files, the events of making, removing,
# renaming, writing, reading and changing names, IN_ISDIR, cookies,
# IN_DELETE_SELF / IN_MOVE_SELF / IN_IGNORED, IN_ONESHOT, IN_MASK_ADD,
# IN_MASK_CREATE, IN_ONLYDIR, IN_DONT_FOLLOW, the errors. No IN_OPEN or
# IN_CLOSE_*: when ukcov reports a close depends on when it sees it
# (docs/tmpfs-deviations.md). Only `ukcov run` serves inotify (not the lib backend).
mkdir d 0755
mkdir d/sub 0755
open d/f O_CREAT|O_RDWR 0644 -> $f
symlink d ln
inotify_init IN_NONBLOCK -> $i
inotify_read $i 4096
inotify_add_watch $i d IN_ALL_EVENTS
inotify_add_watch $i d IN_CREATE|IN_DELETE|IN_MOVED_FROM|IN_MOVED_TO|IN_MODIFY|IN_ACCESS|IN_ATTRIB|IN_DELETE_SELF|IN_MOVE_SELF
inotify_add_watch $i d/f IN_MODIFY|IN_ACCESS|IN_ATTRIB|IN_DELETE_SELF|IN_MOVE_SELF
inotify_add_watch $i d/sub IN_CREATE|IN_DELETE_SELF|IN_MOVE_SELF|IN_ONESHOT
write $f abc
pread $f 2 0
fchmod $f 0600
chown d/f 1000 1000
utimensat AT_FDCWD d/f NOW NOW 0
ftruncate $f 1
inotify_read $i 4096
open d/g O_CREAT|O_WRONLY 0644 -> $g
close $g
mkdir d/e 0755
rename d/g d/h
rename d/h d/sub/h
rename d/sub/h d/h
rename d/f d/f2
rename d/f2 d/f3
rmdir d/e
inotify_read $i 4096
# the oneshot watch of d/sub is gone after its first event
mkdir d/sub/x 0755
rmdir d/sub/x
inotify_read $i 4096
inotify_rm_watch $i 3
inotify_rm_watch $i 4
inotify_rm_watch $i 99
inotify_read $i 4096
# a buffer too small for the next event: EINVAL; 0 bytes too
open d/zz O_CREAT|O_WRONLY 0644 -> $z
close $z
inotify_read $i 16
inotify_read $i 0
inotify_read $i 4096
# IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR, IN_DONT_FOLLOW, bad masks
inotify_add_watch $i d IN_MASK_CREATE|IN_CREATE
inotify_add_watch $i d IN_MASK_ADD|IN_DELETE
inotify_add_watch $i d IN_MASK_ADD|IN_MASK_CREATE|IN_DELETE
inotify_add_watch $i d/zz IN_ONLYDIR|IN_MODIFY
inotify_add_watch $i ln IN_DONT_FOLLOW|IN_ATTRIB
inotify_add_watch $i ln IN_ATTRIB
inotify_add_watch $i d 0
inotify_add_watch $i d IN_ISDIR
inotify_add_watch $i nothing IN_CREATE
inotify_add_watch $f d IN_CREATE
inotify_add_watch 999 d IN_CREATE
chmod ln 0700
inotify_read $i 4096
# the watched directory itself: moved, then removed. (Linux reports a
# removed object's IN_DELETE_SELF and IN_IGNORED when its last dentry dies:
# $f, open below d, would hold d's until its close; ukcov when the inode dies.)
close $f
unlink d/zz
unlink d/f3
unlink d/h
rmdir d/sub
rename d dd
rmdir dd
inotify_read $i 4096
inotify_read $i 4096
inotify_init 0 -> $b
inotify_read $b 4096
inotify_init IN_CLOEXEC|IN_NONBLOCK -> $c
inotify_init 0x1 -> $x
close $b
close $c
close $i
