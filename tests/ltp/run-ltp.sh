#!/bin/sh
# The Linux Test Project's file-system syscall tests
# (https://github.com/linux-test-project/ltp, testcases/kernel/syscalls/, the
# directories listed in tests/ltp/dirs, as LTP's runtest/syscalls runs them),
# each run twice from an empty host directory with a timeout: natively with
# TMPDIR on Linux's tmpfs (/dev/shm), then inside `ukcov run --tmpfs=/mnt/ltp`
# with TMPDIR=/mnt/ltp. Prints a table per directory, the line
#   N/M LTP tests that pass on Linux's tmpfs pass under ukcov
# and the tests that pass on Linux but not under ukcov, with their first
# failure line.
#
#   LTP_SRC=PATH sh tests/ltp/run-ltp.sh [BUILD_DIR]
#   LTP_SRC=PATH make check-ltp
#
# LTP_SRC: an LTP git directory (bare or not: the pinned tag is exported from
# it), a source tree or a tarball of the pinned version (its VERSION file must
# read $LTP_VERSION). Nothing is downloaded: without it the script is skipped.
# LTP_VERSION: the pinned release (default below; change it deliberately).
# LTP_TESTS: an extended regex over test names (e.g. '^(chmod|statx)'): only
#   those tests run (the others keep the results of an earlier run, if any).
# LTP_ONLY=linux|ukcov: one side only; LTP_ONLY=report: no build, no run.
# LTP_TIMEOUT: seconds per test and side (default 60).
# Results: BUILD_DIR/ltp-results/{linux,ukcov}/TEST.log and .rc (or LTP_RESULTS=DIR).
# Exit: 0 when the runs completed, 1 when a test left anything in its host
# directory (or under ukcov created the mount's path on the host), 77 skipped.
set -u
LTP_VERSION=${LTP_VERSION:-20260529}
B=${1:-${B:-build}}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case $B in /*) ;; *) B=$top/$B ;; esac
UKCOV=${UKCOV:-$B/bin/ukcov}
case $UKCOV in /*) ;; *) UKCOV=$top/$UKCOV ;; esac
timeout_s=${LTP_TIMEOUT:-60}
only=${LTP_ONLY:-}
filter=${LTP_TESTS:-}
mnt=/mnt/ltp

skip() { echo "run-ltp: skipped: $*"; exit 77; }
die() { echo "run-ltp: $*" >&2; exit 2; }

src=${LTP_SRC:-}
[ -n "$src" ] || skip "set LTP_SRC to an LTP git directory, source tree or tarball (release $LTP_VERSION)
  (e.g. git clone https://github.com/linux-test-project/ltp /work/ltp-src;
   LTP_SRC=/work/ltp-src make check-ltp); this script never downloads anything"
[ -e "$src" ] || skip "LTP_SRC=$src does not exist"
[ "$(id -u)" = 0 ] || skip "LTP's file-system tests need root (uids, mounts, loop devices)"
[ -x "$UKCOV" ] || die "no $UKCOV (run make first)"

# Debian packages to build LTP (and its optional libraries, so that the tests
# that need them are not skipped on one side only).
missing=""
need() { pkg=$1; shift; "$@" >/dev/null 2>&1 || missing="$missing $pkg"; }
have_header() { printf '#include <%s>\n' "$1" | cc -E -x c - >/dev/null 2>&1; }
need autoconf command -v autoreconf
need automake command -v automake
need gcc command -v cc
need make command -v make
need bison command -v bison
need flex command -v flex
need pkg-config command -v pkg-config
need coreutils command -v timeout
need libacl1-dev have_header sys/acl.h
need libaio-dev have_header libaio.h
need libcap-dev have_header sys/capability.h
need libkeyutils-dev have_header keyutils.h
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ *$//')
[ -z "$missing" ] || skip "missing packages. Run as root:  apt-get update && apt-get install -y $missing"

ltp=$B/ltp
res=${LTP_RESULTS:-$B/ltp-results}
root=$B/ltp-root            # LTPROOT: testcases/bin holds every program and helper
dirs=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/dirs")
stamp="$LTP_VERSION $(echo $dirs | cksum)"

# --- build LTP out of tree, in BUILD_DIR/ltp (kept while the stamp matches) --
unpack() {
	rm -rf "$ltp" && mkdir -p "$ltp" || exit 2
	if [ -d "$src" ] && { [ -d "$src/.git" ] || [ -f "$src/HEAD" ]; } &&
	   gd=$src && { [ -d "$src/.git" ] && gd=$src/.git; true; } &&
	   git --git-dir="$gd" rev-parse -q --verify "refs/tags/$LTP_VERSION" >/dev/null 2>&1; then
		git --git-dir="$gd" archive "$LTP_VERSION" | tar -xf - -C "$ltp" || die "git archive $LTP_VERSION failed"
	elif [ -d "$src" ]; then
		(cd "$src" && tar -cf - --exclude=.git .) | tar -xf - -C "$ltp" || exit 2
	else
		tar -xf "$src" -C "$ltp" || die "$src: cannot unpack"
		inner=$(find "$ltp" -mindepth 1 -maxdepth 2 -name configure.ac | head -n 1)
		[ -n "$inner" ] && [ "${inner%/configure.ac}" != "$ltp" ] && {
			mv "$ltp" "$ltp.unpack" && mv "${inner%/configure.ac}" "$ltp" ||
				die "$src: cannot unpack"; rm -rf "$ltp.unpack"; }
	fi
	[ -f "$ltp/configure.ac" ] && [ -d "$ltp/testcases/kernel/syscalls" ] ||
		die "$src does not hold LTP (configure.ac, testcases/kernel/syscalls/)"
	v=$(cat "$ltp/VERSION" 2>/dev/null)
	[ "$v" = "$LTP_VERSION" ] || die "$src is LTP '$v', not the pinned $LTP_VERSION
  (a git directory with the tag $LTP_VERSION, or LTP_VERSION=$v to run another release)"
}
build() {
	echo "building LTP $LTP_VERSION in $ltp (about a minute and a half)"
	mkdir -p "$res" || exit 2
	(cd "$ltp" && make autotools && ./configure && make -j2 -C lib) >"$res/build.log" 2>&1 ||
		{ tail -n 20 "$res/build.log" >&2; die "build failed, see $res/build.log"; }
	for d in $dirs; do
		[ -d "$ltp/testcases/kernel/syscalls/$d" ] || die "tests/ltp/dirs: no testcases/kernel/syscalls/$d in LTP $LTP_VERSION"
		make -j2 -C "$ltp/testcases/kernel/syscalls/$d" >>"$res/build.log" 2>&1 ||
			{ tail -n 20 "$res/build.log" >&2; die "build of $d failed, see $res/build.log"; }
	done
	rm -rf "$root" && mkdir -p "$root/testcases/bin" "$root/testcases/data" || exit 2
	for d in $dirs; do
		find "$ltp/testcases/kernel/syscalls/$d" -maxdepth 1 -type f -perm -u+x \
			! -name '*.sh' -exec cp {} "$root/testcases/bin/" \;
	done
	echo "$stamp" >"$ltp/.ukcov-stamp"
}
if [ "$only" != report ] && [ "$(cat "$ltp/.ukcov-stamp" 2>/dev/null)" != "$stamp" ]; then
	unpack
	build
fi
[ -d "$root/testcases/bin" ] || die "no LTP build in $ltp"

# --- the tests: runtest/syscalls lines whose program is in our directories --
# one line per test: NAME DIR COMMAND [ARGS...]
mkdir -p "$res/linux" "$res/ukcov" "$res/host" || exit 2
for d in $dirs; do
	for f in "$ltp/testcases/kernel/syscalls/$d"/*; do
		[ -f "$f" ] && [ -x "$f" ] && echo "${f##*/} $d"
	done
