#!/bin/sh
# Differential test of ukcov's tmpfs: run each script on the host's tmpfs
# (a fresh directory of /dev/shm) and on ukcov's tmpfs mounted at the same
# path, and diff the transcripts. The second side is, with -k UKCOV, the same
# fsscript binary as a guest under `UKCOV run --tmpfs=ROOT` (the whole
# syscall path: seccomp, supervisor, VFS, tmpfs); without it, the lib
# backend (fsscript calling the tmpfs core directly).
#
#   diff.sh [-v] [-r] [-k UKCOV] [SCRIPT...]
#                                  default: scripts/*.fs and random seed 1;
#                                  -r: the random script only
#   SEED=n NOPS=n diff.sh        change the random script
#   FSSCRIPT=path                the fsscript binary (default ./fsscript,
#                                then build/tmpfs-dev/gcc/fsscript)
#   FSDIFF_SAVE=dir              only record each script's transcript on
#                                this kernel's tmpfs, as dir/NAME.out
#   FSDIFF_REF=dir               the Linux side from dir/NAME.out, recorded
#                                on another kernel (make check-kernels: the
#                                newest, which ukcov's tmpfs follows); an
#                                operation may also answer as on this kernel
#                                (the host's own files, paths out of a mount)
# Exits 0 when every transcript matches, 1 on differences, 77 when not root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${FSSCRIPT:-$here/fsscript}
[ -x "$bin" ] || bin=$here/../../build/tmpfs-dev/gcc/fsscript
[ -x "$bin" ] || { echo "diff.sh: no fsscript binary (set FSSCRIPT)" >&2; exit 2; }
# permission scripts switch the fsuid: root only
[ "$(id -u)" = 0 ] || { echo "diff.sh: skipped, needs root" >&2; exit 77; }
seed=${SEED:-1}
nops=${NOPS:-3000}
verbose=0 random_only=0 ukcov=
while [ $# -gt 0 ]; do
	case $1 in
	-v) verbose=1 ;;
	-r) random_only=1 ;;
	-k) ukcov=$2; shift ;;
	*) break ;;
	esac
	shift
done

# The scripts start in a directory of their own, never the caller's: a
# cwd-relative line ("mount =. ...") must not land on the source tree.
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
bin=$(abs "$bin")
[ -n "$ukcov" ] && ukcov=$(abs "$ukcov")
n=$#
for s in "$@"; do set -- "$@" "$(abs "$s")"; done
shift $n
if [ -n "${FSDIFF_SAVE:-}${FSDIFF_REF:-}" ]; then
	# Transcripts of another run: the same paths (a getcwd shows them), so
	# the scripts start in a fixed directory and the base is fixed.
	base=/dev/shm/fsdiff.ref
	rm -rf "$base" "$base.cwd" && mkdir "$base" "$base.cwd" || exit 1
	[ -n "${FSDIFF_SAVE:-}" ] && FSDIFF_SAVE=$(abs "$FSDIFF_SAVE")
	[ -n "${FSDIFF_REF:-}" ] && FSDIFF_REF=$(abs "$FSDIFF_REF")
	cwd=$base.cwd
else
	base=$(mktemp -d /dev/shm/fsdiff.XXXXXX) || exit 1
	cwd=$(mktemp -d /dev/shm/fsdiff-cwd.XXXXXX) || { echo "diff.sh: cannot make a directory in /dev/shm" >&2; exit 2; }
fi
cd "$cwd" || exit 1
chmod 0755 "$base"
out=$(mktemp -d /tmp/fsdiff-out.XXXXXX) || exit 1
trap 'cd / && rm -rf "$base" "$out" "$cwd"' EXIT
trap 'exit 2' INT TERM PIPE
# a fresh empty ROOT, and beside it host/file for paths leaving the mount
fresh_root() {
	rm -rf "${base:?}"
	mkdir -m 0755 "$base"
	mkdir "$base/root" "$base/host"
	chmod 1777 "$base/root"
	printf 'host data\n' > "$base/host/file"
	chmod 0644 "$base/host/file"
}

