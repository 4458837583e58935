stat .
open a O_CREAT|O_RDWR 0644 -> $f
fstat $f
write $f "hello"
fstat $f
pread $f 10 0
pwrite $f x 10000
fstat $f
pread $f 20 0
lseek $f 0 SEEK_DATA
lseek $f 0 SEEK_HOLE
statx AT_FDCWD a 0 STATX_ALL
statx AT_FDCWD a 0 0
statx AT_FDCWD a 0 STATX_BASIC_STATS
stat .
mkdir d 0755
stat .
open d O_RDONLY|O_DIRECTORY -> $d
getdents $d 4096
getdents $d 4096
read $d 10
fcntl $f F_GETFL
fcntl $d F_GETFL
chdir d
getcwd
open =.. O_PATH -> $p
fcntl $p F_GETFL
read $p 1
fstat $p
statfs .
symlink @/a l
readlink l
ftruncate $f 10000
fstat $f
ftruncate $f 10000
fstat $f
read $f 3
fstat $f
read $f 3
fstat $f
open x{300} O_CREAT 0644
