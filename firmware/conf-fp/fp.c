/* Conformance: F and D in the hart (not the arithmetic itself: firmware/fp-vectors compares that).
 * mstatus.FS (its reset value, off → every FP instruction and fflags/frm/fcsr illegal, which
 * instructions and CSR writes make it dirty, SD in mstatus and sstatus), the fcsr/frm/fflags
 * masks, the rounding mode (static, dynamic, reserved → illegal with mtval), NaN-boxing (what an
 * improperly boxed single reads as in each kind of instruction, what fsw and fmv.x.w take), the
 * compressed FP loads and stores, and the misa bits. Probes say whether the hart has F and D
 * ("f: on", or "f: off" with the trap), so the same image compares on QEMU 7.2's default CPU and
 * riscv-virt@1.2 (both on), and with f/d off on both (riscv-virt@1.1). Values are bit patterns in
 * integer registers: no C floating point, every FP instruction is inline assembly. */
#include <stdint.h>
#include "conf.h"
#include "csr.h"
#include "print.h"
#include "uart.h"

#define MSTATUS_FS_SHIFT 13
#define MSTATUS_FS       (3u << MSTATUS_FS_SHIFT)
#define MSTATUS_SD       (1u << 31)
#define FS_OFF     0u
#define FS_INITIAL 1u
#define FS_CLEAN   2u
#define FS_DIRTY   3u
#define MISA_F     (1u << 5)
#define MISA_D     (1u << 3)

#define NX 1u
#define UF 2u
#define OF 4u
#define DZ 8u
#define NV 16u

#define ONE_S    0x3f800000u
#define THREE_S  0x40400000u
#define QNAN_S   0x7fc00000u
#define SNAN_S   0x7f800001u

/* Scratch memory for FP loads and stores (8-byte aligned). */
static volatile uint32_t mem[8] __attribute__((aligned(8)));

static uint32_t fs(void) { return (csr_read(mstatus) & MSTATUS_FS) >> MSTATUS_FS_SHIFT; }
static void set_fs(uint32_t state)
{
    csr_clear(mstatus, MSTATUS_FS);
    csr_set(mstatus, state << MSTATUS_FS_SHIFT);
}

/* Run `asm_text` (one instruction at label 1, 32-bit unless it says .option rvc) and check it
 * takes an illegal-instruction trap with its bits in mtval. */
#define EXPECT_ILLEGAL(name, asm_text) do {                                             \
        uint32_t at_, bits_;                                                            \
        trap_reset();                                                                   \
        __asm__ volatile(".option push\n\t.option norvc\n\tla %0, 1f\n1:\t" asm_text    \
                         "\n\t.option pop" : "=&r"(at_) : : "memory");                  \
        bits_ = *(volatile uint16_t *)(uintptr_t)at_;                                   \
        if ((bits_ & 3u) == 3u) bits_ |= (uint32_t)*(volatile uint16_t *)(uintptr_t)(at_ + 2) << 16; \
        check(name " traps", trap_seen.count, 1);                                       \
        check(name " mcause", trap_seen.cause, CAUSE_ILLEGAL_INSTRUCTION);              \
        check(name " mtval", trap_seen.tval, bits_);                                    \
    } while (0)

/* Put bits in an FP register: a boxed single (fmv.w.x), or any 64 bits (fld). */
#define SET_S(freg, bits) __asm__ volatile("fmv.w.x " freg ", %0" : : "r"((uint32_t)(bits)) : freg)
#define SET_D(freg, lo, hi) do { mem[0] = (lo); mem[1] = (hi); __asm__ volatile("fld " freg ", 0(%0)" : : "r"(mem) : freg, "memory"); } while (0)
/* The hart has D (set by main from the probe). */
static int with_d;
/* Read an FP register's 64 bits (fsd) into mem[2], mem[3]; with F only its low 32 bits (fsw) into
 * mem[2] (the upper half is not observable then). */
