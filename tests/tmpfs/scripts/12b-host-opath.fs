# O_PATH needs no permission on the file itself: Linux gives the caller a
# descriptor it cannot read. ukcov cannot pass O_PATH descriptors and gives
# read-only ones instead, reopened as the caller (the deputy rule,
# docs/security.md): one it may not read is EACCES (ukcov-deviations)
symlink @/../host hostdir
umask 077
open hostdir/g O_CREAT|O_EXCL|O_WRONLY 0666 -> $g
close $g
su 1000 1000
open hostdir/g O_RDONLY
open hostdir/g O_PATH -> $p
fstat $p
close $p
su 0 0
unlink hostdir/g
umask 022
