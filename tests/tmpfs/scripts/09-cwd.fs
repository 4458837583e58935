# chdir, fchdir, getcwd into and out of the mount; relative paths; statfs
getcwd
chdir .
getcwd
mkdir a 0755
mkdir a/b 0755
chdir a
getcwd
open =f O_CREAT|O_RDWR 0644 -> $f
stat a/f
stat =f
stat =b
chdir =b
getcwd
stat =../f
open =../../a/f O_RDONLY -> $f2
fstat $f2
chdir =..
getcwd
# back to ROOT by its absolute path (relative ways out: 09b-cwd-out.fs)
chdir @
getcwd
stat =a/f
getcwd
chdir nothing
chdir a/f
chdir a/f/
getcwd
open a O_RDONLY|O_DIRECTORY -> $a
fchdir $a
getcwd
stat =f
fchdir $f
fchdir 999
open a/b O_PATH -> $bp
fchdir $bp
getcwd
fchdir $a
getcwd
# removed cwd
mkdir a/gone 0755
chdir =gone
getcwd
rmdir a/gone
getcwd
stat =.
stat =..
open =x O_CREAT|O_RDWR 0644
mkdir =x 0755
open =. O_RDONLY|O_DIRECTORY -> $gone
getdents $gone 4096
chdir =..
getcwd
# symlinks in chdir
symlink b a/lb
chdir =lb
getcwd
chdir @/a/lb/..
getcwd
symlink @/../host a/lhost
chdir =../lhost
getcwd
stat =file
chdir @/a
getcwd
getcwd 5
getcwd 0
chdir =..
# statfs
statfs .
statfs a/f
statfs nothing
fstatfs $f
fstatfs $a
fstatfs $bp
fstatfs 999
