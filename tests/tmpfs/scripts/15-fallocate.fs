# fallocate(2) as shmem_fallocate(): plain and KEEP_SIZE allocate pages
# (st_blocks; SEEK_DATA/SEEK_HOLE still see them as holes until written, as
# mm/shmem.c's unwritten folios), PUNCH_HOLE|KEEP_SIZE frees them, the
# other modes and bad arguments give vfs_fallocate()'s errnos in its order
open f O_CREAT|O_RDWR 0644 -> $f
fallocate $f 0 0 8192
fstat $f
lseek $f 0 SEEK_DATA
lseek $f 0 SEEK_HOLE
fallocate $f FALLOC_FL_KEEP_SIZE 8192 8192
fstat $f
pwrite $f x{5000} 20000
fstat $f
lseek $f 0 SEEK_DATA
lseek $f 0 SEEK_HOLE
lseek $f 16384 SEEK_HOLE
lseek $f 20000 SEEK_HOLE
pwrite $f a{12288} 0
lseek $f 0 SEEK_HOLE
fallocate $f FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE 4096 4096
fstat $f
lseek $f 0 SEEK_HOLE
lseek $f 4096 SEEK_DATA
pread $f 16 4090
fallocate $f FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE 100 10
pread $f 16 95
fstat $f
fallocate $f FALLOC_FL_PUNCH_HOLE 0 4096
fallocate $f FALLOC_FL_ZERO_RANGE 0 4096
fallocate $f FALLOC_FL_COLLAPSE_RANGE 0 4096
fallocate $f FALLOC_FL_INSERT_RANGE 0 4096
fallocate $f FALLOC_FL_UNSHARE_RANGE 0 4096
fallocate $f FALLOC_FL_COLLAPSE_RANGE|FALLOC_FL_KEEP_SIZE 0 4096
fallocate $f FALLOC_FL_NO_HIDE_STALE 0 4096
fallocate $f 0x100 0 4096
fallocate $f FALLOC_FL_ZERO_RANGE|FALLOC_FL_PUNCH_HOLE 0 4096
fallocate $f 0 -1 4096
fallocate $f 0 0 0
fallocate $f 0 0 -5
fallocate $f 0 9223372036854775807 1
fallocate $f 0 9223372036854775000 100000
fallocate $f 0 1 9223372036854775807
fallocate 999 0 0 4096
fstat $f
close $f
open f O_RDONLY -> $r
fallocate $r 0 0 4096
fallocate $r FALLOC_FL_ZERO_RANGE 0 4096
fallocate $r FALLOC_FL_PUNCH_HOLE 0 4096
close $r
open f O_WRONLY|O_APPEND -> $a
fallocate $a 0 0 40960
fallocate $a FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE 0 4096
fstat $a
close $a
open f O_PATH -> $p
fallocate $p 0 0 4096
close $p
mkdir d 0755
open d O_RDONLY|O_DIRECTORY -> $d
fallocate $d 0 0 4096
close $d
chmod f 06755
open f O_RDWR -> $s
su 1000 1000
fallocate $s 0 0 4096
su 0 0
stat f
fallocate $s FALLOC_FL_KEEP_SIZE 0 1099511627776
fallocate $s 0 0 1099511627776000
stat f
close $s