done >"$res/programs"
awk 'NR == FNR { dir[$1] = $2; next }
     /^[[:space:]]*#/ || NF < 2 { next }
     ($2 in dir) { $1 = $1 " " dir[$2]; print }' "$res/programs" "$ltp/runtest/syscalls" >"$res/tests"

# status of one run from its exit code (LTP's: TFAIL 1, TBROK 2, TWARN 4, TCONF 32)
status_of() { # status_of RC
	case $1 in
	0) echo pass ;;
	32) echo skip ;;
	124|137) echo timeout ;;
	*) echo fail ;;
	esac
}

leaks=0
# The mount is as big as Linux's tmpfs it is compared with (tests that need
# room, sendfile09's 5 GB, skip on a smaller one).
shm_size=$(( $(stat -f -c '%b * %S' /dev/shm) / 1024 ))k
# run_one SIDE NAME COMMAND...: the test from an empty host directory
run_one() {
	side=$1 name=$2; shift 2
	hd=$res/host/$side/$name
	rm -rf "$hd" && mkdir -p "$hd" || exit 2
	start=$(date +%s)
	case $side in
	linux)
		tmp=$(mktemp -d /dev/shm/ltp.XXXXXX) || exit 2
		chmod 1777 "$tmp"       # as a tmpfs root (and the mount's): tests that drop root make their dirs in it
		(cd "$hd" && TMPDIR=$tmp LTPROOT=$root PATH=$root/testcases/bin:$PATH \
			timeout -k 5 "$timeout_s" "$@") >"$res/$side/$name.log" 2>&1 </dev/null
		rc=$?
		rm -rf "${tmp:?}" ;;
	ukcov)
		(cd "$hd" && TMPDIR=$mnt LTPROOT=$root PATH=$root/testcases/bin:$PATH \
			timeout -k 5 "$timeout_s" "$UKCOV" run --tmpfs=$mnt:size=$shm_size -- "$@") \
			>"$res/$side/$name.log" 2>&1 </dev/null
		rc=$? ;;
	esac
	echo "$rc $(( $(date +%s) - start ))" >"$res/$side/$name.rc"
	left=$(cd "$hd" && find . -mindepth 1 | head -n 5)
	if [ -n "$left" ]; then
		echo "  HOST LEAK: $side $name left in its host directory: $(echo $left)"
		echo "$side $name" >>"$res/leaks"
		leaks=1
	fi
	rm -rf "$hd"
}

