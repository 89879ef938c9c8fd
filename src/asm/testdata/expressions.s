# Expressions: GNU as operators and precedence, .set redefinition, forward .equ, truncation.
    .equ FORTY_TWO, 42
    .text
    .globl _start
_start:
    li a0, 1 + 2 * 3
    li a1, (1 << 4) | 3
    addi a2, a2, -(4 + 4)
    li a3, FORTY_TWO
    .data
    .word 1 + 2 * 3, (1 << 4) | 3, 10 / 3, 10 % 3, -5 >> 1, 1 == 1, 2 < 3, 1 && 0, 0 || 5, ~0, !0, 6 & 3 ^ 1, 1 + 2 << 3
    .word 1 | 2 + 4, 7 - 2 - 1, 2 * 3 % 4, 1 != 2, 3 <> 3, 5 >= 5, 4 <= 3, 4 > 3, 8 ! 1, -7 / 2, -7 % 2, 1 || 0 && 0, 0xffffffff > 0
    .set X, 1
    .word X
    .set X, X + 1
    .word X
    .word LATER, LATER * 2
    .equ LATER, 9
    .half 0x12345, -1
    .byte 300, 'z', '\n', '\\
