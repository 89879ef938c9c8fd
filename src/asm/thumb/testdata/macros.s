@ Macros and repetitions in Thumb code: a save/restore pair, a label per use (\@, which '@'
@ comments must not swallow), .rept of halfword NOPs, .irp over registers, .if on a constant.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .equ    LANES, 2

        .macro  save regs:vararg
        push    {\regs}
        .endm

        .macro  restore regs:vararg
        pop     {\regs}
        .endm

        .macro  spin count=3
wait_\@:
        subs    r0, #1
        bne     wait_\@
        .endm

        .text
        .global _start
        .thumb_func
_start:
        save    r4, r5, lr
        movs    r0, #3
        spin
        .rept   LANES
        nop
        .endr
        .irp    reg, r1, r2, r3
        movs    \reg, #0
        .endr
        .if     LANES > 1
        adds    r1, r1, #LANES
        .else
        adds    r1, r1, #1
        .endif
        movs    r0, #1
        spin    count=1
        restore r4, r5, pc
