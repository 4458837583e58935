# permissions as a non-root user (setfsuid/setfsgid drop the file
# capabilities), sticky directories, set-id bits, access(2) variants
umask 0
mkdir pub 0777
mkdir priv 0700
mkdir noexec 0666
mkdir grp 0770
chown grp 0 100
mkdir sticky 01777
open priv/secret O_CREAT|O_WRONLY 0600 -> $s
write $s "secret"
open pub/rootfile O_CREAT|O_WRONLY 0644
open pub/open O_CREAT|O_WRONLY 0666
open pub/exe O_CREAT|O_WRONLY 0755
open pub/noexe O_CREAT|O_WRONLY 0644
open sticky/rootfile O_CREAT|O_WRONLY 0666
open noexec/x O_CREAT|O_WRONLY 0666
su 1000 1000
stat priv
stat priv/secret
open priv/secret O_RDONLY
open priv/new O_CREAT|O_WRONLY 0644
mkdir priv/new 0755
unlink priv/secret
stat noexec/x
open noexec O_RDONLY|O_DIRECTORY -> $ne
getdents $ne 4096
openat $ne =x O_RDONLY
open pub/rootfile O_RDONLY -> $rf
open pub/rootfile O_WRONLY
open pub/rootfile O_RDONLY|O_TRUNC
truncate pub/rootfile 0
open pub/open O_RDWR -> $o
write $o "x"
chmod pub/rootfile 0777
chmod pub/open 0777
chown pub/rootfile 1000 1000
chown pub/open -1 -1
fchown $o 1000 -1
utimensat AT_FDCWD pub/rootfile NOW NOW 0
utimensat AT_FDCWD pub/rootfile NULL 0
utimensat AT_FDCWD pub/rootfile 1.0 1.0 0
utimensat AT_FDCWD pub/open NULL 0
utimensat AT_FDCWD pub/open 1.0 1.0 0
open pub/rootfile O_RDONLY|O_NOATIME
# own files
umask 022
open pub/mine O_CREAT|O_RDWR 0640 -> $m
fstat $m
mkdir pub/mydir 0755
stat pub/mydir
chmod pub/mine 0600
chown pub/mine 1000 1000
chown pub/mine 1000 1001
chown pub/mine 0 -1
chown pub/mine -1 0
su 1000 1000 1001
chown pub/mine -1 1001
stat pub/mine
chmod pub/mine 02755
stat pub/mine
chown pub/mine -1 1000
chmod pub/mine 02755
stat pub/mine
utimensat AT_FDCWD pub/mine 5.0 6.0 0
stat pub/mine
open pub/mine O_RDONLY|O_NOATIME -> $na
fcntl $na F_GETFL
fcntl $rf F_SETFL O_NOATIME
link pub/rootfile pub/hard
link pub/open pub/hard2
link pub/mine pub/hard3
# sticky directory
unlink sticky/rootfile
rename sticky/rootfile sticky/x
open sticky/mine O_CREAT|O_WRONLY 0666
rename sticky/mine sticky/mine2
unlink sticky/mine2
# group permissions and set-gid inheritance
stat grp
open grp/x O_CREAT|O_WRONLY 0644
su 1000 100
open grp/x O_CREAT|O_WRONLY 0644 -> $gx
fstat $gx
su 0 0
chmod grp 02770
su 1000 100
mkdir grp/sub 0755
stat grp/sub
open grp/y O_CREAT|O_WRONLY 02755 -> $gy
fstat $gy
su 1000 1000
open grp/z O_CREAT|O_WRONLY 0644
stat grp/x
su 1000 1000 100
open grp/z O_CREAT|O_WRONLY 02775 -> $gz
fstat $gz
# access: real uid is still 0 unless AT_EACCESS
su 1000 1000
access priv/secret R_OK
faccessat AT_FDCWD priv/secret R_OK
faccessat2 AT_FDCWD priv/secret R_OK AT_EACCESS
faccessat2 AT_FDCWD pub/rootfile R_OK AT_EACCESS
faccessat2 AT_FDCWD pub/rootfile W_OK AT_EACCESS
faccessat2 AT_FDCWD pub/exe X_OK AT_EACCESS
faccessat2 AT_FDCWD pub/noexe X_OK AT_EACCESS
faccessat2 AT_FDCWD pub/rootfile F_OK AT_EACCESS
faccessat2 AT_FDCWD pub/rootfile 8 AT_EACCESS
faccessat2 AT_FDCWD pub/rootfile R_OK 0x1
su 0 0
access pub/noexe X_OK
access pub/exe X_OK
access pub/noexe R_OK|W_OK
access priv X_OK
access nothing F_OK
access pub/noexe 8
faccessat2 AT_FDCWD pub/noexe X_OK AT_EACCESS
faccessat2 AT_FDCWD pub/noexe W_OK AT_SYMLINK_NOFOLLOW
symlink pub/noexe lnk
faccessat2 AT_FDCWD lnk X_OK AT_SYMLINK_NOFOLLOW
faccessat2 AT_FDCWD lnk X_OK 0
faccessat2 $s "" R_OK AT_EMPTY_PATH
faccessat2 $s "" R_OK 0
# directory write and search as another user
su 2000 2000
open pub/other O_CREAT|O_WRONLY 0600 -> $ot
su 1000 1000
open pub/other O_RDONLY
unlink pub/other
rename pub/other pub/other2
su 0 0
chmod pub 0755
su 1000 1000
open pub/newer O_CREAT|O_WRONLY 0600
unlink pub/mine
mkdir pub/d2 0755
rmdir pub/mydir
rename pub/mydir pub/mydir2
chdir priv
su 0 0
chmod priv 0711
su 1000 1000
chdir priv
stat =secret
getcwd
open =. O_RDONLY
chdir @
su 0 0
# root bypasses but not for exec without any x bit
open priv/secret O_RDWR -> $rs
chmod priv/secret 0000
open priv/secret O_RDWR
faccessat2 AT_FDCWD priv/secret X_OK AT_EACCESS
stat priv/secret
