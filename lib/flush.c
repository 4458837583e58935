// SPDX-License-Identifier: MIT
/*
 * Counter mode: the instrumented code sets one byte per block
 * (-fsanitize-coverage=inline-bool-flag: `if (!flag) flag = 1`, which cannot
 * wrap as 8-bit counters do). At each return to user space the set flags of
 * the functions that ran are turned into synthetic PCs and cleared.
 *
 * Two scans, chosen per flush by the table's shape (ukcov_flush()):
 *  - the whole flag array of each module, a 64-byte cache line at a time
 *    (one AVX-512 load and test per line, two with AVX2, eight words
 *    otherwise; a line's PCs written eight at a time with VBMI2):
 *    O(blocks / 64), next to the floor of touching each line once;
 *  - entry-skip: O(functions) entry-flag checks plus O(blocks of the
 *    functions that ran), for tables where the functions to visit are fewer
 *    than the lines (an instrumentation filter keeping a few functions).
 * Measured (make bench, bench/flush.c, 10k to 1M blocks in 15-block
 * functions): entry-skip costs 8-14x the floor of touching each cache line
 * of the flags once, at every density; the line scan 1.6-2x at 0.01% and 1%
 * of the blocks run, and the floor at 10%. A line costs less than a
 * function visit of the entry-skip loop, which chases a function record and
 * its entry flag; ukcov's own kernel's flush went from 9% of the
 * supervisor's samples to 2%.
 */
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <ukcov/ukcov.h>

#include "blocks.h"
#include "flush.h"

uint64_t ukcov_stat_flushes, ukcov_stat_functions_scanned;

uint8_t *ukcov_cumulative;

static inline void report(struct ukcov_area_writer *w, uint32_t index)
{
	if (ukcov_blocks.selected && !ukcov_blocks.selected[index])
		return;
	/* Whole-run coverage (cumulative.c): every block a flush finds, reported or discarded. */
	if (ukcov_cumulative)
		ukcov_cumulative[index] = 1;
	if (!w)
		return;
	if (w->bitmap && !ukcov_bitmap_test_and_set(w->bitmap, w->nbits, ukcov_unique_index(index)))
		return;
	ukcov_area_put(w, ukcov_pc_of_index(index));
}

static void flush_word(struct ukcov_area_writer *w, uint8_t *p, uint32_t index)
{
	uint64_t word;

	memcpy(&word, p, sizeof(word));
	if (!word)
		return;
	memset(p, 0, sizeof(word));
	while (word) {
		unsigned int byte = (unsigned int)__builtin_ctzll(word) / 8;

		report(w, index + byte);
		word &= ~(0xffull << (byte * 8));
	}
}

static void flush_function(struct ukcov_area_writer *w, const struct ukcov_func *f)
{
	uint8_t *flags = f->flags;
	uint32_t i = 0, n = f->nblocks;

	/* Blocks are reported in code order, entry first, as a trace would start. */
	for (; i < n && ((uintptr_t)(flags + i) & 7); i++) {
		if (flags[i]) {
			flags[i] = 0;
			report(w, f->first + i);
		}
	}
	for (; i + 8 <= n; i += 8)
		flush_word(w, flags + i, f->first + i);
	for (; i < n; i++) {
		if (flags[i]) {
			flags[i] = 0;
			report(w, f->first + i);
		}
	}
}

/* Reports and clears the set flags whose bits are in `mask` (bit i: line[i]). */
static inline void flush_mask(struct ukcov_area_writer *w, uint8_t *line, uint32_t index, uint64_t mask)
{
	while (mask) {
		unsigned int b = (unsigned int)__builtin_ctzll(mask);

		line[b] = 0;
		report(w, index + b);
		mask &= mask - 1;
	}
}

static void scan_lines_words(struct ukcov_area_writer *w, uint8_t *p, uint32_t index, size_t nlines)
{
	for (size_t l = 0; l < nlines; l++, p += 64, index += 64) {
		uint64_t v[8], any = 0;

		memcpy(v, p, sizeof(v));
		for (int i = 0; i < 8; i++)
			any |= v[i];
		if (!any)
			continue;
		for (int i = 0; i < 8; i++)
			if (v[i])
				flush_word(w, p + 8 * i, index + 8 * (uint32_t)i);
	}
}

/*
 * The common case, no filter, no whole-run coverage, no unique bitmap: the
 * writer lives in registers for a whole scan (the flags' byte stores would
 * otherwise make the compiler reload it for every PC) and a line's flags
 * are cleared by one store. This halved the cost per PC written.
 */
static bool flush_plain(const struct ukcov_area_writer *w)
{
	return w && !w->bitmap && !ukcov_blocks.selected && !ukcov_cumulative;
}

