// CPU feature detection and the choice of kernel for a batch of inputs.
#include "blake3_internal.h"

#ifdef EMBER_B3_X86
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

static int detect(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return EMBER_B3_KERNEL_SCALAR;
    const int sse41 = (ecx >> 19) & 1;
    const int ssse3 = (ecx >> 9) & 1;
    const int osxsave = (ecx >> 27) & 1;
    const int avx = (ecx >> 28) & 1;
    int best = (sse41 && ssse3) ? EMBER_B3_KERNEL_SSE41 : EMBER_B3_KERNEL_SCALAR;
    // AVX2 registers are usable only if the OS saves the YMM state (XCR0 bits 1 and 2).
    if (!(osxsave && avx) || (read_xcr0() & 0x6) != 0x6) return best;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return best;
    if ((ebx >> 5) & 1) best = EMBER_B3_KERNEL_AVX2;
    return best;
}
#endif

int ember_b3_best_kernel(void) {
#ifdef EMBER_B3_X86
    static int cached = -1;
    // A benign race: every thread computes the same value.
    if (cached < 0) cached = detect();
    return cached;
#else
    return EMBER_B3_KERNEL_SCALAR;
#endif
}

size_t ember_b3_kernel_lanes(int kernel) {
    switch (kernel) {
    case EMBER_B3_KERNEL_AVX2: return 8;
    case EMBER_B3_KERNEL_SSE41: return 4;
    default: return 1;
    }
}

void ember_b3_hash_many(int kernel, const uint8_t *const *inputs, size_t count, size_t input_len,
                        const uint32_t key[8], uint64_t counter, bool increment_counter, uint8_t flags,
                        uint8_t flags_start, uint8_t flags_end, uint8_t *out) {
    const uint64_t step = increment_counter ? 1 : 0;
#ifdef EMBER_B3_X86
    if (kernel >= EMBER_B3_KERNEL_AVX2) {
        while (count >= 8) {
            ember_b3_hash8_avx2(inputs, input_len, key, counter, increment_counter, flags, flags_start,
                                flags_end, out);
            inputs += 8;
            count -= 8;
            counter += 8 * step;
            out += 8 * EMBER_B3_OUT_LEN;
        }
    }
    if (kernel >= EMBER_B3_KERNEL_SSE41) {
        while (count >= 4) {
            ember_b3_hash4_sse41(inputs, input_len, key, counter, increment_counter, flags, flags_start,
                                 flags_end, out);
            inputs += 4;
            count -= 4;
            counter += 4 * step;
            out += 4 * EMBER_B3_OUT_LEN;
        }
    }
#else
    (void)kernel;
#endif
    ember_b3_hash_many_portable(inputs, count, input_len, key, counter, increment_counter, flags,
                                flags_start, flags_end, out);
}
