#!/bin/sh
# Runs a two-sided guest (tests/tmpfs/GUEST.c: its /dev/shm side and its mount
# side in one run, transcripts compared by the guest) under ukcov run; with the
# memfd store (forced fallback, or an unprivileged supervisor, which has no
# private store) the guest is told so.
#   sh tests/tmpfs/two_sided.sh GUEST
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
store=
case ",${UKCOV_FORCE_FALLBACKS:-}," in
*,all,*|*,1,*|*,tmpfs_store,*) store=memfd ;;
esac
[ "$(id -u)" = 0 ] || store=memfd
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/$1" $store
