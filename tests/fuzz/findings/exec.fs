# exec from the mount (fsscript_proc.c): each kind of executable written
# into a path, then execve'd in a child: its exit status and what it
# printed, or its errno (ENOEXEC, EACCES for no x bit, a directory or a
# FIFO, ETXTBSY while open for writing, ELOOP, ENOENT, ENOTDIR); then
# execveat(2): fexecve of a close-on-exec fd (a script: ENOENT), of an
# O_PATH fd, AT_SYMLINK_NOFOLLOW, and fexec of the script's own fds
chdir @
mkexec a sh
exec a execve
exec =a execve
mkexec b nest
exec b execve
mkexec c elf
exec c execve
mkexec d long
exec d execve
mkexec e missing
exec e execve
mkexec d dirinterp
exec d execve
mkexec d garbage
exec d execve
mkexec d badelf
exec d execve
mkexec d empty
exec d execve
mkexec a nest
exec a execve
exec b execve
mkexec a sh
chmod a 0644
exec a execve
exec b execve
chmod a 0755
open a O_WRONLY -> $f0
exec a execve
exec b execve
close $f0
open a 0 -> $f0
exec a execve
symlink a e
exec e execve
exec a/ execve
exec a/b execve
exec d/d execve
unlink d
mkdir d 0755
exec d execve
mknod d/a S_IFIFO|0644 0
exec d/a execve
su 65534 65534 ""
exec a execve
exec c execve
mkexec c elf
exec a fexecve
exec c fexecve
exec a opath
exec c opath
exec a nofollow
symlink c s
exec s nofollow
open a 0 0644 -> $f0
fexec $f0
open c O_PATH 0644 -> $f1
fexec $f1
