// The incremental hasher: the chunk in progress, a stack of subtree chaining values, and whole
// subtrees of the input hashed many chunks at a time through the active kernel.
#include <string.h>

#include "blake3_internal.h"

// Chunks hashed side by side in one subtree; large enough to keep the widest kernel busy on parents.
#define MAX_SUBTREE_CHUNKS 64

static void chunk_reset(ember_b3_hasher *self, uint64_t chunk_counter) {
    memcpy(self->chunk_cv, self->key, sizeof(self->chunk_cv));
    self->chunk_counter = chunk_counter;
    memset(self->block, 0, sizeof(self->block));
    self->block_len = 0;
    self->blocks_compressed = 0;
}

static size_t chunk_len(const ember_b3_hasher *self) {
    return (size_t)self->blocks_compressed * EMBER_B3_BLOCK_LEN + self->block_len;
}

static uint8_t chunk_start_flag(const ember_b3_hasher *self) {
    return self->blocks_compressed == 0 ? EMBER_B3_CHUNK_START : 0;
}

/// Absorbs bytes into the chunk; the last block stays buffered until more input shows it is not last.
static void chunk_update(ember_b3_hasher *self, const uint8_t *input, size_t input_len) {
    while (input_len > 0) {
        if (self->block_len == EMBER_B3_BLOCK_LEN) {
            ember_b3_compress_in_place(self->chunk_cv, self->block, EMBER_B3_BLOCK_LEN,
                                       self->chunk_counter, self->flags | chunk_start_flag(self));
            self->blocks_compressed++;
            self->block_len = 0;
            memset(self->block, 0, sizeof(self->block));
        }
        size_t take = EMBER_B3_BLOCK_LEN - self->block_len;
        if (take > input_len) take = input_len;
        memcpy(self->block + self->block_len, input, take);
        self->block_len += (uint8_t)take;
        input += take;
        input_len -= take;
    }
}

/// What a node compresses last: either a chunk's final block or a parent block.
typedef struct {
    uint32_t cv[8];
    uint8_t block[EMBER_B3_BLOCK_LEN];
    uint8_t block_len;
    uint64_t counter;
    uint8_t flags;
} node_output;

static node_output chunk_output(const ember_b3_hasher *self) {
    node_output o;
    memcpy(o.cv, self->chunk_cv, sizeof(o.cv));
    memcpy(o.block, self->block, sizeof(o.block));
    o.block_len = self->block_len;
    o.counter = self->chunk_counter;
    o.flags = self->flags | chunk_start_flag(self) | EMBER_B3_CHUNK_END;
    return o;
}

static node_output parent_output(const uint8_t left[32], const uint8_t right[32], const uint32_t key[8],
                                 uint8_t flags) {
    node_output o;
    memcpy(o.cv, key, sizeof(o.cv));
    memcpy(o.block, left, 32);
    memcpy(o.block + 32, right, 32);
    o.block_len = EMBER_B3_BLOCK_LEN;
    o.counter = 0;
    o.flags = flags | EMBER_B3_PARENT;
    return o;
}

static void output_chaining_value(const node_output *o, uint8_t out[32]) {
    uint32_t cv[8];
    memcpy(cv, o->cv, sizeof(cv));
    ember_b3_compress_in_place(cv, o->block, o->block_len, o->counter, o->flags);
    for (int i = 0; i < 8; i++) ember_b3_store32(out + 4 * i, cv[i]);
}

/// Collapses the stack so it holds one entry per set bit of `total_chunks`, the chunks it covers.
static void merge_cv_stack(ember_b3_hasher *self, uint64_t total_chunks) {
    size_t target_len = (size_t)__builtin_popcountll(total_chunks);
    while (self->cv_stack_len > target_len) {
        uint8_t *left = self->cv_stack + (size_t)(self->cv_stack_len - 2) * 32;
        node_output parent = parent_output(left, left + 32, self->key, self->flags);
        output_chaining_value(&parent, left);
        self->cv_stack_len--;
    }
}

static void push_cv(ember_b3_hasher *self, const uint8_t cv[32], uint64_t chunk_counter) {
    merge_cv_stack(self, chunk_counter);
    memcpy(self->cv_stack + (size_t)self->cv_stack_len * 32, cv, 32);
    self->cv_stack_len++;
}