if [ "$only" != report ]; then
	rm -f "$res/leaks"
	[ -e "$mnt" ] && [ "$only" != linux ] && echo "run-ltp: note: $mnt exists on the host; checking it is left untouched"
	mnt_before=$(ls -la --time-style=full-iso "$mnt" 2>/dev/null | cksum)
	n=$(grep -Ec "${filter:-.}" "$res/tests")
	echo "running $n LTP tests (timeout ${timeout_s}s each, natively then under ukcov)..."
	i=0
	while read -r name dir cmd; do
		[ -z "$filter" ] || echo "$name" | grep -Eq "$filter" || continue
		i=$((i + 1))
		[ "$only" = ukcov ] || run_one linux "$name" $cmd
		[ "$only" = linux ] || run_one ukcov "$name" $cmd
		[ $((i % 50)) = 0 ] && echo "  $i/$n"
	done <"$res/tests"
	if [ "$(ls -la --time-style=full-iso "$mnt" 2>/dev/null | cksum)" != "$mnt_before" ]; then
		echo "  HOST LEAK: $mnt changed on the host"; leaks=1
	fi
fi

# --- report --------------------------------------------------------------------
# one line per test: NAME DIR LINUX-STATUS UKCOV-STATUS
while read -r name dir cmd; do
	ls=none us=none
	[ -f "$res/linux/$name.rc" ] && { read -r rc s <"$res/linux/$name.rc"; ls=$(status_of "$rc"); }
	[ -f "$res/ukcov/$name.rc" ] && { read -r rc s <"$res/ukcov/$name.rc"; us=$(status_of "$rc"); }
	echo "$name $dir $ls $us"
done <"$res/tests" >"$res/status"

echo
sort -s -k2,2 "$res/status" | awk '
$3 == "none" && $4 == "none" { next }
{ d = $2; if (!(d in seen)) { seen[d] = 1; order[++nd] = d }
  t[d]++; l[d, $3]++; u[d, $4]++; if ($3 == "pass") { lp++; if ($4 == "pass") both[d]++ }
  T++; L[$3]++; U[$4]++; if ($3 == "pass" && $4 == "pass") B++ }
function row(name, n, lpass, lskip, lother, upass, uskip, uother, b) {
	printf "%-16s %5s | %5s %5s %5s | %5s %5s %5s | %5s\n", name, n, lpass, lskip, lother, upass, uskip, uother, b }
END {
	printf "%-16s %5s | %-17s | %-17s | %5s\n", "", "", "   Linux tmpfs", "  ukcov --tmpfs", "pass"
	row("directory", "tests", "pass", "skip", "fail", "pass", "skip", "fail", "both")
	for (i = 1; i <= nd; i++) { d = order[i]
		row(d, t[d], l[d, "pass"] + 0, l[d, "skip"] + 0, t[d] - l[d, "pass"] - l[d, "skip"] - l[d, "none"],
		    u[d, "pass"] + 0, u[d, "skip"] + 0, t[d] - u[d, "pass"] - u[d, "skip"] - u[d, "none"], both[d] + 0) }
	row("total", T, L["pass"] + 0, L["skip"] + 0, T - L["pass"] - L["skip"] - L["none"],
	    U["pass"] + 0, U["skip"] + 0, T - U["pass"] - U["skip"] - U["none"], B + 0)
	if (L["none"] || U["none"]) printf "(one side not run: %d on Linux, %d under ukcov)\n", L["none"], U["none"]
}'

# the first line that says why a test did not pass
why() { # why LOG
	grep -m 1 -E 'TFAIL|TBROK|TWARN|TCONF|ukcov|Test timeouted|Killed' "$1" 2>/dev/null |
		cut -c 1-150
}
echo
awk '$3 == "pass" && $4 != "pass" && $4 != "none"' "$res/status" >"$res/regressions"
echo "pass on Linux's tmpfs, not under ukcov: $(wc -l <"$res/regressions")"
while read -r name dir ls us; do
	printf '  %-22s %-7s %s\n' "$name" "$us" "$(why "$res/ukcov/$name.log")"
done <"$res/regressions"
awk '$3 != "pass" && $3 != "none" && $4 == "pass"' "$res/status" >"$res/ukcov-only"
if [ -s "$res/ukcov-only" ]; then
	echo "pass under ukcov, not on Linux's tmpfs:"
	while read -r name dir ls us; do
		printf '  %-22s %-7s %s\n' "$name" "$ls" "$(why "$res/linux/$name.log")"
	done <"$res/ukcov-only"
fi
echo
awk '$3 == "pass" && $4 != "none" { m++; if ($4 == "pass") n++ }
     END { printf "%d/%d LTP tests that pass on Linux'"'"'s tmpfs pass under ukcov\n", n, m }' "$res/status"
if [ -s "$res/leaks" ] || [ $leaks = 1 ]; then
	echo "HOST LEAKS: tests left files in their host directories: $(cat "$res/leaks" 2>/dev/null | tr '\n' ' ')"
	exit 1
fi
exit 0
