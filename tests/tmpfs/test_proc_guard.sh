#!/bin/sh
# Host walks finished by the supervisor never reach the supervisor's own /proc.
B=${B:-build}
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/ukcov-p -- "$B/tests/tmpfs/proc_guard" /mnt/ukcov-p
