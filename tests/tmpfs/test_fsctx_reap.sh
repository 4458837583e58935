#!/bin/sh
# The cwd records of exited processes are freed (no fd leak in the supervisor).
B=${B:-build}
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/fsctx_reap"
