# Branches and jumps to labels: compressed when near, full size when far, inverted over a jal when too far.
    .text
    .globl _start
_start:
    beqz a0, near
    bnez s1, near
    beqz t0, near
    beq a0, zero, near
    beq a0, a1, near
    bne a0, a1, near
    blt a0, a1, near
    bge a0, a1, near
    bltu a0, a1, near
    bgeu a0, a1, near
    bgt a0, a1, near
    ble a0, a1, near
    bgtu a0, a1, near
    bleu a0, a1, near
    blez a0, near
    bgez a0, near
    bltz a0, near
    bgtz a0, near
    j near
    jal near
    jal t0, near
    jal zero, near
near:
    beqz a0, _start
    j _start
    beqz a0, mid
    j mid
    bnez a0, far
    jal far
    blt a0, a1, far
    .space 300
mid:
    nop
    .space 2100
    beqz a0, mid
    bne a0, a1, _start
far:
    .space 5000
    beq a0, a1, _start
    j _start
    jal _start
    ret
