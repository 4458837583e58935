# inotify_add_watch()'s checks in Linux's order: the mask's bits (none of
# ALL_INOTIFY_BITS, or a bit outside it: EINVAL), the fd (EBADF), then
# IN_MASK_ADD with IN_MASK_CREATE (EINVAL), the fd's kind (EINVAL), the
# path. IN_ISDIR alone is a valid mask. ukcov checked IN_MASK_ADD with
# IN_MASK_CREATE first and took IN_ISDIR alone for no bit at all (ukcov
# fuzz, 7 Dec: EBADF / EINVAL, then 1 / EINVAL).
mkdir d 0755
open f O_CREAT|O_RDWR 0644 -> $f
inotify_init IN_NONBLOCK -> $i
inotify_add_watch 999 d IN_MASK_ADD|IN_MASK_CREATE|IN_CREATE
inotify_add_watch 999 nothing IN_MASK_ADD|IN_MASK_CREATE|IN_CREATE
inotify_add_watch 999 d 0x100000|IN_CREATE
inotify_add_watch 999 d 0
inotify_add_watch $f d IN_MASK_ADD|IN_MASK_CREATE|IN_CREATE
inotify_add_watch $i nothing IN_MASK_ADD|IN_MASK_CREATE|IN_CREATE
inotify_add_watch $i nothing IN_ISDIR
inotify_add_watch $i d IN_ISDIR
inotify_add_watch $i d IN_ISDIR|IN_MASK_CREATE
inotify_add_watch $i d IN_CREATE|IN_MASK_ADD
mkdir d/e 0755
inotify_read $i 4096
inotify_add_watch $i d IN_ISDIR
mkdir d/g 0755
inotify_read $i 4096
open d O_PATH -> $p
inotify_add_watch $p d IN_CREATE
close $i
# an O_PATH description is no file to fdget(): EBADF, also for a watch of a
# path outside the mount and for inotify_rm_watch; a file is no instance
# (ukcov fuzz, 7 Dec: EBADF / EINVAL: ukcov's O_PATH description of a mount
# file is a readable host one, which the host took for a file)
inotify_init IN_NONBLOCK -> $j
inotify_add_watch $p @/.. IN_CREATE
inotify_rm_watch $p 1
inotify_rm_watch $f 1
inotify_rm_watch 999 1
inotify_rm_watch $j 1
inotify_rm_watch $j 7
close $j
