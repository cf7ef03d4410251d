#!/bin/sh
# Rebuilds spv.elf with the clang and ld.lld of the Swift toolchain (both target riscv32). The built
# ELF is committed, so posting the task needs no RISC-V toolchain. There is no libc: -fno-builtin
# keeps clang from turning the program's zeroing loops into memset calls.
set -eu
cd "$(dirname "$0")"
CLANG="${CLANG:-clang}"
"$CLANG" --target=riscv32-unknown-elf -march=rv32im -mabi=ilp32 -mno-strict-align \
    -O2 -ffreestanding -fno-builtin -nostdlib -static -fuse-ld=lld \
    -Wall -Wextra -Werror \
    -Wl,-T,spv.ld -Wl,--no-relax -Wl,--build-id=none -Wl,-z,max-page-size=16 \
    -o spv.elf start.S blake3.c spv.c
