#!/bin/sh
# close() outside the window never traps with a mount: a signal cannot make it fail (EINTR).
B=${B:-build}
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/ukcov-c -- "$B/tests/tmpfs/close_eintr"
