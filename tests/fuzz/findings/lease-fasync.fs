# A lease puts its description on the lease's fasync list (lease_setup()),
# which sets FASYNC: F_GETFL shows it while the lease is held, and no more
# once it is given up. ukcov did not show it (ukcov fuzz, 7 Dec: 0xa402 /
# 0x8402).
open c O_RDWR|O_CREAT 0644 -> $f
fcntl $f F_GETFL
fcntl $f F_SETFL O_APPEND
fcntl $f F_SETLEASE F_WRLCK
fcntl $f F_GETFL
fcntl $f F_GETLEASE
fcntl $f F_SETFL 0
fcntl $f F_GETFL
fcntl $f F_SETLEASE F_RDLCK
fcntl $f F_GETFL
fcntl $f F_SETLEASE F_UNLCK
fcntl $f F_GETFL
close $f
open c O_RDONLY -> $r
fcntl $r F_SETLEASE F_RDLCK
fcntl $r F_GETFL
dup $r -> $d
fcntl $d F_GETFL
open c O_RDONLY -> $s
fcntl $s F_GETFL
fcntl $d F_SETLEASE F_UNLCK
fcntl $r F_GETFL
close $d
close $r
close $s
