# fcntl(2) on an O_PATH file: only F_DUPFD(_CLOEXEC), F_GETFD, F_SETFD and
# F_GETFL; anything else is EBADF (check_fcntl_cmd()), locks included
# (ukcov answered EINVAL). The lib backend has no record locks: ukcov run only.
mkdir d 0755
open f O_RDWR|O_CREAT 0644 -> $f
close $f
open f O_PATH 0 -> $p
open d O_PATH 0 -> $q
lock $p F_SETLK F_WRLCK 0 10
lock $p F_GETLK F_WRLCK 0 10
lock $p F_OFD_SETLK F_RDLCK 0 0
lock $q F_SETLK F_RDLCK 0 0
fcntl $p F_SETFL O_APPEND
fcntl $p 1000
fcntl $p F_GETFL
fcntl $p F_GETFD
fcntl $p F_SETFD FD_CLOEXEC
fcntl $q F_SETFL 0
