/* SPV-like check of a chain of Ember block headers (DESIGN.md sections 5 and 6): each header's double
 * Blake3 proof of work against its own compact target, which must be canonical and not above the
 * maximum the input names, and each header's link to the one before it (parent hash, height + 1, a
 * later timestamp). Output: the anchor (the first header's parent), the tip hash, the total work
 * Σ ⌊2^256 / target⌋ and the header count. Formats and exit codes: README.md. */
#include "blake3.h"

enum {
    EXIT_VALID = 0,
    EXIT_MALFORMED_INPUT = 1,
    EXIT_BAD_TARGET = 2,
    EXIT_INSUFFICIENT_WORK = 3,
    EXIT_BROKEN_PARENT_LINK = 4,
    EXIT_WRONG_HEIGHT = 5,
    EXIT_TIMESTAMP_NOT_AFTER_PARENT = 6,
};

/* The header encoding (EmberCore BlockHeader+Codec): nonce 24 | version 1 | height 8 | parent 32 |
 * txRoot 32 | timestamp 8 | target 4, integers big-endian. */
enum {
    HEADER_BYTES = 109,
    VERSION_OFFSET = 24,
    HEIGHT_OFFSET = 25,
    PARENT_OFFSET = 33,
    TIMESTAMP_OFFSET = 97,
    TARGET_OFFSET = 105,
    HEADER_VERSION = 1,
};

/* Input: maximumTarget u32 | count u32 | count headers. */
enum { INPUT_PREFIX_BYTES = 8 };

/* Σ weight < count · 2^256 + 1 ≤ 2^288 (count < 2^32, weight ≤ 2^256 at target 1): 37 bytes, rounded
 * up to a whole number of 8-byte words so readers can split it without a remainder. */
enum { WORK_BYTES = 40 };

/* Output on success: anchor 32 | tip 32 | totalWork 40 | count u32; on failure: the index of the
 * header at fault (u32), or NO_HEADER when the input as a whole is malformed. */
enum { OUTPUT_BYTES = 32 + 32 + WORK_BYTES + 4 };
#define NO_HEADER 0xFFFFFFFFu

#define OUTPUT_LENGTH ((volatile u32 *)0x38000000)
#define OUTPUT_BYTES_AT ((volatile u8 *)0x38000004)

static void output(const u8 *bytes, u32 length) {
    for (u32 i = 0; i < length; i++) OUTPUT_BYTES_AT[i] = bytes[i];
    *OUTPUT_LENGTH = length;
}

static void put_u32(u8 *to, u32 value) {
    to[0] = (u8)(value >> 24);
    to[1] = (u8)(value >> 16);
    to[2] = (u8)(value >> 8);
    to[3] = (u8)value;
}

static u32 read_u32(const u8 *from) {
    return (u32)from[0] << 24 | (u32)from[1] << 16 | (u32)from[2] << 8 | from[3];
}

static u64 read_u64(const u8 *from) {
    return (u64)read_u32(from) << 32 | read_u32(from + 4);
}

static int fail(int code, u32 header_index) {
    u8 index[4];
    put_u32(index, header_index);
    output(index, 4);
    return code;
}

/* Canonical compact bits with a non-zero value (DESIGN.md section 6): size 1…32, the mantissa's top
 * byte set, and for sizes below 3 no mantissa bits that the decoding shifts out. For such bits the
 * value order is the order of the bits as integers, which the maximum check relies on. */
static int is_canonical_nonzero(u32 bits) {
    u32 size = bits >> 24, mantissa = bits & 0xFFFFFF;
    if (size < 1 || size > 32 || (mantissa >> 16) == 0) return 0;
    return size >= 3 || (mantissa & ((1u << (8 * (3 - size))) - 1)) == 0;
}

/* hash ≤ target, both read as big-endian 256-bit integers; the hash comes as Blake3's eight
 * little-endian words, so its byte j is byte j % 4 of word j / 4. */
static int meets_target(const u32 hash[8], u32 bits) {
    u32 size = bits >> 24, mantissa = bits & 0xFFFFFF;
    u8 target[32];
    for (u32 j = 0; j < 32; j++) target[j] = 0;
    /* The mantissa's three bytes sit at big-endian positions 32 − size … 34 − size; for a size below 3
     * the low ones fall off the end (they are zero in canonical bits). */
    for (u32 i = 0; i < 3; i++) {
        u32 position = 32 - size + i;
        if (position < 32) target[position] = (u8)(mantissa >> (16 - 8 * i));
    }
    const u8 *hash_bytes = (const u8 *)hash;
    for (u32 j = 0; j < 32; j++) {
        if (hash_bytes[j] != target[j]) return hash_bytes[j] < target[j];
    }
    return 1;
}

