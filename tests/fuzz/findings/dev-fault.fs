# guest-memory faults: each call with one pointer argument that is NULL,
# 1, one readable byte before an unmapped page (EDGE), the unmapped page
# (GUARD) or kernel space (HIGH)
chdir @
open f O_CREAT|O_RDWR 0644 -> $f
write $f hello
lseek $f 0 SEEK_SET
mkdir d 0755
open d O_RDONLY|O_DIRECTORY -> $d
symlink f l
fault open NULL $f f
fault open ONE $f f
fault open EDGE $f f
fault open GUARD $f f
fault open HIGH $f f
fault mkdir EDGE $f f
fault stat NULL $f f
fault stat EDGE $f f
fault lstat GUARD $f f
fault statfs HIGH $f f
fault fstat NULL $f f
fault fstat EDGE $f f
fault read NULL $f f
fault read EDGE $f f
fault read GUARD $f f
fault pread EDGE $f f
fault readv NULL $f f
fault write NULL $f f
fault write EDGE $f f
fault write HIGH $f f
pread $f 10 0
fault getdents EDGE $d f
fault getdents NULL $d f
fault readlink EDGE $f l
fault readlink NULL $f l
fault listxattr NULL $f f
fault getxattr NULL $f f
fault setxattr NULL $f f
fault setxattr EDGE $f f
fault rename EDGE $f f
fault rename NULL $f f
fault symlink EDGE $f s2
fault statx NULL $f f
fault utimensat GUARD $f f
fault openat2 NULL $f f
fault getlk NULL $f f
fault fionread NULL $f f
fault truncate EDGE $f f
fault read NULL $f f
stat f