#define STORE_D(freg) do {                                                           \
        if (with_d) __asm__ volatile("fsd " freg ", 8(%0)" : : "r"(mem) : "memory"); \
        else __asm__ volatile("fsw " freg ", 8(%0)" : : "r"(mem) : "memory");        \
    } while (0)
/* Run an instruction on ft0/ft1(/ft2) writing ft3; its 64 bits end up in mem[2] (low), mem[3] (high). */
#define FOP(text) do { __asm__ volatile(text : : : "ft3", "memory"); STORE_D("ft3"); } while (0)
/* Run an instruction writing integer register %0. */
#define XOP(text) ({ uint32_t r_; __asm__ volatile(text : "=r"(r_) : : "memory"); r_; })

static void check_d(const char *name, uint32_t want_lo, uint32_t want_hi)
{
    uart_puts(name);
    uart_puts(": ");
    if (with_d) {
        uart_put_hex(mem[3]);
        uart_puts(" ");
    }
    uart_put_hex(mem[2]);
    uart_puts("\n");
    check(name, mem[2] == want_lo && (!with_d || mem[3] == want_hi), 1);
}

/* After a probe instruction: 1 if it executed, else 0 and how it trapped. */
static int reported(const char *extension)
{
    uart_puts(extension);
    if (trap_seen.count == 0) {
        uart_puts(": on\n");
        return 1;
    }
    uart_puts(": off, mcause ");
    uart_put_hex(trap_seen.cause);
    uart_puts(" mtval ");
    uart_put_hex(trap_seen.tval);
    uart_puts("\n");
    return 0;
}

static void fs_off_checks(void)
{
    set_fs(FS_OFF);
    check("FS off reads back 0", fs(), FS_OFF);
    EXPECT_ILLEGAL("FS off: flw", "flw ft0, 0(sp)");
    EXPECT_ILLEGAL("FS off: fsw", "fsw ft0, 0(sp)");
    EXPECT_ILLEGAL("FS off: fmv.w.x", "fmv.w.x ft0, zero");
    EXPECT_ILLEGAL("FS off: fmv.x.w", "fmv.x.w t0, ft0");
    EXPECT_ILLEGAL("FS off: fadd.s", "fadd.s ft0, ft1, ft2");
    EXPECT_ILLEGAL("FS off: fcvt.s.w", "fcvt.s.w ft0, zero");
    EXPECT_ILLEGAL("FS off: feq.s", "feq.s t0, ft0, ft1");
    EXPECT_ILLEGAL("FS off: fld", "fld ft0, 0(sp)");
    EXPECT_ILLEGAL("FS off: fsgnj.d", "fsgnj.d ft0, ft1, ft2");
    EXPECT_ILLEGAL("FS off: c.fld", ".option rvc\n\tc.fld fs0, 8(s0)");
    EXPECT_ILLEGAL("FS off: c.fswsp", ".option rvc\n\tc.fswsp ft0, 4(sp)");
    EXPECT_ILLEGAL("FS off: csrr fflags", "csrr t0, fflags");
    EXPECT_ILLEGAL("FS off: csrr frm", "csrr t0, frm");
    EXPECT_ILLEGAL("FS off: csrw fcsr", "csrw fcsr, zero");
    check("FS off stays off", fs(), FS_OFF);
}

/* FS after one instruction run with FS = clean, and whether SD shows in mstatus and sstatus. */
#define DIRTY_CHECK(name, text, want) do {                                                 \
        set_fs(FS_CLEAN);                                                                  \
        trap_reset();                                                                      \
        __asm__ volatile(text : : "r"(mem) : "t0", "ft0", "memory");                     \
        check("FS after " name, fs(), want);                                               \
        check("SD after " name, csr_read(mstatus) >> 31, (want) == FS_DIRTY);              \
        check("sstatus.SD after " name, csr_read(sstatus) >> 31, (want) == FS_DIRTY);      \
        check(name " did not trap", trap_seen.count, 0);                                   \
    } while (0)

