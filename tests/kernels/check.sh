#!/bin/sh
# make check-kernels: boots Debian's own kernels in QEMU and runs the
# conformance, hostile and tmpfs suites (and tests/kernels/test_*.sh) under
# `ukcov run` inside each, with the binaries of this build. One summary line
# per kernel; exits non-zero when a kernel fails or cannot be booted.
#
#   sh tests/kernels/check.sh BUILD_DIR
#   UKCOV_KERNELS="PKG..."   image packages or meta packages to boot (default:
#                            Debian 12's kernel, linux-image-cloud-amd64 ->
#                            6.1; the 6.12 one bookworm also ships; the host's
#                            own kernel when the archive has its package)
#   UKCOV_QEMU_ACCEL=kvm|tcg skip the KVM probe (cached in BUILD/kernels/accel)
#   UKCOV_GUEST_SUITES=...   UKCOV_SUITES inside the guests (default:
#                            conformance hostile tmpfs kernels, and on 6.9+
#                            the forced pass: every fallback on a real kernel)
#   UKCOV_GUEST_FILTER=NAME  only the tests whose names contain NAME (run.sh's
#                            filter), to look at one failure in a guest
#
# The kernels are fetched with `apt-get download` and unpacked with dpkg -x
# under BUILD/kernels/: nothing is installed on the host but qemu-system-x86
# and busybox-static (as root; otherwise the apt-get line is printed).
set -u
B=${1:-build}
K=$B/kernels
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
mkdir -p "$K/debs"
K=$(cd "$K" && pwd)

die() { echo "check-kernels: $*" >&2; exit 1; }

# ---- host packages ----
missing=""
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing="$missing qemu-system-x86"
dpkg-query -W -f '${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
	missing="$missing busybox-static"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "check-kernels: installing$missing"
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $missing; } >/dev/null ||
			die "apt-get install failed: run  apt-get install -y$missing"
	else
		die "missing packages. Run as root:  apt-get install -y$missing"
	fi
fi

# ---- which kernels ----
# A meta package (linux-image-cloud-amd64) stands for the image it depends on.
resolve() {
	dep=$(apt-cache depends "$1" 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	if [ -n "$dep" ]; then echo "$dep"; return; fi
	apt-cache show "$1" >/dev/null 2>&1 && echo "$1"
}
apt_updated=0
resolve_or_update() {
	p=$(resolve "$1")
	if [ -z "$p" ] && [ $apt_updated = 0 ] && [ "$(id -u)" = 0 ]; then
		apt-get update -qq >/dev/null 2>&1
		apt_updated=1
		p=$(resolve "$1")
	fi
	echo "$p"
}
if [ -n "${UKCOV_KERNELS:-}" ]; then
	wanted=$UKCOV_KERNELS
else
	wanted="linux-image-cloud-amd64 linux-image-6.12-cloud-amd64"
	host_pkg=linux-image-$(uname -r)
	# (no apt-get update for it: custom kernels have none, and lists age)
	if [ -n "$(resolve "$host_pkg")" ]; then
		wanted="$wanted $host_pkg"
	else
		echo "check-kernels: the host's kernel ($(uname -r)) has no Debian package: make check tests it directly"
	fi
fi
pkgs=""
for w in $wanted; do
	p=$(resolve_or_update "$w")
	[ -n "$p" ] || die "no package $w (apt-get update first?)"
	case " $pkgs " in *" $p "*) ;; *) pkgs="$pkgs $p" ;; esac
done

# ---- fetch and unpack (cached) ----
vmlinuz_of() { # PKG -> path of its vmlinuz, fetched and unpacked under $K
	dir=$K/$1
	if [ ! -d "$dir/boot" ]; then
		deb=$(ls "$K/debs/$1"_*.deb 2>/dev/null | head -n 1)
		if [ -z "$deb" ]; then
			# apt's _apt user must be able to write where it downloads.
			(cd "$K/debs" && chmod 0777 . && apt-get download "$1" >/dev/null 2>&1) ||
				die "apt-get download $1 failed"
			deb=$(ls "$K/debs/$1"_*.deb | head -n 1)
		fi
		rm -rf "$dir.tmp" && dpkg -x "$deb" "$dir.tmp" && mv "$dir.tmp" "$dir" ||
			die "dpkg -x $deb failed"
	fi
	ls "$dir"/boot/vmlinuz-* 2>/dev/null | head -n 1
}

