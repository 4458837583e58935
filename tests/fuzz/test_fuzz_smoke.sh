#!/bin/sh
# The libFuzzer harness (make fuzz) once over its seed corpus, with its
# invariants and LeakSanitizer: builds build-fuzz/ on first use.
[ "$(id -u)" = 0 ] || { echo "skip: the harness's jail needs root (a private mount namespace)"; exit 77; }
rt=$(${CLANG:-clang} -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-x86_64.a
[ -f "$rt" ] || { echo "skip: no libFuzzer runtime ($rt)"; exit 77; }
exec make -s fuzz-smoke
