# renameat/linkat of a last component longer than NAME_MAX: filename_parentat()
# does not look at its length, so the new name's errors (its dirfd's EBADF,
# "" ENOENT) come first (`ukcov fuzz`, test_afl_bounds' random inputs)
chdir @
mkdir a 0755
open a O_DIRECTORY 0644 -> $f0
open c O_RDWR|O_CREAT 0644 -> $f1
renameat $f0 x{256} $f1 =s/s
renameat $f0 x{256} 999 =b/
renameat $f0 x{256} $f0 ""
renameat $f0 x{256} $f0 b
renameat $f0 c $f0 x{256}
renameat AT_FDCWD x{256} 999 b
rename x{256} c
rename c x{256}
link x{256} $f1
linkat $f0 x{256} 999 b 0
renameat2 $f0 x{256} $f1 =s/s RENAME_WHITEOUT|RENAME_NOREPLACE