static inline void put_mask(struct ukcov_area_writer *lw, uint32_t index, uint64_t mask)
{
	while (mask) {
		unsigned int b = (unsigned int)__builtin_ctzll(mask);

		ukcov_area_put(lw, ukcov_pc_of_index(index + b));
		mask &= mask - 1;
	}
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static void scan_lines_avx2(struct ukcov_area_writer *w, uint8_t *p,
							     uint32_t index, size_t nlines)
{
	const __m256i zero = _mm256_setzero_si256();
	struct ukcov_area_writer lw = w ? *w : (struct ukcov_area_writer){ 0 };
	bool plain = flush_plain(w);

	for (size_t l = 0; l < nlines; l++, p += 64, index += 64) {
		__m256i a = _mm256_load_si256((const __m256i *)p), b = _mm256_load_si256((const __m256i *)(p + 32));
		uint64_t lo, hi;

		if (_mm256_testz_si256(_mm256_or_si256(a, b), _mm256_or_si256(a, b)))
			continue;
		lo = (uint32_t)~_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, zero));
		hi = (uint32_t)~_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, zero));
		if (!plain) {
			flush_mask(w, p, index, lo | hi << 32);
			continue;
		}
		_mm256_store_si256((__m256i *)p, zero);
		_mm256_store_si256((__m256i *)(p + 32), zero);
		put_mask(&lw, index, lo | hi << 32);
	}
	if (plain)
		*w = lw;
}

/*
 * A line's PCs written eight lanes at a time: for each group of eight flags
 * with one set, the PCs of the set ones compressed into consecutive area
 * entries. Only where the whole line fits below the area's end (the entries
 * are then exactly those ukcov_area_put() would write); else one at a time.
 */
__attribute__((target("avx512f,avx512bw"))) static inline void put_mask_avx512(struct ukcov_area_writer *lw,
										uint32_t index, uint64_t mask)
{
	const __m512i lanes = _mm512_set_epi64(7 * UKCOV_PC_STRIDE, 6 * UKCOV_PC_STRIDE, 5 * UKCOV_PC_STRIDE,
					       4 * UKCOV_PC_STRIDE, 3 * UKCOV_PC_STRIDE, 2 * UKCOV_PC_STRIDE,
					       UKCOV_PC_STRIDE, 0);
	uint64_t pos = lw->count;

	if (pos >= lw->size || lw->size - pos <= 64) {
		put_mask(lw, index, mask);
		return;
	}
	for (unsigned int g = 0; g < 8; g++) {
		__mmask8 m8 = (__mmask8)(mask >> (8 * g));
		__m512i pcs;

		if (!m8)
			continue;
		pcs = _mm512_add_epi64(_mm512_set1_epi64((long long)ukcov_pc_of_index(index + 8 * g)), lanes);
		/* Guest-shared memory: what the volatile stores of ukcov_area_put() would leave there. */
		_mm512_mask_compressstoreu_epi64((void *)&lw->area[pos + 1], m8, pcs);
		pos += (uint64_t)__builtin_popcount(m8);
	}
	lw->written += pos - lw->count;
	lw->count = pos;
}

/*
 * With VBMI2, no branch per group: the offsets of the set flags compressed
 * into one vector, widened eight at a time into PCs and stored (the last
 * eight masked). A branch per group of eight mispredicted on every other
 * line: ~1.5 ns per PC written, against ~0.3 for plain sequential stores.
 */
__attribute__((target("avx512f,avx512bw,avx512vbmi2"))) static inline void
put_mask_vbmi2(struct ukcov_area_writer *lw, uint32_t index, uint64_t mask)
{
	const __m512i iota = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48,
					     47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
					     31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
					     15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
	uint8_t offs[64] __attribute__((aligned(64)));
	uint64_t pos = lw->count;
	unsigned int k = (unsigned int)__builtin_popcountll(mask);
	__m512i base;

	if (pos >= lw->size || lw->size - pos <= 64) {
		put_mask(lw, index, mask);
		return;
	}
	_mm512_store_si512((void *)offs, _mm512_maskz_compress_epi8(mask, iota));
	base = _mm512_set1_epi64((long long)ukcov_pc_of_index(index));
	for (unsigned int c = 0; c < k; c += 8) {
		__m512i o = _mm512_cvtepu8_epi64(_mm_loadl_epi64((const __m128i *)(offs + c)));
		__m512i pcs = _mm512_add_epi64(base, _mm512_slli_epi64(o, 2)); /* UKCOV_PC_STRIDE */
		__mmask8 lanes = k - c >= 8 ? 0xff : (__mmask8)((1u << (k - c)) - 1);

		_mm512_mask_storeu_epi64((void *)&lw->area[pos + 1 + c], lanes, pcs);
	}
	lw->count = pos + k;
	lw->written += k;
}

/*
 * The AVX-512 line scan, with the way set flags become PCs (put) as a
 * parameter: each caller passes a constant, so after inlining the call is
 * direct and the two scans below compile as before, without a copy each.
 */
