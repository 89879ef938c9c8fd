@ A Cortex-M program with its vector table at 0: the initial SP, Thumb handlers (bit 0 set by
@ .word for .thumb_func symbols), and a reset handler that prints through the CMSDK UART of the
@ mps2-an385 board and stops with a semihosting exit.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .equ    UART0_BASE, 0x40004000
        .equ    UART_DATA, 0x00
        .equ    UART_STATE, 0x04
        .equ    UART_CTRL, 0x08
        .equ    TX_FULL, 1
        .equ    TX_ENABLE, 1
        .equ    SYS_EXIT, 0x18
        .equ    ADP_STOPPED_APPLICATION_EXIT, 0x20026

        .text
        .global _start
vectors:
        .word   0x20008000
        .word   reset
        .word   nmi_handler
        .word   hard_fault
        .word   default_handler
        .word   default_handler
        .word   default_handler
        .word   0, 0, 0, 0
        .word   svc_handler
        .word   default_handler
        .word   0
        .word   default_handler
        .word   default_handler

        .thumb_func
        .type   reset, %function
reset:
_start:
        ldr     r4, =UART0_BASE
        movs    r0, #TX_ENABLE
        str     r0, [r4, #UART_CTRL]
        ldr     r5, =message
1:      ldrb    r0, [r5], #1
        cbz     r0, 2f
        bl      putc
        b       1b
2:      svc     #1
        movs    r0, #SYS_EXIT
        ldr     r1, =ADP_STOPPED_APPLICATION_EXIT
        bkpt    #0xab
3:      b       3b

        .thumb_func
putc:
        ldr     r1, [r4, #UART_STATE]
        tst     r1, #TX_FULL
        bne     putc
        str     r0, [r4, #UART_DATA]
        bx      lr

        .thumb_func
svc_handler:
        push    {r0, lr}
        movs    r0, #'!'
        bl      putc
        movs    r0, #'\n'
        bl      putc
        pop     {r0, pc}

        .thumb_func
nmi_handler:
        .thumb_func
hard_fault:
        .thumb_func
default_handler:
        b       default_handler

        .section .rodata
message:
        .asciz  "Hello from Thumb-2"
        .data
handler_table:
        .word   putc, svc_handler, message
