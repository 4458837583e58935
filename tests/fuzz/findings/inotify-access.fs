# vfs_readv() reports IN_ACCESS for every vectored read that did not fail,
# one that moved nothing too (at the end of the file, or with empty
# segments only); read and pread only for bytes moved. ukcov's reads that
# moved nothing reported nothing (ukcov fuzz, 7 Dec: [1 IN_ACCESS] /
# EAGAIN).
mkdir d 0755
open d/f O_CREAT|O_RDWR 0644 -> $f
inotify_init IN_NONBLOCK -> $i
inotify_add_watch $i d IN_ACCESS|IN_MODIFY
inotify_add_watch $i d/f IN_ACCESS|IN_MODIFY
read $f 100
pread $f 100 0
inotify_read $i 4096
preadv $f 0 0 65536
inotify_read $i 4096
readv $f 0 0
inotify_read $i 4096
readv $f 100 0
inotify_read $i 4096
write $f abc
pread $f 100 0
inotify_read $i 4096
preadv $f 3 10 10
inotify_read $i 4096
preadv $f 0 2 1
inotify_read $i 4096
writev $f "" ""
pwrite $f "" 0
inotify_read $i 4096
close $i
close $f
# a vectored write is one write: one IN_MODIFY, not one per segment
# (ukcov fuzz, 7 Dec: two pairs of IN_MODIFY / one); a read likewise
inotify_init IN_NONBLOCK -> $j
inotify_add_watch $j d IN_ACCESS|IN_MODIFY
inotify_add_watch $j d/f IN_ACCESS|IN_MODIFY
open d/f O_RDWR -> $g
writev $g abc xyz
pwritev $g 1 ab cd
inotify_read $j 4096
preadv $g 0 2 2
readv $g 1 1
inotify_read $j 4096
close $g
close $j
