# Macros, repetitions and conditional assembly as GNU as reads them: arguments by position and by
# name, defaults, \@ and \(), .rept/.irp/.irpc, .if and its kin, .exitm, macros inside macros.
    .equ COUNT, 3
    .equ DEBUG, 0

    .macro push reg
    addi sp, sp, -4
    sw \reg, 0(sp)
    .endm

    .macro pop reg
    lw \reg, 0(sp)
    addi sp, sp, 4
    .endm

    .macro load_pair first, second=5, third:req
    li \first, \second
    li \third, \second + 1
    .endm

    .macro unique_label
label_\@:
    nop
    .endm

    .macro fill_words name, values:vararg
\name\()_table:
    .word \values
    .endm

    .macro countdown n
    .if \n
    addi a0, a0, \n
    countdown "(\n - 1)"
    .endif
    .endm

    .macro early_exit value
    li a4, \value
    .ifeq \value
    .exitm
    .endif
    li a5, \value
    .endm

    .text
    .globl _start
_start:
    push a0
    push ra
    load_pair t0, third=t2
    load_pair t1, 9, t3
    pop ra
    pop a0
    unique_label
    unique_label
    .rept COUNT
    nop
    .endr
    .irp r, s0, s1, s2
    mv \r, zero
    .endr
    .irpc digit, 137
    addi a1, a1, \digit
    .endr
    countdown 3
    early_exit 0
    early_exit 7
    .if COUNT > 2
    li a2, 1
    .elseif COUNT > 1
    li a2, 2
    .else
    li a2, 3
    .endif
    .if DEBUG
    ebreak
    .else
    .ifdef _start
    li a3, 4
    .endif
    .endif
    .ifndef nowhere
    li a3, 5
    .endif
    .ifgt COUNT - 4
    li a6, 1
    .endif
    .ifle COUNT - 4
    li a6, 2
    .endif
    .ifc abc, abc
    li a7, 1
    .endif
    .ifnc abc, abd
    li a7, 2
    .endif
    .ifb
    li t4, 1
    .endif
    .ifnb x
    li t4, 2
    .endif
    j _start

    .data
    fill_words primes, 2, 3, 5, 7
    .rept 2
    .byte 1, 2
    .endr
