# Every RV32I instruction in its base form, with registers that have and have not compressed forms.
    .text
    .globl _start
_start:
    add a0, a1, a2
    add s1, s1, t3
    add a0, a1, a0
    sub a0, a0, a1
    sub t0, t1, t2
    sll a0, a1, a2
    slt a3, a4, a5
    sltu a3, a4, a5
    xor s0, s0, s1
    xor a0, a1, a0
    srl t0, t1, t2
    sra t0, t1, t2
    or a4, a4, a5
    or a5, a4, a5
    and a2, a2, a3
    and x5, x6, x7
    addi t0, t1, 100
    addi a0, a0, 31
    addi a0, a0, -32
    addi a0, a0, 32
    addi sp, sp, 32
    addi sp, sp, -512
    addi a1, sp, 8
    addi s0, sp, 1020
    addi a0, zero, -5
    addi a0, a1, 0
    addi zero, zero, 0
    slti a0, a1, -1
    sltiu a0, a1, 1
    xori a0, a1, -1
    ori a0, a1, 0x7ff
    andi a0, a0, 15
    andi t0, t0, 15
    andi a0, a0, -32
    slli a0, a0, 3
    slli t0, t1, 31
    srli a0, a0, 1
    srli t0, t0, 1
    srai s1, s1, 31
    srai a0, a1, 2
    lb a0, 0(a1)
    lh a0, -2(a1)
    lw a0, 4(a1)
    lw a0, 124(a1)
    lw a0, 128(a1)
    lw t0, 0(sp)
    lw ra, 252(sp)
    lw ra, 256(sp)
    lbu a0, 1(a1)
    lhu a0, 2(a1)
    sb a0, 0(a1)
    sh a0, 2(a1)
    sw a0, 4(a1)
    sw ra, 12(sp)
    sw t0, -4(sp)
    sw a0, (a1)
    lw a0, (sp)
    lui a0, 0x12345
    lui a0, 1
    lui a0, 0xfffff
    lui sp, 1
    lui t0, 0x20
    auipc a0, 0
    auipc t1, 0x10
    jalr ra, 0(a0)
    jalr zero, 0(ra)
    jalr t0, 4(a0)
    jalr a1
    jalr a0, a1
    jr a0
    jr 8(a0)
    fence
    fence rw, rw
    fence i, o
    fence.i
    fence.tso
    ecall
    ebreak
