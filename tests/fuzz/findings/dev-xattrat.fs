# the *xattrat calls (Linux 6.13): AT_* flags, xattr_args' size and
# flags, a name that is no namespace, sizes 0 and too small
chdir @
open c O_RDWR|O_CREAT 0644 -> $f0
mkdir d 0755
open d O_DIRECTORY 0644 -> $f1
setxattrat AT_FDCWD c 0 user.a aaaaa 0
setxattrat AT_FDCWD c 0 user.a aaaaa 1
setxattrat AT_FDCWD c 0 user.b bb 2
setxattrat AT_FDCWD c AT_REMOVEDIR user.b bb 0
setxattrat $f0 "" AT_EMPTY_PATH user.b bb 0
setxattrat $f0 "" 0 user.b bb 0
getxattrat AT_FDCWD c 0 user.a 100
getxattrat AT_FDCWD c 0 user.a 0
getxattrat AT_FDCWD c 0 user.a 2
getxattrat $f1 c AT_SYMLINK_NOFOLLOW user.b 100
getxattrat AT_FDCWD e 0 user.a 100
symlink c a
getxattrat AT_FDCWD a AT_SYMLINK_NOFOLLOW user.a 100
getxattrat AT_FDCWD a 0 user.a 100
listxattrat AT_FDCWD c 0 100
listxattrat AT_FDCWD c 0 0
listxattrat AT_FDCWD c 0 3
listxattrat $f0 "" AT_EMPTY_PATH 100
listxattrat $f0 "" AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH 100
removexattrat AT_FDCWD c 0 user.a
removexattrat AT_FDCWD c 0 user.a
removexattrat AT_FDCWD c 0x10000 user.b
setxattrat 999 c 0 user.a aaaaa 0
setxattrat AT_FDCWD c 0 bogus.x aaaaa 0
setxattrat AT_FDCWD c 0 user.b aaaaa 8
