# unix sockets bound in the scratch root (fsscript_dev.c), in the fuzz
# vocabulary's own words (the seed decodes to this script): paths relative
# to the cwd, stream, datagram and seqpacket, EADDRINUSE, ECONNREFUSED,
# EPROTOTYPE, ENOENT, ENOTDIR, S_IFSOCK, unlink
chdir @
symlink . s
socket SOCK_STREAM|SOCK_NONBLOCK -> $f0
bind $f0 =a
bind $f0 =b
stat a
socket SOCK_STREAM -> $f1
bind $f1 =a
bind $f1 =d/a/b
mkdir d 0755
open c O_WRONLY|O_CREAT 0644 -> $f2
bind $f1 =c/a
bind $f1 =s
connect $f1 =a
listen $f0
socket SOCK_STREAM|SOCK_NONBLOCK -> $f3
connect $f3 =a
accept $f0 -> $f4
write $f3 aaaaa
recv $f4 100
recv $f4 100
write $f4 bbb
recv $f3 2
recv $f3 10
socket SOCK_DGRAM|SOCK_NONBLOCK -> $f5
connect $f5 =a
