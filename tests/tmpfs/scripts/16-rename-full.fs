# rename(2) onto directories that are not empty, which no other script
# does: ENOTEMPTY (or EEXIST where Linux says so), whichever way the
# names are reached, and the exchange that is allowed.
mkdir a 0755
mkdir a/d 0755
mkdir b 0755
open b/e O_WRONLY|O_CREAT 0644 -> $f0
close $f0
mkdir c 0755
rename c a
rename c b
rename a b
renameat2 AT_FDCWD c AT_FDCWD a RENAME_NOREPLACE
renameat2 AT_FDCWD a AT_FDCWD b RENAME_EXCHANGE
stat a/e
stat b/d
rename a/e c/e
rename c/e b
rename b/d/.. a
rename a/../c b
mkdir a/b 0755
rename a/b a
rename a a/b
rename c b/d
stat b/d
rename b/d/.. c
stat c
stat .
