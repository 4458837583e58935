# ukcov fuzz seed (fault injection): xattrs, truncation, nodes, O_TMPFILE
open a O_CREAT|O_RDWR 0644 -> $f0
write $f0 "hello"
failnth 2
setxattr a user.a "xyz" 0
getxattr a user.a 100
failnth 1
open a O_WRONLY|O_TRUNC -> $f1
fstat $f0
failnth 1
mknod b S_IFIFO|0644 0
stat b
failnth 4
open . O_TMPFILE|O_RDWR 0600 -> $f2
failnth 2
listxattr a 100
failnth 1
truncate a 2
stat a
