#!/bin/sh
# make install / make uninstall, and examples/embed (a second user-space
# kernel) built from a copy outside the tree against the installed copy with
# pkg-config alone, in a clean environment; the installed ukcov works from
# anywhere; make uninstall leaves no file behind.
. tests/cli/common.sh

command -v pkg-config >/dev/null || { echo "SKIP: no pkg-config (Debian: apt-get install pkgconf)"; exit 77; }
[ -z "${SANFLAGS:-}" ] || { echo "SKIP: install is checked in the plain build, not a sanitized one"; exit 77; }
root=$tmp/root
dirs="PREFIX=/opt/uk LIBDIR=/opt/uk/lib64 MANDIR=/opt/uk/man"
# A make of our own: not the jobserver of the make check that runs us.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s B="$B" DESTDIR="$root" $dirs "$@"; }

mk install >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "make install failed"; exit 1; }
# The version, from the one place it is written.
vpart() { sed -n "s/^#define UKCOV_VERSION_$1  *\([0-9][0-9]*\).*/\1/p" include/ukcov/version.h; }
version=$(vpart MAJOR).$(vpart MINOR).$(vpart PATCH)
major=${version%%.*}
[ -n "$version" ] || fail "no VERSION in the Makefile"
for f in bin/ukcov lib64/libukcov.a "lib64/libukcov.so.$version" lib64/pkgconfig/ukcov.pc \
	lib64/libukcov-srcmap.a "lib64/libukcov-srcmap.so.$version" lib64/pkgconfig/ukcov-srcmap.pc \
	include/ukcov/ukcov.h include/ukcov/kcov_uapi.h include/ukcov/srcmap.h include/ukcov/version.h \
	man/man1/ukcov.1 man/man3/libukcov.3 man/man7/ukcov-kcov.7; do
	[ -f "$root/opt/uk/$f" ] || fail "not installed: /opt/uk/$f"
done
[ "$(readlink "$root/opt/uk/lib64/libukcov.so.$major")" = "libukcov.so.$version" ] ||
	fail "libukcov.so.$major is not a link to libukcov.so.$version"
[ "$(readlink "$root/opt/uk/lib64/libukcov.so")" = "libukcov.so.$major" ] ||
	fail "libukcov.so is not a link to libukcov.so.$major"
readelf -d "$root/opt/uk/lib64/libukcov.so.$version" | grep -q "SONAME.*\[libukcov.so.$major\]" ||
	fail "the installed library's soname is not libukcov.so.$major"
[ -L "$root/opt/uk/man/man3/ukcov_kcov_ioctl.3" ] || fail "no man3 link for ukcov_kcov_ioctl"

# pkg-config, as a user of the staged copy would call it.
export PKG_CONFIG_LIBDIR="$root/opt/uk/lib64/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
pc() { pkg-config "$@" ukcov; }
[ "$(pc --modversion)" = "$version" ] || fail "pkg-config --modversion: $(pc --modversion), expected $version"
[ "$(pc --variable=sancov_cflags)" = "-fsanitize-coverage=inline-bool-flag,pc-table" ] ||
	fail "sancov_cflags: '$(pc --variable=sancov_cflags)'"
grep -qx 'libdir=${prefix}/lib64' "$PKG_CONFIG_LIBDIR/ukcov.pc" || fail "ukcov.pc: libdir is not \${prefix}/lib64"
pc --cflags | grep -q -- "-I$root/opt/uk/include" || fail "--cflags: $(pc --cflags)"
pc --libs | grep -q -- "-L$root/opt/uk/lib64 -lukcov" || fail "--libs: $(pc --libs)"
# The runtime alone brings no libdw; the source map's library does.
pc --static --libs | grep -q -- "-ldw" && fail "ukcov --static --libs has libdw: $(pc --static --libs)"
srclibs=" $(pkg-config --static --libs ukcov-srcmap) "
case $srclibs in *" -lukcov-srcmap "*" -lukcov "*) ;; *) false ;; esac && case $srclibs in *" -ldw "*) ;; *) false ;; esac ||
	fail "ukcov-srcmap --static --libs: $(pkg-config --static --libs ukcov-srcmap)"