static void dirty_checks(int has_d)
{
    DIRTY_CHECK("flw", "flw ft0, 0(%0)", FS_DIRTY);
    DIRTY_CHECK("fsw", "fsw ft0, 0(%0)", FS_CLEAN);
    DIRTY_CHECK("fmv.w.x", "fmv.w.x ft0, zero", FS_DIRTY);
    DIRTY_CHECK("fmv.x.w", "fmv.x.w t0, ft0", FS_CLEAN);
    DIRTY_CHECK("fadd.s", "fadd.s ft0, ft0, ft0", FS_DIRTY);
    DIRTY_CHECK("fmadd.s", "fmadd.s ft0, ft0, ft0, ft0", FS_DIRTY);
    DIRTY_CHECK("fsqrt.s", "fsqrt.s ft0, ft0", FS_DIRTY);
    DIRTY_CHECK("fsgnj.s", "fsgnj.s ft0, ft0, ft0", FS_DIRTY);
    DIRTY_CHECK("fmin.s", "fmin.s ft0, ft0, ft0", FS_DIRTY);
    DIRTY_CHECK("fcvt.s.w", "fcvt.s.w ft0, zero", FS_DIRTY);
    DIRTY_CHECK("fcvt.w.s", "fcvt.w.s t0, ft0", FS_CLEAN);
    DIRTY_CHECK("feq.s", "feq.s t0, ft0, ft0", FS_CLEAN);
    DIRTY_CHECK("flt.s", "flt.s t0, ft0, ft0", FS_CLEAN);
    DIRTY_CHECK("fclass.s", "fclass.s t0, ft0", FS_CLEAN);
    DIRTY_CHECK("csrr fflags", "csrr t0, fflags", FS_CLEAN);
    DIRTY_CHECK("csrrs fflags with a zero register", "li t0, 0\n\tcsrrs t0, fflags, t0", FS_CLEAN);
    DIRTY_CHECK("csrw fflags", "csrw fflags, zero", FS_DIRTY);
    DIRTY_CHECK("csrwi frm", "csrwi frm, 0", FS_DIRTY);
    DIRTY_CHECK("csrw fcsr", "csrw fcsr, zero", FS_DIRTY);
    if (has_d) {
        DIRTY_CHECK("fld", "fld ft0, 0(%0)", FS_DIRTY);
        DIRTY_CHECK("fsd", "fsd ft0, 0(%0)", FS_CLEAN);
        DIRTY_CHECK("fadd.d", "fadd.d ft0, ft0, ft0", FS_DIRTY);
        DIRTY_CHECK("fcvt.d.s", "fcvt.d.s ft0, ft0", FS_DIRTY);
        DIRTY_CHECK("fcvt.s.d", "fcvt.s.d ft0, ft0", FS_DIRTY);
        DIRTY_CHECK("fcvt.w.d", "fcvt.w.d t0, ft0", FS_CLEAN);
        DIRTY_CHECK("fle.d", "fle.d t0, ft0, ft0", FS_CLEAN);
    }
    /* an instruction that traps leaves FS as it was */
    set_fs(FS_CLEAN);
    csr_write(frm, 5);
    trap_reset();
    __asm__ volatile("fadd.s ft0, ft0, ft0, dyn" : : : "ft0");
    check("a trapping fadd.s traps", trap_seen.count, 1);
    check("a trapping fadd.s leaves FS", fs(), FS_DIRTY); /* the csrw frm made it dirty */
    set_fs(FS_CLEAN);
    trap_reset();
    __asm__ volatile("fadd.s ft0, ft0, ft0, dyn" : : : "ft0");
    check("FS after a trapping fadd.s (clean)", fs(), FS_CLEAN);
    csr_write(frm, 0);
    set_fs(FS_INITIAL);
    check("FS initial reads back 1", fs(), FS_INITIAL);
    check("SD clear unless dirty", csr_read(mstatus) >> 31, 0);
}

