/* Helpers for the ARM conformance programs (firmware/arm/conf-*): the instruction under test is
 * inline assembly on register operands, so the compiler cannot fold it; each result is compared
 * with check() (firmware/common/check.h: "PASS name" / "FAIL name got X want Y"). Expected values come
 * from the ARMv7-M Architecture Reference Manual's pseudo-code (AddWithCarry, Shift_C,
 * ConditionPassed, ...), worked out by hand for each operand, never from an emulator's output. */
#ifndef BOARDLAB_ARM_CONF_H
#define BOARDLAB_ARM_CONF_H

#include <stdint.h>
#include "check.h"

#define APSR_N (1u << 31)
#define APSR_Z (1u << 30)
#define APSR_C (1u << 29)
#define APSR_V (1u << 28)

/* rd = op rn, rm with the flags NZCV set to `in` before; the result, and the flags after in *flags. */
#define RRF(op, a, b, in, flags) ({ uint32_t r_, f_; \
    __asm__ volatile("msr APSR_nzcvq, %[fi]\n\t" op " %[r], %[x], %[y]\n\tmrs %[fo], APSR" \
        : [r] "=&r"(r_), [fo] "=&r"(f_) : [x] "r"((uint32_t)(a)), [y] "r"((uint32_t)(b)), [fi] "r"((uint32_t)(in)) : "cc"); \
    *(flags) = f_ & 0xf0000000u; r_; })
/* rd = op rm (one source) with flags in and out */
#define R1F(op, a, in, flags) ({ uint32_t r_, f_; \
    __asm__ volatile("msr APSR_nzcvq, %[fi]\n\t" op " %[r], %[x]\n\tmrs %[fo], APSR" \
        : [r] "=&r"(r_), [fo] "=&r"(f_) : [x] "r"((uint32_t)(a)), [fi] "r"((uint32_t)(in)) : "cc"); \
    *(flags) = f_ & 0xf0000000u; r_; })
/* op rn, rm that only sets flags (cmp, cmn, tst, teq) */
#define CMPF(op, a, b, in) ({ uint32_t f_; \
    __asm__ volatile("msr APSR_nzcvq, %[fi]\n\t" op " %[x], %[y]\n\tmrs %[fo], APSR" \
        : [fo] "=&r"(f_) : [x] "r"((uint32_t)(a)), [y] "r"((uint32_t)(b)), [fi] "r"((uint32_t)(in)) : "cc"); \
    f_ & 0xf0000000u; })
/* rd = op rn, rm (no flags) */
#define RR(op, a, b) ({ uint32_t r_; __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); r_; })
/* rd = op rn, #imm */
#define RI(op, a, imm) ({ uint32_t r_; __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "i"(imm)); r_; })
/* rd = op rm */
#define R1(op, a) ({ uint32_t r_; __asm__ volatile(op " %0, %1" : "=r"(r_) : "r"((uint32_t)(a))); r_; })

/* rd = op rn, rm, ra (mla, mls) */
#define RRR(op, a, b, c) ({ uint32_t r_; __asm__ volatile(op " %0, %1, %2, %3" : "=r"(r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b)), "r"((uint32_t)(c))); r_; })
/* op rdlo, rdhi, rn, rm with rdhi:rdlo = hi:lo before (the accumulating forms add it); the 64-bit result */
#define LONGMUL(op, a, b, lo, hi) ({ uint32_t lo_ = (lo), hi_ = (hi); \
    __asm__ volatile(op " %0, %1, %2, %3" : "+&r"(lo_), "+&r"(hi_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); \
    ((uint64_t)hi_ << 32) | lo_; })
#define CHECK64(name, value, want_lo, want_hi) do { uint64_t v__ = (value); \
    check(name " lo", (uint32_t)v__, want_lo); check(name " hi", (uint32_t)(v__ >> 32), want_hi); } while (0)
/* ubfx/sbfx rd, rn, #lsb, #width */
#define BF(op, a, lsb, width) ({ uint32_t r_; __asm__ volatile(op " %0, %1, %2, %3" : "=r"(r_) : "r"((uint32_t)(a)), "i"(lsb), "i"(width)); r_; })
/* bfi into 0xa5a5a5a5 from rn */
#define BFI(a, lsb, width) ({ uint32_t r_ = 0xa5a5a5a5u; __asm__ volatile("bfi %0, %1, %2, %3" : "+r"(r_) : "r"((uint32_t)(a)), "i"(lsb), "i"(width)); r_; })
#define BFC(a, lsb, width) ({ uint32_t r_ = (a); __asm__ volatile("bfc %0, %1, %2" : "+r"(r_) : "i"(lsb), "i"(width)); r_; })
/* ssat/usat rd, #n, rn [, shift] with Q cleared before: (Q after << 32) | result */
#define SATSH(op, bits, a, shift) ({ uint32_t r_, f_; \
    __asm__ volatile("msr APSR_nzcvq, %[z]\n\t" op " %[r], %[n], %[x]" shift "\n\tmrs %[f], APSR" \
        : [r] "=&r"(r_), [f] "=&r"(f_) : [x] "r"((uint32_t)(a)), [n] "i"(bits), [z] "r"(0u) : "cc"); \
    ((uint64_t)((f_ >> 27) & 1u) << 32) | r_; })
#define SAT(op, n, a) SATSH(op, n, a, "")
#define CHECK_SAT(name, value, want, want_q) do { uint64_t v__ = (value); \
    check(name, (uint32_t)v__, want); check(name " Q", (uint32_t)(v__ >> 32), want_q); } while (0)

/* Check a result and the flags an instruction left. */
#define CHECK_RRF(name, op, a, b, in, want, want_flags) do { uint32_t f__; \
    check(name, RRF(op, a, b, in, &f__), want); check(name " nzcv", f__, want_flags); } while (0)
#define CHECK_R1F(name, op, a, in, want, want_flags) do { uint32_t f__; \
    check(name, R1F(op, a, in, &f__), want); check(name " nzcv", f__, want_flags); } while (0)
#define CHECK_CMPF(name, op, a, b, in, want_flags) check(name " nzcv", CMPF(op, a, b, in), want_flags)
#define CHECK_RR(name, op, a, b, want) check(name, RR(op, a, b), want)
#define CHECK_R1(name, op, a, want) check(name, R1(op, a), want)

/* What the fault handlers of conformance/harness.c saw since fault_reset(). */
struct fault_record {
    uint32_t count;       /* faults taken */
    uint32_t exception;   /* IPSR of the last one (3 HardFault, 4 MemManage, 5 BusFault, 6 UsageFault) */
    uint32_t cfsr;        /* CFSR in the handler (cleared by it afterwards) */
    uint32_t hfsr;        /* HFSR in the handler (cleared by it afterwards) */
    uint32_t bfar;        /* BFAR in the handler */
    uint32_t pc;          /* stacked return address: the faulting instruction */
    uint32_t exc_return;  /* LR on entry */
};
extern volatile struct fault_record fault_seen;
void fault_reset(void);

#endif
