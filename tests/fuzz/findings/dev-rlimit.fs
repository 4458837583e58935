# rlimit: RLIMIT_FSIZE for the rest of the script (EFBIG, SIGXFSZ
# ignored) on write, pwrite, truncate, ftruncate, fallocate (with and
# without KEEP_SIZE); RLIMIT_NOFILE leaving K free fd numbers (EMFILE)
chdir @
open c O_RDWR|O_CREAT 0644 -> $f0
rlimit RLIMIT_FSIZE 5000
write $f0 a{4096}
write $f0 a{4096}
write $f0 a{4096}
pwrite $f0 x 4096
pwrite $f0 x 1048576
ftruncate $f0 4097
ftruncate $f0 8192
truncate c 65536
fallocate $f0 0 0 8192
fallocate $f0 1 4096 4097
fallocate $f0 1 0 4095
fallocate $f0 3 0 8192
rlimit RLIMIT_FSIZE 0
write $f0 x
open d O_WRONLY|O_CREAT 0644 -> $f1
write $f1 x
rlimit RLIMIT_FSIZE 1048576
write $f1 x
rlimit RLIMIT_NOFILE +1
open c 0 0644 -> $f2
open c 0 0644 -> $f3
close $f2
open c 0 0644 -> $f3
rlimit RLIMIT_NOFILE +0
open c 0 0644 -> $f4
dup $f0 -> $f4
rlimit RLIMIT_NOFILE +3
open c 0 0644 -> $f4
