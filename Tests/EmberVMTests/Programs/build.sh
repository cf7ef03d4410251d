#!/bin/sh
# Rebuilds the committed ELF binaries from their C sources with Debian's gcc-riscv64-unknown-elf.
# CI does not install that compiler, so the binaries are committed beside the sources.
set -eu
cd "$(dirname "$0")"
for program in sha256 sort sieve; do
    riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 -O2 -static -nostdlib -ffreestanding -fno-builtin \
        -Wl,--no-relax -Wl,-e,_start -o "$program.elf" start.S runtime.c "$program.c" -lgcc
done
