@ An ARMv6-M (Cortex-M0) program: only the 16-bit instructions plus BL, MRS, MSR and barriers;
@ literal pools for every constant, as GNU as does for ARMv6-M.
        .syntax unified
        .cpu cortex-m0
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        ldr     r0, =0x12
        ldr     r1, =0x12345678
        ldr     r2, =buffer
        movs    r3, #10
        mov     r8, r3
        adds    r3, r3, r0
        subs    r3, #1
        muls    r3, r0, r3
        lsls    r3, r3, #2
        ands    r3, r0
        rsbs    r3, r3, #0
        cmp     r3, r8
        str     r3, [r2]
        str     r3, [r2, #4]
        ldrh    r4, [r2, #2]
        ldrsb   r5, [r2, r0]
        push    {r4-r7, lr}
        pop     {r4-r7}
        pop     {r0}
        mov     lr, r0
        sxtb    r6, r1
        uxth    r6, r1
        rev     r6, r1
        mrs     r0, primask
        msr     primask, r0
        cpsid   i
        cpsie   i
        dmb
        dsb
        isb
        beq     1f
        bl      helper
1:      b       1b
        .align  3
        .thumb_func
helper:
        nop
        bx      lr
        .data
buffer: .word   0, 0
        .word   helper
