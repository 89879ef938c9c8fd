/*
 * Startup for bare-metal RV32 firmware linked at RAM base 0x80000000.
 * Runs on hart 0 in M-mode with no firmware underneath (QEMU: -bios none).
 * Sets gp and sp, zeroes .bss, calls main(), then ends the run through the
 * finisher: main() == 0 -> pass (0x5555), otherwise fail with code main()
 * ((code << 16) | 0x3333; a code whose low 16 bits are 0 becomes 1).
 */
#include "finish.inc"

    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:
    call    main

    finish_with_a0
    .size _start, . - _start
