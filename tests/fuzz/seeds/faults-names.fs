# ukcov fuzz seed (fault injection, docs/fault-injection.md): failnth N
# fails the Nth fault site of the next line; a line it fails must change nothing.
open a O_CREAT|O_WRONLY 0644 -> $f0
write $f0 "abc"
mkdir b 0755
failnth 2
rename a c
stat a
stat c
failnth 1
mkdir c 0700
failnth 3
open e O_CREAT|O_RDWR 0600 -> $f1
stat e
failnth 2
link a b/a
failnth 2
symlink a d
readlink d 100
failnth 3
rename b e
stat b
getdents $f0 4096