readelf -d "$root/opt/uk/lib64/libukcov-srcmap.so.$version" | grep -q "SONAME.*\[libukcov-srcmap.so.$major\]" ||
	fail "the source map library's soname is not libukcov-srcmap.so.$major"

# The installed headers compile as C11 and as C++, on their own.
for h in ukcov.h kcov_uapi.h srcmap.h version.h; do
	printf '#include <ukcov/%s>\nint main(void) { return 0; }\n' "$h" >"$tmp/h.c"
	${CC:-cc} -std=c11 -Wall -Wextra -Werror $(pc --cflags) -fsyntax-only "$tmp/h.c" ||
		fail "<ukcov/$h> does not compile as C11"
	if command -v clang++ >/dev/null; then
		clang++ -std=c++17 -Wall -Werror -x c++ $(pc --cflags) -fsyntax-only "$tmp/h.c" ||
			fail "<ukcov/$h> does not compile as C++"
	fi
done

# examples/embed, copied out of the tree and built with nothing but PATH and pkg-config.
cp -r examples/embed "$tmp/embed"
env -i PATH="$PATH" PKG_CONFIG_LIBDIR="$PKG_CONFIG_LIBDIR" PKG_CONFIG_SYSROOT_DIR="$root" \
	make -C "$tmp/embed" >"$tmp/embed.log" 2>&1 || { cat "$tmp/embed.log"; fail "examples/embed does not build"; }
grep -q -- "-I$(pwd)/include\|-Iinclude\|$(pwd)/$B" "$tmp/embed.log" && fail "embed was built from the tree: $(cat "$tmp/embed.log")"
if [ -x "$tmp/embed/embed" ]; then
	env -i PATH="$PATH" LD_LIBRARY_PATH="$root/opt/uk/lib64" ldd "$tmp/embed/embed" | grep -q "libukcov.so.$major => $root/opt/uk/lib64/" ||
		fail "embed does not load the installed libukcov: $(ldd "$tmp/embed/embed")"
	env -i PATH="$PATH" LD_LIBRARY_PATH="$root/opt/uk/lib64" "$tmp/embed/embed" >"$tmp/embed.out" 2>&1 ||
		fail "embed failed: $(cat "$tmp/embed.out")"
	cat "$tmp/embed.out"
	grep -q '^embed: per-task coverage ok$' "$tmp/embed.out" || fail "embed: no per-task coverage"
	grep -q '^only writer:.* sys_write' "$tmp/embed.out" || fail "embed: the writer's area lacks sys_write"
	grep -q '^only reader:.* sys_getpid' "$tmp/embed.out" || fail "embed: the reader's area lacks sys_getpid"
	# The same objects against libukcov.a: Libs.private is all it needs.
	clang -o "$tmp/embed/embed-static" "$tmp"/embed/*.o $(pkg-config --static --libs ukcov-srcmap |
		sed 's/-lukcov-srcmap/-l:libukcov-srcmap.a/; s/-lukcov\( \|$\)/-l:libukcov.a\1/') ||
		fail "embed does not link against libukcov.a with pkg-config --static --libs"
	if [ -x "$tmp/embed/embed-static" ]; then
		ldd "$tmp/embed/embed-static" | grep -q libukcov && fail "embed-static still loads libukcov.so"
		env -i PATH="$PATH" "$tmp/embed/embed-static" | grep -q '^embed: per-task coverage ok$' ||
			fail "embed linked with libukcov.a: no per-task coverage"
	fi
fi
# The same example in trace mode (sancov_trace_cflags), where the library has it.
if [ -n "$(pc --variable=sancov_trace_cflags)" ]; then
	cp -r examples/embed "$tmp/embed-trace"
	env -i PATH="$PATH" PKG_CONFIG_LIBDIR="$PKG_CONFIG_LIBDIR" PKG_CONFIG_SYSROOT_DIR="$root" \
		make -C "$tmp/embed-trace" MODE=trace >"$tmp/embed-trace.log" 2>&1 ||
		{ cat "$tmp/embed-trace.log"; fail "examples/embed does not build with MODE=trace"; }
	env -i PATH="$PATH" LD_LIBRARY_PATH="$root/opt/uk/lib64" "$tmp/embed-trace/embed" >"$tmp/embed-trace.out" 2>&1 ||
		fail "embed (trace mode) failed: $(cat "$tmp/embed-trace.out")"
	cat "$tmp/embed-trace.out"
	grep -q 'trace mode$' "$tmp/embed-trace.out" || fail "embed MODE=trace did not run in trace mode"
	grep -q '^embed: per-task coverage ok$' "$tmp/embed-trace.out" || fail "embed (trace mode): no per-task coverage"
fi

# The installed ukcov, run from elsewhere: run, symbolize, report with its sources.
uk=$root/opt/uk/bin/ukcov
[ "$("$uk" --version)" = "ukcov $version" ] || fail "installed ukcov --version: $("$uk" --version)"
probe=$(pwd)/$B/examples/kcov_single
(cd "$tmp" && "$uk" run -- "$probe" >"$tmp/pcs") || fail "installed ukcov run failed"
(cd "$tmp" && tail -n +2 "$tmp/pcs" | "$uk" symbolize >"$tmp/sym") || fail "installed ukcov symbolize failed"
# Where the build has a trace-mode twin, it is installed beside ukcov, which runs it.
if [ -x "$B/bin/ukcov-trace" ]; then
	[ -x "$root/opt/uk/bin/ukcov-trace" ] || fail "ukcov-trace was built but not installed"
	[ -n "$(pc --variable=sancov_trace_cflags)" ] || fail "ukcov.pc has no sancov_trace_cflags"
	(cd "$tmp" && "$uk" run --mode=trace -- "$probe" >"$tmp/pcs-trace") || fail "installed ukcov run --mode=trace failed"
fi
grep -q '^kernel/.*\.c:[0-9]' "$tmp/sym" || fail "installed symbolize: $(head -2 "$tmp/sym")"
# The installed wrapper, as syzkaller's gVisor back end runs its kernel object.
re='^(.*/)?(pkg/[^:]+):([0-9]+).([0-9]+),([0-9]+).([0-9]+)$'
(cd "$tmp" && env -u UKCOV "$root/opt/uk/bin/ukcov-syzkaller" symbolize -all >"$tmp/syz") ||
	fail "installed ukcov-syzkaller symbolize -all failed"
