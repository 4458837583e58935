#!/bin/sh
# An fd the guest gets at the top of its table stays usable across chdir into a mount (the cwd slot).
B=${B:-build}
exec "${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- "$B/tests/tmpfs/cwd_slot"
