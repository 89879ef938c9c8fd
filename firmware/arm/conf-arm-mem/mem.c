/* Conformance: ARMv7-M loads and stores. Byte, halfword and word loads (zero- and sign-extending)
 * from a buffer whose byte i is (i + 1) | 0x80 for odd i; unaligned word and halfword accesses
 * (allowed with CCR.UNALIGN_TRP clear); register offsets with shifts; pre- and post-indexed
 * addressing with writeback and negative offsets; ldrd/strd; stm/ldm with writeback; push/pop;
 * literal loads. Expected values are the buffer's bytes read little-endian. */
#include <stdint.h>
#include "conf.h"

static uint8_t buf[32] __attribute__((aligned(8)));
static uint32_t scratch[8] __attribute__((aligned(8)));

#define LOAD(op, base, offset) ({ uint32_t r_; __asm__ volatile(op " %0, [%1, %2]" : "=r"(r_) : "r"(base), "i"(offset) : "memory"); r_; })

int main(void)
{
    for (uint32_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)((i + 1u) | (i & 1u ? 0x80u : 0u));

    check("ldrb [buf, #1]", LOAD("ldrb", buf, 1), 0x82u);
    check("ldrb [buf, #2]", LOAD("ldrb", buf, 2), 0x03u);
    check("ldrsb [buf, #1]", LOAD("ldrsb", buf, 1), 0xffffff82u);
    check("ldrsb [buf, #2]", LOAD("ldrsb", buf, 2), 0x03u);
    check("ldrh [buf, #0]", LOAD("ldrh", buf, 0), 0x8201u);
    check("ldrsh [buf, #0]", LOAD("ldrsh", buf, 0), 0xffff8201u);
    check("ldrsh [buf, #2]", LOAD("ldrsh", buf, 2), 0xffff8403u);
    check("ldr [buf, #0]", LOAD("ldr", buf, 0), 0x84038201u);
    check("ldr [buf, #4]", LOAD("ldr", buf, 4), 0x88078605u);
    check("ldr [buf, #28]", LOAD("ldr", buf, 28), 0xa01f9e1du);
    check("ldr unaligned [buf, #1]", LOAD("ldr", buf, 1), 0x05840382u);
    check("ldr unaligned [buf, #3]", LOAD("ldr", buf, 3), 0x07860584u);
    check("ldrh unaligned [buf, #3]", LOAD("ldrh", buf, 3), 0x0584u);
    check("ldrsh unaligned [buf, #1]", LOAD("ldrsh", buf, 1), 0x0382u);
    check("ldrsh unaligned [buf, #5]", LOAD("ldrsh", buf, 5), 0x0786u);

    uint32_t r, p;
    __asm__ volatile("ldr %0, [%1, %2, lsl #2]" : "=r"(r) : "r"(buf), "r"(1u) : "memory");
    check("ldr [buf, r(1), lsl #2]", r, 0x88078605u);
    __asm__ volatile("ldrb %0, [%1, %2]" : "=r"(r) : "r"(buf), "r"(9u) : "memory");
    check("ldrb [buf, r(9)]", r, 0x8au);
    p = (uint32_t)buf;
    __asm__ volatile("ldr %0, [%1], #4" : "=r"(r), "+r"(p) :: "memory");
    check("ldr post-index value", r, 0x84038201u);
    check("ldr post-index writeback", p - (uint32_t)buf, 4u);
    __asm__ volatile("ldr %0, [%1, #4]!" : "=r"(r), "+r"(p) :: "memory");
    check("ldr pre-index value", r, 0x8c0b8a09u);
    check("ldr pre-index writeback", p - (uint32_t)buf, 8u);
    __asm__ volatile("ldr %0, [%1, #-8]" : "=r"(r) : "r"(p) : "memory");
    check("ldr negative offset", r, 0x84038201u);
    __asm__ volatile("ldrh %0, [%1], #-2" : "=r"(r), "+r"(p) :: "memory");
    check("ldrh post-index negative value", r, 0x8a09u);
    check("ldrh post-index negative writeback", p - (uint32_t)buf, 6u);

    uint32_t lo, hi;
    __asm__ volatile("ldrd %0, %1, [%2, #8]" : "=&r"(lo), "=&r"(hi) : "r"(buf) : "memory");
    check("ldrd lo", lo, 0x8c0b8a09u);
    check("ldrd hi", hi, 0x900f8e0du);

    for (int i = 0; i < 8; i++) scratch[i] = 0;
    __asm__ volatile("strb %1, [%0, #1]\n\tstrh %2, [%0, #2]\n\tstr %3, [%0, #4]\n\tstrd %2, %3, [%0, #8]"
        :: "r"(scratch), "r"(0x123456abu), "r"(0xcafef00du), "r"(0xdeadbeefu) : "memory");
    check("strb/strh word", scratch[0], 0xf00dab00u);
    check("str word", scratch[1], 0xdeadbeefu);
    check("strd lo", scratch[2], 0xcafef00du);
    check("strd hi", scratch[3], 0xdeadbeefu);
    __asm__ volatile("str %1, [%0, #17]" :: "r"(scratch), "r"(0x11223344u) : "memory");
    check("str unaligned low word", scratch[4], 0x22334400u);
    check("str unaligned high word", scratch[5], 0x11u);

    p = (uint32_t)&scratch[0];
    __asm__ volatile("mov r4, #0x41\n\tmov r5, #0x42\n\tmov r6, #0x43\n\tstmia %0!, {r4, r5, r6}" : "+r"(p) :: "r4", "r5", "r6", "memory");
    check("stmia writeback", p - (uint32_t)scratch, 12u);
    check("stmia words", scratch[0] + (scratch[1] << 8) + (scratch[2] << 16), 0x434241u);
    __asm__ volatile("ldmdb %0!, {r4, r5, r6}\n\tadd %1, r4, r5, lsl #8\n\tadd %1, %1, r6, lsl #16" : "+r"(p), "=r"(r) :: "r4", "r5", "r6", "memory");
    check("ldmdb writeback", p - (uint32_t)scratch, 0u);
    check("ldmdb words", r, 0x434241u);

    uint32_t sp_before, sp_pushed, a, b;
    __asm__ volatile("mov %0, sp\n\tmov r4, #7\n\tmov r5, #9\n\tpush {r4, r5}\n\tmov %1, sp\n\tldr %2, [sp]\n\tldr %3, [sp, #4]\n\tpop {r4, r5}"
        : "=&r"(sp_before), "=&r"(sp_pushed), "=&r"(a), "=&r"(b) :: "r4", "r5", "memory");
    check("push moves sp by 8", sp_before - sp_pushed, 8u);
    check("push stores the lowest register lowest", (a << 4) | b, 0x79u);
    __asm__ volatile("ldr %0, =0x13579bdf" : "=r"(r));
    check("ldr literal", r, 0x13579bdfu);
    return check_summary("conf-arm-mem");
}
