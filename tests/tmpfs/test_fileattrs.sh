#!/bin/sh
# stat/statx devices, FIONREAD, seals, f_ffree, RESOLVE_IN_ROOT and
# RENAME_WHITEOUT in a mount (fileattrs.c), compared with /dev/shm.
# (runs $UKCOV, default build/bin/ukcov: the forced-fallback suite runs it too)
. "$(dirname "$0")/vs_shm.sh"
vs_shm fileattrs
