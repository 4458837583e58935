# rlimit: RLIMIT_FSIZE for the rest of the script (EFBIG, SIGXFSZ
# ignored), RLIMIT_NOFILE leaving K free fd numbers (EMFILE)
chdir @
open f O_CREAT|O_RDWR 0644 -> $f
rlimit RLIMIT_FSIZE 5000
write $f a{4096}
write $f a{4096}
write $f a{4096}
pwrite $f x 5000
pwrite $f x 4999
ftruncate $f 5000
ftruncate $f 5001
truncate f 6000
fallocate $f 0 0 8192
fallocate $f FALLOC_FL_KEEP_SIZE 0 8192
rlimit RLIMIT_FSIZE 0
write $f x
open g O_CREAT|O_WRONLY 0644 -> $g
write $g x
rlimit RLIMIT_FSIZE 1048576
write $g x
rlimit RLIMIT_NOFILE +2
open f O_RDONLY -> $a
open f O_RDONLY -> $b
open f O_RDONLY -> $c
close $a
open f O_RDONLY -> $c
rlimit RLIMIT_NOFILE +0
open f O_RDONLY -> $d
dup $f -> $d
rlimit RLIMIT_NOFILE +3
open f O_RDONLY -> $d
