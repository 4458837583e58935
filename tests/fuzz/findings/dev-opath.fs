# the socket calls on an O_PATH fd of a mount file: EBADF (fdget() finds
# no O_PATH file) before anything else, as on any other O_PATH fd
chdir @
open c O_RDWR|O_CREAT 0644 -> $f0
open c O_PATH 0644 -> $f1
bind $f1 =a
connect $f1 =a
listen $f1
accept $f1 -> $f2
sendto $f1 aaa =a
recv $f1 10
write $f1 aaa
read $f1 10
ioctl $f1 FIONREAD
bind $f0 =a
listen $f0
accept $f0 -> $f2
recv $f0 10
mkdir d 0755
open d O_DIRECTORY 0644 -> $f3
listen $f3
accept $f3 -> $f2
recv $f3 10
open d O_PATH 0644 -> $f3
connect $f3 =a
recv $f3 10
