@ Moves and shifts: MOV/MOVS/MVN with registers and immediates, MOVW/MOVT, the shift
@ instructions by immediate and by register, and MOV with a shifted register.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        movs    r0, #0
        movs    r7, #255
        mov     r0, #1
        mov     r0, #255
        mov     r0, #256
        mov     r0, #0x1234
        mov     r0, #0xffff
        mov     r0, #-1
        mov     r0, #-2
        mov     r0, #0xffffff00
        movs    r0, #0x100
        movs    r8, #1
        mov     r8, #1
        mov     r0, r1
        mov     r8, r9
        mov     r0, r9
        movs    r0, r1
        movs    r8, r9
        mov     r0, sp
        mov     sp, r1
        mov     r0, r1, lsl #3
        movs    r0, r1, lsl #3
        movs    r0, r1, lsr #32
        mov     r0, r1, asr #5
        movs    r0, r0, lsl r1
        mov     r0, r0, lsl r1
        mov.w   r0, r1
        movs.w  r0, r1
        mvn     r0, r1
        mvns    r0, r1
        mvns    r8, r1
        mvn     r0, #0
        mvn     r0, #0x3fc00
        mvns    r0, r1, lsl #4
        movw    r0, #0
        movw    r9, #0xbeef
        movt    r9, #0xdead
        movt    r0, #0
        lsls    r0, r1, #1
        lsl     r0, r1, #1
        lsls    r0, r1, #31
        lsls    r0, r1, #0
        lsl     r0, r1, #0
        lsrs    r2, r3, #32
        lsrs    r2, r3, #1
        lsr     r2, r3, #16
        asrs    r4, r5, #32
        asr     r4, r5, #2
        asrs    r8, r5, #2
        ror     r4, r5, #2
        rors    r4, r5, #31
        lsls    r0, r1
        lsls    r0, r0, r1
        lsl     r0, r0, r1
        lsls    r0, r1, r2
        lsrs    r1, r2
        asrs    r1, r2
        rors    r1, r2
        ror     r8, r9, r10
        lsls    r0, #4
        lsl.w   r0, r0, r1
        lsls.w  r0, r1, #2
        rrx     r0, r1
        rrxs    r0, r1
1:      b       1b
