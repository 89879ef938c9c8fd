/*
 * Startup for bare-metal RV32 firmware linked at RAM base 0x80000000.
 * Runs on hart 0 in M-mode with no firmware underneath (QEMU: -bios none).
 * Sets gp and sp, zeroes .bss, calls main(), then ends the run through the
 * finisher: main() == 0 -> pass (0x5555), otherwise fail with code main()
 * ((code << 16) | 0x3333; a code whose low 16 bits are 0 becomes 1).
 */
#define FINISHER_BASE 0x00100000
#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555

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

    li      t0, FINISHER_BASE
    li      t1, FINISHER_PASS
    beqz    a0, 4f
    slli    a0, a0, 16
    bnez    a0, 3f
    li      a0, 1 << 16
3:  li      t1, FINISHER_FAIL
    or      t1, t1, a0
4:  sw      t1, 0(t0)
5:  j       5b
    .size _start, . - _start
