# Entry point: sp, a0 (input length) and a1 (input address) are set by the machine.
    .section .text.start
    .globl _start
_start:
    call main
    li a7, 93
    ecall
