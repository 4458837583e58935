# Divergences `ukcov fuzz` found in the order of errors, each fixed at its
# root (docs/ukcov-fuzz.md):
# fstatat/statx(AT_FDCWD, "", AT_EMPTY_PATH) stat the cwd (Linux 6.18:
# vfs_fstatat() takes the fd shortcut for dfd >= 0 only), here the
# host's: the script starts in the test's own directory
fstatat AT_FDCWD "" AT_EMPTY_PATH
statx AT_FDCWD "" AT_EMPTY_PATH STATX_TYPE|STATX_MODE
fstatat AT_FDCWD "" AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW
chdir @
fstatat AT_FDCWD "" AT_EMPTY_PATH
statx AT_FDCWD "" AT_EMPTY_PATH STATX_BASIC_STATS
# rename with a name longer than NAME_MAX: do_renameat2() walks both
# parents, checks the last components' types (EBUSY) and the mount (EROFS),
# then looks the old name up (ENOENT), and only a lookup of the long name
# is ENAMETOOLONG
rename a x{256}
rename .. x{256}
rename x{256} a/e/
rename x{256} .
renameat2 AT_FDCWD . AT_FDCWD x{256} 0
renameat2 AT_FDCWD x{256} AT_FDCWD .. RENAME_NOREPLACE
renameat2 AT_FDCWD a AT_FDCWD x{256} RENAME_EXCHANGE
mkdir a 0755
rename a x{256}
rename x{256} a
rename x{256} b
rename a/x{256} a/b
rename x{256}/b a
renameat2 AT_FDCWD a AT_FDCWD x{256} RENAME_EXCHANGE
renameat2 AT_FDCWD a AT_FDCWD x{256} RENAME_NOREPLACE
stat a
# the walk's search permission comes before a long name's ENAMETOOLONG
mkdir p 0700
mkdir p/q 0755
su 1000 1000
rename p/x{256} p/y
rename p/q/x{256} b
mkdir p/x{256} 0755
unlink p/x{256}
stat p/x{256}
su 0 0
# a removed cwd: "." and ".." are EBUSY before the dead directory's ENOENT
mkdir c 0755
chdir c
rmdir =../c
renameat AT_FDCWD =a/ AT_FDCWD =.
renameat AT_FDCWD =. AT_FDCWD =a
renameat AT_FDCWD =a AT_FDCWD =..
renameat2 AT_FDCWD =a AT_FDCWD =. RENAME_NOREPLACE
renameat AT_FDCWD =x{256} AT_FDCWD =y
renameat AT_FDCWD =x AT_FDCWD =y
renameat AT_FDCWD =x AT_FDCWD @/a
renameat AT_FDCWD @/a AT_FDCWD =x
renameat AT_FDCWD @/a AT_FDCWD =x{256}
stat @/a
# a long name in a removed directory: the lookup's ENOENT comes first
mkdir =x{256} 0755
unlink =x{256}
rmdir =x{256}
link @/a =x{256}
symlink t =x{256}
mknod =x{256} S_IFIFO|0644 0
open =x{256} O_CREAT|O_RDWR 0644
open =x{256} O_RDWR
stat =x{256}
stat =x{256}/b
rmdir =.
rmdir =..
mkdir =. 0755
# creating in a removed directory: filename_create()'s lookup is ENOENT
# before link's may_linkat() (EPERM for another's file) and may_create()
su 1000 1000
link @/a =a
link @/a =b/
symlink t =a
mknod =a S_IFIFO|0644 0
mkdir =a 0755
link @/a =.
su 0 0
# truncate(2): a negative length is EINVAL before the path is looked at
# (do_sys_truncate()); ukcov looked "" up first: ENOENT
truncate "" -1
truncate =missing -1
# openat2(O_CREAT) of a last "..": handle_dots()' errors (RESOLVE_BENEATH at
# the starting directory: EXDEV) before do_open()'s EEXIST / EISDIR for a
# directory; ukcov answered EEXIST
mkdir ob 0755
mkdir ob/c 0755
open ob O_RDONLY|O_DIRECTORY -> $ob
openat2 $ob =.. O_WRONLY|O_CREAT|O_EXCL 0644 RESOLVE_BENEATH
openat2 $ob =.. O_WRONLY|O_CREAT 0644 RESOLVE_BENEATH
openat2 $ob =c/.. O_WRONLY|O_CREAT|O_EXCL 0644 RESOLVE_BENEATH
openat2 $ob =.. O_WRONLY|O_CREAT|O_EXCL 0644 RESOLVE_IN_ROOT
openat2 $ob =.. O_WRONLY|O_CREAT 0644 RESOLVE_NO_XDEV
close $ob
