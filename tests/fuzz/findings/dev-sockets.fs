# unix sockets bound in the scratch root (fsscript_dev.c): paths relative
# to the cwd, as the fuzz vocabulary names them
chdir @
symlink . s
socket SOCK_STREAM|SOCK_NONBLOCK -> $l
bind $l =sock
bind $l =sock2
stat sock
socket SOCK_STREAM -> $l2
bind $l2 =sock
bind $l2 =nodir/x
mkdir d 0755
open f O_CREAT|O_WRONLY 0644 -> $f
bind $l2 =f/x
bind $l2 =s
connect $l2 =sock
listen $l
socket SOCK_STREAM|SOCK_NONBLOCK -> $c
connect $c =sock
accept $l -> $a
send $c hello
recv $a 100
recv $a 100
send $a back
recv $c 3
recv $c 10
socket SOCK_DGRAM|SOCK_NONBLOCK -> $c2
connect $c2 =sock
socket SOCK_STREAM -> $c3
connect $c3 =f
connect $c3 =nothere
connect $c3 =d
socket SOCK_DGRAM -> $d
bind $d =s/dg
socket SOCK_DGRAM|SOCK_NONBLOCK -> $d2
sendto $d2 ping =dg
recv $d 10
sendto $d2 ping =sock
sendto $d2 ping =nothere
socket SOCK_SEQPACKET|SOCK_NONBLOCK -> $q
bind $q =d/sp
listen $q
socket SOCK_SEQPACKET|SOCK_NONBLOCK -> $q2
connect $q2 =d/sp
accept $q -> $q3
send $q2 one
send $q2 two
recv $q3 100
recv $q3 100
socket SOCK_RAW -> $r
unlink sock
connect $c3 =sock
rename d/sp d/sp2
connect $c3 =d/sp2
lstat d/sp2
open d/sp2 O_RDONLY -> $x
open d/sp2 O_PATH -> $x
fstat $x
unlink d/sp2
