/* Sieve of Eratosthenes up to N (the input: one little-endian 32-bit word, N below 2^24).
 * Output: the number of primes up to N, the largest one, and the sum of all of them modulo 2^32,
 * as three little-endian words. Exit code 1 for a malformed input. */
#include "ember_vm.h"

#define COMPOSITE ((u8 *)0x01000000)

int main(u32 length, const u8 *input) {
    if (length != 4) return 1;
    u32 n = (u32)input[0] | (u32)input[1] << 8 | (u32)input[2] << 16 | (u32)input[3] << 24;
    if (n >= (1u << 24)) return 1;
    u32 count = 0, largest = 0, sum = 0;
    for (u32 i = 2; i <= n; i++) {
        if (COMPOSITE[i]) continue;
        count++;
        largest = i;
        sum += i;
        for (u32 j = i * i; j <= n && i < 65536; j += i) COMPOSITE[j] = 1;
    }
    u32 result[3] = {count, largest, sum};
    ember_output((const u8 *)result, 12);
    return 0;
}
