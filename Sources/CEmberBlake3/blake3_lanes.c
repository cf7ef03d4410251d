// Whole hashes of many short inputs at once: the shape of mining, where every attempt hashes a header
// that differs from its neighbours only in the nonce.
#include "blake3_internal.h"

#define BATCH 64

void ember_b3_hash_short_many(int kernel, const uint8_t *inputs, size_t count, size_t input_len, uint8_t *out) {
    const uint8_t *pointers[BATCH];
    const uint8_t flags_end = EMBER_B3_CHUNK_END | EMBER_B3_ROOT;
    while (count > 0) {
        size_t batch = count < BATCH ? count : BATCH;
        for (size_t i = 0; i < batch; i++) pointers[i] = inputs + i * input_len;
        ember_b3_hash_many(kernel, pointers, batch, input_len, ember_b3_iv, 0, false, 0, EMBER_B3_CHUNK_START,
                           flags_end, out);
        inputs += batch * input_len;
        out += batch * EMBER_B3_OUT_LEN;
        count -= batch;
    }
}

void ember_b3_double_hash_short_many(int kernel, const uint8_t *inputs, size_t count, size_t input_len,
                                     uint8_t *out) {
    uint8_t first[BATCH * EMBER_B3_OUT_LEN];
    while (count > 0) {
        size_t batch = count < BATCH ? count : BATCH;
        ember_b3_hash_short_many(kernel, inputs, batch, input_len, first);
        ember_b3_hash_short_many(kernel, first, batch, EMBER_B3_OUT_LEN, out);
        inputs += batch * input_len;
        out += batch * EMBER_B3_OUT_LEN;
        count -= batch;
    }
}
