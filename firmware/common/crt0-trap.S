/*
 * Startup for firmware that takes traps and may run on several harts (ISA with _zicsr).
 * Linked at RAM base 0x80000000; QEMU (-bios none -kernel) and BoardLab start every hart here.
 *
 * Every hart: gp, its own stack (HART_STACK_SIZE bytes), mtvec = trap_entry (direct mode),
 * interrupts masked (mie = 0, mstatus.MIE = 0).
 * Hart 0: zeroes .bss, calls main(), waits until UART0 has sent everything (LSR.TEMT: on QEMU a
 *   byte can still be queued in the host's chardev), then ends the run through the finisher like
 *   crt0.S (main() == 0 -> pass, otherwise fail with code main()).
 * Other harts (hart id < MAX_HARTS): wait with only the software interrupt enabled (mie.MSIE,
 *   mstatus.MIE still 0, so WFI wakes without taking a trap) until wake_hart() sets their msip,
 *   clear it, and call secondary_main(hartid); if that returns they park. They touch no memory
 *   before they are woken, so hart 0 can zero .bss (their stacks included) meanwhile.
 */
#include "finish.inc"
#define CLINT_BASE    0x02000000
#define UART0_BASE    0x10000000
#define UART_REG_LSR  5
#define UART_LSR_TEMT 0x40
#define MAX_HARTS        8
#define HART_STACK_SIZE  4096
#define MIP_MSIP      (1 << 3)

    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    csrw    mie, zero
    csrci   mstatus, 8
    la      t0, trap_entry
    csrw    mtvec, t0

    csrr    a0, mhartid
    li      t0, MAX_HARTS
    bgeu    a0, t0, park
    la      sp, hart_stacks
    li      t0, HART_STACK_SIZE
    addi    t1, a0, 1
    mul_loop:                       /* sp += (hartid + 1) * HART_STACK_SIZE, without M */
    add     sp, sp, t0
    addi    t1, t1, -1
    bnez    t1, mul_loop
    bnez    a0, secondary

    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sw      zero, 0(t0)
    addi    t0, t0, 4
    j       1b
2:
    call    main

    li      t0, UART0_BASE
8:  lbu     t1, UART_REG_LSR(t0)
    andi    t1, t1, UART_LSR_TEMT
    beqz    t1, 8b

    finish_with_a0

secondary:
    li      t0, MIP_MSIP
    csrw    mie, t0
6:  wfi
    csrr    t1, mip
    and     t1, t1, t0
    beqz    t1, 6b
    slli    t1, a0, 2               /* msip[hartid] = 0 */
    li      t2, CLINT_BASE
    add     t1, t1, t2
    sw      zero, 0(t1)
    csrw    mie, zero
    call    secondary_main
park:
    csrw    mie, zero
7:  wfi
    j       7b
    .size _start, . - _start

    .section .text.secondary_main, "ax", @progbits
    .weak secondary_main
    .type secondary_main, @function
secondary_main:
    ret
    .size secondary_main, . - secondary_main

    .section .bss.hart_stacks, "aw", @nobits
    .balign 16
    .globl hart_stacks
hart_stacks:
    .space MAX_HARTS * HART_STACK_SIZE
    .size hart_stacks, . - hart_stacks

/* trap_entry: save every register in a trap_frame (see trap.h) on the current stack, call
 * trap_handler(frame), restore the frame it returns, mret. */
#define FRAME_SIZE 144
#define MCAUSE_OFF 128
#define MTVAL_OFF  132
#define MSTATUS_OFF 136
#define MEPC_OFF   140

    .section .text.trap_entry, "ax", @progbits
    .globl trap_entry
    .type trap_entry, @function
    .balign 4
trap_entry:
    addi    sp, sp, -FRAME_SIZE
    sw      x1, 4(sp)
    sw      x3, 12(sp)
    sw      x4, 16(sp)
    sw      x5, 20(sp)
    sw      x6, 24(sp)
    sw      x7, 28(sp)
    sw      x8, 32(sp)
    sw      x9, 36(sp)
    sw      x10, 40(sp)
    sw      x11, 44(sp)
    sw      x12, 48(sp)
    sw      x13, 52(sp)
    sw      x14, 56(sp)
    sw      x15, 60(sp)
    sw      x16, 64(sp)
    sw      x17, 68(sp)
    sw      x18, 72(sp)
    sw      x19, 76(sp)
    sw      x20, 80(sp)
    sw      x21, 84(sp)
    sw      x22, 88(sp)
    sw      x23, 92(sp)
    sw      x24, 96(sp)
    sw      x25, 100(sp)
    sw      x26, 104(sp)
    sw      x27, 108(sp)
    sw      x28, 112(sp)
    sw      x29, 116(sp)
    sw      x30, 120(sp)
    sw      x31, 124(sp)
    addi    t0, sp, FRAME_SIZE
    sw      t0, 8(sp)
    csrr    t0, mcause
    sw      t0, MCAUSE_OFF(sp)
    csrr    t0, mtval
    sw      t0, MTVAL_OFF(sp)
    csrr    t0, mstatus
    sw      t0, MSTATUS_OFF(sp)
    csrr    t0, mepc
    sw      t0, MEPC_OFF(sp)

    mv      a0, sp
    call    trap_handler
    mv      sp, a0

    lw      t0, MEPC_OFF(sp)
    csrw    mepc, t0
    lw      t0, MSTATUS_OFF(sp)
    csrw    mstatus, t0
    lw      x1, 4(sp)
    lw      x3, 12(sp)
    lw      x4, 16(sp)
    lw      x5, 20(sp)
    lw      x6, 24(sp)
    lw      x7, 28(sp)
    lw      x8, 32(sp)
    lw      x9, 36(sp)
    lw      x10, 40(sp)
    lw      x11, 44(sp)
    lw      x12, 48(sp)
    lw      x13, 52(sp)
    lw      x14, 56(sp)
    lw      x15, 60(sp)
    lw      x16, 64(sp)
    lw      x17, 68(sp)
    lw      x18, 72(sp)
    lw      x19, 76(sp)
    lw      x20, 80(sp)
    lw      x21, 84(sp)
    lw      x22, 88(sp)
    lw      x23, 92(sp)
    lw      x24, 96(sp)
    lw      x25, 100(sp)
    lw      x26, 104(sp)
    lw      x27, 108(sp)
    lw      x28, 112(sp)
    lw      x29, 116(sp)
    lw      x30, 120(sp)
    lw      x31, 124(sp)
    lw      sp, 8(sp)
    mret
    .size trap_entry, . - trap_entry
