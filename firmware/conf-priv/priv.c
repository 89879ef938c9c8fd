/* Conformance: privilege modes. U-mode entered with mret (ecall from U, privileged instructions
 * and CSRs illegal there, counters gated by mcounteren/scounteren); S-mode (ecall from S, M CSRs
 * illegal, S CSRs allowed); exceptions delegated to S-mode with medeleg (stvec, scause, sepc,
 * stval, sstatus.SPP) and sret back to U and S; a supervisor software interrupt delegated with
 * mideleg. PMP entry 0 allows everything (run_in_mode sets it; QEMU denies S/U otherwise). */
#include <stdint.h>
#include "conf.h"
#include "csr.h"

#define ILLEGAL(name, fn, want_tval) do {                                    \
        trap_reset();                                                         \
        run_in_mode(fn, 0, MODE_U);                                           \
        check(name " traps to M", trap_seen.count, 1);                        \
        check(name " mcause", trap_seen.cause, CAUSE_ILLEGAL_INSTRUCTION);    \
        check(name " mtval", trap_seen.tval, want_tval);                      \
        check(name " MPP = U", trap_seen.mstatus & MSTATUS_MPP, MSTATUS_MPP_U); \
    } while (0)

static uint32_t read_insn(void (*label)(void)) { return *(volatile uint32_t *)(uintptr_t)label; }

