/* Fixed-width types for a freestanding RV32IM program (no libc headers). */
#ifndef SPV_TYPES_H
#define SPV_TYPES_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned long size_t;

#endif
