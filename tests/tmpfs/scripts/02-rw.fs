# read, write, pread64, pwrite64, readv, writev, preadv, pwritev, lseek
open f O_CREAT|O_RDWR 0644 -> $f
write $f "hello world"
lseek $f 0 SEEK_CUR
read $f 5
lseek $f 0 SEEK_SET
read $f 5
read $f 100
read $f 100
pread $f 5 6
pread $f 5 100
pread $f 5 -1
pwrite $f "X" -1
pwrite $f "HE" 0
lseek $f 0 SEEK_CUR
pread $f 0 0
write $f ""
fstat $f
read $f 0
lseek $f -3 SEEK_END
read $f 10
lseek $f -100 SEEK_END
lseek $f -1 SEEK_SET
lseek $f 5 SEEK_CUR
lseek $f 0 7
lseek $f 9223372036854775807 SEEK_SET
lseek $f 1 SEEK_CUR
lseek $f 0 SEEK_SET
writev $f "ab" "" "cd" "efg"
lseek $f 0 SEEK_CUR
preadv $f 0 3 0 4 100
readv $f 2 2
pwritev $f 20 "tail" "!"
fstat $f
preadv $f -1 4
pwritev $f -1 "x"
pread $f 40 0
# sparse files and holes
open s O_CREAT|O_RDWR 0644 -> $s
pwrite $s "x" 10000
fstat $s
pwrite $s "y" 100000
fstat $s
pread $s 16 9995
pread $s 8 0
lseek $s 0 SEEK_DATA
lseek $s 0 SEEK_HOLE
lseek $s 8191 SEEK_DATA
lseek $s 8192 SEEK_DATA
lseek $s 9000 SEEK_HOLE
lseek $s 12288 SEEK_DATA
lseek $s 50000 SEEK_HOLE
lseek $s 99999 SEEK_DATA
lseek $s 100000 SEEK_HOLE
lseek $s 100001 SEEK_DATA
lseek $s 100001 SEEK_HOLE
lseek $s -1 SEEK_DATA
lseek $s -1 SEEK_HOLE
ftruncate $s 200000
lseek $s 100001 SEEK_HOLE
lseek $s 100001 SEEK_DATA
fstat $s
pwrite $s a{5000} 4090
fstat $s
lseek $s 4000 SEEK_DATA
lseek $s 4000 SEEK_HOLE
ftruncate $s 4095
fstat $s
ftruncate $s 8000
pread $s 10 4090
fstat $s
open e O_CREAT|O_RDWR 0644 -> $e
lseek $e 0 SEEK_DATA
lseek $e 9223372036854775000 SEEK_HOLE
lseek $e 9223372036854771711 SEEK_HOLE
lseek $e 9223372036854771711 SEEK_DATA
lseek $e 0 SEEK_HOLE
lseek $e 0 SEEK_END
pwrite $e "far" 9223372036854775806
pwrite $e "z" 9223372036854775807
pwrite $e "ab" 9223372036854775805
pread $e 4 9223372036854775804
lseek $e 9223372036854775000 SEEK_DATA
lseek $e 9223372036854775000 SEEK_HOLE
lseek $e 9223372036854771711 SEEK_HOLE
lseek $e 9223372036854771711 SEEK_DATA
lseek $e 0 SEEK_HOLE
fstat $e
lseek $e 0 SEEK_END
ftruncate $e 0
# O_APPEND
open ap O_CREAT|O_WRONLY|O_APPEND 0644 -> $ap
write $ap "one"
lseek $ap 0 SEEK_SET
write $ap "two"
pwrite $ap "three" 0
lseek $ap 0 SEEK_CUR
open ap O_RDONLY -> $apr
read $apr 100
fcntl $ap F_SETFL 0
fcntl $ap F_GETFL
lseek $ap 0 SEEK_SET
write $ap "ONE"
fcntl $apr F_SETFL O_APPEND|O_NONBLOCK
fcntl $apr F_GETFL
pread $apr 100 0
# bad fds and kinds
read 999 1
write 999 "x"
pread 999 1 0
lseek 999 0 SEEK_SET
mkdir d 0755
open d O_RDONLY|O_DIRECTORY -> $d
read $d 1
pread $d 1 0
write $d "x"
readv $d 1
lseek $d 0 SEEK_END
lseek $d 0 SEEK_DATA
lseek $d 3 SEEK_SET
lseek $d -1 SEEK_SET
lseek $d 2 SEEK_CUR
close $f
read $f 1
write $f "x"
# large write crossing pages, partially overwritten
open big O_CREAT|O_RDWR 0644 -> $b
write $b q{20000}
fstat $b
pwrite $b r{3} 4095
pread $b 10 4090
pread $b 10 19995
