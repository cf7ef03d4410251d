// The AVX2 kernel: eight inputs side by side, one 32-bit word of each in every 256-bit register.
// Compiled for AVX2 per function, so the rest of the binary stays baseline x86-64; called only after
// ember_b3_best_kernel has confirmed the CPU and the operating system support it.
#include "blake3_internal.h"

#ifdef EMBER_B3_X86
#include <immintrin.h>
#include <string.h>

#define AVX2 __attribute__((target("avx2")))

AVX2 static inline __m256i add(__m256i a, __m256i b) { return _mm256_add_epi32(a, b); }
AVX2 static inline __m256i xor_(__m256i a, __m256i b) { return _mm256_xor_si256(a, b); }

AVX2 static inline __m256i rot16(__m256i x) {
    const __m256i mask = _mm256_set_epi8(13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2,
                                         13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2);
    return _mm256_shuffle_epi8(x, mask);
}

AVX2 static inline __m256i rot12(__m256i x) {
    return _mm256_or_si256(_mm256_srli_epi32(x, 12), _mm256_slli_epi32(x, 20));
}

AVX2 static inline __m256i rot8(__m256i x) {
    const __m256i mask = _mm256_set_epi8(12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1,
                                         12, 15, 14, 13, 8, 11, 10, 9, 4, 7, 6, 5, 0, 3, 2, 1);
    return _mm256_shuffle_epi8(x, mask);
}

AVX2 static inline __m256i rot7(__m256i x) {
    return _mm256_or_si256(_mm256_srli_epi32(x, 7), _mm256_slli_epi32(x, 25));
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

/// Turns eight rows of eight words into eight columns: afterwards v[w] holds word w of every row.
AVX2 static inline void transpose8(__m256i v[8]) {
    __m256i ab_lo = _mm256_unpacklo_epi32(v[0], v[1]);
    __m256i ab_hi = _mm256_unpackhi_epi32(v[0], v[1]);
    __m256i cd_lo = _mm256_unpacklo_epi32(v[2], v[3]);
    __m256i cd_hi = _mm256_unpackhi_epi32(v[2], v[3]);
    __m256i ef_lo = _mm256_unpacklo_epi32(v[4], v[5]);
    __m256i ef_hi = _mm256_unpackhi_epi32(v[4], v[5]);
    __m256i gh_lo = _mm256_unpacklo_epi32(v[6], v[7]);
    __m256i gh_hi = _mm256_unpackhi_epi32(v[6], v[7]);

    __m256i abcd_04 = _mm256_unpacklo_epi64(ab_lo, cd_lo);
    __m256i abcd_15 = _mm256_unpackhi_epi64(ab_lo, cd_lo);
    __m256i abcd_26 = _mm256_unpacklo_epi64(ab_hi, cd_hi);
    __m256i abcd_37 = _mm256_unpackhi_epi64(ab_hi, cd_hi);
    __m256i efgh_04 = _mm256_unpacklo_epi64(ef_lo, gh_lo);
    __m256i efgh_15 = _mm256_unpackhi_epi64(ef_lo, gh_lo);
    __m256i efgh_26 = _mm256_unpacklo_epi64(ef_hi, gh_hi);
    __m256i efgh_37 = _mm256_unpackhi_epi64(ef_hi, gh_hi);

    v[0] = _mm256_permute2x128_si256(abcd_04, efgh_04, 0x20);
    v[4] = _mm256_permute2x128_si256(abcd_04, efgh_04, 0x31);
    v[1] = _mm256_permute2x128_si256(abcd_15, efgh_15, 0x20);
    v[5] = _mm256_permute2x128_si256(abcd_15, efgh_15, 0x31);
    v[2] = _mm256_permute2x128_si256(abcd_26, efgh_26, 0x20);
    v[6] = _mm256_permute2x128_si256(abcd_26, efgh_26, 0x31);
    v[3] = _mm256_permute2x128_si256(abcd_37, efgh_37, 0x20);
    v[7] = _mm256_permute2x128_si256(abcd_37, efgh_37, 0x31);
}

AVX2 static inline void load_message(const uint8_t *const blocks[8], __m256i m[16]) {
    for (int lane = 0; lane < 8; lane++) {
        m[lane] = _mm256_loadu_si256((const __m256i *)blocks[lane]);
        m[lane + 8] = _mm256_loadu_si256((const __m256i *)(blocks[lane] + 32));
    }
    transpose8(m);
    transpose8(m + 8);
}

AVX2 void ember_b3_hash8_avx2(const uint8_t *const *inputs, size_t input_len, const uint32_t key[8],
                              uint64_t counter, bool increment_counter, uint8_t flags,
                              uint8_t flags_start, uint8_t flags_end, uint8_t *out) {
    __m256i h[8];
    for (int i = 0; i < 8; i++) h[i] = _mm256_set1_epi32((int)key[i]);
    uint32_t counter_low[8], counter_high[8];
    for (int lane = 0; lane < 8; lane++) {
        uint64_t lane_counter = counter + (increment_counter ? (uint64_t)lane : 0);
        counter_low[lane] = (uint32_t)lane_counter;
        counter_high[lane] = (uint32_t)(lane_counter >> 32);
    }
    const __m256i counter_low_v = _mm256_loadu_si256((const __m256i *)counter_low);
    const __m256i counter_high_v = _mm256_loadu_si256((const __m256i *)counter_high);

    size_t blocks = input_len == 0 ? 1 : (input_len + EMBER_B3_BLOCK_LEN - 1) / EMBER_B3_BLOCK_LEN;
    uint8_t padded[8][EMBER_B3_BLOCK_LEN];
    for (size_t b = 0; b < blocks; b++) {
        size_t offset = b * EMBER_B3_BLOCK_LEN;
        size_t len = input_len - offset < EMBER_B3_BLOCK_LEN ? input_len - offset : EMBER_B3_BLOCK_LEN;
        const uint8_t *block_ptrs[8];
        for (int lane = 0; lane < 8; lane++) {
            if (len == EMBER_B3_BLOCK_LEN) {
                block_ptrs[lane] = inputs[lane] + offset;
            } else {
                memset(padded[lane], 0, EMBER_B3_BLOCK_LEN);
                if (len > 0) memcpy(padded[lane], inputs[lane] + offset, len);
                block_ptrs[lane] = padded[lane];
            }
        }
        __m256i m[16];
        load_message(block_ptrs, m);

        uint8_t block_flags = flags;
        if (b == 0) block_flags |= flags_start;
        if (b + 1 == blocks) block_flags |= flags_end;

        __m256i v[16] = {
            h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7],
            _mm256_set1_epi32((int)ember_b3_iv[0]), _mm256_set1_epi32((int)ember_b3_iv[1]),
            _mm256_set1_epi32((int)ember_b3_iv[2]), _mm256_set1_epi32((int)ember_b3_iv[3]),
            counter_low_v, counter_high_v,
            _mm256_set1_epi32((int)len), _mm256_set1_epi32((int)block_flags),
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
    transpose8(h);
    for (int lane = 0; lane < 8; lane++) _mm256_storeu_si256((__m256i *)(out + 32 * lane), h[lane]);
}
#endif
