# Zicsr: the six instructions, CSR names and numbers, and the pseudo-instructions.
    .text
    .globl _start
_start:
    csrrw a0, mstatus, a1
    csrrs a0, mie, a1
    csrrc a0, mip, a1
    csrrwi a0, mtvec, 5
    csrrsi a0, mstatus, 8
    csrrci a0, mstatus, 31
    csrr a0, mcause
    csrr t0, mhartid
    csrr a1, 0x340
    csrw mtvec, t0
    csrw mepc, a0
    csrs mstatus, a0
    csrc mstatus, a0
    csrwi mscratch, 3
    csrsi mie, 8
    csrci mie, 8
    csrw mstatus, 8
    csrs mie, 4
    csrr a0, satp
    csrr a0, pmpcfg0
    csrr a0, pmpaddr3
    csrr a0, mtval
    csrr a0, sepc
    csrr a0, scause
    csrw stvec, a0
    csrr a0, medeleg
    csrr a0, mideleg
    rdcycle a0
    rdcycleh a1
    rdtime a2
    rdtimeh a3
    rdinstret a4
    rdinstreth a5
    csrr a0, cycle
    csrr a0, instret
