# O_TMPFILE: an unnamed file in a directory (nlink 0, the directory's times
# untouched), linkable with linkat(AT_EMPTY_PATH) unless O_EXCL; the flag
# rules of build_open_flags() and the directory's permission checks
mkdir d 0755
stat d
open d O_TMPFILE|O_RDWR 0640 -> $t
fstat $t
stat d
fcntl $t F_GETFL
write $t "unnamed data"
fstat $t
linkat $t "" AT_FDCWD d/named AT_EMPTY_PATH
stat d/named
stat d
fstat $t
linkat $t "" AT_FDCWD d/again AT_EMPTY_PATH
stat d/again
unlink d/named
unlink d/again
fstat $t
linkat $t "" AT_FDCWD d/third AT_EMPTY_PATH
close $t
open d O_TMPFILE|O_WRONLY|O_EXCL 0600 -> $x
fstat $x
write $x "x"
linkat $x "" AT_FDCWD d/excl AT_EMPTY_PATH
stat d/excl
close $x
open d O_TMPFILE|O_RDONLY 0600
open d O_TMPFILE|O_RDWR|O_CREAT 0600
open d O_TMPFILE|O_ACCMODE 0600 -> $y
close $y
open d/third O_TMPFILE|O_RDWR 0600
open nonexistent O_TMPFILE|O_RDWR 0600
open d/nonexistent O_TMPFILE|O_RDWR 0600
symlink d sl
open sl O_TMPFILE|O_RDWR 0600 -> $z
close $z
open sl O_TMPFILE|O_RDWR|O_NOFOLLOW 0600
umask 027
open d O_TMPFILE|O_RDWR 0777 -> $u
fstat $u
close $u
umask 022
mkdir ro 0555
su 1000 1000
open ro O_TMPFILE|O_RDWR 0600
open d O_TMPFILE|O_RDWR 0600
su 0 0
chmod d 0777
mkdir g 0777
chown g 0 50
chmod g 02777
su 1000 1000
open d O_TMPFILE|O_RDWR 02755 -> $v
fstat $v
linkat $v "" AT_FDCWD d/user AT_EMPTY_PATH
stat d/user
close $v
open g O_TMPFILE|O_RDWR 02775 -> $w
fstat $w
close $w
su 0 0
open d O_RDONLY|O_DIRECTORY -> $dd
getdents $dd 4096
close $dd
