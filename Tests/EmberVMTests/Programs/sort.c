/* Sorts the input read as little-endian signed 32-bit integers (bottom-up merge sort) and outputs
 * them sorted, in the same encoding. Exit code 1 if the input length is not a multiple of 4. */
#include "ember_vm.h"

#define SCRATCH ((int *)0x01000000)  /* free memory in the program window, far from code and data */

int main(u32 length, const u8 *input) {
    if (length % 4 != 0) return 1;
    u32 count = length / 4;
    int *a = SCRATCH, *b = SCRATCH + count;
    for (u32 i = 0; i < count; i++)
        a[i] = (int)((u32)input[4 * i] | (u32)input[4 * i + 1] << 8 | (u32)input[4 * i + 2] << 16 | (u32)input[4 * i + 3] << 24);
    for (u32 width = 1; width < count; width *= 2) {
        for (u32 low = 0; low < count; low += 2 * width) {
            u32 middle = low + width < count ? low + width : count;
            u32 high = low + 2 * width < count ? low + 2 * width : count;
            u32 i = low, j = middle, out = low;
            while (i < middle && j < high) b[out++] = a[i] <= a[j] ? a[i++] : a[j++];
            while (i < middle) b[out++] = a[i++];
            while (j < high) b[out++] = a[j++];
        }
        int *swap = a; a = b; b = swap;
    }
    EMBER_OUTPUT[0] = length;
    for (u32 i = 0; i < count; i++) {
        u32 value = (u32)a[i];
        for (int j = 0; j < 4; j++) EMBER_OUTPUT_BYTES[4 * i + j] = (u8)(value >> (8 * j));
    }
    return 0;
}