/* FS through sstatus, SD read-only, misaligned FP loads and stores (allowed in RAM, as lw/sw). */
static void status_and_alignment_checks(int has_d)
{
    set_fs(FS_OFF);
    csr_set(sstatus, FS_DIRTY << MSTATUS_FS_SHIFT);
    check("FS written through sstatus", fs(), FS_DIRTY);
    check("sstatus shows SD", csr_read(sstatus) >> 31, 1);
    csr_clear(sstatus, FS_CLEAN << MSTATUS_FS_SHIFT);
    check("FS cleared through sstatus", fs(), FS_INITIAL);
    csr_set(mstatus, MSTATUS_SD);
    check("SD cannot be written", csr_read(mstatus) >> 31, 0);
    uint8_t *bytes = (uint8_t *)mem;
    for (int i = 0; i < 32; i++) bytes[i] = (uint8_t)(0x11 * (i + 1));
    uint32_t r;
    __asm__ volatile("flw ft0, 1(%1)\n\tfmv.x.w %0, ft0" : "=r"(r) : "r"(mem) : "ft0", "memory");
    check("misaligned flw", r, 0x55443322u);
    __asm__ volatile("fsw ft0, 17(%0)" : : "r"(mem) : "memory");
    check("misaligned fsw", mem[4], 0x44332221u); /* bytes 16-19: 0x21 kept, then 0x22 0x33 0x44 of the value */
    check("misaligned fsw high byte", mem[5] & 0xffu, 0x55u);
    if (has_d) {
        __asm__ volatile("fld ft1, 2(%0)\n\tfsd ft1, 22(%0)" : : "r"(mem) : "ft1", "memory");
        check("misaligned fld/fsd low half", (mem[5] >> 16) | (mem[6] << 16), 0x66554433u);
        check("misaligned fld/fsd high half", (mem[6] >> 16) | (mem[7] << 16), 0xaa998877u);
    }
    set_fs(FS_INITIAL);
}

static void fcsr_checks(void)
{
    csr_write(fcsr, 0xffffffffu);
    check("fcsr holds 8 bits", csr_read(fcsr), 0xffu);
    check("fflags is fcsr[4:0]", csr_read(fflags), 0x1fu);
    check("frm is fcsr[7:5]", csr_read(frm), 7u);
    csr_write(frm, 0xffffffffu);
    check("frm holds 3 bits", csr_read(frm), 7u);
    csr_write(fflags, 0xffffffe5u);
    check("fflags holds 5 bits", csr_read(fflags), 5u);
    check("fcsr after frm and fflags writes", csr_read(fcsr), 0xe5u);
    csr_write(frm, 6);
    check("frm keeps a reserved value", csr_read(frm), 6u);
    check("fcsr with frm 6", csr_read(fcsr), 0xc5u);
    uint32_t old;
    __asm__ volatile("csrrw %0, fcsr, %1" : "=r"(old) : "r"(0x41u));
    check("csrrw fcsr returns old", old, 0xc5u);
    check("csrrw fcsr wrote frm 2, fflags 1", csr_read(fcsr), 0x41u);
    __asm__ volatile("fsflags %0, %1" : "=r"(old) : "r"(0x1eu));
    check("fsflags returns old", old, 1u);
    __asm__ volatile("fsrm %0, %1" : "=r"(old) : "r"(3u));
    check("fsrm returns old", old, 2u);
    check("fcsr after fsflags/fsrm", csr_read(fcsr), 0x7eu);
    csr_write(fcsr, 0);
}

