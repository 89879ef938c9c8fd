/* Trap handling for the conformance programs. Synchronous exceptions are recorded in trap_seen
 * and execution resumes after the faulting instruction (for instruction fetch faults, at the
 * return address in ra). Interrupts are recorded and their source quietened: the timer pushed
 * to the far future, this hart's msip cleared, a PLIC source claimed, UART0 interrupts disabled,
 * and completed. ecalls with a7 = ECALL_ENTER / ECALL_EXIT switch modes for run_in_mode(). */
#include <stdint.h>
#include "clint.h"
#include "conf.h"
#include "csr.h"
#include "platform.h"
#include "trap.h"

#define ECALL_ENTER 0x454e5452u
#define ECALL_EXIT  0x45584954u

volatile struct trap_record trap_seen;
volatile struct s_trap_record s_trap_seen;
volatile uint32_t trap_vector_slot = 0xffffffffu;

static trap_frame *m_caller;          /* M-mode frame waiting for run_in_mode() to return */
static trap_frame *s_caller;          /* S-mode frame waiting for s_run_in_u() to return */
static trap_frame lower_frame;        /* the frame a lower mode starts from */
static uint8_t lower_stack[2048] __attribute__((aligned(16)));
static uint8_t user_stack[2048] __attribute__((aligned(16)));

void trap_reset(void)
{
    trap_seen.count = 0;
    trap_seen.first = 0;
    trap_seen.cause = trap_seen.epc = trap_seen.tval = trap_seen.mstatus = 0;
    trap_seen.vector = 0xffffffffu;
    trap_seen.claimed = 0;
    s_trap_seen.count = 0;
    s_trap_seen.cause = s_trap_seen.epc = s_trap_seen.tval = s_trap_seen.sstatus = 0;
}

static int is_fetch_fault(uint32_t cause)
{
    return cause == CAUSE_MISALIGNED_FETCH || cause == CAUSE_FETCH_ACCESS || cause == 12u;
}

trap_frame *trap_handler(trap_frame *frame)
{
    uint32_t cause = frame->mcause;
    if ((cause == CAUSE_ECALL_M) && frame->regs[REG_A7] == ECALL_ENTER) {
        frame->mepc += 4;
        m_caller = frame;
        return (trap_frame *)(uintptr_t)frame->regs[REG_A0];
    }
    if ((cause == CAUSE_ECALL_U || cause == CAUSE_ECALL_S) && frame->regs[REG_A7] == ECALL_EXIT && m_caller) {
        trap_frame *caller = m_caller;
        m_caller = 0;
        caller->regs[REG_A0] = frame->regs[REG_A0];
        return caller;
    }

    if (trap_seen.count++ == 0)
        trap_seen.first = cause;
    trap_seen.cause = cause;
    trap_seen.epc = frame->mepc;
    trap_seen.tval = frame->mtval;
    trap_seen.mstatus = frame->mstatus;
    trap_seen.vector = trap_vector_slot;
    trap_vector_slot = 0xffffffffu;

    if (cause & MCAUSE_INTERRUPT) {
        switch (cause & ~MCAUSE_INTERRUPT) {
        case IRQ_M_TIMER:
            clint_set_timecmp(hart_id(), ~0ull);
            break;
        case IRQ_M_SOFT:
            MMIO32(CLINT_MSIP(hart_id())) = 0;
            break;
        case IRQ_M_EXT: {
            uint32_t source = MMIO32(PLIC_CLAIM(PLIC_CTX_M(hart_id())));
            trap_seen.claimed = source;
            if (source == UART0_IRQ)
                MMIO8(UART0_BASE + UART_REG_IER) = 0;
            if (source != 0)
                MMIO32(PLIC_CLAIM(PLIC_CTX_M(hart_id()))) = source;
            break;
        }
        default:
            /* Not expected: mask it so it cannot repeat forever. */
            csr_clear(mie, 1u << (cause & 31u));
            break;
        }
        return frame;
    }
    if (is_fetch_fault(cause))
        frame->mepc = frame->regs[REG_RA];
    else
        frame->mepc += insn_length(frame->mepc);
    return frame;
}

