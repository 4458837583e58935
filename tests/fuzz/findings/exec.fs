# exec from the mount (fsscript_proc.c): each kind of executable written
# into a path, then execve'd in a child: its exit status and what it
# printed, or its errno (ENOEXEC, EACCES for no x bit, a directory or a
# FIFO, ETXTBSY while open for writing, ELOOP, ENOENT, ENOTDIR). Not
# execveat(2) nor fexecve: ukcov answers EOPNOTSUPP for a file in a
# mount (docs/exec.md)
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
mkexec s/x dirinterp
exec x execve
mkexec x garbage
exec x execve
mkexec x badelf
exec x execve
mkexec x empty
exec x execve
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
open a O_RDONLY -> $f0
open a O_PATH -> $f1
symlink a l
exec l execve
exec a/ execve
exec a/x execve
exec missing execve
mkdir dir 0755
exec dir execve
mknod fifo S_IFIFO|0755 0
exec fifo execve
su 65534 65534 ""
exec a execve
exec c execve