static void rounding_checks(int has_d)
{
    SET_S("ft0", ONE_S);
    SET_S("ft1", THREE_S);
    static const char *const names[] = { "rne", "rtz", "rdn", "rup", "rmm" };
    static const uint32_t third[] = { 0x3eaaaaabu, 0x3eaaaaaau, 0x3eaaaaaau, 0x3eaaaaabu, 0x3eaaaaabu };
    (void)names;
    csr_write(fflags, 0);
    FOP("fdiv.s ft3, ft0, ft1, rne"); check("1/3 static rne", mem[2], third[0]);
    FOP("fdiv.s ft3, ft0, ft1, rtz"); check("1/3 static rtz", mem[2], third[1]);
    FOP("fdiv.s ft3, ft0, ft1, rdn"); check("1/3 static rdn", mem[2], third[2]);
    FOP("fdiv.s ft3, ft0, ft1, rup"); check("1/3 static rup", mem[2], third[3]);
    FOP("fdiv.s ft3, ft0, ft1, rmm"); check("1/3 static rmm", mem[2], third[4]);
    check("1/3 raises inexact", csr_read(fflags), NX);
    for (uint32_t rm = 0; rm < 5; rm++) {
        csr_write(frm, rm);
        FOP("fdiv.s ft3, ft0, ft1, dyn");
        check("1/3 dynamic (frm 0..4)", mem[2], third[rm]);
    }
    /* -1/3 in rdn and rup: the direction follows the sign */
    SET_S("ft2", 0xbf800000u);
    csr_write(frm, 2);
    FOP("fdiv.s ft3, ft2, ft1, dyn"); check("-1/3 rdn", mem[2], 0xbeaaaaabu);
    FOP("fdiv.s ft3, ft2, ft1, rup"); check("-1/3 static rup with frm rdn", mem[2], 0xbeaaaaaau);
    csr_write(frm, 0);

    /* reserved rounding modes: illegal instruction, rd unchanged, flags unchanged */
    SET_S("ft2", 0x12345u);
    csr_write(fflags, 0);
    EXPECT_ILLEGAL("fadd.s rm 5", ".insn r 0x53, 5, 0, ft2, ft0, ft1");
    EXPECT_ILLEGAL("fadd.s rm 6", ".insn r 0x53, 6, 0, ft2, ft0, ft1");
    for (uint32_t frm = 5; frm < 8; frm++) {
        csr_write(frm, frm);
        EXPECT_ILLEGAL("fadd.s dyn with frm 5..7", "fadd.s ft2, ft0, ft1, dyn");
        EXPECT_ILLEGAL("fcvt.w.s dyn with frm 5..7", "fcvt.w.s t0, ft0, dyn");
        trap_reset();
        uint32_t r = XOP("fsgnj.s ft2, ft0, ft0\n\tfmv.x.w %0, ft2");
        check("fsgnj.s ignores frm 5..7", trap_seen.count, 0);
        check("fsgnj.s result", r, ONE_S);
        r = XOP("feq.s %0, ft0, ft1");
        check("feq.s ignores frm 5..7", trap_seen.count, 0);
        EXPECT_ILLEGAL("fmadd.s dyn with frm 5..7", "fmadd.s ft2, ft0, ft1, ft0, dyn");
        EXPECT_ILLEGAL("fcvt.s.w dyn with frm 5..7", "fcvt.s.w ft2, zero, dyn");
        if (has_d) {
            EXPECT_ILLEGAL("fcvt.d.w dyn with frm 5..7 (exact, still checked)", ".insn r 0x53, 7, 0x69, ft2, zero, x0");
            EXPECT_ILLEGAL("fcvt.d.s dyn with frm 5..7", ".insn r 0x53, 7, 0x21, ft2, ft0, x0");
            EXPECT_ILLEGAL("fsqrt.d dyn with frm 5..7", "fsqrt.d ft2, ft0, dyn");
            trap_reset();
            (void)XOP("fmax.d ft2, ft0, ft1\n\tfclass.d %0, ft2");
            check("fmax.d and fclass.d ignore frm 5..7", trap_seen.count, 0);
        }
    }
    EXPECT_ILLEGAL("fmadd.s rm 6", ".insn r4 0x43, 6, 0, ft2, ft0, ft1, ft0");
    if (has_d)
        EXPECT_ILLEGAL("fcvt.d.w rm 5", ".insn r 0x53, 5, 0x69, ft2, zero, x0");
    csr_write(frm, 0);
    check("reserved rm left fflags alone", csr_read(fflags), 0);
}

