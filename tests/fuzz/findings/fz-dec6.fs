# ukcov fuzz's 30-minute run of 6 Dec (docs/ukcov-fuzz.md): a write whose
# buffer faults at once answers the file's checks first (EFBIG at
# RLIMIT_FSIZE); sendto with an address on a stream socket is EOPNOTSUPP
# and on a seqpacket one ignores it (ENOTCONN), before any path lookup
chdir @
open c O_WRONLY|O_CREAT 0644 -> $f0
rlimit RLIMIT_FSIZE 0
fault write NULL $f0 c
rlimit RLIMIT_FSIZE 4096
pwrite $f0 x{4096} 0
fault write NULL $f0 c
socket SOCK_STREAM -> $f1
sendto $f1 xxx =a
socket SOCK_SEQPACKET -> $f2
sendto $f2 xxx =b
socket SOCK_DGRAM -> $f3
sendto $f3 xxx =e
