/* Conformance: the ARMv6-M subset (built for cortex-m0plus): 16-bit flag-setting arithmetic and
 * logic on low registers, shifts, muls, sign/zero extension, rev, and loads/stores. Expected values
 * follow the ARM ARM's AddWithCarry and Shift_C. QEMU 7.2's mps2-an385 accepts only the Cortex-M3,
 * so this runs on BoardLab's Cortex-M0+ board only. */
#include <stdint.h>
#include "conf.h"

/* rd = rd op rm with the flags in and out (two-operand 16-bit forms, low registers) */
#define OP2F(op, a, b, in, flags) ({ uint32_t r_ = (a), f_; \
    __asm__ volatile(".syntax unified\n\tmsr APSR_nzcvq, %[fi]\n\t" op " %[r], %[y]\n\tmrs %[fo], APSR\n\t.syntax divided" \
        : [r] "+&l"(r_), [fo] "=&l"(f_) : [y] "l"((uint32_t)(b)), [fi] "l"((uint32_t)(in)) : "cc"); \
    *(flags) = f_ & 0xf0000000u; r_; })
#define CHECK_OP2F(name, op, a, b, in, want, want_flags) do { uint32_t f__; \
    check(name, OP2F(op, a, b, in, &f__), want); check(name " nzcv", f__, want_flags); } while (0)

int main(void)
{
    CHECK_OP2F("adds 0x7fffffff, 1", "adds", 0x7fffffffu, 1u, 0u, 0x80000000u, APSR_N | APSR_V);
    CHECK_OP2F("adds 0xffffffff, 1", "adds", 0xffffffffu, 1u, 0u, 0u, APSR_Z | APSR_C);
    CHECK_OP2F("adcs 1, 1 C=1", "adcs", 1u, 1u, APSR_C, 3u, 0u);
    CHECK_OP2F("subs 0, 1", "subs", 0u, 1u, 0u, 0xffffffffu, APSR_N);
    CHECK_OP2F("subs 5, 5", "subs", 5u, 5u, 0u, 0u, APSR_Z | APSR_C);
    CHECK_OP2F("sbcs 5, 5 C=0", "sbcs", 5u, 5u, 0u, 0xffffffffu, APSR_N);
    CHECK_OP2F("sbcs 0x80000000, 1 C=1", "sbcs", 0x80000000u, 1u, APSR_C, 0x7fffffffu, APSR_C | APSR_V);
    CHECK_OP2F("ands 0xf0f0f0f0, 0x0ff00ff0", "ands", 0xf0f0f0f0u, 0x0ff00ff0u, APSR_C, 0x00f000f0u, APSR_C);
    CHECK_OP2F("orrs 0x80000000, 1", "orrs", 0x80000000u, 1u, 0u, 0x80000001u, APSR_N);
    CHECK_OP2F("eors 0x1234, 0x1234", "eors", 0x1234u, 0x1234u, APSR_V, 0u, APSR_Z | APSR_V);
    CHECK_OP2F("bics 0xff, 0x0f", "bics", 0xffu, 0x0fu, 0u, 0xf0u, 0u);
    CHECK_OP2F("lsls 0x80000001, 1", "lsls", 0x80000001u, 1u, 0u, 2u, APSR_C);
    CHECK_OP2F("lsls 1, 32", "lsls", 1u, 32u, 0u, 0u, APSR_Z | APSR_C);
    CHECK_OP2F("lsrs 3, 1", "lsrs", 3u, 1u, 0u, 1u, APSR_C);
    CHECK_OP2F("asrs 0x80000000, 31", "asrs", 0x80000000u, 31u, 0u, 0xffffffffu, APSR_N);
    CHECK_OP2F("asrs 0x80000000, 40", "asrs", 0x80000000u, 40u, 0u, 0xffffffffu, APSR_N | APSR_C);
    CHECK_OP2F("rors 0x80000001, 1", "rors", 0x80000001u, 1u, 0u, 0xc0000000u, APSR_N | APSR_C);
    CHECK_OP2F("muls 0x10000, 0x10000", "muls", 0x10000u, 0x10000u, APSR_C, 0u, APSR_Z | APSR_C);
    CHECK_OP2F("muls 0xffffffff, 3", "muls", 0xffffffffu, 3u, 0u, 0xfffffffdu, APSR_N);
    check("sxtb 0x80", R1("sxtb", 0x80u), 0xffffff80u);
    check("uxth 0x12345678", R1("uxth", 0x12345678u), 0x5678u);
    check("rev 0x12345678", R1("rev", 0x12345678u), 0x78563412u);
    check("rev16 0x12345678", R1("rev16", 0x12345678u), 0x34127856u);
    check("revsh 0x1280", R1("revsh", 0x1280u), 0xffff8012u);
    static volatile uint32_t words[2] = { 0x84038201u, 0 };
    uint32_t r;
    __asm__ volatile("ldrsb %0, [%1, %2]" : "=l"(r) : "l"(words), "l"(1u) : "memory");
    check("ldrsb [words, 1]", r, 0xffffff82u);
    __asm__ volatile("ldrh %0, [%1, #2]" : "=l"(r) : "l"(words) : "memory");
    check("ldrh [words, #2]", r, 0x8403u);
    words[1] = 0;
    __asm__ volatile("strb %1, [%0, #5]" :: "l"(words), "l"(0xabu) : "memory");
    check("strb [words, #5]", words[1], 0xab00u);
    return check_summary("conf-armv6m");
}
