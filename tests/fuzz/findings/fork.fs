# fork/join: the lines up to join run in a child (fds, cwd inherited, the
# file system shared) while the parent waits; then the parent runs the rest
mkdir a 0755
open a/f O_CREAT|O_RDWR 0644 -> $f
chdir a
fork
write $f child
open g O_CREAT|O_WRONLY 0600 -> $g
chdir =..
getcwd
close $f
fork
unlink g
join
lseek $f 0 SEEK_CUR
join
getcwd
lseek $f 0 SEEK_CUR
pread $f 10 0
stat a/g
write $g x
join
fork
rmdir a