/* Called by s_trap_entry (entry.S) with a frame of S-mode CSRs (scause in mcause's slot, ...). */
trap_frame *s_trap_handler(trap_frame *frame)
{
    uint32_t cause = frame->mcause;
    if (cause == CAUSE_BREAKPOINT && frame->regs[REG_A7] == ECALL_ENTER) {
        frame->mepc += insn_length(frame->mepc);
        s_caller = frame;
        return (trap_frame *)(uintptr_t)frame->regs[REG_A0];
    }
    if (cause == CAUSE_ECALL_U && frame->regs[REG_A7] == ECALL_EXIT && s_caller) {
        trap_frame *caller = s_caller;
        s_caller = 0;
        caller->regs[REG_A0] = frame->regs[REG_A0];
        return caller;
    }
    s_trap_seen.count++;
    s_trap_seen.cause = cause;
    s_trap_seen.epc = frame->mepc;
    s_trap_seen.tval = frame->mtval;
    s_trap_seen.sstatus = frame->mstatus;
    if (cause & MCAUSE_INTERRUPT) {
        if ((cause & ~MCAUSE_INTERRUPT) == IRQ_S_SOFT)
            csr_clear(sip, MIP_SSIP);
        else
            csr_clear(sie, 1u << (cause & 31u));
        return frame;
    }
    frame->mepc += insn_length(frame->mepc);
    return frame;
}

extern void mode_exit(void);
static uint32_t current_gp(void)
{
    uint32_t gp;
    __asm__("mv %0, gp" : "=r"(gp));
    return gp;
}

static trap_frame *prepare(trap_frame *frame, uint32_t (*fn)(uint32_t), uint32_t arg, uint8_t *stack_top, uint32_t status)
{
    for (int r = 0; r < 32; r++)
        frame->regs[r] = 0;
    frame->regs[REG_SP] = (uint32_t)(uintptr_t)stack_top;
    frame->regs[3] = current_gp();
    frame->regs[REG_RA] = (uint32_t)(uintptr_t)mode_exit;
    frame->regs[REG_A0] = arg;
    frame->mepc = (uint32_t)(uintptr_t)fn;
    frame->mstatus = status;
    frame->mcause = frame->mtval = 0;
    return frame;
}

static uint32_t ecall_enter(trap_frame *frame)
{
    register uint32_t a0 __asm__("a0") = (uint32_t)(uintptr_t)frame;
    register uint32_t a7 __asm__("a7") = ECALL_ENTER;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory"); /* the frame restores every other register */
    return a0;
}

static uint32_t ebreak_enter(trap_frame *frame)
{
    register uint32_t a0 __asm__("a0") = (uint32_t)(uintptr_t)frame;
    register uint32_t a7 __asm__("a7") = ECALL_ENTER;
    __asm__ volatile("ebreak" : "+r"(a0) : "r"(a7) : "memory"); /* the frame restores every other register */
    return a0;
}

uint32_t run_in_mode(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t mode)
{
    csr_write(pmpaddr0, 0xffffffffu);
    csr_write(pmpcfg0, 0x1fu); /* NAPOT over everything, R W X */
    /* mstatus as now (SUM, MXR, ...), but MPP = mode and interrupts off after the mret. */
    uint32_t status = (csr_read(mstatus) & ~(MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE)) | (mode << MSTATUS_MPP_SHIFT);
    prepare(&lower_frame, fn, arg, lower_stack + sizeof lower_stack, status);
    return ecall_enter(&lower_frame);
}

uint32_t s_run_in_u(uint32_t (*fn)(uint32_t), uint32_t arg)
{
    static trap_frame user_frame;
    /* sstatus as the S handler will restore it: SPP = 0 (U), SPIE = 0. */
    prepare(&user_frame, fn, arg, user_stack + sizeof user_stack, 0);
    return ebreak_enter(&user_frame);
}
