/* Blake3-256 of an input of at most one chunk (1 024 bytes), all the SPV program hashes: a 109-byte
 * header, then its 32-byte hash. Written for this program alone; it follows the Blake3 specification
 * (https://github.com/BLAKE3-team/BLAKE3-specs), and the tests check it against the node's hashes. */
#ifndef SPV_BLAKE3_H
#define SPV_BLAKE3_H

#include "spv_types.h"

#define BLAKE3_CHUNK_BYTES 1024u
#define BLAKE3_OUT_BYTES 32u

/* The 32-byte hash of `length` ≤ BLAKE3_CHUNK_BYTES bytes, as eight little-endian words. */
void blake3_hash_chunk(const u8 *input, u32 length, u32 out[8]);

#endif
