/* Traps and harts for firmware started by crt0-trap.S (ISA with _zicsr).
 *
 * Every hart enters trap_entry (mtvec, direct mode) on a trap. It saves all registers in a
 * trap_frame on the interrupted stack and calls trap_handler(frame); the frame trap_handler
 * returns is restored (mepc, mstatus, x1..x31) and mret ends the trap. Returning another frame
 * switches context (see tasks/), and changing frame->mepc / frame->mstatus chooses where and in
 * which mode execution resumes. */
#ifndef BOARDLAB_TRAP_H
#define BOARDLAB_TRAP_H

#include <stdint.h>

#define MAX_HARTS        8
#define HART_STACK_SIZE  4096

typedef struct trap_frame {
    uint32_t regs[32];   /* x0..x31 at the trap; regs[0] is unused, regs[2] is the interrupted sp */
    uint32_t mcause;
    uint32_t mtval;
    uint32_t mstatus;    /* restored on return: MPP and MPIE decide the mode and MIE after mret */
    uint32_t mepc;       /* restored on return: where execution resumes */
} trap_frame;

#define REG_RA 1
#define REG_SP 2
#define REG_A0 10
#define REG_A1 11
#define REG_A7 17

/* Handles a trap; returns the frame to resume (usually `frame`). The default one in
 * common/trap_default.c prints the trap and fails the run. */
trap_frame *trap_handler(trap_frame *frame);

/* The assembly entry point crt0-trap.S puts in mtvec. */
void trap_entry(void);

/* Where harts other than 0 go once woken by wake_hart() (default: wait for interrupts forever). */
void secondary_main(uint32_t hart);

/* Send hart `hart` a machine software interrupt (CLINT msip). A hart parked by crt0-trap.S
 * then clears its msip and calls secondary_main(hart). */
void wake_hart(uint32_t hart);

/* Length in bytes of the instruction at `pc` (2 for compressed, else 4). */
static inline uint32_t insn_length(uint32_t pc)
{
    return (*(volatile uint16_t *)(uintptr_t)pc & 3u) == 3u ? 4u : 2u;
}

#endif