static void nan_boxing_checks(int has_d)
{
    /* fmv.w.x and flw box: the upper 32 bits become ones */
    SET_S("ft3", 0x40490fdbu);
    STORE_D("ft3");
    check_d("fmv.w.x boxes", 0x40490fdbu, 0xffffffffu);
    mem[0] = 0x3fc00000u;
    __asm__ volatile("flw ft3, 0(%0)" : : "r"(mem) : "ft3", "memory");
    STORE_D("ft3");
    check_d("flw boxes", 0x3fc00000u, 0xffffffffu);
    if (!has_d)
        return;
    /* ft0 holds bits that are not a boxed single; ft1 = 1.0f boxed */
    SET_D("ft0", 0x3f800000u, 0x12345678u);
    SET_S("ft1", ONE_S);
    csr_write(fflags, 0);
    FOP("fadd.s ft3, ft0, ft1"); check_d("fadd.s unboxed + 1: canonical NaN", QNAN_S, 0xffffffffu);
    check("fadd.s with an unboxed operand raises nothing", csr_read(fflags), 0);
    FOP("fsgnj.s ft3, ft0, ft1"); check_d("fsgnj.s unboxed, 1", QNAN_S, 0xffffffffu);
    FOP("fsgnj.s ft3, ft1, ft0"); check_d("fsgnj.s 1, unboxed", ONE_S, 0xffffffffu);
    FOP("fsgnjn.s ft3, ft0, ft1"); check_d("fsgnjn.s unboxed, 1", 0xffc00000u, 0xffffffffu);
    FOP("fsgnjx.s ft3, ft1, ft0"); check_d("fsgnjx.s 1, unboxed", ONE_S, 0xffffffffu);
    FOP("fsgnj.s ft3, ft0, ft0"); check_d("fmv.s of unboxed", QNAN_S, 0xffffffffu);
    FOP("fsgnjn.s ft3, ft0, ft0"); check_d("fneg.s of unboxed", 0xffc00000u, 0xffffffffu);
    FOP("fsgnjx.s ft3, ft0, ft0"); check_d("fabs.s of unboxed", QNAN_S, 0xffffffffu);
    FOP("fmin.s ft3, ft0, ft1"); check_d("fmin.s unboxed, 1", ONE_S, 0xffffffffu);
    FOP("fcvt.d.s ft3, ft0"); check_d("fcvt.d.s unboxed", 0x00000000u, 0x7ff80000u);
    check("fmv.x.w takes the low bits unchecked", XOP("fmv.x.w %0, ft0"), 0x3f800000u);
    check("fclass.s of unboxed: quiet NaN", XOP("fclass.s %0, ft0"), 1u << 9);
    check("feq.s unboxed, unboxed", XOP("feq.s %0, ft0, ft0"), 0);
    csr_write(fflags, 0);
    check("fcvt.w.s unboxed", XOP("fcvt.w.s %0, ft0, rtz"), 0x7fffffffu);
    check("fcvt.w.s unboxed raises invalid", csr_read(fflags), NV);
    mem[4] = 0;
    __asm__ volatile("fsw ft0, 16(%0)" : : "r"(mem) : "memory");
    check("fsw stores the low bits unchecked", mem[4], 0x3f800000u);
    /* a double in a register read as a single */
    SET_D("ft0", 0x00000000u, 0x3ff00000u);
    check("fclass.s of a double 1.0", XOP("fclass.s %0, ft0"), 1u << 9);
    /* fcvt.s.d boxes its result */
    FOP("fcvt.s.d ft3, ft0"); check_d("fcvt.s.d boxes", ONE_S, 0xffffffffu);
    /* fsgnj.d works on all 64 bits */
    SET_D("ft0", 0x3f800000u, 0x12345678u);
    SET_S("ft1", 0xbf800000u);
    FOP("fsgnj.d ft3, ft0, ft1"); check_d("fsgnj.d keeps 63 bits, sign from the boxed single", 0x3f800000u, 0x92345678u);
}

