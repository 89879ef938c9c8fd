@ IT blocks: every pattern length, then/else, all conditions, 16-bit forms that do not set flags
@ inside a block, 32-bit flag-setting ones, and a branch as the last instruction.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        cmp     r0, #1
        it      eq
        moveq   r0, #2
        itt     ne
        addne   r0, r1
        addsne  r0, r1
        ite     gt
        movgt   r1, r2
        movle   r1, r3
        ittt    hs
        addhs   r0, r0, #1
        subhs   r1, r1, #1
        lslhs   r2, r2, #1
        itete   lo
        movlo   r0, #1
        movhs   r0, #2
        movlo.w r0, #3
        movshs  r0, #4
        itttt   mi
        andmi   r0, r1
        orrmi   r0, r1
        eormi   r0, r1
        bicmi   r0, r1
        itee    pl
        ldrpl   r0, [r1]
        strmi   r0, [r1, #4]
        ldrmi   r0, [r1, #4095]
        it      vs
        mvnvs   r0, r1
        it      vc
        negvc   r0, r1
        it      hi
        cmphi   r0, r1
        it      ls
        mulls   r0, r1, r0
        it      ge
        lslge   r0, r1, #2
        it      lt
        lsllt   r0, r1
        it      eq
        beq     _start
        it      ne
        bne.w   _start
        it      le
        bxle    lr
        it      gt
        blgt    _start
        itt     eq
        moveq   r0, r1
        popeq   {r4, pc}
        cmp     r0, #0
        ite     eq
        ldreq   r0, =0x12345678
        ldrne   r0, =0x100
        it      cc
        addcc   sp, #8
        it      cs
        ldrcs   r0, [sp, #8]
1:      b       1b
