/* Conformance: Zicsr and the machine CSRs: csrrw/csrrs/csrrc and their immediate forms, reads
 * that do not write, read-only and nonexistent CSRs (illegal instruction, mtval = the
 * instruction), WARL fields (mtvec modes, mepc alignment, writable bits of mie, mip, medeleg,
 * mideleg, mstatus), the S-mode views (sstatus, sie, sip), and the counters. */
#include <stdint.h>
#include "clint.h"
#include "conf.h"
#include "csr.h"

#define MISA_MXL_32 0x40000000u
#define MISA_BIT(c) (1u << ((c) - 'A'))
#define MISA_F_D    (MISA_BIT('F') | MISA_BIT('D'))

/* Run the instruction at `insn` (a label in the asm) and report the trap it takes. */
#define EXPECT_ILLEGAL(name, asm_text) do {                                          \
        uint32_t at_, bits_;                                                         \
        trap_reset();                                                                \
        __asm__ volatile(".option push\n\t.option norvc\n\tla %0, 1f\n1:\t" asm_text \
                         "\n\t.option pop" : "=&r"(at_) : : "t0", "memory");         \
        bits_ = *(volatile uint32_t *)(uintptr_t)at_;                                \
        check(name " traps", trap_seen.count, 1);                                    \
        check(name " mcause", trap_seen.cause, CAUSE_ILLEGAL_INSTRUCTION);           \
        check(name " mepc", trap_seen.epc, at_);                                     \
        check(name " mtval", trap_seen.tval, bits_);                                 \
    } while (0)

