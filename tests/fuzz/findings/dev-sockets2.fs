# unix sockets, continued: datagrams to a path, seqpacket, SOCK_RAW (a
# datagram socket for AF_UNIX), a socket renamed and unlinked, opened
chdir @
symlink . s
mkdir d 0755
socket SOCK_STREAM -> $f0
open e O_WRONLY|O_CREAT 0644 -> $f1
connect $f0 =e
unlink e
connect $f0 =e
connect $f0 =d/a/b
socket SOCK_DGRAM -> $f1
bind $f1 =s/b
socket SOCK_DGRAM|SOCK_NONBLOCK -> $f2
sendto $f2 xxx =b
recv $f1 10
sendto $f2 xxx =a
sendto $f2 xxx =e
socket SOCK_SEQPACKET|SOCK_NONBLOCK -> $f3
bind $f3 =e
listen $f3
socket SOCK_SEQPACKET|SOCK_NONBLOCK -> $f4
connect $f4 =e
accept $f3 -> $f5
write $f4 ccc
write $f4 zz
recv $f5 100
recv $f5 100
socket SOCK_RAW -> $f0
socket SOCK_DGRAM|SOCK_CLOEXEC -> $f0
unlink a
connect $f0 =a
rename e d/a
connect $f0 =d/a/b
lstat d/a
open d/a O_RDWR 0644 -> $f1
open d/a O_PATH 0644 -> $f1
fstat $f1
unlink d/a