__attribute__((target("avx512f,avx512bw"), always_inline)) static inline void
scan_lines_512(struct ukcov_area_writer *w, uint8_t *p, uint32_t index, size_t nlines,
	       void (*put)(struct ukcov_area_writer *, uint32_t, uint64_t))
{
	struct ukcov_area_writer lw = w ? *w : (struct ukcov_area_writer){ 0 };
	bool plain = flush_plain(w);

	for (size_t l = 0; l < nlines; l++, p += 64, index += 64) {
		__m512i v = _mm512_load_si512((const void *)p);
		uint64_t m = _mm512_test_epi8_mask(v, v);

		if (!m)
			continue;
		if (!plain) {
			flush_mask(w, p, index, m);
			continue;
		}
		_mm512_store_si512((void *)p, _mm512_setzero_si512());
		put(&lw, index, m);
	}
	if (plain)
		*w = lw;
}

__attribute__((target("avx512f,avx512bw,avx512vbmi2"))) static void
scan_lines_vbmi2(struct ukcov_area_writer *w, uint8_t *p, uint32_t index, size_t nlines)
{
	scan_lines_512(w, p, index, nlines, put_mask_vbmi2);
}

__attribute__((target("avx512f,avx512bw"))) static void scan_lines_avx512(struct ukcov_area_writer *w,
									  uint8_t *p, uint32_t index,
									  size_t nlines)
{
	scan_lines_512(w, p, index, nlines, put_mask_avx512);
}
#endif

_Static_assert(UKCOV_PC_STRIDE == 4, "put_mask_vbmi2() multiplies by shifting");

typedef void (*scan_lines_fn)(struct ukcov_area_writer *, uint8_t *, uint32_t, size_t);

/* The widest line scan this CPU runs, picked on the first flush. */
static scan_lines_fn scan_lines_pick(void)
{
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2"))
		return scan_lines_vbmi2;
	if (__builtin_cpu_supports("avx512bw"))
		return scan_lines_avx512;
	if (__builtin_cpu_supports("avx2"))
		return scan_lines_avx2;
#endif
	return scan_lines_words;
}

static scan_lines_fn scan_lines;

static void flush_bytes(struct ukcov_area_writer *w, uint8_t *flags, uint32_t index, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (flags[i]) {
			flags[i] = 0;
			report(w, index + i);
		}
	}
}

/*
 * The whole-array scan: each module's flags as one array, whole cache lines
 * at a time (bytes before the first aligned line and after the last one by
 * hand). Reports in block order, as entry-skip does.
 */
static void flush_modules(struct ukcov_area_writer *w)
{
	const struct ukcov_block_table *bt = &ukcov_blocks;

	if (!scan_lines)
		scan_lines = scan_lines_pick();
	for (uint32_t m = 0; m < bt->nmodules; m++) {
		const struct ukcov_module *mod = &bt->modules[m];
		uint8_t *f = mod->flags;
		uint32_t n = mod->nblocks, head = (uint32_t)(-(uintptr_t)f & 63);

		if (head > n)
			head = n;
		flush_bytes(w, f, mod->first, head);
		scan_lines(w, f + head, mod->first + head, (n - head) / 64);
		head += (n - head) / 64 * 64;
		flush_bytes(w, f + head, mod->first + head, n - head);
	}
}

/*
 * Whole lines, unless entry-skip has fewer functions to visit than there are
 * lines: a line costs about what one function visit does (bench/flush.c),
 * so this is the cheaper of the two at any density.
 */
int ukcov_flush_force;

static void flush_skip(struct ukcov_area_writer *w);

static bool scan_whole(const struct ukcov_block_table *bt, bool full_scan)
{
	if (ukcov_flush_force)
		return ukcov_flush_force == 1;
	return full_scan || bt->nblocks / 64 <= bt->nactive;
}

void ukcov_flush(struct ukcov_area_writer *w, bool full_scan)
{
	const struct ukcov_block_table *bt = &ukcov_blocks;

	/* Trace mode has no flags: the hooks wrote as the code ran. */
	if (bt->trace)
		return;
	ukcov_stat_flushes++;
	if (scan_whole(bt, full_scan)) {
		flush_modules(w);
		return;
	}
	flush_skip(w);
}

static void flush_skip(struct ukcov_area_writer *w)
{
	const struct ukcov_block_table *bt = &ukcov_blocks;

	for (uint32_t a = 0; a < bt->nactive; a++) {
		const struct ukcov_func *f = &bt->funcs[bt->active[a]];

		/*
		 * An entry flag that is clear means the function did not run since
		 * the last flush: the flush is only ever called with no
		 * instrumented frame on the stack, so no function can have set a
		 * later block without passing its entry since then.
		 */
		if (!f->flags[0])
			continue;
		ukcov_stat_functions_scanned++;
		flush_function(w, f);
	}
}