if [ $# -eq 0 ]; then
	[ $random_only = 1 ] || set -- "$here"/scripts/*.fs
	"$bin" --gen "$seed" "$nops" > "$out/random-$seed.fs"
	set -- "$@" "$out/random-$seed.fs"
fi

# The host side runs in a mount namespace of its own, private, when one can
# be had: a script's mount(2) there dies with it and never reaches the
# host's namespace. Without one, the scripts that mount are skipped.
host_ns=
unshare -m --propagation private true 2>/dev/null && host_ns="unshare -m --propagation private"
fail=0 ops=0
for s in "$@"; do
	name=$(basename "$s")
	# mount(2) is the sandbox's (kernel/syscalls/sys_mount.c), not the tmpfs core's
	if grep -qx "$name" "$here/mount-scripts" &&
	   { [ -z "$host_ns" ] || { [ -z "$ukcov" ] && [ -z "${FSDIFF_SAVE:-}" ]; }; }; then
		echo "skip $name (mounts: ukcov run only, with a mount namespace for the host side)"
		continue
	fi
	fresh_root
	# through a pipe: a script's RLIMIT_FSIZE (rlimit) does not limit a pipe
	$host_ns "$bin" "$base/root" "$s" 2>&1 | cat > "$out/real.out"
	if [ -n "${FSDIFF_REF:-}" ]; then
		# The reference is the recorded run; this kernel's own is kept as well.
		mv "$out/real.out" "$out/here.out"
		cp "$FSDIFF_REF/$name.out" "$out/real.out" || { fail=1; continue; }
	fi
	if [ -n "${FSDIFF_SAVE:-}" ]; then
		cp "$out/real.out" "$FSDIFF_SAVE/$name.out" || fail=1
		ops=$((ops + $(wc -l < "$out/real.out")))
		continue
	fi
	fresh_root
	if [ -n "$ukcov" ]; then
		# in a mount namespace of its own too: a guest's mount(2) of a host path is the host's
		$host_ns "$ukcov" run --tmpfs="$base/root" -- "$bin" "$base/root" "$s" 2>&1 | cat > "$out/lib.out"
	else
		"$bin" --backend=lib "$base/root" "$s" 2>&1 | cat > "$out/lib.out"
	fi
	if [ -n "${FSDIFF_REF:-}" ]; then
		# A default size or inode count is half of the RAM of the machine
		# that ran the script: the reference's is the recording host's, not
		# this machine's (QEMU's 1 GiB guests). Counts of six digits or more
		# (no script sets such a limit) are that, on each side.
		for f in real here lib; do
			sed -E 's/\b(blocks|bfree|bavail|files|ffree)=[0-9]{6,}/\1=<half of RAM>/g' \
				"$out/$f.out" > "$out/$f.norm" && mv "$out/$f.norm" "$out/$f.out"
		done
	fi
	n=$(wc -l < "$out/real.out")
	ops=$((ops + n))
	if diff -u "$out/real.out" "$out/lib.out" > "$out/diff.out"; then
		echo "ok   $name ($n ops)"
	elif [ -n "${FSDIFF_REF:-}" ] && k=$(awk '
		FNR == 1 { f++ }
		f == 1 { ref[FNR] = $0; nref = FNR }
		f == 2 { here[FNR] = $0; nhere = FNR }
		f == 3 { n = FNR; if ($0 == ref[FNR]) next; if ($0 != here[FNR]) bad++; k++ }
		END { print k + 0; exit !(!bad && n == nref && n == nhere) }' \
		"$out/real.out" "$out/here.out" "$out/lib.out"); then
		# What the host itself answers (its files, paths out of the mount)
		# is this kernel's: such an operation may match this kernel's run.
		echo "ok   $name ($n ops; $k answered as this kernel's own tmpfs and files do)"
	elif [ -n "$ukcov" ] && grep -qx "$name" "$here/ukcov-deviations"; then
		echo "KNOWN $name ($n ops, a documented deviation of ukcov run; see docs/tmpfs.md)"
		sed 's/^/     /' "$out/diff.out" | tail -n +3
	else
		d=$(grep -c '^-[^-]' "$out/diff.out")
		echo "FAIL $name ($n ops, $d differ)"
		if [ $verbose = 1 ]; then cat "$out/diff.out"; else head -40 "$out/diff.out"; fi
		fail=1
	fi
done
against="the lib backend"; [ -n "$ukcov" ] && against="ukcov run --tmpfs"
linux=/dev/shm; [ -n "${FSDIFF_REF:-}" ] && linux="Linux $(cat "$FSDIFF_REF/kernel" 2>/dev/null)'s tmpfs"
[ -n "${FSDIFF_SAVE:-}" ] && { echo "recorded $ops operations in $# scripts on Linux $(uname -r)"; exit $fail; }
echo "compared $ops operations in $# scripts ($linux vs $against)"
exit $fail
