/* The portable Blake3 compression, with the seven rounds written out so the message schedule folds
 * into constant offsets and the sixteen state words can live in registers. */
#include "blake3.h"

enum { BLOCK_BYTES = 64, CHUNK_START = 1, CHUNK_END = 2, ROOT = 8 };

static const u32 IV[8] = {
    0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
};

/* Which message word each of a round's sixteen inputs takes: the specification's permutation applied
 * r times, so no words are moved between rounds. */
static const u8 SCHEDULE[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

#define G(a, b, c, d, x, y)                                                                        \
    do {                                                                                           \
        a = a + b + (x);                                                                           \
        d = ROTR(d ^ a, 16);                                                                       \
        c = c + d;                                                                                 \
        b = ROTR(b ^ c, 12);                                                                       \
        a = a + b + (y);                                                                           \
        d = ROTR(d ^ a, 8);                                                                        \
        c = c + d;                                                                                 \
        b = ROTR(b ^ c, 7);                                                                        \
    } while (0)

#define ROUND(r)                                                                                   \
    do {                                                                                           \
        const u8 *s = SCHEDULE[r];                                                                 \
        G(v0, v4, v8, v12, m[s[0]], m[s[1]]);                                                      \
        G(v1, v5, v9, v13, m[s[2]], m[s[3]]);                                                      \
        G(v2, v6, v10, v14, m[s[4]], m[s[5]]);                                                     \
        G(v3, v7, v11, v15, m[s[6]], m[s[7]]);                                                     \
        G(v0, v5, v10, v15, m[s[8]], m[s[9]]);                                                     \
        G(v1, v6, v11, v12, m[s[10]], m[s[11]]);                                                   \
        G(v2, v7, v8, v13, m[s[12]], m[s[13]]);                                                    \
        G(v3, v4, v9, v14, m[s[14]], m[s[15]]);                                                    \
    } while (0)

/* Compresses one block into the chaining value `cv`; the chunk counter is always 0 here (one chunk). */
static void compress(u32 cv[8], const u32 m[16], u32 block_length, u32 flags) {
    u32 v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
    u32 v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3], v12 = 0, v13 = 0, v14 = block_length, v15 = flags;
    ROUND(0);
    ROUND(1);
    ROUND(2);
    ROUND(3);
    ROUND(4);
    ROUND(5);
    ROUND(6);
    cv[0] = v0 ^ v8;
    cv[1] = v1 ^ v9;
    cv[2] = v2 ^ v10;
    cv[3] = v3 ^ v11;
    cv[4] = v4 ^ v12;
    cv[5] = v5 ^ v13;
    cv[6] = v6 ^ v14;
    cv[7] = v7 ^ v15;
}

/* The block's bytes as little-endian words, zero-padded past `length`. */
static void load_block(u32 words[16], const u8 *bytes, u32 length) {
    u32 word = 0;
    for (; word < length / 4; word++)
        words[word] = (u32)bytes[4 * word] | (u32)bytes[4 * word + 1] << 8 | (u32)bytes[4 * word + 2] << 16 |
                      (u32)bytes[4 * word + 3] << 24;
    if (word < 16) {
        u32 tail = 0;
        for (u32 i = 0; i < length % 4; i++) tail |= (u32)bytes[4 * word + i] << (8 * i);
        words[word++] = tail;
    }
    for (; word < 16; word++) words[word] = 0;
}

void blake3_hash_chunk(const u8 *input, u32 length, u32 out[8]) {
    for (u32 i = 0; i < 8; i++) out[i] = IV[i];
    u32 words[16];
    u32 flags = CHUNK_START;
    /* An empty input is still one (empty) block. */
    while (length > BLOCK_BYTES) {
        load_block(words, input, BLOCK_BYTES);
        compress(out, words, BLOCK_BYTES, flags);
        flags = 0;
        input += BLOCK_BYTES;
        length -= BLOCK_BYTES;
    }
    load_block(words, input, length);
    compress(out, words, length, flags | CHUNK_END | ROOT);
}
