# link, linkat, symlink, symlinkat, readlink, readlinkat, loops, boundary
open f O_CREAT|O_RDWR 0644 -> $f
write $f "target"
mkdir d 0755
link f g
link f g
link f d
link nothing h
link f nothing/h
link d dl
link f h/
link f/ h
link f d/
stat g
stat f
linkat AT_FDCWD f AT_FDCWD d/f2 0
open d O_RDONLY|O_DIRECTORY -> $d
linkat $d =f2 $d =f3 0
linkat $d =f2 $d =f4 0x1
linkat 999 =f2 $d =f4 0
linkat $f "" $d =f5 AT_EMPTY_PATH
linkat $f "" $d =f5 0
stat f
symlink f ls
symlink d lsd
symlink ls lls
symlink nothing dangling
symlink "" empty
symlink f ls
symlink f d
symlink f newlink/
symlink f nothing/x
symlink x{4095} long
symlink x{4096} toolong
lstat long
linkat AT_FDCWD ls AT_FDCWD lshard 0
lstat lshard
lstat ls
linkat AT_FDCWD ls AT_FDCWD lsfollow AT_SYMLINK_FOLLOW
stat lsfollow
linkat AT_FDCWD dangling AT_FDCWD dfollow AT_SYMLINK_FOLLOW
linkat AT_FDCWD lsd AT_FDCWD ddfollow AT_SYMLINK_FOLLOW
symlinkat f $d =sl
symlinkat f $f =sl
symlinkat f 999 =sl
readlink ls
readlink ls 1
readlink ls 0
readlink ls -1
readlink f
readlink d
readlink nothing
readlink lls
readlink ls/
readlink lsd/
readlinkat $d =sl 100
readlinkat $d "" 100
open ls O_PATH|O_NOFOLLOW -> $lp
readlinkat $lp "" 100
readlinkat $f "" 100
readlinkat 999 =sl 100
lstat ls
stat ls
stat lls
stat lsd/
stat dangling
lstat dangling
stat ls/
stat ls/x
open lsd/newfile O_CREAT|O_WRONLY 0644
stat d/newfile
# chains and loops
symlink loop1 loop2
symlink loop2 loop1
stat loop1
lstat loop1
open loop1 O_RDONLY
open loop1 O_CREAT|O_RDWR 0644
symlink self self
stat self
stat self/x
symlink c1 c0
symlink c2 c1
symlink c3 c2
symlink c4 c3
symlink c5 c4
symlink c6 c5
symlink c7 c6
symlink c8 c7
symlink c9 c8
symlink c10 c9
symlink c11 c10
symlink c12 c11
symlink c13 c12
symlink c14 c13
symlink c15 c14
symlink c16 c15
symlink c17 c16
symlink c18 c17
symlink c19 c18
symlink c20 c19
symlink c21 c20
symlink c22 c21
symlink c23 c22
symlink c24 c23
symlink c25 c24
symlink c26 c25
symlink c27 c26
symlink c28 c27
symlink c29 c28
symlink c30 c29
symlink c31 c30
symlink c32 c31
symlink c33 c32
symlink c34 c33
symlink c35 c34
symlink c36 c35
symlink c37 c36
symlink c38 c37
symlink c39 c38
symlink c40 c39
symlink f c40
stat c1
stat c0
symlink c0 cm1
stat cm1
lstat cm1
symlink d/../d/./f2 rel
stat rel
symlink ./d/ reld
stat reld
stat reld/f2
# absolute targets inside the mount and back to the host
symlink @/f abs
stat abs
readlink abs
symlink @/d/f2 absd
stat absd
symlink @/../host/file tohost
stat tohost
open tohost O_RDONLY -> $h
read $h 100
symlink @/../host tohostdir
stat tohostdir/file
stat tohostdir/nothing
open tohostdir/new O_CREAT|O_RDWR 0644
symlink .. up
stat up
stat up/host/file
stat up/root/f
stat d/../../host/file
symlink / slash
stat slash
readlink slash
stat @/../../../../../..
# linkat(AT_EMPTY_PATH) from an fd: the opener's creds or CAP_DAC_READ_SEARCH
umask 0
open ee O_CREAT|O_RDWR 0666 -> $ee
su 1000 1000
open ee O_RDWR -> $e1
linkat $e1 "" AT_FDCWD ee2 AT_EMPTY_PATH
linkat $ee "" AT_FDCWD ee3 AT_EMPTY_PATH
linkat $e1 =x AT_FDCWD ee4 AT_EMPTY_PATH
su 1000 1000
linkat $e1 "" AT_FDCWD ee5 AT_EMPTY_PATH
su 0 0
linkat $e1 "" AT_FDCWD ee6 AT_EMPTY_PATH
stat ee
# the old name's lookup comes before anything of the new name's (getname's ENOENT for "", its dirfd)
link f/ ""
linkat AT_FDCWD f/x 999 y 0
link x{256} ""
link nothere ""
link f ""
# symlink: the target's getname() errors come first
symlinkat "" 999 =a/
symlinkat "" AT_FDCWD =nothere/x
symlinkat x{4096} 999 y
