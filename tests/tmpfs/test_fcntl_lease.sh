#!/bin/sh
# Leases on mount files as on /dev/shm (fcntl_lease.c): the set rules, the break of a conflicting open, its signal;
# with the memfd store (forced fallback) F_SETSIG of a signal is EINVAL, and both sides use SIGIO.
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
store=
case ",${UKCOV_FORCE_FALLBACKS:-}," in
*,all,*|*,1,*|*,tmpfs_store,*) store=memfd ;;
esac
[ "$(id -u)" = 0 ] || store=memfd # an unprivileged supervisor has no private store
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/fcntl_lease" $store
