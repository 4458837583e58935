# A divergence `ukcov fuzz` found, checked under `ukcov run` only (the lib
# backend's path router has no RESOLVE_IN_ROOT of its own).
# openat2(2) with RESOLVE_IN_ROOT starts an absolute path at dirfd (its
# root), and a bad dirfd is EBADF even then (path_init()).
mkdir c 0755
mkdir c/x 0755
open c O_RDONLY|O_DIRECTORY 0 -> $e
openat2 $e =/x O_RDONLY 0 RESOLVE_IN_ROOT -> $p
fstat $p
openat2 $e =/ O_RDONLY 0 RESOLVE_IN_ROOT -> $p
fstat $p
openat2 $e =/../x O_RDONLY 0 RESOLVE_IN_ROOT -> $p
openat2 $e =//x/.. O_RDONLY 0 RESOLVE_IN_ROOT -> $p
fstat $p
openat2 999 c O_RDONLY 0 RESOLVE_IN_ROOT -> $p
openat2 999 c/x O_RDONLY 0 RESOLVE_IN_ROOT -> $p
openat2 -1 =/x O_RDONLY 0 RESOLVE_IN_ROOT -> $p
