#!/bin/sh
# preadv2/pwritev2 flags (RWF_APPEND appends, RWF_NOAPPEND, RWF_NOWAIT and
# unknown flags EOPNOTSUPP) and O_APPEND's pwrite, as on /dev/shm (rwflags.c).
# (runs $UKCOV, default build/bin/ukcov: the forced-fallback suite runs it too)
. "$(dirname "$0")/need_linux.sh"
need_linux 6 9 RWF_NOAPPEND
. "$(dirname "$0")/vs_shm.sh"
vs_shm rwflags
