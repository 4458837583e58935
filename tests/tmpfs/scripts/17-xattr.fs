# extended attributes as shmem's handlers on fs/xattr.c: user.*, trusted.*,
# security.* stored; the syscall's checks (flags, name length, size) before
# the lookup; xattr_permission() per node type; XATTR_CREATE/REPLACE;
# ERANGE and sizes; the list order of simple_xattr_list(); ctime moves
open f O_CREAT|O_RDWR 0644 -> $f
stat f
setxattr f user.b "value b"
stat f
setxattr f user.a "" 0
setxattr f trusted.t trustme
setxattr f security.s sec
setxattr f user.c x{1000}
listxattr f 4096
listxattr f 0
listxattr f 10
flistxattr $f 4096
llistxattr f 4096
getxattr f user.b 100
getxattr f user.b 0
getxattr f user.b 3
getxattr f user.a 10
getxattr f user.none 10
getxattr f trusted.t 10
getxattr f security.s 10
fgetxattr $f user.c 2000
setxattr f user.b again XATTR_CREATE
setxattr f user.new v XATTR_REPLACE
setxattr f user.b replaced XATTR_REPLACE
getxattr f user.b 100
setxattr f user.new created XATTR_CREATE
setxattr f user.x v 3
setxattr f user.x v 4
setxattr f user.x v -1
setxattr f "" v
setxattr f user.n{250} v
setxattr f user.n{251} v
getxattr f user.n{250} 10
getxattr f user.n{251} 10
removexattr f user.n{251}
setxattr f user. v
getxattr f user. 10
removexattr f user.
setxattr f unknown.x v
getxattr f unknown.x 10
removexattr f unknown.x
setxattr f system.other v
getxattr f system.other 10
setxattr f user.big y{65536}
setxattr f user.toobig y{65537}
getxattr f user.big 65536
getxattr f user.big 65535
getxattr f user.big 100000
getxattr f user.big 0
getxattr nonexistent user.a 10
getxattr f/ user.a 10
removexattr f user.b
removexattr f user.b
getxattr f user.b 10
fremovexattr $f user.new
stat f
fsetxattr $f user.viafd fd
fgetxattr $f user.viafd 10
listxattr f 4096
fgetxattr 999 user.a 10
fsetxattr 999 "" v
open f O_RDONLY -> $r
fsetxattr $r user.ro v
fgetxattr $r user.ro 10
close $r
open f O_PATH -> $p
fgetxattr $p user.a 10
fsetxattr $p user.a v
flistxattr $p 100
fremovexattr $p user.a
close $p
# directories, symlinks, nodes
mkdir d 0755
setxattr d user.dir dv
getxattr d user.dir 10
symlink f l
lsetxattr l user.l v
lgetxattr l user.l 10
lsetxattr l trusted.l v
lgetxattr l trusted.l 10
llistxattr l 100
listxattr l 100
setxattr l user.viafollow v
lgetxattr f user.viafollow 10
lremovexattr l trusted.l
mknod fifo S_IFIFO|0644 0
setxattr fifo user.x v
getxattr fifo user.x 10
setxattr fifo trusted.x v
getxattr fifo trusted.x 10
mknod sock S_IFSOCK|0644 0
setxattr sock security.x v
listxattr sock 100
# permissions: a stranger
chmod f 0600
su 1000 1000
getxattr f user.a 10
setxattr f user.a v
listxattr f 4096
getxattr f security.s 10
setxattr f security.z v
su 0 0
chmod f 0666
su 1000 1000
setxattr f user.a v
getxattr f user.a 10
su 0 0
mkdir sticky 01777
su 1000 1000
setxattr sticky user.s v
mkdir sticky/mine 01777
setxattr sticky/mine user.s v
su 0 0
chmod d 0700
su 1000 1000
getxattr d/x user.a 10
su 0 0
# without CAP_SYS_ADMIN: trusted.* hidden, security.* not writable
capeff 0x1fffff
listxattr f 4096
getxattr f trusted.t 10
setxattr f trusted.t v
removexattr f trusted.t
setxattr f security.s v
removexattr f security.s
getxattr f security.s 10
setxattr f user.ok v
capeff 0xffffffff
listxattr f 4096
# POSIX ACLs: none beyond the mode
getxattr f system.posix_acl_access 100
getxattr f system.posix_acl_default 100
getxattr d system.posix_acl_default 100
lgetxattr l system.posix_acl_access 100
setxattr f system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x07\x00\xff\xff\xff\xff\x04\x00\x05\x00\xff\xff\xff\xff\x20\x00\x01\x00\xff\xff\xff\xff"
stat f
listxattr f 4096
getxattr f system.posix_acl_access 100
setxattr f system.posix_acl_access "\x02\x00\x00"
setxattr f system.posix_acl_access "\x03\x00\x00\x00"
setxattr f system.posix_acl_default "\x02\x00\x00\x00\x01\x00\x07\x00\xff\xff\xff\xff\x04\x00\x05\x00\xff\xff\xff\xff\x20\x00\x01\x00\xff\xff\xff\xff"
removexattr f system.posix_acl_access
removexattr f system.posix_acl_default
removexattr d system.posix_acl_default
stat f
# ... and beyond it: a named user and group and a mask, stored in Linux's
# format, the mask as the mode's group bits, listed first, chmod moving the
# mask; a default ACL inherited by a new file (umask ignored) and directory
setxattr f system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x02\x00\x07\x00\xe9\x03\x00\x00\x04\x00\x04\x00\xff\xff\xff\xff\x08\x00\x02\x00\xd2\x07\x00\x00\x10\x00\x05\x00\xff\xff\xff\xff\x20\x00\x00\x00\xff\xff\xff\xff"
stat f
listxattr f 4096
listxattr f 0
listxattr f 10
getxattr f system.posix_acl_access 100
getxattr f system.posix_acl_access 10
getxattr f system.posix_acl_access 0
chmod f 0741
getxattr f system.posix_acl_access 100
# a named entry without a mask, a mask out of order, an id of -1
setxattr f system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x02\x00\x07\x00\xe9\x03\x00\x00\x04\x00\x04\x00\xff\xff\xff\xff\x20\x00\x00\x00\xff\xff\xff\xff"
setxattr f system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x10\x00\x05\x00\xff\xff\xff\xff\x04\x00\x04\x00\xff\xff\xff\xff\x20\x00\x00\x00\xff\xff\xff\xff"
setxattr f system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x02\x00\x07\x00\xff\xff\xff\xff\x04\x00\x04\x00\xff\xff\xff\xff\x10\x00\x05\x00\xff\xff\xff\xff\x20\x00\x00\x00\xff\xff\xff\xff"
removexattr f system.posix_acl_access
stat f
listxattr f 4096
setxattr d system.posix_acl_default "\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x02\x00\x07\x00\xe9\x03\x00\x00\x04\x00\x05\x00\xff\xff\xff\xff\x10\x00\x07\x00\xff\xff\xff\xff\x20\x00\x04\x00\xff\xff\xff\xff"
getxattr d system.posix_acl_default 100
umask 077
open d/inh O_CREAT|O_RDWR 0666 -> $i
close $i
mkdir d/inhd 0777
umask 022
stat d/inh
stat d/inhd
getxattr d/inh system.posix_acl_access 100
getxattr d/inh system.posix_acl_default 100
getxattr d/inhd system.posix_acl_access 100
getxattr d/inhd system.posix_acl_default 100
unlink d/inh
rmdir d/inhd
removexattr d system.posix_acl_default
close $f
fgetxattr 999 "" 10
fremovexattr 999 ""
fsetxattr 999 user.a v 8
fsetxattr 999 user.a y{70000}
fgetxattr 999 user.a 100000
# security.capability: a valid header and CAP_SETFCAP; v3 with root id 0 is
# stored as v2; a write, truncate, O_TRUNC, fallocate or chown drops it
open caps O_CREAT|O_RDWR 0755 -> $c
setxattr caps security.capability "\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
getxattr caps security.capability 100
setxattr caps security.capability "\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
getxattr caps security.capability 100
setxattr caps security.capability "\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xe8\x03\x00\x00"
getxattr caps security.capability 100
setxattr caps security.capability "\x00\x00\x00\x02\x00\x00"
setxattr caps security.capability "\x00\x00\x00\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
write $c x
getxattr caps security.capability 100
setxattr caps security.capability "\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
chmod caps 0750
getxattr caps security.capability 100
ftruncate $c 0
getxattr caps security.capability 100
setxattr caps security.capability "\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
fallocate $c 0 0 10
getxattr caps security.capability 100
setxattr caps security.capability "\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
chown caps -1 -1
getxattr caps security.capability 100
setxattr caps security.capability "\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
capeff 0x7fffffff
setxattr caps security.capability "\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
removexattr caps security.capability
capeff 0xffffffff
removexattr caps security.capability
close $c
