# fchmodat2(2) (Linux 6.6): AT_SYMLINK_NOFOLLOW changes a file but not a
# symlink (EOPNOTSUPP), AT_EMPTY_PATH names the dirfd, other flags EINVAL
# before the dirfd is looked at
open f O_CREAT|O_RDWR 0644 -> $f
symlink f l
fchmodat2 AT_FDCWD f 0600 0
stat f
fchmodat2 AT_FDCWD f 0640 AT_SYMLINK_NOFOLLOW
stat f
fchmodat2 AT_FDCWD l 0600 AT_SYMLINK_NOFOLLOW
lstat l
fchmodat2 AT_FDCWD l 0604 0
stat f
fchmodat2 $f "" 0611 AT_EMPTY_PATH
stat f
fchmodat2 $f "" 0611 0
fchmodat2 AT_FDCWD f 0644 0x8000
fchmodat2 999 f 0644 0x8000
fchmodat2 999 f 0644 0
fchmodat2 AT_FDCWD nonexistent 0644 0
open f O_PATH -> $p
fchmodat2 $p "" 0600 AT_EMPTY_PATH
stat f
close $p
close $f
su 1000 1000
fchmodat2 AT_FDCWD f 0777 0
su 0 0
