/* What gcc may call on its own (struct copies, zeroing) in a freestanding program. */
#include "ember_vm.h"

void *memset(void *target, int value, size_t count) {
    u8 *bytes = target;
    while (count--) *bytes++ = (u8)value;
    return target;
}

void *memcpy(void *target, const void *source, size_t count) {
    u8 *to = target;
    const u8 *from = source;
    while (count--) *to++ = *from++;
    return target;
}
