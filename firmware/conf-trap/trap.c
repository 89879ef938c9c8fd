/* Conformance: synchronous exceptions in M-mode: illegal instruction (32-bit, 16-bit, FP without
 * F), ecall, ebreak, no fault for a 2-byte aligned jump target (C is on), instruction fetch /
 * load / store / AMO access faults at an unmapped address, narrow accesses to the CLINT, the
 * mstatus stack (MPP, MPIE, MIE) around a trap, and exceptions through mtvec in direct and in
 * vectored mode (both enter at the base). */
#include <stdint.h>
#include "conf.h"
#include "csr.h"
#include "platform.h"

#define UNMAPPED 0x00200000u /* nothing here on QEMU virt or riscv-virt */

/* Run `asm_text` (starting at label 1; %1 holds `addr`) and check the trap it raises. */
#define EXPECT_TRAP(name, asm_text, addr, want_cause, want_tval) do {                    \
        uint32_t at_;                                                                    \
        trap_reset();                                                                    \
        __asm__ volatile("la %0, 1f\n1:\t" asm_text : "=&r"(at_) : "r"(addr) : "t0", "memory"); \
        check(name " traps", trap_seen.count, 1);                                        \
        check(name " mcause", trap_seen.cause, want_cause);                              \
        check(name " mepc", trap_seen.epc, at_);                                         \
        check(name " mtval", trap_seen.tval, want_tval);                                 \
    } while (0)

#define NORVC(text) ".option push\n\t.option norvc\n\t" text "\n\t.option pop"

