# walks that leave the mount and end on the host (the mount's parent and
# host/, both 0755 root, host/file 0644 root): Linux checks the rest of the
# walk with the caller's credentials, and a file O_CREAT makes there gets
# the caller's fsuid, fsgid and umask
symlink .. up
symlink @/../host hostdir
stat up/host/file
su 1000 1000
stat up/host/file
open up/host/file O_RDONLY -> $r
read $r 100
close $r
open up/host/file O_RDWR
open up/host/file O_WRONLY|O_TRUNC
open hostdir/new O_CREAT|O_WRONLY 0644
open up/new O_CREAT|O_WRONLY 0644
faccessat2 AT_FDCWD up/host/file W_OK AT_EACCESS
faccessat2 AT_FDCWD up/host/file R_OK AT_EACCESS
faccessat2 AT_FDCWD hostdir W_OK AT_EACCESS
faccessat2 AT_FDCWD up/host X_OK AT_EACCESS
access up/host/file W_OK
access hostdir W_OK
statx AT_FDCWD hostdir/file 0 STATX_BASIC_STATS
readlink hostdir/file
statfs hostdir/file
su 1000 1000 1000,100
faccessat2 AT_FDCWD hostdir/file W_OK AT_EACCESS
su 0 1000
umask 077
open hostdir/g O_CREAT|O_EXCL|O_WRONLY 0666 -> $g
fstat $g
close $g
stat up/host/g
# O_PATH on the host (ukcov's fd is read-only instead of O_PATH, which
# fstat does not tell; a file the caller may not read: 12b-host-opath.fs)
su 1000 1000
open hostdir/g O_RDONLY
open hostdir/file O_PATH -> $p
fstat $p
close $p
su 0 0
umask 022
open up/host/h O_CREAT|O_EXCL|O_RDWR 0777 -> $h
fstat $h
write $h "made on the host"
close $h
lstat hostdir/h
# calls that change the host, finished there with the caller's identity
su 1000 1000
chown up/host/file 1000 1000
chmod up/host/file 0600
utimensat AT_FDCWD up/host/file NOW NOW 0
truncate up/host/file 0
unlink up/host/file
mkdir up/x 0755
symlink a hostdir/s
stat up/host/file
su 0 0
umask 027
mkdir hostdir/dd 0777
stat up/host/dd
symlink x hostdir/s
lstat up/host/s
chmod hostdir/g 0640
chown hostdir/g 1000 1000
utimensat AT_FDCWD hostdir/g 123.456 123.456 0
truncate hostdir/g 5
stat hostdir/g
unlink hostdir/s
rmdir hostdir/dd
rmdir hostdir/dd
lstat hostdir/s
umask 022
