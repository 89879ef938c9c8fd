/* Helpers for the conformance programs (firmware/conf-*): instructions under test are written
 * as inline assembly on register operands, so the compiler cannot fold them, and each result is
 * compared with check() (common/check.h). */
#ifndef BOARDLAB_CONF_H
#define BOARDLAB_CONF_H

#include <stdint.h>
#include "check.h"

/* rd = op rs1, rs2 */
#define RR(op, a, b) ({ uint32_t r_; __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); r_; })
/* rd = op rs1, imm */
#define RI(op, a, imm) ({ uint32_t r_; __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "i"(imm)); r_; })
/* 1 if the branch `op rs1, rs2` is taken, else 0 */
#define BR(op, a, b) ({ uint32_t t_; __asm__ volatile("li %0, 1\n\t" op " %1, %2, 1f\n\tli %0, 0\n1:" : "=&r"(t_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); t_; })

#define CHECK_RR(name, op, a, b, want) check(name, RR(op, a, b), want)
#define CHECK_RI(name, op, a, imm, want) check(name, RI(op, a, imm), want)

/* What the conformance trap handler saw (see harness.c). */
struct trap_record {
    uint32_t count;      /* traps taken since trap_reset() */
    uint32_t first;      /* mcause of the first one */
    uint32_t cause;      /* mcause of the last one */
    uint32_t epc;        /* mepc of the last one */
    uint32_t tval;       /* mtval of the last one */
    uint32_t mstatus;    /* mstatus in the handler */
    uint32_t vector;     /* mtvec vector slot of the last one (vectored mode), else 0xffffffff */
    uint32_t claimed;    /* PLIC source claimed for the last external interrupt */
};
extern volatile struct trap_record trap_seen;

/* Forget earlier traps. */
void trap_reset(void);

/* Privilege modes for run_in_mode() (mstatus.MPP values). */
#define MODE_U 0u
#define MODE_S 1u

/* Call fn(arg) in U- or S-mode (entered with mret on its own stack) and return its result to
 * M-mode. PMP entry 0 is set to allow everything first (QEMU denies S/U accesses otherwise). */
uint32_t run_in_mode(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t mode);

/* In S-mode (started by run_in_mode): call fn(arg) in U-mode and return its result. Needs
 * medeleg bits 3 (breakpoint, used to switch) and 8 (ecall from U, used to return) and stvec
 * pointing at s_trap_entry. */
uint32_t s_run_in_u(uint32_t (*fn)(uint32_t), uint32_t arg);

/* What the S-mode trap handler saw. */
struct s_trap_record {
    uint32_t count, cause, epc, tval, sstatus;
};
extern volatile struct s_trap_record s_trap_seen;
void s_trap_entry(void);

/* Vector table for mtvec vectored mode: slot n records trap_seen.vector = n and continues into
 * the common handler. Aligned to 64 bytes. */
void trap_vectors(void);

#endif
