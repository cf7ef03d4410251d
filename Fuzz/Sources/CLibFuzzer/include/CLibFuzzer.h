#ifndef EMBER_CLIBFUZZER_H
#define EMBER_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver, from the runtime `-sanitize=fuzzer` links: parses libFuzzer's flags in argv and
/// calls `callback` once per input. Harnesses call it from their own `main`, because SwiftPM gives
/// every executable a `main` of its own, which keeps libFuzzer's out of the link.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
