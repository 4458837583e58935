# Divergences `ukcov fuzz` found in the fd layer (the lib backend has no
# mmap: ukcov run only). An open with access mode 3 (O_WRONLY|O_RDWR) checks
# read and write permission but the file neither reads nor writes
# (OPEN_FMODE()): EBADF, even for 0 bytes. mmap of an O_PATH file: EBADF
# (fget() takes none), not ENODEV.
open a O_WRONLY|O_RDWR|O_CREAT 0644 -> $f
write $f ""
write $f abc
pwrite $f "" 0
writev $f "" ""
read $f 0
read $f 10
readv $f 0 0
pread $f 10 0
fstat $f
fcntl $f F_GETFL
close $f
mkdir d 0755
open d O_PATH 0 -> $p
mmap $p 0 0 PROT_READ
mmap $p 0 4096 PROT_READ
open a O_PATH 0 -> $q
mmap $q 0 4096 PROT_READ
mmap $p -1 4096 PROT_READ
mmap $p 1 1 0
