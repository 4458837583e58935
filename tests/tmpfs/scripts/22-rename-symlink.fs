# rename(2) with names reached through a symlinked parent (s -> .): both
# lookups follow it, onto a new name, over an empty directory, over a file,
# a directory onto a file and back, with trailing slashes. (Over a
# non-empty directory is what make check-fuzz plants a divergence in, for
# `ukcov fuzz` to find from these scripts: not done here.)
mkdir a 0755
mkdir b 0755
mkdir d 0755
open d/e O_CREAT|O_WRONLY 0644 -> $f0
close $f0
symlink . s
rename a s/c
rename s/c a
rename a s/b
stat b
stat a
mkdir a 0755
rename s/d/e s/a
rename s/a s/d/e
rename s/b/ s/c/
rename s/c s/s
rename s/c s/a/
rename s/d/e s/f
rename s/f s/d/e/
rename s/f s/d/e
stat s/d/e
lstat s/s
