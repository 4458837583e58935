# truncate, ftruncate, fsync, fdatasync, chmod, fchmod, fchmodat, chown,
# fchown, lchown, fchownat, utimensat, futimens: results and times
open f O_CREAT|O_RDWR 0644 -> $f
write $f "0123456789"
fstat $f
truncate f 4
stat f
truncate f 4
stat f
truncate f 8192
stat f
pread $f 10 0
truncate f -1
truncate nothing 1
truncate f/ 1
mkdir d 0755
truncate d 1
symlink f lf
truncate lf 2
stat f
ftruncate $f 3
fstat $f
ftruncate $f -1
open f O_RDONLY -> $r
ftruncate $r 1
open d O_RDONLY|O_DIRECTORY -> $d
ftruncate $d 1
open f O_PATH -> $p
ftruncate $p 1
ftruncate 999 1
fsync $f
fdatasync $f
fsync $r
fsync $d
fsync $p
fdatasync $p
fsync 999
fstat $f
# chmod family
chmod f 0600
stat f
chmod f 07777
stat f
chmod f 0100644
stat f
chmod d 01777
stat d
chmod nothing 0644
chmod lf 0640
lstat lf
stat f
fchmod $f 0444
fstat $f
write $f "still writable"
fchmod $r 0644
fchmod $d 0700
fchmod $p 0600
fchmod 999 0600
fchmodat AT_FDCWD f 0640
fchmodat $d =nothing 0640
open d/in O_CREAT|O_WRONLY 0600 -> $in
fchmodat $d =in 0604
stat d/in
fchmodat $in =x 0604
# chown family (as root)
chown f 1000 1000
stat f
chown f -1 2000
stat f
chown f -1 -1
stat f
chown lf 0 0
stat f
lstat lf
lchown lf 3000 3000
lstat lf
stat f
fchown $f 0 0
fstat $f
fchown $p 0 0
fchown 999 0 0
fchownat AT_FDCWD lf 5 5 AT_SYMLINK_NOFOLLOW
lstat lf
fchownat AT_FDCWD lf 6 6 0
stat f
fchownat $f "" 7 7 AT_EMPTY_PATH
fstat $f
fchownat AT_FDCWD lf 6 6 0x1
chown nothing 0 0
# set-id bits on chown and write
chmod f 06755
chown f 0 0
stat f
chmod f 06745
chown f -1 -1
stat f
chmod f 02745
chown f 1 -1
stat f
chmod d 02755
stat d
chown d 5 5
stat d
# utimensat / futimens
utimensat AT_FDCWD f 1000.5 2000.25 0
stat f
utimensat AT_FDCWD f OMIT 3000.0 0
stat f
utimensat AT_FDCWD f 4000.0 OMIT 0
stat f
utimensat AT_FDCWD f OMIT OMIT 0
utimensat AT_FDCWD nothing OMIT OMIT 0
utimensat AT_FDCWD nothing 1.0 1.0 0
utimensat AT_FDCWD f NOW NOW 0
stat f
utimensat AT_FDCWD f 5.0 NOW 0
stat f
utimensat AT_FDCWD f NULL 0
stat f
utimensat AT_FDCWD f 1.1000000000 1.0 0
utimensat AT_FDCWD f 1.-5 1.0 0
utimensat AT_FDCWD lf 77.0 88.0 AT_SYMLINK_NOFOLLOW
lstat lf
stat f
utimensat AT_FDCWD lf 99.0 99.0 0
stat f
utimensat AT_FDCWD f 1.0 1.0 0x1
utimensat $f "" 11.0 12.0 AT_EMPTY_PATH
fstat $f
futimens $f 21.0 22.0
fstat $f
futimens $p 21.0 22.0
futimens $p OMIT OMIT
futimens 999 1.0 1.0
futimens $r NOW OMIT
fstat $r
# which calls change which times
open t O_CREAT|O_RDWR 0644 -> $t
stat t
write $t "x"
stat t
write $t ""
stat t
pread $t 1 0
stat t
pread $t 1 0
stat t
read $t 0
stat t
ftruncate $t 1
stat t
chmod t 0644
stat t
chown t -1 -1
stat t
link t t2
stat t
rename t2 t3
stat t3
stat .
unlink t3
stat t
open t O_RDONLY|O_TRUNC -> $tt
stat t
open t O_RDONLY -> $t4
pread $t4 1 0
stat t
open . O_RDONLY|O_DIRECTORY -> $root
getdents $root 4096
stat .
getdents $root 4096
stat .
readlink lf
lstat lf
readlink lf
lstat lf
stat lf
lstat lf
# truncate(2) to the same size stamps nothing, ftruncate(2) and O_TRUNC do
open same O_CREAT|O_RDWR 0644 -> $same
write $same "abc"
stat same
truncate same 3
stat same
ftruncate $same 3
stat same
truncate same 0
stat same
truncate same 0
stat same
open same O_WRONLY|O_TRUNC
stat same
