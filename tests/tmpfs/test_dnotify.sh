#!/bin/sh
# dnotify (F_NOTIFY) on mount directories as on /dev/shm (dnotify.c): events, masks, removal, si_fd, other
# processes, and the caller's own signal before its call returns; with the memfd store both sides use SIGIO.
B=${B:-build}
[ -d /dev/shm ] || { echo "skip: no /dev/shm to compare with"; exit 77; }
store=
case ",${UKCOV_FORCE_FALLBACKS:-}," in
*,all,*|*,1,*|*,tmpfs_store,*) store=memfd ;;
esac
[ "$(id -u)" = 0 ] || store=memfd # an unprivileged supervisor has no private store
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/dnotify" $store
