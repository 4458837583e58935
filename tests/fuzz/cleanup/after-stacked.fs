# the input after stacked-mounts.fs in that run
mkdir d 0755
mkdir d/e 0755
chdir d/e
mount d 0 -
stat =..
chdir =..
stat =.
chdir @
umount d 0
mkdir c 0755
open c O_RDWR|O_CREAT 0644 -> $f0
mount c 0 size=1m
mkdir c/a 0755
mount c MS_REMOUNT|MS_RDONLY -
rmdir a
unlink c/a
rmdir c/a
mkdir c/a 0755
fdlinkat $f0 c/a
fdlinkat $f0 c/a/
fdlinkat $f0 c/a
open a O_WRONLY|O_CLOEXEC|O_NOATIME 0644 -> $f0
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
stat =..
chdir =..
proclink self/cwd
open =.. 0 0777 -> $f2
openat AT_FDCWD a/a/a/c O_CREAT|O_EXCL|O_APPEND 0644 -> $f1
open a/a/ 0 0644 -> $f1
mount a 0 -
