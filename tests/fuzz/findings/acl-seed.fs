# A seed of ukcov fuzz's ACL values (fuzz/vocab.c), at most 48 lines so
# that all of it is encoded: the paths of acl.c that only a valid ACL
# reaches. A default ACL on a directory, inherited by a file and a
# directory created in it (the umask ignored); named users' and groups'
# permission under su (open as fsuid 1000 and 1001, and the mask); chmod
# rewriting an access ACL; an ACL the mode can say, folded into it; a mask
# without named entries; getxattr of each. The root as the fuzzer's (01777),
# so that the other users reach a.
chmod @ 01777
mkdir a 0777
setxattr a system.posix_acl_default "\x02\x00\x00\x00\x01\x00\x07\x00\xff\xff\xff\xff\x02\x00\x06\x00\xe8\x03\x00\x00\x04\x00\x05\x00\xff\xff\xff\xff\x08\x00\x07\x00\xe9\x03\x00\x00\x10\x00\x07\x00\xff\xff\xff\xff\x20\x00\x05\x00\xff\xff\xff\xff" 0
getxattr a system.posix_acl_default 100
umask 0222
open a/b O_CREAT|O_RDWR 0644 -> $f0
mkdir a/c 0755
getxattr a/b system.posix_acl_access 100
getxattr a/c system.posix_acl_default 100
stat a/b
stat a/c
umask 0
open a/d O_CREAT|O_RDWR 0700 -> $f1
getxattr a/d system.posix_acl_access 100
setxattr a/b system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x02\x00\x06\x00\xe8\x03\x00\x00\x02\x00\x04\x00\xe9\x03\x00\x00\x04\x00\x04\x00\xff\xff\xff\xff\x08\x00\x02\x00\xe8\x03\x00\x00\x10\x00\x06\x00\xff\xff\xff\xff\x20\x00\x00\x00\xff\xff\xff\xff" 0
stat a/b
su 1000 1000
open a/b O_RDWR -> $f2
open a/d O_RDONLY -> $f3
su 1001 1001 1001,1000
open a/b O_RDONLY -> $f3
open a/b O_WRONLY -> $f4
su 65534 65534
open a/b O_RDONLY -> $f4
su 0 0
chmod a/b 0700
getxattr a/b system.posix_acl_access 100
su 1000 1000
open a/b O_RDWR -> $f4
su 0 0
fchmod $f1 0755
getxattr a/d system.posix_acl_access 100
setxattr a/d system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x04\x00\x04\x00\xff\xff\xff\xff\x20\x00\x04\x00\xff\xff\xff\xff" 0
stat a/d
getxattr a/d system.posix_acl_access 100
setxattr a/d system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x07\x00\xff\xff\xff\xff\x04\x00\x07\x00\xff\xff\xff\xff\x10\x00\x04\x00\xff\xff\xff\xff\x20\x00\x00\x00\xff\xff\xff\xff" 0
stat a/d
listxattr a/d 100
mkdir a/c/e 0700
getxattr a/c/e system.posix_acl_access 100
