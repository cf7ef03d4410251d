// Declarations shared by the kernel files; not part of the public header.
#ifndef EMBER_BLAKE3_INTERNAL_H
#define EMBER_BLAKE3_INTERNAL_H

#include "include/ember_blake3.h"

/// The message word order of each of the 7 rounds (the permutation applied 0 to 6 times). Static in
/// every kernel file so the compiler can unroll the rounds with constant indices.
static const uint8_t ember_b3_schedule[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

static inline uint32_t ember_b3_load32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline void ember_b3_store32(uint8_t *p, uint32_t w) {
    p[0] = (uint8_t)w;
    p[1] = (uint8_t)(w >> 8);
    p[2] = (uint8_t)(w >> 16);
    p[3] = (uint8_t)(w >> 24);
}

/// The full 16-word state after the 7 rounds, before any feed-forward.
void ember_b3_compress_rounds(const uint32_t cv[8], const uint8_t block[EMBER_B3_BLOCK_LEN],
                              uint8_t block_len, uint64_t counter, uint8_t flags, uint32_t state[16]);

/// Compresses one block into `cv` (the truncated, chaining-value form).
void ember_b3_compress_in_place(uint32_t cv[8], const uint8_t block[EMBER_B3_BLOCK_LEN],
                                uint8_t block_len, uint64_t counter, uint8_t flags);

/// One 64-byte block of extended output.
void ember_b3_compress_xof(const uint32_t cv[8], const uint8_t block[EMBER_B3_BLOCK_LEN],
                           uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64]);

void ember_b3_hash_many_portable(const uint8_t *const *inputs, size_t count, size_t input_len,
                                 const uint32_t key[8], uint64_t counter, bool increment_counter,
                                 uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out);

#if defined(__x86_64__) || defined(_M_X64)
#define EMBER_B3_X86 1
/// Exactly 4 inputs, side by side in SSE registers.
void ember_b3_hash4_sse41(const uint8_t *const *inputs, size_t input_len, const uint32_t key[8],
                          uint64_t counter, bool increment_counter, uint8_t flags, uint8_t flags_start,
                          uint8_t flags_end, uint8_t *out);
/// Exactly 8 inputs, side by side in AVX2 registers.
void ember_b3_hash8_avx2(const uint8_t *const *inputs, size_t input_len, const uint32_t key[8],
                         uint64_t counter, bool increment_counter, uint8_t flags, uint8_t flags_start,
                         uint8_t flags_end, uint8_t *out);
#endif

#endif
