# linkat(2) with AT_EMPTY_PATH under another identity than the dirfd's
# opener, the dirfd a file of a mount inside the mount: Linux answers ENOENT
# (path_init()'s LOOKUP_LINKAT_EMPTY check, before the walk's ENOTDIR),
# for any old name; ukcov checked after the walk (ENOTDIR; EXDEV for "" and
# a new name in the outer mount) (ukcov fuzz, 7 Dec, run 10).
mkdir b 0755
mount b 0 -
open b/c O_RDWR|O_CREAT 0644 -> $f0
open b/c 0 0644 -> $f1
su 1000 1000
linkat $f0 =c AT_FDCWD c/a AT_EMPTY_PATH
linkat $f0 "" AT_FDCWD c AT_EMPTY_PATH
linkat $f1 "" AT_FDCWD b/d AT_EMPTY_PATH
su 0 0
linkat $f0 =c AT_FDCWD c/a AT_EMPTY_PATH
linkat $f0 "" AT_FDCWD c AT_EMPTY_PATH
linkat $f0 "" AT_FDCWD b/d AT_EMPTY_PATH
stat b/d