/* Each of these runs in a lower mode; the instruction under test is at a global label. */
#define LOWER_FN(fn, text) \
    static uint32_t fn(uint32_t arg) { __asm__ volatile(".option push\n\t.option norvc\n\t.globl " #fn "_insn\n" #fn "_insn:\n\t" text "\n\t.option pop" ::: "t0", "memory"); return arg; } \
    extern void fn##_insn(void)

LOWER_FN(u_csrr_mstatus, "csrr t0, mstatus");
LOWER_FN(u_csrr_sstatus, "csrr t0, sstatus");
LOWER_FN(u_mret, "mret");
LOWER_FN(u_sret, "sret");
LOWER_FN(u_wfi, "wfi");
LOWER_FN(u_rdcycle, "rdcycle t0");
LOWER_FN(u_rdtime, "rdtime t0");
LOWER_FN(u_sfence, "sfence.vma");
LOWER_FN(s_csrr_mstatus, "csrr t0, mstatus");
LOWER_FN(s_mret, "mret");
LOWER_FN(s_ecall, "ecall");
LOWER_FN(u_ebreak, "ebreak");

static volatile uint32_t lower_value;

static uint32_t u_ecall(uint32_t arg)
{
    register uint32_t a7 __asm__("a7") = 0;
    __asm__ volatile("ecall" : : "r"(a7) : "memory");
    uint32_t v = 0x1234;
    lower_value = v; /* U can write RAM */
    return arg + 1;
}

static uint32_t s_reads(uint32_t arg)
{
    csr_write(sscratch, 0x5a5a5a5au);
    lower_value = csr_read(sscratch) ^ csr_read(sstatus) ^ csr_read(sstatus);
    (void)csr_read(satp);
    return arg;
}

/* Delegation: in U under an S handler. */
static uint32_t u_delegated(uint32_t arg)
{
    register uint32_t a7 __asm__("a7") = 0;
    __asm__ volatile("ecall" : : "r"(a7) : "memory");
    __asm__ volatile(".option push\n\t.option norvc\n\t.globl u_delegated_insn\nu_delegated_insn:\n\tcsrr t0, sstatus\n\t.option pop" ::: "t0", "memory");
    return arg * 2;
}
extern void u_delegated_insn(void);

static volatile uint32_t s_results[12];

static uint32_t s_main(uint32_t arg)
{
    csr_write(stvec, (uint32_t)(uintptr_t)s_trap_entry);
    uint32_t r = s_run_in_u(u_delegated, arg);
    s_results[0] = r;
    s_results[1] = s_trap_seen.count;
    s_results[2] = s_trap_seen.cause;      /* the illegal instruction, last */
    s_results[3] = s_trap_seen.tval;
    s_results[4] = s_trap_seen.sstatus;
    s_results[5] = s_trap_seen.epc;

    /* Supervisor software interrupt, delegated: set by S itself through sip. */
    s_trap_seen.count = 0;
    csr_write(sie, MIP_SSIP);
    csr_set(sstatus, MSTATUS_SIE);
    csr_set(sip, MIP_SSIP);
    for (int i = 0; i < 1000 && s_trap_seen.count == 0; i++)
        ;
    csr_clear(sstatus, MSTATUS_SIE);
    csr_write(sie, 0);
    s_results[6] = s_trap_seen.count;
    s_results[7] = s_trap_seen.cause;
    s_results[8] = csr_read(sip) & MIP_SSIP;
    return r + 1;
}

int main(void)
{
    uint32_t r;

    /* U-mode through mret. */
    trap_reset();
    r = run_in_mode(u_ecall, 41, MODE_U);
    check("U: function ran and returned", r, 42);
    check("U: wrote RAM", lower_value, 0x1234);
    check("ecall from U traps", trap_seen.count, 1);
    check("ecall from U mcause", trap_seen.cause, CAUSE_ECALL_U);
    check("ecall from U mtval", trap_seen.tval, 0);
    check("ecall from U: mstatus.MPP = U", trap_seen.mstatus & MSTATUS_MPP, MSTATUS_MPP_U);
    check("mret back to M leaves MPP = U", csr_read(mstatus) & MSTATUS_MPP, MSTATUS_MPP_U);

    ILLEGAL("U: csrr mstatus", u_csrr_mstatus, read_insn(u_csrr_mstatus_insn));
    ILLEGAL("U: csrr sstatus", u_csrr_sstatus, read_insn(u_csrr_sstatus_insn));
    ILLEGAL("U: mret", u_mret, read_insn(u_mret_insn));
    ILLEGAL("U: sret", u_sret, read_insn(u_sret_insn));
    ILLEGAL("U: wfi", u_wfi, read_insn(u_wfi_insn));
    ILLEGAL("U: sfence.vma", u_sfence, read_insn(u_sfence_insn));
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
    ILLEGAL("U: rdcycle with mcounteren.CY=0", u_rdcycle, read_insn(u_rdcycle_insn));
    csr_write(mcounteren, 7);
    ILLEGAL("U: rdcycle with scounteren.CY=0", u_rdcycle, read_insn(u_rdcycle_insn));
    csr_write(scounteren, 7);
    trap_reset();
    run_in_mode(u_rdcycle, 0, MODE_U);
    run_in_mode(u_rdtime, 0, MODE_U);
    check("U: rdcycle and rdtime allowed by mcounteren and scounteren", trap_seen.count, 0);
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0);
    trap_reset();
    run_in_mode(u_ebreak, 0, MODE_U);
    check("U: ebreak mcause", trap_seen.cause, CAUSE_BREAKPOINT);
    check("U: ebreak mepc", trap_seen.epc, (uint32_t)(uintptr_t)u_ebreak_insn);

    /* S-mode through mret. */
    trap_reset();
    r = run_in_mode(s_reads, 7, MODE_S);
    check("S: function ran and returned", r, 7);
    check("S: S CSRs accessible", trap_seen.count, 0);
    check("S: sscratch", lower_value, 0x5a5a5a5au);
    trap_reset();
    run_in_mode(s_csrr_mstatus, 0, MODE_S);
    check("S: csrr mstatus traps", trap_seen.count, 1);
    check("S: csrr mstatus mcause", trap_seen.cause, CAUSE_ILLEGAL_INSTRUCTION);
    check("S: csrr mstatus MPP = S", trap_seen.mstatus & MSTATUS_MPP, MSTATUS_MPP_S);
    trap_reset();
    run_in_mode(s_mret, 0, MODE_S);
    check("S: mret traps", trap_seen.count, 1);
    check("S: mret mcause", trap_seen.cause, CAUSE_ILLEGAL_INSTRUCTION);
    trap_reset();
    run_in_mode(s_ecall, 0, MODE_S);
    check("ecall from S mcause", trap_seen.cause, CAUSE_ECALL_S);
    check("ecall from S mepc", trap_seen.epc, (uint32_t)(uintptr_t)s_ecall_insn);

    /* Delegation to S. */
    csr_write(medeleg, (1u << CAUSE_BREAKPOINT) | (1u << CAUSE_ECALL_U) | (1u << CAUSE_ILLEGAL_INSTRUCTION));
    csr_write(mideleg, MIP_SSIP);
    trap_reset();
    r = run_in_mode(s_main, 5, MODE_S);
    csr_write(medeleg, 0);
    csr_write(mideleg, 0);
    check("delegation: U ran under S and returned", s_results[0], 10);
    check("delegation: S returned to M", r, 11);
    check("delegation: M saw no trap", trap_seen.count, 0);
    check("delegation: S took two traps from U", s_results[1], 2);
    check("delegation: scause (illegal)", s_results[2], CAUSE_ILLEGAL_INSTRUCTION);
    check("delegation: stval = instruction", s_results[3], read_insn(u_delegated_insn));
    check("delegation: sepc", s_results[5], (uint32_t)(uintptr_t)u_delegated_insn);
    check("delegation: sstatus.SPP = U", s_results[4] & MSTATUS_SPP, 0);
    check("delegated SSI taken in S", s_results[6], 1);
    check("delegated SSI scause", s_results[7], MCAUSE_INTERRUPT | IRQ_S_SOFT);
    check("delegated SSI cleared through sip", s_results[8], 0);
    check("mcause untouched by delegated traps", csr_read(mcause), CAUSE_ECALL_S);

    return check_summary("conf-priv");
}
