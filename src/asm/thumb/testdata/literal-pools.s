@ `ldr rX, =value`: constants GNU as turns into MOV/MVN/MOVW, literal-pool entries (shared when
@ equal), addresses of labels and Thumb functions, .ltorg and .pool, high registers, and the pool
@ left for the end of the section; and addresses built with movw/movt #:lower16:/#:upper16:.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .equ    UART, 0x40004000
        .text
        .global _start
        .thumb_func
_start:
        ldr     r0, =0
        ldr     r0, =255
        ldr     r0, =0x1200
        ldr     r0, =0x00ab00ab
        ldr     r0, =0xffffffff
        ldr     r0, =-256
        ldr     r0, =0xfff0
        ldr     r0, =0x12345678
        ldr     r1, =0x12345678
        ldr     r2, =UART
        ldr     r3, =UART + 4
        ldr     r8, =0x87654321
        ldr.w   r4, =0x11223344
        ldr     r5, =message
        ldr     r6, =handler
        ldr     r7, =value
        b       over
        .ltorg
over:
        ldr     r0, =0xcafef00d
        ldr     r1, =message
        ldr     r2, =0xcafef00d
        adds    r0, r0, r1
        b       again
        .pool
again:
        ldr     r0, =0x0badcafe
        ldr     r9, =0xdeadbeef
        bl      handler
1:      b       1b

        .thumb_func
handler:
        ldr     r0, =0x5a5a5a5b
        bx      lr

message:
        .asciz  "pool"

        .data
value:  .word   handler
        .word   _start
        .word   message

        .text
        .align  1
        .thumb_func
addresses:
        movw    r0, #:lower16:message
        movt    r0, #:upper16:message
        movw    r1, #:lower16:handler
        movt    r1, #:upper16:value
        movw    r2, #:lower16:0x12345678
        movt    r2, #:upper16:0x12345678
        bx      lr
