# a write whose buffer faults at its first byte keeps the page its
# shmem_write_begin() allocated (Linux 6.14+: no prefault), past i_size
# too, and its write_end() moves i_size up to the position, 0 bytes copied
# (ukcov fuzz, 6 Dec: blocks=0 where Linux shows 8)
chdir @
open c O_RDWR|O_CREAT 0644 -> $f0
fault write GUARD $f0 c
fstat $f0
open e O_RDWR|O_CREAT 0644 -> $f1
write $f1 aaaaa
ftruncate $f1 0
fault write NULL $f1 c
fstat $f1
lseek $f1 8192 SEEK_SET
fault write GUARD $f1 c
fstat $f1
# the page it allocated in a hole is data, zeroed, for SEEK_DATA and
# SEEK_HOLE (shmem_write_end() marks it uptodate; ukcov's was a fallocate()d
# page, a hole to SEEK_DATA: ukcov fuzz, 6 Dec evening); a page with data
# stays as it is
lseek $f1 0 SEEK_DATA
lseek $f1 0 SEEK_HOLE
lseek $f1 1 SEEK_DATA
open g O_RDWR|O_CREAT 0644 -> $f2
ftruncate $f2 20000
lseek $f2 5000 SEEK_SET
fault write NULL $f2 c
fstat $f2
lseek $f2 0 SEEK_DATA
lseek $f2 0 SEEK_HOLE
lseek $f2 4096 SEEK_HOLE
lseek $f2 9000 SEEK_DATA
write $f2 bbbb
lseek $f2 13000 SEEK_SET
fault write GUARD $f2 c
lseek $f2 12288 SEEK_DATA
fstat $f2
# a write whose buffer faults part way, at a page boundary: the bytes
# before the fault are written, and the next page is allocated too
# (shmem_write_begin() before the copy that moved nothing): blocks=16
open h O_RDWR|O_CREAT 0644 -> $f3
write $f3 aaaaa
lseek $f3 4095 SEEK_SET
fault write EDGE $f3 c
fstat $f3
lseek $f3 0 SEEK_HOLE
# the page of a faulting write past i_size, in a file that never had data
# there, is data once i_size grows over it (by a later faulting write, or
# ftruncate): ukcov fuzz, 7 Dec morning (ukcov's was fallocate()d: a hole).
# ukcov now makes the same faulting write on its data file, a tmpfs file
# of the host's, whose own shmem_write_begin()/write_end() do it.
open h O_RDWR|O_CREAT 0644 -> $f3
fault write NULL $f3 c
fstat $f3
lseek $f3 8192 SEEK_SET
fault write GUARD $f3 c
fstat $f3
lseek $f3 0 SEEK_DATA
lseek $f3 0 SEEK_HOLE
lseek $f3 4096 SEEK_DATA
open i O_RDWR|O_CREAT 0644 -> $f4
fault write NULL $f4 c
ftruncate $f4 100
lseek $f4 0 SEEK_DATA
lseek $f4 0 SEEK_HOLE
ftruncate $f4 0
ftruncate $f4 9000
lseek $f4 0 SEEK_DATA
fstat $f4
