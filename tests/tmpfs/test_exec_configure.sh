#!/bin/sh
# A real autoconf+automake `./configure`, run from inside a mount: it finds
# its auxiliary files (install-sh, missing) next to "$0", which it can only
# when a "#!" script executed from the mount gets its own path as Linux's
# binfmt_script gives it. Its output equals the same run on /dev/shm.
# Skipped without autoconf and automake (Debian: autoconf automake).
set -u
B=${B:-build}
UKCOV=${UKCOV:-$B/bin/ukcov}
command -v autoreconf >/dev/null && command -v automake >/dev/null ||
	{ echo "skip: no autoconf/automake"; exit 77; }
pkg=$(mktemp -d /tmp/ukcov-configure.XXXXXX)
shm=$(mktemp -d /dev/shm/ukcov-configure.XXXXXX)
trap 'rm -rf "$pkg" "$shm"' EXIT
cat >"$pkg/configure.ac" <<'AC'
AC_INIT([ukcovexec], [1.0])
AC_CONFIG_AUX_DIR([build-aux])
AM_INIT_AUTOMAKE([foreign no-dependencies])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
AC
printf 'bin_SCRIPTS =\n' >"$pkg/Makefile.am"
(cd "$pkg" && autoreconf -i) >"$pkg.log" 2>&1 || { cat "$pkg.log"; rm -f "$pkg.log"; echo "FAIL: autoreconf"; exit 1; }
rm -f "$pkg.log"
cp -a "$pkg" "$shm/pkg"
(cd "$shm/pkg" && ./configure) >"$pkg/native" 2>&1 || { cat "$pkg/native"; echo "FAIL: natively"; exit 1; }
M=/mnt/ukcov-configure
"$UKCOV" run --tmpfs=$M -- sh -c "cp -a '$pkg' $M/pkg && cd $M/pkg && ./configure" >"$pkg/ukcov" 2>&1
rc=$?
sed "s|$shm|M|g" "$pkg/native" >"$pkg/native.m"
sed "s|$M|M|g" "$pkg/ukcov" >"$pkg/ukcov.m"
if [ $rc != 0 ] || ! diff -u "$pkg/native.m" "$pkg/ukcov.m"; then
	echo "FAIL: ./configure in a mount (exit $rc; - /dev/shm, + ukcov)"
	exit 1
fi
echo "configure: $(wc -l <"$pkg/ukcov") lines, the same as on /dev/shm"
