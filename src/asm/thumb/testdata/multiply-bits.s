@ Multiply and divide, long multiplies, bitfields, saturation, extends and bit reversal.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        muls    r0, r1, r0
        muls    r0, r0, r1
        muls    r0, r1
        mul     r0, r1
        mul     r0, r1, r2
        mul     r8, r9, r10
        mul.w   r0, r1, r0
        mla     r0, r1, r2, r3
        mls     r4, r5, r6, r7
        smull   r0, r1, r2, r3
        umull   r4, r5, r6, r7
        smlal   r8, r9, r10, r11
        umlal   r0, r12, r2, lr
        sdiv    r0, r1, r2
        udiv    r3, r4, r5
        udiv    r3, r4
        bfi     r0, r1, #0, #1
        bfi     r0, r1, #4, #8
        bfi     r9, r10, #31, #1
        bfc     r2, #8, #16
        bfc     r2, #0, #32
        sbfx    r3, r4, #1, #31
        ubfx    r3, r4, #20, #12
        ssat    r0, #8, r1
        ssat    r0, #32, r1, asr #3
        ssat    r0, #1, r1, lsl #31
        usat    r0, #0, r1
        usat    r0, #31, r1, lsl #4
        sxtb    r0, r1
        sxth    r0, r1
        uxtb    r0, r1
        uxth    r0, r1
        sxtb    r8, r1
        uxtb    r0, r1, ror #8
        uxth    r0, r1, ror #16
        sxth    r0, r1, ror #24
        sxtb.w  r0, r1
        clz     r0, r1
        clz     r10, r11
        rbit    r2, r3
        rev     r0, r1
        rev16   r2, r3
        revsh   r4, r5
        rev     r8, r1
        rev16   r2, r9
        revsh.w r4, r5
1:      b       1b