# ---- the initramfs: busybox, the build's binaries and their libraries ----
root=$K/initramfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/ukcov"
cp /bin/busybox "$root/bin/busybox"
copy_lib_deps() { # ELF...
	ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*[^:]$/ { print $1 }' | sort -u |
	while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
(cd "$top" && {
	for d in bin examples tests tests/conformance tests/hostile tests/tmpfs; do
		find "$B/$d" -maxdepth 1 -type f -perm -u+x
	done
	# tests/fuzz for UKCOV_GUEST_SUITES=fuzz alone (not a default suite: its
	# oracle is the guest kernel's own tmpfs, which ukcov's follows only on
	# the newest kernels)
	find tests/run.sh tests/tmpfs tests/kernels tests/fuzz -type f
}) | while read -r f; do
	mkdir -p "$root/ukcov/$(dirname "$f")"
	cp "$top/$f" "$root/ukcov/$f"
done
# The build dir inside is always "build".
[ "$B" = build ] || mv "$root/ukcov/$B" "$root/ukcov/build" 2>/dev/null
elfs=$(find "$root/ukcov/build" -type f -perm -u+x)
# Tools the tests use that busybox lacks, from the host.
for tool in comm; do
	if ! /bin/busybox --list | grep -qx "$tool"; then
		t=$(command -v "$tool") && cp "$t" "$root/bin/$tool" && elfs="$elfs $root/bin/$tool"
	fi
done
copy_lib_deps $elfs
# pthread_exit() loads it at run time: ldd does not list it.
gcc_s=$(ldconfig -p | awk '/libgcc_s.so.1 .*x86-64/ { print $NF; exit }')
[ -n "$gcc_s" ] && mkdir -p "$root$(dirname "$gcc_s")" && cp -L "$gcc_s" "$root$gcc_s"
# ukcov's tmpfs follows the newest Linux: the tmpfs differential tests in the
# guests compare with transcripts of this host's tmpfs, not the guest's.
ref=$root/ukcov/tests/kernels/ref
mkdir -p "$ref"
uname -r >"$ref/kernel"
(cd "$top" && FSDIFF_SAVE=$ref FSSCRIPT=$B/tests/tmpfs/fsscript sh tests/tmpfs/diff.sh >"$K/ref.log" 2>&1) ||
	die "recording the tmpfs transcripts on this host failed: $(tail -n 3 "$K/ref.log")"
suites=${UKCOV_GUEST_SUITES:-conformance hostile tmpfs kernels}
cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/shm
mount -t tmpfs shm /dev/shm
mount -t tmpfs tmp /tmp
ulimit -n 1024
# Fewer PIDs: hostile/tid_reuse cycles through them all (minutes under TCG).
echo 4096 >/proc/sys/kernel/pid_max
export FSDIFF_REF=/ukcov/tests/kernels/ref
cd /ukcov
echo "ukcov-guest: booted Linux \$(uname -r) at \$(cut -d' ' -f1 /proc/uptime) s"
suites="$suites"
# A kernel with every feature (6.9+) also runs the forced pass: the fallbacks on it.
kv=\$(uname -r); maj=\${kv%%.*}; rest=\${kv#*.}; min=\${rest%%[!0-9]*}
[ -z "${UKCOV_GUEST_SUITES:-}" ] && [ \$((maj * 100 + min)) -ge 609 ] && suites="\$suites forced"
UKCOV_TEST_TIMEOUT=900 UKCOV_SUITES="\$suites" sh tests/run.sh build "${UKCOV_GUEST_FILTER:-}" | tee /tmp/run.out
for t in \$(sed -n 's/^failed://p' /tmp/run.out | sed 's/(logs.*//'); do
	echo "ukcov-guest: log of \$t:"
	sed 's/^/    | /' "build/test-logs/\$t.log"
done
echo "ukcov-guest: done at \$(cut -d' ' -f1 /proc/uptime) s"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) >"$K/initramfs.cpio" ||
	die "cannot build the initramfs"

# ---- KVM when it works (nested KVM may not), else TCG ----
qemu() { # ACCEL VMLINUZ INITRD TIMEOUT
	if [ "$1" = kvm ]; then accel="-enable-kvm -cpu host"; else accel="-accel tcg -cpu max"; fi
	timeout "$4" qemu-system-x86_64 $accel -smp 2 -m 1024 -nographic -no-reboot \
		-kernel "$2" -initrd "$3" -append "console=ttyS0 quiet panic=-1" </dev/null 2>&1
}
first=$(vmlinuz_of $(echo $pkgs | cut -d' ' -f1))
[ -n "$first" ] || die "no vmlinuz in $(echo $pkgs | cut -d' ' -f1)"
accel=${UKCOV_QEMU_ACCEL:-$(cat "$K/accel" 2>/dev/null)}
if [ -z "$accel" ]; then
	accel=tcg
	if [ -w /dev/kvm ]; then
		probe=$K/probe
		rm -rf "$probe" && mkdir -p "$probe/bin"
		cp /bin/busybox "$probe/bin/"
		printf '#!/bin/busybox sh\necho ukcov-kvm-ok\n/bin/busybox poweroff -f\n' >"$probe/init"
		chmod +x "$probe/init"
		(cd "$probe" && find . | /bin/busybox cpio -o -H newc 2>/dev/null) >"$K/probe.cpio"
		qemu kvm "$first" "$K/probe.cpio" 20 | grep -q ukcov-kvm-ok && accel=kvm
	fi
	echo "$accel" >"$K/accel"
fi
echo "check-kernels: QEMU with $accel; kernels:$pkgs"

# ---- boot each ----
bad=0 summary=""
for p in $pkgs; do
	vmlinuz=$(vmlinuz_of "$p")
	[ -n "$vmlinuz" ] || die "no vmlinuz in $p"
	log=$K/$p.log
	start=$(date +%s)
	qemu "$accel" "$vmlinuz" "$K/initramfs.cpio" 1800 | tr -d '\r' >"$log"
	secs=$(( $(date +%s) - start ))
	# (the firmware's escape sequences may precede the guest's first line)
	booted=$(grep -m1 'ukcov-guest: booted' "$log" | sed 's/.* at \([0-9.]*\) s$/\1/')
	result=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	kver=$(grep -m1 'ukcov-guest: booted' "$log" | sed 's/.*booted Linux \([^ ]*\) at.*/\1/')
	if [ -z "$result" ]; then
		line="$p: no result (log: $log)"
		tail -n 20 "$log" | sed 's/^/    | /'
		bad=1
	else
		line="Linux ${kver:-?} ($p): $result ($accel, boot ${booted:-?} s, $secs s in all)"
		case $result in *" 0 failed"*) ;; *) bad=1; grep -E '^  FAIL|^        \|' "$log" | head -n 40 ;; esac
	fi
	echo "  $line"
	summary="$summary
$line"
done
echo "check-kernels:$summary" | sed '2,$s/^/  /'
exit $bad
