/* Conformance: RV32I loads and stores: sign and zero extension, every width, negative offsets,
 * byte order, partial stores, misaligned loads and stores (QEMU virt performs them in hardware:
 * no trap), a load into x0, code written by stores and run after fence.i, and byte access to a
 * device register (UART scratch). Built without C here and with C in conf-c. */
#include <stdint.h>
#include "conf.h"
#include "platform.h"

#define LD(op, base, off) ({ uint32_t r_; __asm__ volatile(op " %0, %2(%1)" : "=r"(r_) : "r"(base), "i"(off) : "memory"); r_; })
#define ST(op, base, off, v) __asm__ volatile(op " %0, %2(%1)" : : "r"((uint32_t)(v)), "r"(base), "i"(off) : "memory")

static uint8_t buf[32] __attribute__((aligned(16)));

static void fill(void)
{
    static const uint8_t pattern[16] = { 0x80, 0x7f, 0x01, 0xff, 0x34, 0x12, 0x78, 0x56,
                                         0x9a, 0xbc, 0xde, 0xf0, 0x11, 0x22, 0x33, 0x44 };
    for (int i = 0; i < 16; i++)
        buf[i] = pattern[i];
    for (int i = 16; i < 32; i++)
        buf[i] = 0;
}

void mem_checks(void)
{
    uint8_t *b = buf;
    fill();
    trap_reset();
    check("lb negative", LD("lb", b, 0), 0xffffff80);
    check("lbu", LD("lbu", b, 0), 0x80);
    check("lb positive", LD("lb", b, 1), 0x7f);
    check("lh", LD("lh", b, 0), 0x7f80);
    check("lh negative", LD("lh", b, 2), 0xffffff01);
    check("lhu", LD("lhu", b, 2), 0xff01);
    check("lw", LD("lw", b, 0), 0xff017f80);
    check("lw offset 4", LD("lw", b, 4), 0x56781234);
    check("lw negative offset", LD("lw", b + 8, -4), 0x56781234);
    check("lbu negative offset", LD("lbu", b + 16, -1), 0x44);

    ST("sb", b, 9, 0x5a);
    check("sb", LD("lw", b, 8), 0xf0de5a9a);
    ST("sh", b, 10, 0xbeef);
    check("sh", LD("lw", b, 8), 0xbeef5a9a);
    ST("sw", b, 16, 0x11223344);
    check("sw then lbu (little endian)", LD("lbu", b, 16), 0x44);
    check("sw then lhu +2", LD("lhu", b, 18), 0x1122);
    ST("sb", b, 20, 0x12345678);
    check("sb stores the low byte", LD("lw", b, 20), 0x78);
    ST("sh", b, 24, 0x12345678);
    check("sh stores the low half", LD("lw", b, 24), 0x5678);

    /* Misaligned: QEMU virt does these in hardware. */
    fill();
    check("lw misaligned +1", LD("lw", b, 1), 0x34ff017f);
    check("lw misaligned +2", LD("lw", b, 2), 0x1234ff01);
    check("lw misaligned +3", LD("lw", b, 3), 0x781234ff);
    check("lh misaligned +1", LD("lh", b, 1), 0x017f);
    check("lh misaligned +3", LD("lh", b, 3), 0x34ff);
    check("lhu misaligned +1", LD("lhu", b, 5), 0x7812);
    check("lh misaligned negative", LD("lh", b, 7), 0xffff9a56);
    ST("sw", b, 5, 0xaabbccdd);
    check("sw misaligned +5 low word", LD("lw", b, 4), 0xbbccdd34);
    check("sw misaligned +5 high word", LD("lw", b, 8), 0xf0debcaa);
    ST("sh", b, 11, 0x1357);
    check("sh misaligned +11", LD("lw", b, 8), 0x57debcaa);
    check("sh misaligned +11 next word", LD("lw", b, 12), 0x44332213);
    check("misaligned accesses took no trap", trap_seen.count, 0);

    uint32_t before = 0x1234, after;
    __asm__ volatile("mv t0, %1\n\tlw x0, 0(%2)\n\tmv %0, t0" : "=r"(after) : "r"(before), "r"(b) : "t0", "memory");
    check("lw into x0 is discarded", after, 0x1234);

    /* Code written by stores runs after fence.i (each call runs the current instructions). */
    static uint32_t code[2] __attribute__((aligned(4)));
    uint32_t (*generated)(void) = (uint32_t (*)(void))(uintptr_t)code;
    code[0] = 0x00000513u | (1u << 20);   /* addi a0, zero, 1 */
    code[1] = 0x00008067u;                /* ret */
    __asm__ volatile("fence.i" ::: "memory");
    check("stored code runs after fence.i", generated(), 1);
    code[0] = 0x00000513u | (2u << 20);   /* addi a0, zero, 2 */
    __asm__ volatile("fence.i" ::: "memory");
    check("rewritten code runs after fence.i", generated(), 2);
    for (uint32_t i = 3; i < 6; i++) {
        code[0] = 0x00000513u | (i << 20);
        __asm__ volatile("fence.i" ::: "memory");
        check(i == 3 ? "code rewritten in a loop (3)" : i == 4 ? "code rewritten in a loop (4)" : "code rewritten in a loop (5)", generated(), i);
    }

    uint8_t *scratch = (uint8_t *)(uintptr_t)(UART0_BASE + UART_REG_SCR);
    ST("sb", scratch, 0, 0xa5);
    check("uart scratch byte", LD("lbu", scratch, 0), 0xa5);
}

#ifndef CONF_NO_MAIN
int main(void)
{
    mem_checks();
    return check_summary("conf-mem");
}
#endif
