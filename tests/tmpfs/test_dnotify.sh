#!/bin/sh
# dnotify (F_NOTIFY) on mount directories as on /dev/shm (dnotify.c): events, masks, removal, si_fd, other
# processes, and the caller's own signal before its call returns; with the memfd store both sides use SIGIO.
# under ${UKCOV:-build/bin/ukcov} run, by two_sided.sh (also with UKCOV_FORCE_FALLBACKS)
exec sh "$(dirname "$0")/two_sided.sh" dnotify
