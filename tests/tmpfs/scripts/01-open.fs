# open, openat, openat2, creat: flags, access modes and their errors
open f O_RDONLY
open f O_CREAT|O_WRONLY 0640 -> $w
fstat $w
open f O_CREAT|O_EXCL|O_WRONLY 0600
open f O_CREAT|O_RDONLY 0777 -> $r
fstat $r
write $w "0123456789"
read $w 4
write $r "x"
read $r 4
fcntl $w F_GETFL
fcntl $r F_GETFL
open f O_RDWR|O_APPEND -> $a
fcntl $a F_GETFL
lseek $a 0 SEEK_SET
write $a "AB"
lseek $a 0 SEEK_CUR
pread $a 20 0
open f O_RDONLY|O_TRUNC -> $t
fstat $t
open f O_WRONLY|O_TRUNC -> $t2
fstat $t2
open f O_ACCMODE -> $acc
read $acc 1
write $acc "z"
fcntl $acc F_GETFL
open f O_RDONLY|O_CLOEXEC -> $ce
fcntl $ce F_GETFD
fcntl $ce F_GETFL
open f O_RDONLY|O_NONBLOCK -> $nb
fcntl $nb F_GETFL
open f O_RDONLY|O_DIRECTORY
open f/ O_RDONLY
open f/ O_CREAT|O_RDWR 0644
open nf/ O_CREAT|O_RDWR 0644
open nd/x O_CREAT|O_RDWR 0644
open f/x O_CREAT|O_RDWR 0644
open f/x O_RDONLY
mkdir d 0755
open d O_RDONLY -> $d
open d O_WRONLY
open d O_RDWR
open d O_RDONLY|O_TRUNC
open d O_CREAT|O_RDONLY 0644
open d O_CREAT|O_EXCL|O_RDONLY 0644
open d O_DIRECTORY|O_CREAT 0644
open nd2 O_DIRECTORY|O_CREAT 0644
open d/ O_RDONLY|O_DIRECTORY -> $d2
open . O_RDONLY -> $root
open . O_CREAT|O_RDWR 0644
open .. O_CREAT|O_RDWR 0644
open d/.. O_RDONLY|O_DIRECTORY
symlink f lf
symlink d ld
symlink nothing dangling
open lf O_RDONLY -> $lf
fstat $lf
open lf O_RDONLY|O_NOFOLLOW
open lf O_PATH|O_NOFOLLOW -> $lfp
fstat $lfp
fcntl $lfp F_GETFL
read $lfp 1
open ld O_RDONLY|O_DIRECTORY|O_NOFOLLOW
open ld/ O_RDONLY|O_NOFOLLOW -> $ldn
fstat $ldn
open lf O_CREAT|O_EXCL|O_RDWR 0644
open dangling O_RDONLY
open dangling O_CREAT|O_EXCL|O_RDWR 0644
open dangling O_CREAT|O_RDWR 0604 -> $dg
stat nothing
lstat dangling
open f O_PATH -> $p
fcntl $p F_GETFL
read $p 1
write $p "x"
fstat $p
open f O_PATH|O_DIRECTORY
open d O_PATH|O_DIRECTORY -> $pd
fcntl $pd F_GETFL
open f O_PATH|O_TRUNC|O_CREAT|O_EXCL -> $p2
fcntl $p2 F_GETFL
open f O_PATH|O_WRONLY -> $p3
write $p3 "x"
creat c 0755 -> $c
fstat $c
fcntl $c F_GETFL
write $c "data"
creat c 0644 -> $c2
fstat $c2
creat d 0644
creat nd/c 0644
# openat with directory fds: relative paths (=name) start at the dirfd
openat $d =inside O_CREAT|O_RDWR 0644 -> $in
fstat $in
openat $d =inside O_RDONLY
openat $d =../f O_RDONLY
openat $w =x O_RDONLY
openat $w =. O_RDONLY
openat 999 =x O_RDONLY
openat -1 =x O_RDONLY
openat 999 @/f O_RDONLY
openat $d @/f O_RDONLY
openat AT_FDCWD f O_RDONLY
openat $p =x O_RDONLY
openat $pd =inside O_RDONLY
openat $d "" O_RDONLY
# openat2
openat2 $d =inside O_RDONLY 0 0
openat2 $d =inside O_RDONLY 0644 0
openat2 $d =n2 O_CREAT|O_RDWR 0644 0 -> $o2
fstat $o2
openat2 $d =n3 O_CREAT|O_RDWR 010000 0
openat2 $d =inside O_RDONLY 0 RESOLVE_BENEATH
openat2 $d =../f O_RDONLY 0 RESOLVE_BENEATH
openat2 $d @/f O_RDONLY 0 RESOLVE_BENEATH
openat2 $d =../f O_RDONLY 0 RESOLVE_IN_ROOT
openat2 $d =.. O_RDONLY 0 RESOLVE_IN_ROOT -> $inroot
fstat $inroot
openat2 $d =../../.. O_RDONLY 0 RESOLVE_IN_ROOT -> $inroot2
fstat $inroot2
openat2 $d =inside O_RDONLY 0 RESOLVE_BENEATH|RESOLVE_IN_ROOT
symlink inside d/lin
symlink ../f d/lup
symlink /inside d/labs
openat2 $d =lin O_RDONLY 0 RESOLVE_NO_SYMLINKS
openat2 $d =lin O_RDONLY 0 RESOLVE_NO_XDEV -> $nx
fstat $nx
openat2 $d =lin O_RDONLY 0 RESOLVE_BENEATH -> $bn
fstat $bn
openat2 $d =lup O_RDONLY 0 RESOLVE_BENEATH
openat2 $d =lup O_RDONLY 0 0 -> $lup
fstat $lup
openat2 $d =labs O_RDONLY 0 RESOLVE_IN_ROOT -> $labs
fstat $labs
openat2 $d =labs O_RDONLY 0 RESOLVE_BENEATH
openat2 $d =inside O_RDONLY 0 0x100000
openat2 $d =inside 0x40000000 0 0
openat2 $root =d/inside O_RDONLY 0 RESOLVE_NO_XDEV
openat2 $root =d/lup O_RDONLY 0 RESOLVE_NO_XDEV
openat2 $root =d/lup O_RDONLY|O_NOFOLLOW 0 RESOLVE_NO_SYMLINKS
openat2 $root =d/lup O_PATH|O_NOFOLLOW 0 RESOLVE_NO_SYMLINKS -> $lp
fstat $lp
