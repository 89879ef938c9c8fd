@ Loads and stores: immediate (16-bit, 12-bit, negative, pre- and post-indexed), register with
@ shift, SP- and PC-relative, labels, doubles, exclusives, multiple, push and pop.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        ldr     r0, [r1]
        ldr     r0, [r1, #124]
        ldr     r0, [r1, #128]
        ldr     r0, [r1, #2]
        ldr     r0, [r1, #4095]
        ldr     r0, [r1, #-4]
        ldr     r0, [r1, #-255]
        ldr     r0, [r1, #4]!
        ldr     r0, [r1, #-4]!
        ldr     r0, [r1], #4
        ldr     r0, [r1], #-255
        ldr     r8, [r1]
        ldr     r0, [r9, #4]
        ldr     r0, [sp]
        ldr     r0, [sp, #1020]
        ldr     r0, [sp, #1024]
        ldr     r8, [sp, #4]
        ldr     r0, [r1, r2]
        ldr     r0, [r1, r2, lsl #2]
        ldr     r0, [r1, r9]
        ldr.w   r0, [r1]
        ldr.w   r0, [r1, r2]
        str     r0, [r1]
        str     r0, [r1, #124]
        str     r0, [r1, #-8]
        str     r0, [sp, #8]
        str     r0, [r1, #4]!
        str     r0, [r1], #4
        str     r0, [r1, r2]
        str     r0, [r1, r2, lsl #3]
        ldrb    r0, [r1, #31]
        ldrb    r0, [r1, #32]
        ldrb    r0, [r1, r2]
        strb    r0, [r1, #31]
        strb    r0, [r1, #-1]
        strb    r8, [r1, r2]
        ldrh    r0, [r1, #62]
        ldrh    r0, [r1, #63]
        ldrh    r0, [r1, #64]
        strh    r0, [r1, #2]
        strh    r0, [r1, r2]
        ldrsb   r0, [r1]
        ldrsb   r0, [r1, #7]
        ldrsb   r0, [r1, r2]
        ldrsb   r0, [r1, r2, lsl #1]
        ldrsh   r0, [r1, #-2]
        ldrsh   r0, [r1, r2]
        ldrsh   r0, [r1], #2
        ldr     r0, [pc, #8]
        ldr     r0, [pc, #-8]
        ldr     r0, near
        ldr     r0, far
        ldr.w   r1, near
        ldr     r8, near
        ldrb    r0, near
        ldrh    r0, near
        ldrsh   r0, near
        ldrd    r0, r1, [r2]
        ldrd    r0, r1, [r2, #8]
        ldrd    r0, r1, [r2, #-8]
        ldrd    r0, r1, [r2, #8]!
        ldrd    r0, r1, [r2], #-16
        strd    r4, r5, [sp, #-8]!
        strd    r4, r5, [r0, #1020]
        ldrex   r0, [r1]
        ldrex   r0, [r1, #8]
        strex   r2, r0, [r1]
        strex   r2, r0, [r1, #1020]
        ldrexb  r0, [r1]
        ldrexh  r0, [r1]
        strexb  r2, r0, [r1]
        strexh  r2, r0, [r1]
        clrex
        ldm     r0!, {r1, r2, r3}
        ldm     r0, {r0, r1}
        ldm     r0, {r1, r2}
        ldmia   r0!, {r8, r9}
        ldm     r0!, {r8}
        ldm     r0, {r8}
        ldmdb   r0!, {r1, r2}
        ldmdb   r0, {r1}
        ldmfd   sp!, {r0, r1}
        stm     r0!, {r1, r2}
        stm     r0!, {r0, r1}
        stmia   r0, {r1, r2}
        stm     r0!, {r8}
        stmdb   r0!, {r1, r2}
        stmdb   r0!, {r8}
        stmfd   sp!, {r4-r11, lr}
        push    {r0}
        push    {r4-r7, lr}
        push    {lr}
        push    {r8}
        push    {r4, r8}
        push.w  {r4, lr}
        pop     {r0}
        pop     {r4-r7, pc}
        pop     {pc}
        pop     {r8}
        pop     {r4-r11, pc}
        pop     {r0, lr}
near:   nop
        .align  2
far:    .word   0x12345678
1:      b       1b
