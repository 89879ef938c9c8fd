# %hi/%lo and %pcrel_hi/%pcrel_lo by hand, with data in several sections.
    .text
    .globl _start
_start:
    lui a0, %hi(message)
    addi a0, a0, %lo(message)
    lui a1, %hi(counter)
    lw a2, %lo(counter)(a1)
    sw a2, %lo(counter)(a1)
    lui a3, %hi(table + 8)
    addi a3, a3, %lo(table + 8)
1:  auipc a4, %pcrel_hi(message)
    addi a4, a4, %pcrel_lo(1b)
.Lload: auipc a5, %pcrel_hi(counter)
    lw a5, %pcrel_lo(.Lload)(a5)
    sw a5, %pcrel_lo(.Lload)(a5)
    li a6, 1000
    addi a7, zero, %lo(0x12345678)
    lui t0, %hi(0x12345678)
    ret
    .section .rodata
table:
    .word 10, 20, 30
message:
    .asciz "relocations"
    .data
    .align 2
counter:
    .word 7
    .bss
    .align 3
scratch:
    .space 8
