// Blake3 compression kernels and the incremental hasher state, in C so that SIMD kernels can be
// compiled for AVX2 or SSE4.1 per function and chosen at run time, while the rest of the binary stays
// baseline x86-64.
#ifndef EMBER_BLAKE3_H
#define EMBER_BLAKE3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EMBER_B3_BLOCK_LEN 64
#define EMBER_B3_CHUNK_LEN 1024
#define EMBER_B3_OUT_LEN 32
// Enough for 2^54 chunks, far beyond any input a 64-bit length can describe.
#define EMBER_B3_MAX_DEPTH 54

enum ember_b3_flag {
    EMBER_B3_CHUNK_START = 1 << 0,
    EMBER_B3_CHUNK_END = 1 << 1,
    EMBER_B3_PARENT = 1 << 2,
    EMBER_B3_ROOT = 1 << 3,
    EMBER_B3_KEYED_HASH = 1 << 4,
    EMBER_B3_DERIVE_KEY_CONTEXT = 1 << 5,
    EMBER_B3_DERIVE_KEY_MATERIAL = 1 << 6,
};

/// The kernels, in increasing order of speed; each needs the CPU features its name says.
enum ember_b3_kernel {
    EMBER_B3_KERNEL_SCALAR = 0,
    EMBER_B3_KERNEL_SSE41 = 1,
    EMBER_B3_KERNEL_AVX2 = 2,
};

/// The fastest kernel this CPU and operating system can execute.
int ember_b3_best_kernel(void);

/// How many inputs the kernel hashes side by side.
size_t ember_b3_kernel_lanes(int kernel);

/// Hashes `count` inputs of equal length `input_len` side by side, each as one chunk or parent:
/// block i of every input is compressed with `flags`, plus `flags_start` on the first block and
/// `flags_end` on the last. Input j uses counter `counter + j` when `increment_counter`, else
/// `counter`. Writes `count` 32-byte chaining values to `out`. `input_len` is at most one chunk.
void ember_b3_hash_many(int kernel, const uint8_t *const *inputs, size_t count, size_t input_len,
                        const uint32_t key[8], uint64_t counter, bool increment_counter, uint8_t flags,
                        uint8_t flags_start, uint8_t flags_end, uint8_t *out);

/// The streaming hasher: one chunk in progress plus a stack of completed subtree chaining values.
typedef struct {
    uint32_t key[8];
    uint32_t chunk_cv[8];
    uint64_t chunk_counter;
    uint8_t block[EMBER_B3_BLOCK_LEN];
    uint8_t block_len;
    uint8_t blocks_compressed;
    uint8_t flags;
    uint8_t cv_stack_len;
    uint8_t cv_stack[EMBER_B3_MAX_DEPTH * EMBER_B3_OUT_LEN];
    int kernel;
} ember_b3_hasher;

void ember_b3_hasher_init(ember_b3_hasher *self, const uint32_t key[8], uint8_t flags, int kernel);
void ember_b3_hasher_update(ember_b3_hasher *self, const void *input, size_t input_len);
/// Writes `out_len` bytes of output starting at byte `seek` of the extended output stream.
void ember_b3_hasher_finalize(const ember_b3_hasher *self, uint64_t seek, uint8_t *out, size_t out_len);

/// The Blake3 initialisation vector, also the key of unkeyed hashing.
extern const uint32_t ember_b3_iv[8];

/// Hashes `count` contiguous inputs of `input_len` bytes each (at most one chunk, 1024 bytes) to
/// 32-byte digests, side by side through `kernel`.
void ember_b3_hash_short_many(int kernel, const uint8_t *inputs, size_t count, size_t input_len, uint8_t *out);

/// `H(H(x))` of `count` contiguous inputs of `input_len` bytes each (at most 1024): the mining hash.
void ember_b3_double_hash_short_many(int kernel, const uint8_t *inputs, size_t count, size_t input_len,
                                     uint8_t *out);

#endif
