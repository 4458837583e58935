# O_CREAT|O_TRUNC that makes its file does not truncate it (FMODE_CREATED:
# no IN_MODIFY, the setgid bit it was made with stays); ukcov's truncation,
# moved after the open's own steps (fault injection), ran for new files
# too (LTP creat08 and inotify02 found it).
mkdir d 02777
inotify_init 0 -> $i
inotify_add_watch $i d IN_MODIFY|IN_CREATE|IN_ATTRIB|IN_CLOSE_WRITE
open d/f O_CREAT|O_TRUNC|O_WRONLY 02755 -> $f0
stat d/f
close $f0
inotify_read $i 4096
open d/f O_TRUNC|O_WRONLY 0 -> $f0
close $f0
inotify_read $i 4096
stat d/f
