# /proc's views of mount objects (fsscript_proc.c): the fd, cwd and root
# links read, a file reopened through its fd link with each access mode,
# O_PATH originals, a deleted file and directory, stat/lstat/statx through
# the links, fdinfo's pos and flags (O_TMPFILE's: ukcov showed the host
# description's). No hard link: the vocabulary reads no fd link then
# (proc-link.fs)
mkdir a 0755
open a/b O_CREAT|O_RDWR 0644 -> $f0
write $f0 aaaaa
fdlink $f0
fdinfo $f0
chdir a
proclink self/cwd
proclink thread-self/cwd
proclink self/root
proclink self/fd/../cwd
proclink self/cwd/s
proclink self/fd
cwdstat stat b
cwdstat lstat =b
cwdstat statx ..
cwdstat stat c
reopen $f0 0 -> $f1
read $f1 10
fdinfo $f1
reopen $f0 O_WRONLY|O_APPEND -> $f2
write $f2 b
fdinfo $f2
reopen $f0 O_RDWR|O_NOFOLLOW -> $f3
reopen $f0 O_DIRECTORY -> $f3
open . O_DIRECTORY -> $f5
fdlink $f5
reopen $f5 O_DIRECTORY -> $f3
reopen $f5 O_RDWR -> $f3
fdstat stat $f0
fdstat statx $f0
fdstat lstat $f5
open =c O_CREAT|O_PATH 0600 -> $f4
open =b O_PATH -> $f4
reopen $f4 0 -> $f3
read $f3 3
fdstat stat $f4
unlink =b
fdlink $f0
reopen $f0 0 -> $f3
read $f3 10
fdlink $f4
fdstat lstat $f0
open . O_TMPFILE|O_RDWR 0600 -> $f1
write $f1 ccc
fdlink $f1
fdinfo $f1
fdstat stat $f1
fdlink 999
fdinfo 999
reopen 999 0 -> $f3
mkdir =d 0755
open =d O_DIRECTORY -> $f2
rmdir =d
fdlink $f2
reopen $f2 O_DIRECTORY -> $f3
# a file and a directory replaced by a rename: their fd links read
# "NAME (deleted)" (ukcov: ENOENT, found by this seed's first run)
open a/e O_CREAT|O_RDWR 0644 -> $f0
open a/c O_CREAT|O_RDWR 0644 -> $f1
rename a/e a/c
fdlink $f1
fdlink $f0
mkdir a/d 0755
mkdir a/b 0755
open a/b O_DIRECTORY -> $f2
rename a/d a/b
fdlink $f2
