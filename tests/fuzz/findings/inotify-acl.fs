# vfs_set_acl() and vfs_remove_acl() report IN_ATTRIB (fsnotify_xattr())
# on success, also when the ACL only restates the mode or there was none
# to remove; ukcov's ACL path reported nothing (ukcov fuzz, 7 Dec: an
# IN_ATTRIB|IN_ISDIR missing)
mkdir d 0755
open d/f O_CREAT|O_RDWR 0644 -> $f
inotify_init IN_NONBLOCK -> $i
inotify_add_watch $i d IN_ATTRIB
inotify_add_watch $i d/f IN_ATTRIB
setxattr d system.posix_acl_default "" 0
inotify_read $i 4096
removexattr d system.posix_acl_default
inotify_read $i 4096
setxattr d/f system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x06\x00\xff\xff\xff\xff\x04\x00\x04\x00\xff\xff\xff\xff\x20\x00\x04\x00\xff\xff\xff\xff" 0
inotify_read $i 4096
setxattr d/f system.posix_acl_access "\x02\x00\x00\x00\x01\x00\x07\x00\xff\xff\xff\xff\x02\x00\x06\x00\xe8\x03\x00\x00\x04\x00\x05\x00\xff\xff\xff\xff\x10\x00\x07\x00\xff\xff\xff\xff\x20\x00\x00\x00\xff\xff\xff\xff" 0
inotify_read $i 4096
removexattr d/f system.posix_acl_access
inotify_read $i 4096
setxattr d/f system.posix_acl_access "\x03\x00\x00\x00" 0
inotify_read $i 4096
close $i
close $f
