@ System instructions: special registers, interrupt masks, barriers, hints, SVC, BKPT, UDF and ADR.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        mrs     r0, apsr
        mrs     r0, xpsr
        mrs     r1, ipsr
        mrs     r2, epsr
        mrs     r3, msp
        mrs     r4, psp
        mrs     r5, primask
        mrs     r6, basepri
        mrs     r7, basepri_max
        mrs     r8, faultmask
        mrs     r9, control
        msr     apsr_nzcvq, r0
        msr     msp, r1
        msr     psp, r2
        msr     primask, r3
        msr     basepri, r4
        msr     basepri_max, r5
        msr     faultmask, r6
        msr     control, r7
        cpsie   i
        cpsid   i
        cpsie   f
        cpsid   f
        cpsie   if
        dmb
        dmb     sy
        dsb
        dsb     sy
        isb
        isb     sy
        dmb     ish
        dsb     st
        nop
        nop.w
        wfi
        wfi.w
        wfe
        wfe.w
        sev
        sev.w
        yield
        yield.w
        svc     #0
        svc     255
        svc     #0x42
        bkpt
        bkpt    #0xab
        udf     #0
        udf     #255
        udf.w   #256
        adr     r0, data
        adr     r1, data + 4
        adr.w   r2, data
        adr     r8, data
        adr     r3, _start
        adr     r4, back
back:   nop
        .align  2
data:   .word   1, 2
1:      b       1b
