# /proc's views of mount objects (fsscript_proc.c): the fd, cwd and root
# links read, a file reopened through its fd link with each access mode,
# O_PATH originals, a deleted file, stat/lstat/statx through the links,
# an O_TMPFILE file given a name through its link, fdinfo's pos and flags
mkdir a 0755
open a/f O_CREAT|O_RDWR 0644 -> $f0
write $f0 hello
fdlink $f0
fdinfo $f0
chdir a
proclink self/cwd
proclink thread-self/cwd
proclink self/root
cwdstat stat f
cwdstat lstat =f
cwdstat statx ..
cwdstat stat missing
reopen $f0 O_RDONLY -> $f1
read $f1 10
fdinfo $f1
reopen $f0 O_WRONLY|O_APPEND -> $f2
write $f2 !
fdinfo $f2
reopen $f0 O_RDWR|O_NOFOLLOW -> $f3
reopen $f0 O_PATH|O_NOFOLLOW -> $f3
fdlink $f3
fdinfo $f3
reopen $f0 O_DIRECTORY -> $f3
open . O_RDONLY|O_DIRECTORY -> $d
fdlink $d
reopen $d O_DIRECTORY -> $f3
reopen $d O_RDWR -> $f3
fdstat stat $f0
fdstat statx $f0
fdstat lstat $d
open a/p O_CREAT|O_PATH 0600 -> $f4
open a/f O_PATH -> $f4
reopen $f4 O_RDONLY -> $f5
read $f5 3
fdstat stat $f4
unlink a/f
fdlink $f0
reopen $f0 O_RDONLY -> $f5
read $f5 10
fdlink $f4
fdlinkat $f0 a/h
stat a/h
open a O_TMPFILE|O_RDWR 0600 -> $f1
write $f1 tmp
fdlink $f1
fdinfo $f1
fdlinkat $f1 a/t
stat a/t
fdlinkat $f1 a/t
fdlink 999
fdinfo 999
reopen 999 O_RDONLY -> $f5
fdlinkat 999 a/u
fdstat lstat $f0
mkdir a/d 0755
open a/d O_DIRECTORY -> $f2
rmdir a/d
fdlink $f2
reopen $f2 O_DIRECTORY -> $f3
fdlinkat $f2 a/dd
