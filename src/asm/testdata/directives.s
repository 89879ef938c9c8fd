# Data directives, alignment and padding, symbols and sections.
    .file "directives.s"
    .ident "BoardLab test"
    .option norvc
    .option rvc
    .equ UART_BASE, 0x10000000
    .set COUNT, 4
    SHIFTED = COUNT << 2
    .text
    .globl _start
    .type _start, @function
_start:
    li a0, UART_BASE
    li a1, COUNT
    li a2, SHIFTED
    addi a3, a3, COUNT * 2
    .align 2
    nop
    .align 3
    add a0, a0, a1
    .p2align 4
    ret
    .balign 8
    .word 0xdeadbeef
    .half 0x1234, 0x5678
    .byte 1, 2, 3
    .align 2
    .size _start, . - _start
    .section .rodata
    .globl table
    .type table, @object
table:
    .word 1, 2, 3, table, _start, end_of_table - table
    .4byte 0x01020304
    .2byte 0xbeef
    .short -1
    .byte 'a', 'b', '\n', 0x7f, -1
end_of_table:
    .size table, end_of_table - table
    .data
bytes:
    .ascii "ab", "cd"
    .asciz "tab\tnewline\n\"quote\" back\\slash \101\x42"
    .string "str"
    .balign 4, 0xff
    .skip 3, 0x55
    .zero 2
    .space 5
    .p2align 2
    .local hidden
hidden:
    .word hidden + 4, . - bytes, COUNT
    .bss
buffer:
    .space 64
    .zero 16
    .end
    this is ignored after .end
