@ Data processing: register, shifted register, modified and plain 12-bit immediates, S forms,
@ the narrow/wide choice outside IT blocks, SP and PC operands.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        adds    r0, r1, r2
        add     r0, r1, r2
        add     r0, r1
        add     r0, r0, r1
        add     r0, r1, r0
        add     r8, r1
        add     r8, r8, r9
        add     r0, r1, r2, lsl #3
        adds    r0, r1, r2, asr #1
        adds    r0, #255
        adds    r0, r0, #1
        adds    r1, r2, #7
        adds    r1, r2, #8
        add     r1, r2, #8
        add     r1, r2, #0xfff
        add     r1, r2, #0x100
        add     r1, r2, #-1
        add     r1, r2, #-0x100
        add     r1, r2, #-0xfff
        sub     r1, r2, #0xfff
        subs    r1, r2, #3
        subs    r1, #200
        sub     r1, r1, #200
        subs    r1, r2, r3
        sub     r1, r2, r3
        sub     r9, r10, r11, lsr #31
        add     sp, #16
        add     sp, sp, #508
        add     sp, sp, #512
        sub     sp, #16
        sub     sp, sp, #-8
        add     r3, sp, #1020
        add     r3, sp, #1024
        add     r3, sp, r3
        add     sp, r3
        add     r2, pc, #8
        adc     r0, r1
        adcs    r0, r1
        adcs    r0, r0, r1
        adcs    r0, r1, r0
        adc     r0, r1, #0xff00ff00
        adcs    r0, r1, #-2
        sbcs    r2, r3
        sbcs    r2, r3, r2
        sbc     r2, r3, #0x55555555
        ands    r4, r5
        ands    r4, r5, r4
        and     r4, r4, r5
        and     r4, r5, #0xff
        and     r4, r5, #0xffffff00
        orrs    r4, r5
        orr     r4, r5, #0x80000000
        orr     r4, r5, #0xfffffffe
        orn     r4, r5, r6
        orn     r4, r5, #0x3fc
        eors    r6, r7
        eor     r6, r7, r8, ror #7
        eors    r6, r7, #0x00ab00ab
        bics    r1, r2
        bic     r1, r2, #0xab00ab00
        bic     r1, r2, #-256
        rsbs    r0, r1, #0
        rsb     r0, r1, #0
        rsb     r0, r1, #100
        rsbs    r0, r1, r2, lsl #1
        neg     r0, r1
        negs    r0, r1
        negs    r8, r1
        cmp     r0, #0
        cmp     r0, #255
        cmp     r0, #256
        cmp     r0, #-1
        cmp     r0, #-256
        cmp     r8, #1
        cmp     r0, r1
        cmp     r0, r9
        cmp     r9, r10
        cmp     r0, r1, lsl #2
        cmn     r0, r1
        cmn     r0, #1
        cmn     r9, r1
        tst     r0, r1
        tst     r0, #0x80
        tst     r8, r1
        teq     r0, r1
        teq     r0, #0xff
        add.w   r0, r1, r2
        adds.w  r0, r1, r2
        and.w   r0, r0, r1
        cmp.w   r0, r1
        adds.n  r0, r1, r2
1:      b       1b
