// The portable kernel: one compression at a time, in plain C.
#include <string.h>

#include "blake3_internal.h"

const uint32_t ember_b3_iv[8] = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                                 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};

static inline uint32_t rotr32(uint32_t w, unsigned c) { return (w >> c) | (w << (32 - c)); }

static inline void g(uint32_t *s, int a, int b, int c, int d, uint32_t x, uint32_t y) {
    s[a] = s[a] + s[b] + x;
    s[d] = rotr32(s[d] ^ s[a], 16);
    s[c] = s[c] + s[d];
    s[b] = rotr32(s[b] ^ s[c], 12);
    s[a] = s[a] + s[b] + y;
    s[d] = rotr32(s[d] ^ s[a], 8);
    s[c] = s[c] + s[d];
    s[b] = rotr32(s[b] ^ s[c], 7);
}

void ember_b3_compress_rounds(const uint32_t cv[8], const uint8_t block[EMBER_B3_BLOCK_LEN],
                              uint8_t block_len, uint64_t counter, uint8_t flags, uint32_t s[16]) {
    uint32_t m[16];
    for (int i = 0; i < 16; i++) m[i] = ember_b3_load32(block + 4 * i);
    for (int i = 0; i < 8; i++) s[i] = cv[i];
    s[8] = ember_b3_iv[0];
    s[9] = ember_b3_iv[1];
    s[10] = ember_b3_iv[2];
    s[11] = ember_b3_iv[3];
    s[12] = (uint32_t)counter;
    s[13] = (uint32_t)(counter >> 32);
    s[14] = block_len;
    s[15] = flags;
    for (int r = 0; r < 7; r++) {
        const uint8_t *o = ember_b3_schedule[r];
        g(s, 0, 4, 8, 12, m[o[0]], m[o[1]]);
        g(s, 1, 5, 9, 13, m[o[2]], m[o[3]]);
        g(s, 2, 6, 10, 14, m[o[4]], m[o[5]]);
        g(s, 3, 7, 11, 15, m[o[6]], m[o[7]]);
        g(s, 0, 5, 10, 15, m[o[8]], m[o[9]]);
        g(s, 1, 6, 11, 12, m[o[10]], m[o[11]]);
        g(s, 2, 7, 8, 13, m[o[12]], m[o[13]]);
        g(s, 3, 4, 9, 14, m[o[14]], m[o[15]]);
    }
}

void ember_b3_compress_in_place(uint32_t cv[8], const uint8_t block[EMBER_B3_BLOCK_LEN],
                                uint8_t block_len, uint64_t counter, uint8_t flags) {
    uint32_t s[16];
    ember_b3_compress_rounds(cv, block, block_len, counter, flags, s);
    for (int i = 0; i < 8; i++) cv[i] = s[i] ^ s[i + 8];
}

void ember_b3_compress_xof(const uint32_t cv[8], const uint8_t block[EMBER_B3_BLOCK_LEN],
                           uint8_t block_len, uint64_t counter, uint8_t flags, uint8_t out[64]) {
    uint32_t s[16];
    ember_b3_compress_rounds(cv, block, block_len, counter, flags, s);
    for (int i = 0; i < 8; i++) {
        ember_b3_store32(out + 4 * i, s[i] ^ s[i + 8]);
        ember_b3_store32(out + 32 + 4 * i, s[i + 8] ^ cv[i]);
    }
}

static void hash_one(const uint8_t *input, size_t input_len, const uint32_t key[8], uint64_t counter,
                     uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t out[32]) {
    uint32_t cv[8];
    memcpy(cv, key, sizeof(cv));
    size_t blocks = input_len == 0 ? 1 : (input_len + EMBER_B3_BLOCK_LEN - 1) / EMBER_B3_BLOCK_LEN;
    for (size_t b = 0; b < blocks; b++) {
        size_t offset = b * EMBER_B3_BLOCK_LEN;
        size_t len = input_len - offset < EMBER_B3_BLOCK_LEN ? input_len - offset : EMBER_B3_BLOCK_LEN;
        uint8_t block[EMBER_B3_BLOCK_LEN] = {0};
        if (len > 0) memcpy(block, input + offset, len);
        uint8_t block_flags = flags;
        if (b == 0) block_flags |= flags_start;
        if (b + 1 == blocks) block_flags |= flags_end;
        ember_b3_compress_in_place(cv, block, (uint8_t)len, counter, block_flags);
    }
    for (int i = 0; i < 8; i++) ember_b3_store32(out + 4 * i, cv[i]);
}

void ember_b3_hash_many_portable(const uint8_t *const *inputs, size_t count, size_t input_len,
                                 const uint32_t key[8], uint64_t counter, bool increment_counter,
                                 uint8_t flags, uint8_t flags_start, uint8_t flags_end, uint8_t *out) {
    for (size_t i = 0; i < count; i++) {
        hash_one(inputs[i], input_len, key, counter, flags, flags_start, flags_end, out + 32 * i);
        if (increment_counter) counter++;
    }
}
