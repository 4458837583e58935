#!/bin/sh
# F_SETOWN/F_GETOWN(_EX)/F_SETSIG/F_GETSIG/F_CREATED_QUERY on mount files as on /dev/shm.
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
. "$(dirname "$0")/need_linux.sh"
need_linux 6 12 F_CREATED_QUERY
store=
case ",${UKCOV_FORCE_FALLBACKS:-}," in
*,all,*|*,1,*|*,tmpfs_store,*) store=memfd ;; # F_SETSIG of a signal: EINVAL (fcntl_sig.c)
esac
[ "$(id -u)" = 0 ] || store=memfd
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/fcntl_owner" $store
