# F_SETLEASE F_WRLCK on a description of access mode 3 (O_WRONLY|O_RDWR),
# the file's only one: OPEN_FMODE() makes it neither reader nor writer, and
# check_conflicting_open() grants the lease (0); ukcov counted it a writer
# against a reader's expectation (EAGAIN) (ukcov fuzz, 7 Dec, run 10).
open c O_WRONLY|O_RDWR|O_CREAT|O_EXCL 0644 -> $f0
fcntl $f0 F_SETLEASE F_WRLCK
fcntl $f0 F_GETLEASE
fcntl $f0 F_SETLEASE F_UNLCK
fcntl $f0 F_SETLEASE F_RDLCK
open c O_RDONLY -> $f1
fcntl $f1 F_SETLEASE F_WRLCK
fcntl $f1 F_SETLEASE F_RDLCK