int main(void)
{
    uint32_t unmapped = UNMAPPED;
    uint32_t mtime_addr = CLINT_MTIME;

    EXPECT_TRAP("illegal 32-bit (custom-0)", NORVC(".word 0x0000000b"), 0, CAUSE_ILLEGAL_INSTRUCTION, 0x0000000bu);
    EXPECT_TRAP("illegal 16-bit (c.unimp)", ".2byte 0x0000", 0, CAUSE_ILLEGAL_INSTRUCTION, 0u);
    EXPECT_TRAP("illegal 16-bit (c.addi4spn 0)", ".2byte 0x0004", 0, CAUSE_ILLEGAL_INSTRUCTION, 0x0004u);
    EXPECT_TRAP("fadd.s without F", NORVC(".word 0x00000053"), 0, CAUSE_ILLEGAL_INSTRUCTION, 0x00000053u);
    EXPECT_TRAP("ecall from M", NORVC("ecall"), 0, CAUSE_ECALL_M, 0u);
    EXPECT_TRAP("ebreak", NORVC("ebreak"), 0, CAUSE_BREAKPOINT, 0u);
    EXPECT_TRAP("c.ebreak", "c.ebreak", 0, CAUSE_BREAKPOINT, 0u);
    check("trap from M: mstatus.MPP = M", trap_seen.mstatus & MSTATUS_MPP, MSTATUS_MPP_M);

    uint32_t reached;
    trap_reset();
    __asm__ volatile(".balign 4\n\tla t0, 2f\n\tli %0, 0\n\tjr t0\n\tc.nop\n\t.balign 4\n\tc.nop\n2:\tli %0, 1"
                     : "=&r"(reached) : : "t0");
    check("jump to a 2-byte aligned target (C on) takes no trap", trap_seen.count, 0);
    check("jump to a 2-byte aligned target arrives", reached, 1);

    /* The handler resumes a fetch fault at ra. */
    trap_reset();
    __asm__ volatile("mv t1, ra\n\tla ra, 1f\n\tjr %0\n1:\tmv ra, t1" : : "r"(unmapped) : "t1", "memory");
    check("fetch from unmapped traps", trap_seen.count, 1);
    check("fetch from unmapped mcause", trap_seen.cause, CAUSE_FETCH_ACCESS);
    check("fetch from unmapped mepc", trap_seen.epc, UNMAPPED);
    check("fetch from unmapped mtval", trap_seen.tval, UNMAPPED);

    EXPECT_TRAP("lw from unmapped", NORVC("lw t0, 0(%1)"), unmapped, CAUSE_LOAD_ACCESS, UNMAPPED);
    EXPECT_TRAP("lbu from unmapped+3", NORVC("lbu t0, 3(%1)"), unmapped, CAUSE_LOAD_ACCESS, UNMAPPED + 3u);
    EXPECT_TRAP("sw to unmapped", NORVC("sw zero, 8(%1)"), unmapped, CAUSE_STORE_ACCESS, UNMAPPED + 8u);
    EXPECT_TRAP("sh to unmapped", NORVC("sh zero, 2(%1)"), unmapped, CAUSE_STORE_ACCESS, UNMAPPED + 2u);
    /* The spec says store/AMO access fault (7); QEMU 7.2 raises a load access fault. */
    EXPECT_TRAP("amoadd.w to unmapped (QEMU 7.2: load fault)", NORVC("amoadd.w t0, zero, (%1)"), unmapped, CAUSE_LOAD_ACCESS, UNMAPPED);
    EXPECT_TRAP("lr.w from unmapped", NORVC("lr.w t0, (%1)"), unmapped, CAUSE_LOAD_ACCESS, UNMAPPED);
    EXPECT_TRAP("lbu from CLINT mtime (QEMU: 4-byte accesses only)", NORVC("lbu t0, 0(%1)"), mtime_addr, CAUSE_LOAD_ACCESS, CLINT_MTIME);
    EXPECT_TRAP("sb to CLINT msip (QEMU: 4-byte accesses only)", NORVC("sb zero, 0(%1)"), CLINT_MSIP(0), CAUSE_STORE_ACCESS, CLINT_MSIP(0));

    /* mstatus around a trap taken with MIE set (mie = 0, so no interrupt can come). */
    csr_write(mie, 0);
    csr_set(mstatus, MSTATUS_MIE);
    trap_reset();
    __asm__ volatile("ecall" ::: "memory");
    check("trap with MIE=1: MPIE=1 in the handler", (trap_seen.mstatus & MSTATUS_MPIE) != 0, 1);
    check("trap with MIE=1: MIE=0 in the handler", trap_seen.mstatus & MSTATUS_MIE, 0);
    check("mret restores MIE", csr_read(mstatus) & MSTATUS_MIE, MSTATUS_MIE);
    check("mret sets MPIE", csr_read(mstatus) & MSTATUS_MPIE, MSTATUS_MPIE);
    check("mret sets MPP to U", csr_read(mstatus) & MSTATUS_MPP, MSTATUS_MPP_U);
    csr_clear(mstatus, MSTATUS_MIE);
    trap_reset();
    __asm__ volatile("ecall" ::: "memory");
    check("trap with MIE=0: MPIE=0 in the handler", trap_seen.mstatus & MSTATUS_MPIE, 0);
    check("mret keeps MIE=0", csr_read(mstatus) & MSTATUS_MIE, 0);

    /* mtvec: direct mode (crt0-trap's trap_entry) never goes through the vector table. */
    check("direct mode: no vector slot", trap_seen.vector, 0xffffffffu);
    uint32_t direct = csr_read(mtvec);
    csr_write(mtvec, (uint32_t)(uintptr_t)trap_vectors | 1u);
    check("vectored mtvec reads back", csr_read(mtvec), (uint32_t)(uintptr_t)trap_vectors | 1u);
    EXPECT_TRAP("vectored: ecall", NORVC("ecall"), 0, CAUSE_ECALL_M, 0u);
    check("vectored: an exception enters at the base", trap_seen.vector, 0);
    EXPECT_TRAP("vectored: illegal", ".2byte 0x0000", 0, CAUSE_ILLEGAL_INSTRUCTION, 0u);
    check("vectored: illegal enters at the base", trap_seen.vector, 0);
    csr_write(mtvec, direct);

    return check_summary("conf-trap");
}