/* total += ⌊2^256 / t⌋ for canonical non-zero bits, total big-endian. With t = m · 2^(8(s − 3)) the
 * weight is ⌊2^(8(35 − s)) / m⌋ for s ≥ 3, and ⌊2^256 / (m >> 8(3 − s))⌋ below; either way a 1
 * followed by zero bytes divided by a divisor under 2^24, so schoolbook division one byte at a time
 * keeps every partial remainder, times 256 plus a byte, below 2^32. */
static void add_weight(u8 total[WORK_BYTES], u32 bits) {
    u32 size = bits >> 24, mantissa = bits & 0xFFFFFF;
    u32 divisor = size >= 3 ? mantissa : mantissa >> (8 * (3 - size));
    u32 zero_bytes = size >= 3 ? 35 - size : 32;
    u32 digits = zero_bytes + 1; /* ≤ 33 */
    u8 weight[33];
    u32 remainder = 0;
    for (u32 i = 0; i < digits; i++) {
        u32 current = remainder << 8 | (i == 0 ? 1u : 0u);
        weight[i] = (u8)(current / divisor);
        remainder = current % divisor;
    }
    u32 carry = 0;
    for (u32 i = 0; i < digits; i++) {
        u32 position = WORK_BYTES - 1 - i;
        u32 sum = (u32)total[position] + weight[digits - 1 - i] + carry;
        total[position] = (u8)sum;
        carry = sum >> 8;
    }
    for (u32 position = WORK_BYTES - 1 - digits; carry != 0; position--) {
        u32 sum = (u32)total[position] + carry;
        total[position] = (u8)sum;
        carry = sum >> 8;
    }
}

static int same_hash(const u8 *parent, const u32 hash[8]) {
    const u8 *hash_bytes = (const u8 *)hash;
    for (u32 i = 0; i < 32; i++) {
        if (parent[i] != hash_bytes[i]) return 0;
    }
    return 1;
}

int main(u32 length, const u8 *input) {
    if (length < INPUT_PREFIX_BYTES) return fail(EXIT_MALFORMED_INPUT, NO_HEADER);
    u32 maximum_target = read_u32(input);
    u32 count = read_u32(input + 4);
    u32 rest = length - INPUT_PREFIX_BYTES;
    if (!is_canonical_nonzero(maximum_target) || count == 0 || rest % HEADER_BYTES != 0 || rest / HEADER_BYTES != count)
        return fail(EXIT_MALFORMED_INPUT, NO_HEADER);

    u8 total[WORK_BYTES];
    for (u32 i = 0; i < WORK_BYTES; i++) total[i] = 0;
    u32 hash[8], previous_hash[8];
    u64 previous_height = 0, previous_timestamp = 0;
    const u8 *header = input + INPUT_PREFIX_BYTES;
    for (u32 index = 0; index < count; index++, header += HEADER_BYTES) {
        if (header[VERSION_OFFSET] != HEADER_VERSION) return fail(EXIT_MALFORMED_INPUT, index);
        u32 bits = read_u32(header + TARGET_OFFSET);
        if (!is_canonical_nonzero(bits) || bits > maximum_target) return fail(EXIT_BAD_TARGET, index);
        u32 first[8];
        blake3_hash_chunk(header, HEADER_BYTES, first);
        blake3_hash_chunk((const u8 *)first, BLAKE3_OUT_BYTES, hash);
        if (!meets_target(hash, bits)) return fail(EXIT_INSUFFICIENT_WORK, index);
        u64 height = read_u64(header + HEIGHT_OFFSET);
        u64 timestamp = read_u64(header + TIMESTAMP_OFFSET);
        if (index > 0) {
            if (!same_hash(header + PARENT_OFFSET, previous_hash)) return fail(EXIT_BROKEN_PARENT_LINK, index);
            if (previous_height == ~(u64)0 || height != previous_height + 1) return fail(EXIT_WRONG_HEIGHT, index);
            if (timestamp <= previous_timestamp) return fail(EXIT_TIMESTAMP_NOT_AFTER_PARENT, index);
        }
        add_weight(total, bits);
        for (u32 i = 0; i < 8; i++) previous_hash[i] = hash[i];
        previous_height = height;
        previous_timestamp = timestamp;
    }

    u8 result[OUTPUT_BYTES];
    const u8 *anchor = input + INPUT_PREFIX_BYTES + PARENT_OFFSET;
    const u8 *tip = (const u8 *)hash;
    for (u32 i = 0; i < 32; i++) {
        result[i] = anchor[i];
        result[32 + i] = tip[i];
    }
    for (u32 i = 0; i < WORK_BYTES; i++) result[64 + i] = total[i];
    put_u32(result + 64 + WORK_BYTES, count);
    output(result, OUTPUT_BYTES);
    return EXIT_VALID;
}
