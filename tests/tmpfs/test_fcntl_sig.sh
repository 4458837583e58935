#!/bin/sh
# The guest's F_SETSIG on mount files is its own and leaves ukcov's tag alone, as on /dev/shm
# (fcntl_sig.c); with the memfd store (forced fallback) the tag stays and F_SETSIG of a signal is EINVAL.
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
store=
case ",${UKCOV_FORCE_FALLBACKS:-}," in
*,all,*|*,1,*|*,tmpfs_store,*) store=memfd ;;
esac
[ "$(id -u)" = 0 ] || store=memfd # an unprivileged supervisor has no private store
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/fcntl_sig" $store
