#!/bin/sh
# The kernel's layers point down only (kernel/kernel.h): no folder includes
# a header of, or calls a function defined in, a folder above it, so there
# is no cycle between folders. Ranks, top to bottom:
#   entry 0, syscalls 1, fs 2, vfs 3, task 4, fs/tmpfs 5 (the tmpfs core, a leaf)
# kernel/*.h (the shared types, sandbox.h) may be included by any of them.
# Checked on the sources (#include "...") and on the built objects (nm: an
# undefined symbol of one folder's object defined in another's).
set -u
B=${B:-build}
cd "$(dirname "$0")/../.."
rank() {
	case $1 in
	kernel/entry) echo 0 ;; kernel/syscalls) echo 1 ;; kernel/fs) echo 2 ;;
	kernel/vfs) echo 3 ;; kernel/task) echo 4 ;; kernel/fs/tmpfs) echo 5 ;;
	kernel) echo 9 ;; *) echo "?" ;;
	esac
}
bad=0
check() { # check FROM-DIR TO-DIR WHAT
	[ "$1" = "$2" ] && return
	f=$(rank "$1") t=$(rank "$2")
	if [ "$f" = "?" ] || [ "$t" = "?" ]; then
		echo "FAIL: $3: $1 -> $2: a folder with no rank (add it to tests/layers/test_layers.sh and kernel/kernel.h)"
		bad=1
	elif [ "$t" -le "$f" ]; then
		echo "FAIL: $3: $1 -> $2 points up"
		bad=1
	fi
}
n=0
for src in $(find kernel -name '*.[ch]'); do
	dir=$(dirname "$src")
	for inc in $(sed -n 's/^#include "\(.*\)"/\1/p' "$src"); do
		to=$(dirname "$(realpath -m --relative-to=. "$dir/$inc")")
		check "$dir" "$to" "$src includes $inc"
		n=$((n + 1))
	done
done
[ "$n" -gt 50 ] || { echo "FAIL: only $n includes seen"; exit 1; }
objs=$(find "$B/obj/kernel" -name '*.o' 2>/dev/null)
[ -n "$objs" ] || { echo "SKIP: no objects in $B/obj/kernel (build first)"; exit 77; }
defs=$(mktemp)
trap 'rm -f "$defs"' EXIT
for o in $objs; do
	d=$(dirname "${o#"$B"/obj/}")
	nm --defined-only "$o" | awk -v d="$d" '$2 ~ /^[TDBR]$/ { print $3, d }'
done | sort >"$defs"
edges=0
for o in $objs; do
	d=$(dirname "${o#"$B"/obj/}")
	for to in $(nm --undefined-only "$o" | awk '{ print $2 }' | sort | join - "$defs" | awk '{ print $2 }' | sort -u); do
		check "$d" "$to" "$o calls into $to"
		edges=$((edges + 1))
	done
done
[ "$edges" -gt 10 ] || { echo "FAIL: only $edges call edges seen"; exit 1; }
[ "$bad" = 0 ] && echo "layers: $n includes and $edges calls between objects and folders, all pointing down"
exit "$bad"
