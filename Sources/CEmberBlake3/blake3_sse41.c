// The SSE4.1 kernel: four inputs side by side, one 32-bit word of each in every 128-bit register.
// Compiled for SSE4.1 per function and called only after ember_b3_best_kernel has confirmed support.
#include "blake3_internal.h"

#ifdef EMBER_B3_X86
#include <immintrin.h>
#include <string.h>

#define SSE41 __attribute__((target("sse4.1")))

SSE41 static inline __m128i add(__m128i a, __m128i b) { return _mm_add_epi32(a, b); }
SSE41 static inline __m128i xor_(__m128i a, __m128i b) { return _mm_xor_si128(a, b); }

SSE41 static inline __m128i rot16(__m128i x) {
    return _mm_shuffle_epi8(x, _mm_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2));
}

SSE41 static inline __m128i rot12(__m128i x) {
    return _mm_or_si128(_mm_srli_epi32(x, 12), _mm_slli_epi32(x, 20));
}

SSE41 static inline __m128i rot8(__m128i x) {
    return _mm_shuffle_epi8(x, _mm_set_epi8(12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1));
}

SSE41 static inline __m128i rot7(__m128i x) {
    return _mm_or_si128(_mm_srli_epi32(x, 7), _mm_slli_epi32(x, 25));
}

#define G(a, b, c, d, x, y)                                                                        \
    do {                                                                                           \
        v[a] = add(add(v[a], v[b]), x);                                                            \
        v[d] = rot16(xor_(v[d], v[a]));                                                            \
        v[c] = add(v[c], v[d]);                                                                    \
        v[b] = rot12(xor_(v[b], v[c]));                                                            \
        v[a] = add(add(v[a], v[b]), y);                                                            \
        v[d] = rot8(xor_(v[d], v[a]));                                                             \
        v[c] = add(v[c], v[d]);                                                                    \
        v[b] = rot7(xor_(v[b], v[c]));                                                             \
    } while (0)

/// Turns four rows of four words into four columns: afterwards v[w] holds word w of every row.
SSE41 static inline void transpose4(__m128i v[4]) {
    __m128i ab_lo = _mm_unpacklo_epi32(v[0], v[1]);
    __m128i ab_hi = _mm_unpackhi_epi32(v[0], v[1]);
    __m128i cd_lo = _mm_unpacklo_epi32(v[2], v[3]);
    __m128i cd_hi = _mm_unpackhi_epi32(v[2], v[3]);
    v[0] = _mm_unpacklo_epi64(ab_lo, cd_lo);
    v[1] = _mm_unpackhi_epi64(ab_lo, cd_lo);
    v[2] = _mm_unpacklo_epi64(ab_hi, cd_hi);
    v[3] = _mm_unpackhi_epi64(ab_hi, cd_hi);
}

SSE41 static inline void load_message(const uint8_t *const blocks[4], __m128i m[16]) {
    for (int quarter = 0; quarter < 4; quarter++) {
        for (int lane = 0; lane < 4; lane++) {
            m[4 * quarter + lane] = _mm_loadu_si128((const __m128i *)(blocks[lane] + 16 * quarter));
        }
        transpose4(m + 4 * quarter);
    }
}

SSE41 void ember_b3_hash4_sse41(const uint8_t *const *inputs, size_t input_len, const uint32_t key[8],
                                uint64_t counter, bool increment_counter, uint8_t flags,
                                uint8_t flags_start, uint8_t flags_end, uint8_t *out) {
    __m128i h[8];
    for (int i = 0; i < 8; i++) h[i] = _mm_set1_epi32((int)key[i]);
    uint32_t counter_low[4], counter_high[4];
    for (int lane = 0; lane < 4; lane++) {
        uint64_t lane_counter = counter + (increment_counter ? (uint64_t)lane : 0);
        counter_low[lane] = (uint32_t)lane_counter;
        counter_high[lane] = (uint32_t)(lane_counter >> 32);
    }
    const __m128i counter_low_v = _mm_loadu_si128((const __m128i *)counter_low);
    const __m128i counter_high_v = _mm_loadu_si128((const __m128i *)counter_high);

    size_t blocks = input_len == 0 ? 1 : (input_len + EMBER_B3_BLOCK_LEN - 1) / EMBER_B3_BLOCK_LEN;
    uint8_t padded[4][EMBER_B3_BLOCK_LEN];
    for (size_t b = 0; b < blocks; b++) {
        size_t offset = b * EMBER_B3_BLOCK_LEN;
        size_t len = input_len - offset < EMBER_B3_BLOCK_LEN ? input_len - offset : EMBER_B3_BLOCK_LEN;
        const uint8_t *block_ptrs[4];
        for (int lane = 0; lane < 4; lane++) {
            if (len == EMBER_B3_BLOCK_LEN) {
                block_ptrs[lane] = inputs[lane] + offset;
            } else {
                memset(padded[lane], 0, EMBER_B3_BLOCK_LEN);
                if (len > 0) memcpy(padded[lane], inputs[lane] + offset, len);
                block_ptrs[lane] = padded[lane];
            }
        }
        __m128i m[16];
        load_message(block_ptrs, m);

        uint8_t block_flags = flags;
        if (b == 0) block_flags |= flags_start;
        if (b + 1 == blocks) block_flags |= flags_end;

        __m128i v[16] = {
            h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
            _mm_set1_epi32((int)ember_b3_iv[0]), _mm_set1_epi32((int)ember_b3_iv[1]),
            _mm_set1_epi32((int)ember_b3_iv[2]), _mm_set1_epi32((int)ember_b3_iv[3]),
            counter_low_v, counter_high_v,
            _mm_set1_epi32((int)len), _mm_set1_epi32((int)block_flags),
        };
        for (int r = 0; r < 7; r++) {
            const uint8_t *o = ember_b3_schedule[r];
            G(0, 4, 8, 12, m[o[0]], m[o[1]]);
            G(1, 5, 9, 13, m[o[2]], m[o[3]]);
            G(2, 6, 10, 14, m[o[4]], m[o[5]]);
            G(3, 7, 11, 15, m[o[6]], m[o[7]]);
            G(0, 5, 10, 15, m[o[8]], m[o[9]]);
            G(1, 6, 11, 12, m[o[10]], m[o[11]]);
            G(2, 7, 8, 13, m[o[12]], m[o[13]]);
            G(3, 4, 9, 14, m[o[14]], m[o[15]]);
        }
        for (int i = 0; i < 8; i++) h[i] = xor_(v[i], v[i + 8]);
    }
    transpose4(h);
    transpose4(h + 4);
    for (int lane = 0; lane < 4; lane++) {
        _mm_storeu_si128((__m128i *)(out + 32 * lane), h[lane]);
        _mm_storeu_si128((__m128i *)(out + 32 * lane + 16), h[lane + 4]);
    }
}
#endif
