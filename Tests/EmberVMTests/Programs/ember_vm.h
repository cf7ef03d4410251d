/* The EmberVM program interface (DESIGN.md section 14): main(length, input) receives the input
 * mapped at 0x30000000; the result is written length-prefixed at 0x38000000; main's return value
 * is the exit code passed to ecall 93 by start.S. No libc: the few helpers gcc may call are here. */
#ifndef EMBER_VM_H
#define EMBER_VM_H

typedef unsigned int u32;
typedef unsigned char u8;
typedef unsigned long size_t;

#define EMBER_OUTPUT ((volatile u32 *)0x38000000)
#define EMBER_OUTPUT_BYTES ((volatile u8 *)0x38000004)

static inline void ember_output(const u8 *bytes, u32 length) {
    EMBER_OUTPUT[0] = length;
    for (u32 i = 0; i < length; i++) EMBER_OUTPUT_BYTES[i] = bytes[i];
}

void *memset(void *target, int value, size_t count);
void *memcpy(void *target, const void *source, size_t count);

#endif