static void compressed_checks(int has_d)
{
    /* c.flw/c.fsw take x8-x15 and f8-f15; c.flwsp/c.fswsp any register, base sp */
    mem[0] = 0x40490fdbu;
    mem[1] = 0xdeadbeefu;
    uint32_t r;
    __asm__ volatile(".option push\n\t.option rvc\n\tmv s0, %1\n\tc.flw fs0, 0(s0)\n\tc.fsw fs0, 16(s0)\n\t.option pop\n\tfmv.x.w %0, fs0"
                     : "=r"(r) : "r"(mem) : "s0", "fs0", "memory");
    check("c.flw", r, 0x40490fdbu);
    check("c.fsw", mem[4], 0x40490fdbu);
    __asm__ volatile(".option push\n\t.option rvc\n\tmv t1, sp\n\tmv sp, %1\n\tc.flwsp ft5, 4(sp)\n\tc.fswsp ft5, 20(sp)\n\tmv sp, t1\n\t.option pop\n\tfmv.x.w %0, ft5"
                     : "=r"(r) : "r"(mem) : "t1", "ft5", "memory");
    check("c.flwsp", r, 0xdeadbeefu);
    check("c.fswsp", mem[5], 0xdeadbeefu);
    if (!has_d)
        return;
    mem[0] = 0x54442d18u;
    mem[1] = 0x400921fbu;
    mem[4] = mem[5] = mem[6] = mem[7] = 0;
    __asm__ volatile(".option push\n\t.option rvc\n\tmv s1, %0\n\tc.fld fa5, 0(s1)\n\tc.fsd fa5, 16(s1)\n\t.option pop"
                     : : "r"(mem) : "s1", "fa5", "memory");
    check("c.fld/c.fsd low", mem[4], 0x54442d18u);
    check("c.fld/c.fsd high", mem[5], 0x400921fbu);
    __asm__ volatile(".option push\n\t.option rvc\n\tmv t1, sp\n\tmv sp, %0\n\tc.fldsp ft6, 0(sp)\n\tc.fsdsp ft6, 24(sp)\n\tmv sp, t1\n\t.option pop"
                     : : "r"(mem) : "t1", "ft6", "memory");
    check("c.fldsp/c.fsdsp low", mem[6], 0x54442d18u);
    check("c.fldsp/c.fsdsp high", mem[7], 0x400921fbu);
}

