#!/bin/sh
# tail -f of a mount file that a second process appends to: the new line
# arrives, and through inotify (tail says when it reverts to polling).
B=${B:-build}
# without a private store (an unprivileged supervisor, forced fallbacks) mount watches are EOPNOTSUPP
case "$UKCOV_FORCE_FALLBACKS" in 1|*tmpfs_store*) echo "skip: no private store"; exit 77;; esac
command -v tail >/dev/null || { echo "skip: no tail"; exit 77; }
out=$("${UKCOV:-$B/bin/ukcov}" run --tmpfs=/mnt/t -- sh -c '
echo one > /mnt/t/log
tail -f /mnt/t/log > /mnt/t/out 2> /mnt/t/err &
t=$!
i=0; while [ $i -lt 50 ] && ! grep -qs one /mnt/t/out; do sleep 0.1; i=$((i+1)); done
sh -c "echo two >> /mnt/t/log"
i=0; while [ $i -lt 50 ] && ! grep -qs two /mnt/t/out; do sleep 0.1; i=$((i+1)); done
kill $t; wait $t 2>/dev/null
cat /mnt/t/out /mnt/t/err')
want="one
two"
[ "$out" = "$want" ] && exit 0
printf 'tail -f in the mount printed:\n%s\nwanted:\n%s\nFAIL\n' "$out" "$want"
exit 1
