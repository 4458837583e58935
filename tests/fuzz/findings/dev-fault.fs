# guest-memory faults: each call with one pointer argument NULL, 1, one
# readable byte before an unmapped page (EDGE: a read or write moves that
# byte), the unmapped page (GUARD) or kernel space (HIGH)
chdir @
open c O_RDWR|O_CREAT 0644 -> $f0
write $f0 aaaaa
lseek $f0 0 SEEK_SET
mkdir d 0755
open d O_DIRECTORY 0644 -> $f1
symlink c a
fault open NULL $f0 c
fault open ONE $f0 c
fault open EDGE $f0 c
fault open GUARD $f0 c
fault open HIGH $f0 c
fault mkdir EDGE $f0 c
fault stat NULL $f0 c
fault stat EDGE $f0 c
fault lstat GUARD $f0 c
fault statfs HIGH $f0 c
fault fstat NULL $f0 c
fault fstat EDGE $f0 c
fault read NULL $f0 c
fault read EDGE $f0 c
fault read GUARD $f0 c
fault pread EDGE $f0 c
fault readv NULL $f0 c
fault write NULL $f0 c
fault write EDGE $f0 c
fault write HIGH $f0 c
pread $f0 10 0
fault getdents EDGE $f1 c
fault getdents NULL $f1 c
fault readlink EDGE $f0 a
fault readlink NULL $f0 a
fault listxattr NULL $f0 c
fault getxattr NULL $f0 c
fault setxattr NULL $f0 c
fault setxattr EDGE $f0 c
fault rename EDGE $f0 c
fault rename NULL $f0 c
fault symlink EDGE $f0 b
fault statx NULL $f0 c
fault utimensat GUARD $f0 c
fault openat2 NULL $f0 c
fault getlk NULL $f0 c
fault fionread NULL $f0 c
fault truncate EDGE $f0 c
fault read NULL $f0 c
stat c
