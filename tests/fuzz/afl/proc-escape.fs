# The ways up through /proc and exec (fsscript_proc.c): the fd and cwd links
# of fds and a cwd taken above the root (the guard must close or bring them
# back before a reopen, a linkat or a stat goes through them), names made
# through fd links up the chain, executables written and run up there.
symlink ../.. a
symlink a/a b
symlink b/b c
open c/c/c/c O_DIRECTORY -> $f0
reopen $f0 O_DIRECTORY -> $f1
reopen $f0 O_TMPFILE|O_RDWR 0600 -> $f2
fdlinkat $f2 c/c/c/c/x
chdir c/c/c/c
proclink self/cwd
cwdstat stat ../../..
cwdstat lstat ../../../../../../../..
mkexec c/c/c/c/e sh
exec c/c/c/c/e execve
mkexec =../../e sh
exec =../../e execve
open =../../x O_CREAT|O_RDWR 0644 -> $f3
fdlink $f3
reopen $f3 O_RDWR|O_TRUNC -> $f4
fdlinkat $f3 =../../../y
fdlinkat $f3 c/c/c/c/c/c/y
mkdir d 0755
open d O_DIRECTORY -> $f5
rename d c/c/c/c/d
reopen $f5 O_TMPFILE|O_RDWR 0600 -> $f1
fdlinkat $f5 z
cwdstat stat c/c/c/c/c/c/c/c
