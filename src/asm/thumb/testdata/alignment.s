@ Padding as GNU as writes it in Thumb code: .align with 16- and 32-bit no-ops, an odd byte of
@ data before an alignment, .balign/.p2align, data in code (with $d/$t mapping symbols), and a
@ section whose alignment (8) is larger than the 4 bytes GNU as pads its end to.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        nop
        .align  3
        movs    r0, #1
        .byte   0x55
        .align  2
        adds    r0, #1
        .balign 16
        .short  0x1234
        .p2align 3
        b       _start
        .ascii  "abc"
        .align  1
        bx      lr
