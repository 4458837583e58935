# mkdir, mkdirat, rmdir, unlink, unlinkat, getdents64 order and offsets
mkdir a 0755
mkdir a 0755
mkdir a/ 0755
mkdir b/ 0750
stat b
mkdir nothing/x 0755
mkdir . 0755
mkdir .. 0755
mkdir @ 0755
mkdir x{256} 0755
mkdir x{255} 0755
stat x{255}
mkdir s 07777
stat s
mkdir s/t 0777
stat s/t
open f O_CREAT|O_RDWR 0644 -> $f
mkdir f 0755
mkdir f/x 0755
open a O_RDONLY|O_DIRECTORY -> $a
mkdirat $a =in 0700
mkdirat $a =in 0700
mkdirat $f =x 0700
mkdirat 999 =x 0700
mkdirat $a @/c 0711
stat c
getdents $a 4096
# ordering: newest first, d_off are stable cookies
open a/f1 O_CREAT|O_WRONLY 0644
open a/f2 O_CREAT|O_WRONLY 0644
symlink f1 a/l3
mkdir a/d4 0755
lseek $a 0 SEEK_SET
getdents $a 4096
lseek $a 0 SEEK_SET
getdents $a 48
getdents $a 48
getdents $a 24
getdents $a 23
getdents $a 4096
getdents $a 4096
lseek $a 0 SEEK_CUR
lseek $a 0 SEEK_SET
getdents $a 10
lseek $a 0 SEEK_CUR
lseek $a 1 SEEK_SET
getdents $a 4096
lseek $a 5 SEEK_SET
getdents $a 4096
lseek $a 1000 SEEK_SET
getdents $a 4096
# entries removed and added during a listing
lseek $a 0 SEEK_SET
getdents $a 72
unlink a/l3
open a/f5 O_CREAT|O_WRONLY 0644
getdents $a 4096
lseek $a 0 SEEK_SET
getdents $a 4096
unlink a/f2
open a/f2 O_CREAT|O_WRONLY 0644
lseek $a 0 SEEK_SET
getdents $a 4096
stat a
getdents $f 4096
getdents 999 4096
open a O_PATH -> $ap
getdents $ap 4096
# rmdir and unlink errors
rmdir a
rmdir nothing
rmdir f
rmdir a/f1
rmdir a/d4/
rmdir a/d4/.
rmdir a/d4/..
rmdir .
rmdir x{255}
unlink a
unlink a/
unlink f/
unlink nothing
unlink a/f1
unlink a/f1
unlinkat $a =f2 0
unlinkat $a =d4 0
unlinkat $a =d4 AT_REMOVEDIR
unlinkat $a =f5 AT_REMOVEDIR
unlinkat $a =f5 0x1
unlinkat $a =in AT_REMOVEDIR
unlinkat $f =x 0
unlinkat 999 =x 0
unlinkat $a =. AT_REMOVEDIR
unlinkat $a =.. AT_REMOVEDIR
unlinkat $a =. 0
unlinkat AT_FDCWD @/a/f5 0
stat a
lseek $a 0 SEEK_SET
getdents $a 4096
rmdir a
fstat $a
getdents $a 4096
lseek $a 0 SEEK_SET
getdents $a 4096
mkdirat $a =new 0755
openat $a =new O_CREAT|O_RDWR 0644
openat $a =. O_RDONLY
openat $a =.. O_RDONLY -> $up
fstat $up
stat .
# empty root listing
mkdir e 0755
open e O_RDONLY|O_DIRECTORY -> $e
getdents $e 4096
getdents $e 4096
lseek $e 0 SEEK_SET
getdents $e 24
getdents $e 24
getdents $e 24
