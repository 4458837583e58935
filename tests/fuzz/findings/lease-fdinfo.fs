# fdinfo's "flags:" of a description holding a lease shows FASYNC, as
# F_GETFL does (lease_setup()) (ukcov fuzz, 7 Dec, run 10).
open c O_RDONLY|O_CREAT 0644 -> $f0
fdinfo $f0
fcntl $f0 F_SETLEASE F_RDLCK
fdinfo $f0
fcntl $f0 F_GETFL
fcntl $f0 F_SETLEASE F_UNLCK
fdinfo $f0
