# rename, renameat, renameat2 (RENAME_NOREPLACE, RENAME_EXCHANGE)
open a O_CREAT|O_WRONLY 0644 -> $a
write $a "A"
open b O_CREAT|O_WRONLY 0600 -> $b
write $b "BB"
mkdir d 0755
mkdir e 0700
open e/x O_CREAT|O_WRONLY 0644
mkdir empty 0755
stat .
rename a c
stat a
stat c
stat .
fstat $a
rename c c
rename nothing x
rename c nothing/x
rename c b
stat b
fstat $b
fstat $a
stat .
rename b d
rename d b
rename d empty
stat empty
stat d
stat .
rename empty d
rename e d
rename e/ d/
rename b/ x
rename b x/
rename e e/sub
rename e/x e
rename . x
rename e/.. x
rename e .
rename e e/..
# directory renames move ".." and link counts
mkdir p 0755
mkdir p/q 0755
mkdir r 0755
stat p
stat r
rename p/q r/q
stat p
stat r
stat r/q
open r/q O_RDONLY|O_DIRECTORY -> $q
getdents $q 4096
rename r/q q2
stat r
stat .
# renames give a new listing position
open f1 O_CREAT|O_WRONLY 0644
open f2 O_CREAT|O_WRONLY 0644
open . O_RDONLY|O_DIRECTORY -> $root
getdents $root 4096
rename f1 f3
lseek $root 0 SEEK_SET
getdents $root 4096
# renameat and renameat2 with directory fds
open r O_RDONLY|O_DIRECTORY -> $r
renameat AT_FDCWD f2 $r =f2
renameat $r =f2 $r =f2b
renameat $r =f2b AT_FDCWD f2
renameat 999 =x AT_FDCWD y
renameat $b =x AT_FDCWD y
renameat2 AT_FDCWD f2 AT_FDCWD f3 RENAME_NOREPLACE
renameat2 AT_FDCWD f2 AT_FDCWD f4 RENAME_NOREPLACE
renameat2 AT_FDCWD f4 AT_FDCWD . RENAME_NOREPLACE
renameat2 AT_FDCWD f4 AT_FDCWD f3 RENAME_EXCHANGE|RENAME_NOREPLACE
renameat2 AT_FDCWD f4 AT_FDCWD f3 0x8
renameat2 AT_FDCWD f4 AT_FDCWD nothing RENAME_EXCHANGE
renameat2 AT_FDCWD nothing AT_FDCWD f4 RENAME_EXCHANGE
stat f3
stat f4
renameat2 AT_FDCWD f4 AT_FDCWD f3 RENAME_EXCHANGE
stat f3
stat f4
renameat2 AT_FDCWD f3 AT_FDCWD f3 RENAME_EXCHANGE
renameat2 AT_FDCWD f3 AT_FDCWD r RENAME_EXCHANGE
stat f3
stat r
stat .
stat f3/q2
renameat2 AT_FDCWD f3 AT_FDCWD r RENAME_EXCHANGE
renameat2 AT_FDCWD r AT_FDCWD r/f2b RENAME_EXCHANGE
renameat2 AT_FDCWD q2 AT_FDCWD r RENAME_EXCHANGE
stat q2
stat r
renameat2 AT_FDCWD d AT_FDCWD d/x RENAME_EXCHANGE
renameat2 AT_FDCWD f4/ AT_FDCWD f3 RENAME_EXCHANGE
renameat2 AT_FDCWD f4 AT_FDCWD f3/ RENAME_EXCHANGE
renameat2 AT_FDCWD f4 AT_FDCWD r/ RENAME_EXCHANGE
# hard links of one inode: nothing happens
link f4 f4link
rename f4 f4link
stat f4
stat f4link
# to another file system (the host's /tmp): EXDEV
rename f4link =/tmp/fsscript-never-created
link f4link =/tmp/fsscript-never-created
# listing order and d_off after renames: a renamed entry is listed first;
# over an existing name it keeps that name's d_off, an exchange swaps them
mkdir L 0755
open L/a O_CREAT|O_WRONLY 0644
open L/b O_CREAT|O_WRONLY 0644
open L/c O_CREAT|O_WRONLY 0644
open L/d O_CREAT|O_WRONLY 0644
open L O_RDONLY|O_DIRECTORY -> $L
getdents $L 4096
rename L/a L/c
lseek $L 0 SEEK_SET
getdents $L 4096
renameat2 AT_FDCWD L/b AT_FDCWD L/d RENAME_EXCHANGE
lseek $L 0 SEEK_SET
getdents $L 4096
rename L/b L/e
lseek $L 0 SEEK_SET
getdents $L 4096
lseek $L 0 SEEK_SET
getdents $L 72
getdents $L 4096
mkdir M 0755
renameat2 AT_FDCWD L/e AT_FDCWD M/x RENAME_NOREPLACE
open M O_RDONLY|O_DIRECTORY -> $M
getdents $M 4096
open M/y O_CREAT|O_WRONLY 0644
renameat2 AT_FDCWD M/x AT_FDCWD L/d RENAME_EXCHANGE
lseek $L 0 SEEK_SET
getdents $L 4096
lseek $M 0 SEEK_SET
getdents $M 4096
lseek $L 4 SEEK_SET
getdents $L 4096
lseek $L 3 SEEK_SET
getdents $L 4096
# the old name's parent lookup comes before anything of the new name's (getname's ENOENT for "", its dirfd)
rename M/y/x ""
renameat AT_FDCWD M/y/x 999 y
rename nothere/x ""
rename M/y ""
rename x{256}/y ""