/// Hashes `chunks` whole chunks (a power of two) into the chaining value of their subtree.
static void hash_subtree(const ember_b3_hasher *self, const uint8_t *input, size_t chunks, uint8_t out[32]) {
    uint8_t level_a[MAX_SUBTREE_CHUNKS * 32];
    uint8_t level_b[MAX_SUBTREE_CHUNKS * 32];
    const uint8_t *inputs[MAX_SUBTREE_CHUNKS];
    for (size_t i = 0; i < chunks; i++) inputs[i] = input + i * EMBER_B3_CHUNK_LEN;
    ember_b3_hash_many(self->kernel, inputs, chunks, EMBER_B3_CHUNK_LEN, self->key, self->chunk_counter,
                       true, self->flags, EMBER_B3_CHUNK_START, EMBER_B3_CHUNK_END, level_a);
    uint8_t *current = level_a, *next = level_b;
    size_t nodes = chunks;
    while (nodes > 1) {
        size_t parents = nodes / 2;
        for (size_t i = 0; i < parents; i++) inputs[i] = current + 64 * i;
        ember_b3_hash_many(self->kernel, inputs, parents, EMBER_B3_BLOCK_LEN, self->key, 0, false,
                           self->flags | EMBER_B3_PARENT, 0, 0, next);
        uint8_t *swap = current;
        current = next;
        next = swap;
        nodes = parents;
    }
    memcpy(out, current, 32);
}

void ember_b3_hasher_init(ember_b3_hasher *self, const uint32_t key[8], uint8_t flags, int kernel) {
    memcpy(self->key, key, sizeof(self->key));
    self->flags = flags;
    self->cv_stack_len = 0;
    self->kernel = kernel;
    chunk_reset(self, 0);
}

void ember_b3_hasher_update(ember_b3_hasher *self, const void *data, size_t input_len) {
    const uint8_t *input = (const uint8_t *)data;
    if (chunk_len(self) > 0) {
        size_t take = EMBER_B3_CHUNK_LEN - chunk_len(self);
        if (take > input_len) take = input_len;
        chunk_update(self, input, take);
        input += take;
        input_len -= take;
        if (input_len == 0) return;
        // The chunk is full and more input follows, so it is not the root: finish it.
        node_output o = chunk_output(self);
        uint8_t cv[32];
        output_chaining_value(&o, cv);
        push_cv(self, cv, self->chunk_counter);
        chunk_reset(self, self->chunk_counter + 1);
    }
    // At a chunk boundary: hash whole aligned subtrees while strictly more input remains, so the
    // last chunk always stays in the chunk state for finalisation.
    while (input_len > EMBER_B3_CHUNK_LEN) {
        size_t chunks = MAX_SUBTREE_CHUNKS;
        while (chunks * EMBER_B3_CHUNK_LEN >= input_len) chunks /= 2;
        while (self->chunk_counter % chunks != 0) chunks /= 2;
        uint8_t cv[32];
        hash_subtree(self, input, chunks, cv);
        push_cv(self, cv, self->chunk_counter);
        chunk_reset(self, self->chunk_counter + chunks);
        input += chunks * EMBER_B3_CHUNK_LEN;
        input_len -= chunks * EMBER_B3_CHUNK_LEN;
    }
    chunk_update(self, input, input_len);
    // Finalisation folds the stack from the top, so it must already hold one entry per set bit of
    // the chunks before the current one.
    merge_cv_stack(self, self->chunk_counter);
}

void ember_b3_hasher_finalize(const ember_b3_hasher *self, uint64_t seek, uint8_t *out, size_t out_len) {
    node_output root = chunk_output(self);
    if (self->cv_stack_len > 0) {
        uint8_t right[32];
        output_chaining_value(&root, right);
        for (size_t i = self->cv_stack_len; i-- > 0;) {
            root = parent_output(self->cv_stack + i * 32, right, self->key, self->flags);
            if (i > 0) output_chaining_value(&root, right);
        }
    }
    uint64_t block_counter = seek / EMBER_B3_BLOCK_LEN;
    size_t offset_in_block = (size_t)(seek % EMBER_B3_BLOCK_LEN);
    uint8_t block[64];
    while (out_len > 0) {
        ember_b3_compress_xof(root.cv, root.block, root.block_len, block_counter, root.flags | EMBER_B3_ROOT,
                              block);
        size_t take = EMBER_B3_BLOCK_LEN - offset_in_block;
        if (take > out_len) take = out_len;
        memcpy(out, block + offset_in_block, take);
        out += take;
        out_len -= take;
        offset_in_block = 0;
        block_counter++;
    }
}
