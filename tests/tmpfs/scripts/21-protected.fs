# fs.protected_symlinks, protected_regular and protected_fifos: what a sticky
# world-writable (or group-writable) directory lets a user other than the
# owner follow or open with O_CREAT; both sides read the host's sysctls
# (test_protected_sysctls.sh runs this script with them 0 and with Debian's
# values, 1). A trailing symlink only; root is refused too.
mkdir t 0777
chmod t 01777
open t/rootf O_CREAT|O_WRONLY 0644 -> $a
close $a
symlink rootf t/lroot
su 1000 1000
symlink rootf t/luser
symlink . t/ldir
open t/luser O_RDONLY -> $b
close $b
open t/lroot O_RDONLY -> $b
close $b
open t/userf O_CREAT|O_WRONLY 0644 -> $b
close $b
mknod t/fifo S_IFIFO|0666 0
su 0 0
open t/luser O_RDONLY
stat t/luser
lstat t/luser
readlink t/luser 100
stat t/luser/
stat t/ldir/rootf
stat t/ldir
open t/userf O_CREAT|O_WRONLY 0644
open t/userf O_WRONLY -> $b
close $b
open t/fifo O_CREAT|O_RDWR 0644
open t/fifo O_RDWR|O_NONBLOCK -> $b
close $b
su 2000 2000
open t/luser O_RDONLY
open t/lroot O_RDONLY -> $b
close $b
open t/userf O_CREAT|O_RDONLY 0644
su 0 0
chmod t 01775
chown t 0 1000
su 2000 1000
open t/userf O_CREAT|O_RDONLY 0644
open t/luser O_RDONLY
su 0 0
mkdir u 0777
chmod u 0777
su 1000 1000
symlink ../t/rootf u/l
su 0 0
open u/l O_RDONLY -> $b
close $b
