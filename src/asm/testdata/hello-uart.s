# Prints a greeting on the virt board's UART (a 16550 at 0x10000000) and stops in a WFI loop.
    .equ UART0, 0x10000000
    .text
    .globl _start
_start:
    la sp, stack_top
    la a0, greeting
    call puts
1:  wfi
    j 1b

# puts(a0 = NUL-terminated string): writes each byte to the UART's transmit register.
puts:
    li t0, UART0
2:  lbu t1, 0(a0)
    beqz t1, 3f
    sb t1, 0(t0)
    addi a0, a0, 1
    j 2b
3:  ret

    .section .rodata
greeting:
    .asciz "Hello from BoardLab asm!\n"
    .bss
    .align 4
stack:
    .space 1024
stack_top:
