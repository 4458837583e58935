# close, dup, dup2, dup3, fcntl: shared offsets and flags, fd flags
open f O_CREAT|O_RDWR 0644 -> $f
write $f "abcdef"
dup $f -> $g
lseek $g 0 SEEK_CUR
lseek $g 1 SEEK_SET
read $f 2
lseek $g 0 SEEK_CUR
fcntl $f F_SETFL O_APPEND
fcntl $g F_GETFL
fcntl $f F_SETFD FD_CLOEXEC
fcntl $f F_GETFD
fcntl $g F_GETFD
dup 999
close $f
close $f
read $g 10
lseek $g 0 SEEK_SET
read $g 10
open f O_RDONLY -> $h
dup2 $g 100 -> $x
fcntl $x F_GETFD
read $x 3
dup2 $g 100 -> $x
dup2 $x $x
dup2 999 101
dup2 $g -1
dup2 $g 100000
dup3 $g 102 O_CLOEXEC -> $y
fcntl $y F_GETFD
dup3 $g 102 0 -> $y
fcntl $y F_GETFD
dup3 $y $y 0
dup3 $g 103 O_RDWR
dup3 999 104 0
dup2 $g $h
read $h 3
fcntl $g F_DUPFD 200 -> $z
fcntl $g F_DUPFD 200 -> $z2
fcntl $z2 F_GETFD
fcntl $g F_DUPFD_CLOEXEC 300 -> $w
fcntl $w F_GETFD
fcntl $w F_SETFD 0
fcntl $w F_GETFD
fcntl $g F_DUPFD -1
fcntl 999 F_GETFD
fcntl 999 F_GETFL
fcntl $g 9999
fcntl $g F_SETFL O_RDONLY
fcntl $g F_GETFL
fcntl $g F_SETFL O_NONBLOCK|O_APPEND|O_TRUNC|O_CREAT|O_EXCL
fcntl $g F_GETFL
fcntl $g F_SETFL O_NOATIME
fcntl $g F_GETFL
open . O_PATH -> $p
fcntl $p F_GETFL
fcntl $p F_SETFL O_APPEND
fcntl $p F_GETFD
fcntl $p F_DUPFD 0 -> $p2
fstat $p2
dup $p -> $p3
fcntl $p3 F_GETFL
close $p
close $p3
close $p2
fstat $p2
close -1
close 999
# unlinked but open: still readable, space released on last close
open u O_CREAT|O_RDWR 0644 -> $u
write $u u{10000}
dup $u -> $u2
unlink u
fstat $u
pread $u 4 9996
close $u
fstat $u2
pwrite $u2 "tail" 20000
fstat $u2
pread $u2 8 19998
stat u
close $u2
