#!/bin/sh
# libukcov's ABI: the shared library exports the embedding API and the two
# SanitizerCoverage hooks, nothing else; an embedder linked against the .so
# gets its instrumented module registered and the device working.
set -u
B=${B:-build}
so=$B/lib/libukcov.so
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

syms=$(nm -D --defined-only "$so" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }')
for s in ukcov_kcov_open ukcov_kcov_ioctl ukcov_kcov_mmap_check ukcov_kcov_close ukcov_kcov_fd \
	ukcov_task_new ukcov_task_return_to_user ukcov_task_exit ukcov_block_lookup \
	ukcov_block_count ukcov_set_block_filter ukcov_task_enter ukcov_remote_start ukcov_remote_stop ukcov_mode \
	__sanitizer_cov_bool_flag_init __sanitizer_cov_pcs_init __sanitizer_cov_trace_pc_guard \
	__sanitizer_cov_trace_pc_guard_init __sanitizer_cov_trace_const_cmp4 __sanitizer_cov_trace_switch; do
	echo "$syms" | grep -qx "$s" || fail "$so does not export $s"
done
bad=$(echo "$syms" | grep -v -e '^ukcov_' -e '^__sanitizer_cov_bool_flag_init$' -e '^__sanitizer_cov_pcs_init$' -e '^__sanitizer_cov_trace_')
[ -z "$bad" ] || fail "$so exports internal symbols: $bad"
readelf -d "$so" | grep -q 'SONAME.*libukcov.so.0' || fail "no soname libukcov.so.0"

# An embedder: its own instrumented module, the device through the .so only.
dir=$B/tests/abi
mkdir -p "$dir"
cat >"$dir/embed.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ukcov/ukcov.h>
int kernel_work(int x);
int main(void)
{
	struct ukcov_kcov *k;
	struct ukcov_task *t = ukcov_task_new();
	if (ukcov_block_count() == 0) { puts("no blocks registered"); return 1; }
	if (ukcov_kcov_open(O_RDWR, &k) || ukcov_kcov_ioctl(k, t, UKCOV_KCOV_INIT_TRACE, 512, NULL)) return 1;
	volatile unsigned long *area = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ukcov_kcov_fd(k), 0);
	if (area == MAP_FAILED || ukcov_kcov_ioctl(k, t, UKCOV_KCOV_ENABLE, 0, NULL)) return 1;
	ukcov_task_return_to_user(t, false);
	area[0] = 0;
	kernel_work(3);
	ukcov_task_return_to_user(t, false);
	if (area[0] == 0) { puts("no coverage"); return 1; }
	struct ukcov_block b;
	if (ukcov_block_lookup(area[1], &b)) { puts("unknown pc"); return 1; }
	printf("%lu PCs\n", area[0]);
	ukcov_task_exit(t);
	ukcov_kcov_close(k);
	return 0;
}
C
cat >"$dir/work.c" <<'C'
int kernel_work(int x) { return x > 2 ? x * 2 : x; }
C
# A sanitizer runtime linked into the program carries weak SanitizerCoverage
# hooks of its own, which take the module's calls before a shared libukcov
# can: sanitized embedders link libukcov statically (docs/testing.md).
lib="-L$B/lib -lukcov -Wl,-rpath,$(pwd)/$B/lib"
[ -n "${SANFLAGS:-}" ] && lib="$B/lib/libukcov.a -ldw -lelf -lpthread"
clang ${SANFLAGS:-} -O1 -fsanitize-coverage=inline-bool-flag,pc-table -fPIC -c "$dir/work.c" -o "$dir/work.o" &&
	clang ${SANFLAGS:-} -O1 -Iinclude "$dir/embed.c" "$dir/work.o" $lib -o "$dir/embed" ||
	fail "cannot build an embedder against $so"
[ -x "$dir/embed" ] && { "$dir/embed" || fail "embedder linked against $so got no coverage"; }
[ $fails = 0 ] && echo "libukcov ABI checks passed"
exit $((fails > 0))