[ "$(awk 'NR % 2 == 0' "$tmp/syz" | grep -cvE "$re")" = 0 ] && [ -s "$tmp/syz" ] ||
	fail "installed ukcov-syzkaller: entries syzkaller's regex rejects"
(cd "$tmp" && "$uk" report --html "$tmp/html" "$tmp/pcs" 2>"$tmp/report.err") || fail "installed ukcov report failed"
[ -s "$tmp/report.err" ] && fail "installed ukcov report: $(cat "$tmp/report.err")"
grep -l 'id="nosource"' "$tmp"/html/*.html >/dev/null 2>&1 && fail "installed ukcov report did not find the sources"
# Without the source tree (hidden by a tmpfs in a mount namespace, where we
# may make one): the report is still written, and stderr says what to do.
mkdir -p "$tmp/mnt"
if unshare -m mount -t tmpfs none "$tmp/mnt" 2>/dev/null; then
	unshare -m sh -c 'mount -t tmpfs none "$1" && cd / && exec "$2" report --html "$3/html2" "$3/pcs"' \
		sh "$(pwd)" "$uk" "$tmp" 2>"$tmp/hidden.err"; rc=$?
	[ $rc = 0 ] || fail "report without the source tree: exit $rc: $(cat "$tmp/hidden.err")"
	grep -q 'source files not found.*--source-root' "$tmp/hidden.err" ||
		fail "report without the source tree: no clear message: $(cat "$tmp/hidden.err")"
	grep -q 'id="nosource"' "$tmp"/html2/*.html || fail "report without the source tree: no note on the pages"
else
	echo "note: no mount namespace here; the report without its source tree is not checked"
fi

mk uninstall >"$tmp/uninstall.log" 2>&1 || fail "make uninstall failed: $(cat "$tmp/uninstall.log")"
left=$(find "$root" ! -type d)
[ -z "$left" ] || fail "make uninstall left: $left"
[ $fails = 0 ] && echo "install checks passed"
exit $((fails > 0))
