# F_SETLEASE makes the caller the file's owner (lease_setup(): f_setown()), so
# F_GETOWN answers its pid, which differs between the two sides: the
# interpreter prints a pid that is its own as "self" (ukcov fuzz, 7 Dec, run 10;
# not a ukcov difference).
open d O_RDWR|O_CREAT 0644 -> $f0
fcntl $f0 F_SETLEASE F_WRLCK
fcntl $f0 F_GETOWN
