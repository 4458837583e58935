#!/bin/sh
# Builds proot with ukcov's kcov extension from an unmodified upstream tree:
#   sh integrations/proot/build.sh PROOT_SRC OUT_DIR BUILD_DIR
# OUT_DIR/proot (counter mode) and OUT_DIR/proot-trace (trace mode). Each is
# built in a copy of PROOT_SRC (never modified) with proot.patch applied and
# the extension (kcov.c, kcov.h) added, against BUILD_DIR's libukcov.a.
# OUT_DIR/proot-upstream is the same tree as upstream has it, built the same
# way (clang, no patch), for the tests and the benchmark to compare with.
set -eu
src=$1 out=$2 b=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ -f "$src/src/GNUmakefile" ] && [ -f "$src/src/extension/extension.h" ] ||
	{ echo "proot: $src is not a proot source tree (see integrations/proot/fetch.sh)" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
cov_counters="-fsanitize-coverage=inline-bool-flag,pc-table"
cov_trace="-fsanitize-coverage=trace-pc-guard,pc-table,trace-cmp"

copy() { # copy DIR: the sources only (build products of the user's own builds stay behind)
	rm -rf "$1"
	mkdir -p "$1"
	tar -C "$src" --exclude=.git --exclude='*.o' --exclude='*.d' --exclude=build.h \
		--exclude=src/proot --exclude='src/loader/loader' --exclude='src/loader/loader-m32' \
		--exclude='src/.check_*.res' -cf - src lib | tar -C "$1" -xf -
}

build() { # build MODE NAME SANCOV
	tree=$out/src-$1
	copy "$tree"
	patch -s -d "$tree" -p1 --dry-run <"$here/proot.patch" >/dev/null 2>&1 ||
		{ echo "proot: integrations/proot/proot.patch does not apply to $src:" \
			"use the pinned commit (integrations/proot/fetch.sh)" >&2; exit 1; }
	patch -s -d "$tree" -p1 <"$here/proot.patch"
	mkdir -p "$tree/src/extension/kcov"
	cp "$here/kcov.c" "$here/kcov.h" "$tree/src/extension/kcov/"
	cp "$here/ukcov.mk" "$tree/src/"
	make -s -C "$tree/src" -f ukcov.mk CC=clang V=0 UKCOV_INCLUDE="$root/include" \
		UKCOV_LIB="$root/$b/lib/libukcov.a" UKCOV_SANCOV="$3" proot >"$tree/build.log" 2>"$tree/build.err" ||
		{ cat "$tree/build.err" >&2; echo "proot: the $1-mode build failed" >&2; exit 1; }
	# proot's probes must still find seccomp: the flags stayed off them.
	grep -q HAVE_SECCOMP_FILTER "$tree/src/build.h" ||
		{ echo "proot: the $1-mode build lost HAVE_SECCOMP_FILTER" >&2; exit 1; }
	cp "$tree/src/proot" "$out/$2"
}
build counters proot "$cov_counters"
build trace proot-trace "$cov_trace"
copy "$out/src-upstream"
make -s -C "$out/src-upstream/src" CC=clang V=0 proot >"$out/src-upstream/build.log" 2>&1 ||
	{ cat "$out/src-upstream/build.log" >&2; echo "proot: the upstream build failed" >&2; exit 1; }
cp "$out/src-upstream/src/proot" "$out/proot-upstream"
echo "  PROOT   $out/proot $out/proot-trace $out/proot-upstream"
