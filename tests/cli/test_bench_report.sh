#!/bin/sh
# make bench's report (bench/run.sh with BENCH_REPORT_ONLY=1) over a small
# canned set of raw lines, figures missing included: build/bench.json must
# be well-formed JSON with every field of every figure. No timing here: the
# measurements themselves are `make bench`'s, never make check's.
set -u
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/bench.raw" <<'RAW'
null null-read-1 1900 2000 7
null null-sync-wakeup 1
native getpid 80 85 7
native read-1 80 85 7
counters getpid 90 95 7
counters read-1 2000 2100 7
counters read-1+kcov 2050 2150 7
counters read-1 1990 2090 7
counters read-1+kcov 2040 2140 7
count traps-stat-depth5 1
linux stat-depth5 400 450 5
ukcovfs stat-depth5 3900 4100 5
flush1m pcs-0.01 10000
flush1m auto-0.01 20000 21000 15
flush1m touch-0.01 8000 8100 15
flush1m meta-bytes-per-block 5.34
RAW
BENCH_REPORT_ONLY=1 sh bench/run.sh "$tmp" > "$tmp/out" 2>&1 || fail "bench/run.sh: $(cat "$tmp/out")"
[ -s "$tmp/bench.json" ] || { echo "FAIL: no bench.json"; exit 1; }
n=$(grep -c '"figure"' "$tmp/bench.json")
[ "$n" -gt 20 ] || fail "only $n figures"
for k in figure unit value min median repetitions baseline baseline_name ratio target met; do
	m=$(grep -c "\"$k\": " "$tmp/bench.json")
	[ "$m" = "$n" ] || fail "field $k in $m of $n figures"
done
# A figure with its data: kcov on against off, from two rounds (the lower median of an even count).
grep -q '"figure": "trapped read(-1), kcov on (TRACE_PC, counters)", "unit": "ns", "value": 2140, "min": 2040, "median": 2140, "repetitions": 14, "baseline": 2090, "baseline_name": "kcov off", "ratio": 1.02, "target": "<= 1.10", "met": "yes"' "$tmp/bench.json" ||
	fail "kcov on vs off: $(grep 'kcov on (TRACE_PC, counters)' "$tmp/bench.json")"
# A figure without data is null, never a bare NA.
grep -q ': NA' "$tmp/bench.json" && fail "NA in the JSON: $(grep ': NA' "$tmp/bench.json" | head -3)"
if command -v python3 >/dev/null; then
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert isinstance(d, list) and d' "$tmp/bench.json" ||
		fail "bench.json does not parse"
fi
[ "$fails" = 0 ]
