# Sourced by the C differential guests' tests that take a directory and
# print a transcript (transcript.h): the guest runs natively in a fresh
# directory of /dev/shm (Linux's tmpfs) and under `ukcov run --tmpfs` in a
# mount (on an empty host directory), from an empty host directory, and the two transcripts must match
# line for line; the host directory must stay empty.
#
# vs_shm NAME [ARGS...]: runs $B/tests/tmpfs/NAME DIR ARGS...; exits.
vs_shm() {
	name=$1
	shift
	B=${B:-build}
	bin=$(cd "$B/tests/tmpfs" && pwd)/$name
	ukcov=$(cd "$(dirname "${UKCOV:-$B/bin/ukcov}")" && pwd)/ukcov
	ref=$(mktemp -d "/dev/shm/ukcov-$name.XXXXXX") || exit 1
	out=$(mktemp -d) || exit 1
	trap 'rm -rf "$ref" "$out"' EXIT
	# the mount point exists on the host, as glibc's getcwd() walk needs
	# (a README deviation: a missing one is not in its parent's listing)
	mkdir "$ref/dir" "$out/cwd" "$out/mnt"
	chmod 0755 "$ref" # other users may reach DIR (guests that switch to nobody)
	(cd "$out/cwd" && timeout 60 "$bin" "$ref/dir" "$@") > "$out/want" 2>&1 ||
		{ echo "FAIL: $name fails on Linux's tmpfs:"; cat "$out/want"; exit 1; }
	(cd "$out/cwd" && timeout 60 "$ukcov" run --tmpfs="$out/mnt" -- "$bin" "$out/mnt" "$@") \
		> "$out/got" 2>&1
	rc=$?
	sed -i "s|$ref/dir|DIR|g" "$out/want"
	sed -i "s|$out/mnt|DIR|g" "$out/got"
	if [ $rc != 0 ] || ! diff -u "$out/want" "$out/got" > "$out/diff"; then
		echo "FAIL: $name under ukcov (exit $rc) differs from Linux's tmpfs (-Linux +ukcov):"
		sed 's/^/    /' "$out/diff"
		exit 1
	fi
	if [ -n "$(ls -A "$out/cwd")" ]; then
		echo "FAIL: $name left files in its host directory:"; ls -la "$out/cwd"; exit 1
	fi
	cat "$out/got"
	echo "ok   $name: $(wc -l < "$out/got") lines as on /dev/shm"
	exit 0
}
