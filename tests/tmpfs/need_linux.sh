# Sourced by tests that compare ukcov with the running kernel's own tmpfs
# (/dev/shm) live: ukcov follows the newest Linux, so on an older kernel
# (check-kernels' 6.1 guest) such a comparison would test the old kernel.
# need_linux MAJOR MINOR WHAT: exits 77 (skip) before Linux MAJOR.MINOR.
need_linux() {
	rel=$(uname -r)
	maj=${rel%%.*} min=${rel#*.}
	min=${min%%[!0-9]*}
	if [ "$maj" -lt "$1" ] || { [ "$maj" = "$1" ] && [ "$min" -lt "$2" ]; }; then
		echo "SKIP: compares with Linux's tmpfs live, whose $3 came in Linux $1.$2 (this is $rel)"
		exit 77
	fi
}