int main(void)
{
    uint32_t r;

    csr_write(mscratch, 0x12345678);
    check("csrrw returns old", csr_swap(mscratch, 0xdeadbeef), 0x12345678);
    check("csrrw wrote", csr_read(mscratch), 0xdeadbeef);
    __asm__ volatile("csrrs %0, mscratch, %1" : "=r"(r) : "r"(0x00000010u));
    check("csrrs returns old", r, 0xdeadbeef);
    check("csrrs set bits", csr_read(mscratch), 0xdeadbeff);
    __asm__ volatile("csrrc %0, mscratch, %1" : "=r"(r) : "r"(0xff0000ffu));
    check("csrrc returns old", r, 0xdeadbeff);
    check("csrrc cleared bits", csr_read(mscratch), 0x00adbe00);
    __asm__ volatile("csrrwi %0, mscratch, 31" : "=r"(r));
    check("csrrwi returns old", r, 0x00adbe00);
    check("csrrwi wrote zimm", csr_read(mscratch), 31);
    __asm__ volatile("csrrci %0, mscratch, 5" : "=r"(r));
    check("csrrci", csr_read(mscratch), 26);
    __asm__ volatile("csrrsi %0, mscratch, 1" : "=r"(r));
    check("csrrsi", csr_read(mscratch), 27);
    __asm__ volatile("csrrs %0, mscratch, x0" : "=r"(r));
    check("csrrs x0 reads", r, 27);
    __asm__ volatile("csrrw x0, mscratch, %0" : : "r"(99u));
    check("csrrw rd=x0 writes", csr_read(mscratch), 99);

    check("mhartid", csr_read(mhartid), 0);
    __asm__ volatile("csrrs %0, mhartid, x0" : "=r"(r));
    check("csrrs mhartid, x0 reads", r, 0);
    __asm__ volatile("csrrsi %0, mhartid, 0" : "=r"(r));
    check("csrrsi mhartid, 0 reads", r, 0);
    EXPECT_ILLEGAL("csrw mhartid", "csrw mhartid, zero");
    EXPECT_ILLEGAL("csrrwi mhartid", "csrrwi x0, mhartid, 0");
    EXPECT_ILLEGAL("csrw cycle (read-only)", "csrw cycle, zero");
    EXPECT_ILLEGAL("csrr nonexistent 0x7c0", "csrr t0, 0x7c0");
    EXPECT_ILLEGAL("csrr nonexistent 0x5ff", "csrr t0, 0x5ff");
    trap_reset();
    __asm__ volatile("li t0, 0\n\tcsrrs %0, mhartid, t0" : "=r"(r) : : "t0");
    check("csrrs mhartid with a zero-valued register (not x0) does not trap (QEMU 7.2)", trap_seen.count, 0);

    uint32_t misa = csr_read(misa);
    check("misa MXL=1 and I M A C S U (F, D ignored)", misa & ~MISA_F_D,
          MISA_MXL_32 | MISA_BIT('I') | MISA_BIT('M') | MISA_BIT('A') | MISA_BIT('C') | MISA_BIT('S') | MISA_BIT('U'));
    check("misa (QEMU -cpu rv32 without H, F, D)", misa, MISA_MXL_32 | MISA_BIT('I') | MISA_BIT('M') | MISA_BIT('A') | MISA_BIT('C') | MISA_BIT('S') | MISA_BIT('U'));
    csr_write(misa, misa & ~MISA_BIT('C'));
    check("misa write is ignored", csr_read(misa), misa);
    check("mvendorid", csr_read(mvendorid), 0);

    uint32_t mtvec = csr_read(mtvec);
    csr_write(mtvec, 0x80001001u);
    check("mtvec vectored mode kept", csr_read(mtvec), 0x80001001u);
    csr_write(mtvec, 0x80001002u);
    check("mtvec reserved mode 2", csr_read(mtvec), 0x80001001u);
    csr_write(mtvec, 0x80001003u);
    check("mtvec reserved mode 3", csr_read(mtvec), 0x80001001u);
    csr_write(mtvec, mtvec);

    csr_write(mepc, 0xffffffffu);
    check("mepc keeps bit 0 (QEMU 7.2)", csr_read(mepc), 0xffffffffu);
    csr_write(mepc, 0x80000002u);
    check("mepc 2-byte aligned", csr_read(mepc), 0x80000002u);
    csr_write(mtval, 0xa5a5a5a5u);
    check("mtval writable", csr_read(mtval), 0xa5a5a5a5u);
    csr_write(mcause, 0x8000000bu);
    check("mcause writable", csr_read(mcause), 0x8000000bu);
    csr_write(mcause, 0);

    /* Writable bits: first the ones every M+S+U hart has, then QEMU 7.2's exact mask (it also
     * lets VS-level, SGEI and LCOF bits be written when H and Sscofpmf are off). */
    clint_set_timecmp(0, ~0ull); /* QEMU starts mtimecmp at 0, so mip.MTIP would be set */
    csr_write(mie, 0xffffffffu);
    check("mie M and S bits writable", csr_read(mie) & 0xaaau, 0xaaau);
    check("mie writable bits", csr_read(mie), 0x2eeeu);
    csr_write(mie, 0);
    csr_write(mip, 0xffffffffu);
    check("mip SSIP STIP SEIP writable", csr_read(mip) & 0x222u, 0x222u);
    check("mip writable bits", csr_read(mip), 0x2666u);
    csr_write(mip, 0);
    csr_write(medeleg, 0xffffffffu);
    check("medeleg causes 0-9, 12, 13, 15 writable", csr_read(medeleg) & 0xb3ffu, 0xb3ffu);
    check("medeleg writable bits", csr_read(medeleg), 0xf0bfffu);
    csr_write(medeleg, 0);
    csr_write(mideleg, 0xffffffffu);
    check("mideleg S interrupts writable", csr_read(mideleg) & 0x222u, 0x222u);
    check("mideleg writable bits", csr_read(mideleg), 0x2666u);
    csr_write(mideleg, 0x222u);
    csr_write(mcounteren, 0xffffffffu);
    check("mcounteren writable bits", csr_read(mcounteren), 0xffffffffu);
    csr_write(mcounteren, 0);
    csr_write(scounteren, 0xffffffffu);
    check("scounteren writable bits", csr_read(scounteren), 0xffffffffu);
    csr_write(scounteren, 0);

    uint32_t mstatus = csr_read(mstatus);
    /* crt0-trap cleared MIE; the mret after the illegal-instruction traps above set MPIE. */
    check("mstatus after mret (MPP=U, MPIE=1)", mstatus & (MSTATUS_MPP | MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPIE | MSTATUS_SPIE | MSTATUS_SPP), MSTATUS_MPIE);
    csr_write(mstatus, 0xffffffffu);
    check("mstatus M and S fields writable", csr_read(mstatus) & 0x007e19aau, 0x007e19aau);
    check("mstatus writable bits", csr_read(mstatus), 0x807e1faau);
    csr_write(mstatus, MSTATUS_MPP_S);
    check("mstatus MPP=S", csr_read(mstatus) & MSTATUS_MPP, MSTATUS_MPP_S);
    csr_write(mstatus, 2u << MSTATUS_MPP_SHIFT);
    check("mstatus MPP=2 (reserved)", csr_read(mstatus) & MSTATUS_MPP, 2u << MSTATUS_MPP_SHIFT);
    csr_write(mstatus, 0);

    /* mideleg = SSIP, STIP, SEIP (set above), so sie and sip show those bits. */
    csr_write(sstatus, 0xffffffffu);
    check("sstatus S fields writable", csr_read(sstatus) & 0x000c0122u, 0x000c0122u);
    check("sstatus writable bits", csr_read(sstatus), 0x800c0722u);
    check("sstatus writes reach mstatus", csr_read(mstatus) & 0x000c0122u, 0x000c0122u);
    csr_write(sstatus, 0);
    csr_write(mstatus, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_SIE);
    check("sstatus hides M bits", csr_read(sstatus), MSTATUS_SIE);
    csr_write(mstatus, 0);
    csr_write(mie, MIP_MSIP | MIP_MTIP | MIP_SSIP | MIP_STIP);
    check("sie is mie & mideleg", csr_read(sie), MIP_SSIP | MIP_STIP);
    csr_write(sie, 0);
    check("sie writes reach mie", csr_read(mie), MIP_MSIP | MIP_MTIP);
    csr_write(mie, 0);
    csr_set(sip, MIP_SSIP);
    check("sip.SSIP writable from sip", csr_read(mip) & MIP_SSIP, MIP_SSIP);
    csr_clear(mip, MIP_SSIP);
    check("mip.SSIP clears", csr_read(sip), 0);
    csr_write(mideleg, 0);
    csr_write(mie, MIP_SSIP);
    check("sie without delegation", csr_read(sie), 0);
    csr_write(mie, 0);

    uint32_t c0 = csr_read(cycle), i0 = csr_read(instret), t0 = csr_read(time);
    for (volatile int i = 0; i < 10000; i++)
        ;
    uint32_t c1 = csr_read(cycle), i1 = csr_read(instret);
    uint32_t mtime = (uint32_t)clint_mtime();
    uint32_t t1 = csr_read(time);
    check("cycle counts", c1 - c0 > 100, 1);
    check("instret counts", i1 - i0 > 100, 1);
    check("time counts", t1 - t0 > 0, 1);
    check("time follows mtime", t1 - mtime < 1000000, 1);
    c0 = csr_read(cycle);
    c1 = csr_read(mcycle);
    check("mcycle = cycle", c1 - c0 < 100000, 1);
    i0 = csr_read(instret);
    i1 = csr_read(minstret);
    /* Without -icount, QEMU counts host CPU ticks in cycle and instret: compare loosely. */
    check("minstret = instret", i1 - i0 < 100000, 1);
    csr_write(mcycle, 0);
    csr_write(mcycleh, 0);
    check("mcycleh writable", csr_read(mcycleh), 0);
    csr_write(minstret, 0);
    csr_write(minstreth, 0);
    check("minstreth writable", csr_read(minstreth), 0);
    check("instreth = minstreth", csr_read(instreth), 0);

    EXPECT_ILLEGAL("csrr fcsr with mstatus.FS off", "csrr t0, fcsr");
    return check_summary("conf-csr");
}
