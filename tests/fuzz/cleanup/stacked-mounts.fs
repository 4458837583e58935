# ukcov fuzz, 7 Dec (run 9's guest-errors.log): an input that mounts onto . and .. of
# its cwd, and more; the next input's scratch could not be set up (EBUSY)
mkdir d 0755
mkdir d/e 0755
chdir d/e
mount . 0 -
stat =a
open a O_WRONLY|O_CLOEXEC 0644 -> $f4
open a/a/a O_CREAT|O_NOFOLLOW 0777 -> $f0
open a/a/a/ O_PATH 0644 -> $f0
open e O_WRONLY|O_RDWR|O_CREAT|O_EXCL|O_TRUNC|O_APPEND|O_DIRECTORY|O_NOFOLLOW 0777 -> $f0
open a O_RDWR|O_CREAT|O_TRUNC|O_PATH 0 -> $f0
open a/a/a/b O_NONBLOCK 0644 -> $f4
open a/a/. O_WRONLY|O_CLOEXEC 0644 -> $f4
writev $w a{8192} bb
open a/a O_WRONLY|O_CLOEXEC 0644 -> $f2
openat AT_FDCWD a/ O_WRONLY|O_PATH|O_NONBLOCK|O_NOATIME|O_TMPFILE|O_SYNC 02755 -> $f4
open ./ O_WRONLY|O_CLOEXEC|O_NOATIME 0644 -> $f0
open a/a/a O_RDWR|O_CREAT|O_TRUNC 0755 -> $f0
open a/a/./a 0 0644 -> $f4
open a/a/ O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC 0755 -> $f0
open c/a/./a 0 0644 -> $f4
openat $f0 b/a/a O_WRONLY|O_PATH|O_TMPFILE 0644 -> $f0
open a/a O_WRONLY|O_RDWR|O_NOFOLLOW|O_NOATIME 0600 -> $f0
open d O_CREAT 0644 -> $f2
mount =. 0 size=1m
proclink thread-self/cwd
getcwd
stat =d/d
chdir =..
proclink self/cwd
stat =b
chdir =..
proclink self/cwd
mount =.. 0 -
mount =. MS_REMOUNT -
chdir @
stat b/c
mkdir a 02755
creat =a 02755 -> $f2
creat =a 02755 -> $f2
creat =a 02755 -> $f2
creat =a 0644 -> $f1
mount a 0 -
