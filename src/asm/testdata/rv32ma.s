# The M and A extensions, and the system instructions.
    .text
    .globl _start
_start:
    mul a0, a1, a2
    mulh a0, a1, a2
    mulhsu t0, t1, t2
    mulhu s0, s1, a0
    div a0, a0, a1
    divu a0, a1, a2
    rem a0, a1, a2
    remu a3, a4, a5
    lr.w a0, (a1)
    lr.w.aq t0, (t1)
    sc.w a0, a2, (a1)
    sc.w.rl a0, a2, (a1)
    amoswap.w a0, a2, (a1)
    amoswap.w.aqrl a0, a2, (a1)
    amoadd.w a0, a2, (a1)
    amoxor.w a0, a2, 0(a1)
    amoand.w t0, t1, (t2)
    amoor.w a0, a2, (a1)
    amomin.w a0, a2, (a1)
    amomax.w a0, a2, (a1)
    amominu.w a0, a2, (a1)
    amomaxu.w a0, a2, (a1)
    mret
    sret
    wfi
    sfence.vma
    sfence.vma a0
    sfence.vma a0, a1
    unimp