static void flag_checks(int has_d)
{
    SET_S("ft0", ONE_S);
    SET_S("ft1", 0);
    SET_S("ft2", SNAN_S);
    SET_S("ft4", QNAN_S);
    csr_write(fflags, 0);
    FOP("fdiv.s ft3, ft0, ft1"); check("1/0 = +inf", mem[2], 0x7f800000u);
    check("1/0 raises divide by zero", csr_read(fflags), DZ);
    csr_write(fflags, 0);
    FOP("fadd.s ft3, ft2, ft0"); check("sNaN + 1 = canonical NaN", mem[2], QNAN_S);
    check("sNaN + 1 raises invalid", csr_read(fflags), NV);
    csr_write(fflags, 0);
    check("feq.s qNaN: 0", XOP("feq.s %0, ft4, ft0"), 0);
    check("feq.s qNaN raises nothing", csr_read(fflags), 0);
    check("flt.s qNaN: 0", XOP("flt.s %0, ft4, ft0"), 0);
    check("flt.s qNaN raises invalid", csr_read(fflags), NV);
    csr_write(fflags, 0);
    check("feq.s sNaN raises invalid", XOP("feq.s %0, ft2, ft2") | csr_read(fflags), NV);
    csr_write(fflags, 0);
    SET_S("ft5", 0x4f000000u); /* 2^31 */
    check("fcvt.w.s 2^31 saturates", XOP("fcvt.w.s %0, ft5, rtz"), 0x7fffffffu);
    check("fcvt.w.s 2^31 raises invalid", csr_read(fflags), NV);
    csr_write(fflags, 0);
    SET_S("ft5", 0xbf800000u);
    check("fcvt.wu.s -1 is 0", XOP("fcvt.wu.s %0, ft5, rtz"), 0);
    check("fcvt.wu.s -1 raises invalid", csr_read(fflags), NV);
    csr_write(fflags, 0);
    SET_S("ft5", 0x80000000u);
    SET_S("ft6", 0);
    FOP("fmin.s ft3, ft6, ft5"); check("fmin.s +0, -0 = -0", mem[2], 0x80000000u);
    FOP("fmax.s ft3, ft5, ft6"); check("fmax.s -0, +0 = +0", mem[2], 0u);
    FOP("fmin.s ft3, ft2, ft0"); check("fmin.s sNaN, 1 = 1", mem[2], ONE_S);
    check("fmin.s sNaN raises invalid", csr_read(fflags), NV);
    csr_write(fflags, 0);
    FOP("fmax.s ft3, ft4, ft4"); check("fmax.s qNaN, qNaN = canonical NaN", mem[2], QNAN_S);
    check("flags accrue across instructions", csr_read(fflags), 0);
    SET_S("ft5", 0x7f7fffffu);
    FOP("fmul.s ft3, ft5, ft5, rtz"); check("max*max rtz = max", mem[2], 0x7f7fffffu);
    check("overflow raises overflow and inexact", csr_read(fflags), OF | NX);
    SET_S("ft5", 0x00800000u);
    FOP("fmul.s ft3, ft5, ft5"); check("min normal squared = +0", mem[2], 0u);
    check("underflow accrues", csr_read(fflags), OF | NX | UF);
    if (has_d) {
        csr_write(fflags, 0);
        FOP("fcvt.d.s ft3, ft2"); check_d("fcvt.d.s sNaN", 0u, 0x7ff80000u);
        check("fcvt.d.s sNaN raises invalid", csr_read(fflags), NV);
        csr_write(fflags, 0);
        FOP("fcvt.s.d ft3, ft3"); check("fcvt.s.d canonical", mem[2], QNAN_S);
        check("fcvt.s.d qNaN raises nothing", csr_read(fflags), 0);
        __asm__ volatile("li t0, -5\n\tfcvt.d.w ft3, t0" : : : "t0", "ft3");
        STORE_D("ft3");
        check_d("fcvt.d.w -5", 0u, 0xc0140000u);
        check("fcvt.d.w is exact", csr_read(fflags), 0);
        check("fcvt.wu.d of -5.0", XOP("fcvt.wu.d %0, ft3, rtz"), 0);
        check("fclass.d -5.0: negative normal", XOP("fclass.d %0, ft3"), 1u << 1);
    }
    csr_write(fflags, 0);
}

int main(void)
{
    uart_puts("misa F D: ");
    uart_put_hex(csr_read(misa) & (MISA_F | MISA_D));
    uart_puts("\n");
    uart_puts("mstatus.FS at reset: ");
    uart_put_hex(fs());
    uart_puts("\n");

    fs_off_checks();

    set_fs(FS_INITIAL);
    trap_reset();
    __asm__ volatile("fmv.w.x ft0, zero" : : : "ft0");
    int has_f = reported("f");
    trap_reset();
    __asm__ volatile("fcvt.d.w ft0, zero" : : : "ft0");
    int has_d = reported("d");
    with_d = has_d;
    if (!has_f) {
        check("FS stays off without F", fs(), FS_OFF);
        EXPECT_ILLEGAL("csrr fcsr without F", "csrr t0, fcsr");
        return check_summary("conf-fp");
    }
    dirty_checks(has_d);
    status_and_alignment_checks(has_d);
    fcsr_checks();
    rounding_checks(has_d);
    nan_boxing_checks(has_d);
    compressed_checks(has_d);
    flag_checks(has_d);
    return check_summary("conf-fp");
}
