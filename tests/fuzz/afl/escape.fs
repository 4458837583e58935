# Tries every way up out of the scratch root the vocabulary has: ".." in
# paths, symlinks to ".." followed in chains, directory fds taken above the
# root and used as bases, a cwd moved up, directories renamed upward.
symlink ../.. a
symlink a/a b
symlink b/b c
mkdir c/c/c/c/x 0755
open c/c/c/c O_DIRECTORY -> $f0
openat $f0 ../.. O_DIRECTORY -> $f1
openat $f1 ../.. O_DIRECTORY -> $f2
mkdirat $f2 ../x 0755
mkdirat $f2 ../.. 0755
chdir c/c/c/c
mkdir =../../../x 0755
chdir =../..
fchdir $f2
mkdir =../../../y 0755
mkdir d 0755
mkdir d/e 0755
open d/e O_DIRECTORY -> $f3
rename d ../../../d
openat $f3 ../../../.. O_DIRECTORY -> $f4
mkdirat $f4 ../../z 0755
chdir d/e
rename .. ../..
symlink @/../../../.. e
mkdir e/e/q 0755
chmod .. 0
chmod ../.. 0
su 1000 1000
chdir ..
mkdir =../../q 0755
