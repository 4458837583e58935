#!/bin/sh
# FS_IOC_GETFLAGS/FS_IOC_SETFLAGS with immutable and append-only enforced
# in a mount (chattr.c), compared with /dev/shm.
# (runs $UKCOV, default build/bin/ukcov: the forced-fallback suite runs it too)
. "$(dirname "$0")/need_linux.sh"
need_linux 6 9 RWF_NOAPPEND
. "$(dirname "$0")/vs_shm.sh"
vs_shm chattr
