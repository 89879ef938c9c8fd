/* Conformance: the C extension, instruction by instruction (c.li, c.lui, c.addi, c.addi16sp,
 * c.addi4spn, shifts, c.andi, register ops, c.lw/c.sw, c.lwsp/c.swsp, c.j, c.jal, c.jr, c.jalr,
 * c.beqz/c.bnez, c.nop, c.ebreak), then every RV32I/M/A group again built with C. */
#include <stdint.h>
#include "conf.h"
#include "csr.h"

void alu_checks(void);
void branch_checks(void);
void mem_checks(void);
void m_checks(void);
void a_checks(void);

/* a0 = insn applied to a0 (and a1) */
#define C2(insn, a, b) ({ register uint32_t x_ __asm__("a0") = (a); register uint32_t y_ __asm__("a1") = (b); \
    __asm__ volatile(insn : "+r"(x_), "+r"(y_)); x_; })

static uint32_t words[4] __attribute__((aligned(16))) = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };

static void c_checks(void)
{
    check("c.li", C2("c.li a0, -5", 0, 0), 0xfffffffb);
    check("c.lui", C2("c.lui a0, 1", 0, 0), 0x1000);
    check("c.lui negative", C2("c.lui a0, 0xfffff", 0, 0), 0xfffff000);
    check("c.addi", C2("c.addi a0, -1", 5, 0), 4);
    check("c.addi 31", C2("c.addi a0, 31", 1, 0), 32);
    check("c.slli", C2("c.slli a0, 28", 0x13, 0), 0x30000000);
    check("c.srli", C2("c.srli a0, 28", 0xf0000000, 0), 0xf);
    check("c.srai", C2("c.srai a0, 28", 0xf0000000, 0), 0xffffffff);
    check("c.andi", C2("c.andi a0, -2", 0xffffffff, 0), 0xfffffffe);
    check("c.andi 15", C2("c.andi a0, 15", 0x1234, 0), 4);
    check("c.mv", C2("c.mv a0, a1", 1, 0xabcd), 0xabcd);
    check("c.add", C2("c.add a0, a1", 0x7fffffff, 1), 0x80000000);
    check("c.sub", C2("c.sub a0, a1", 1, 2), 0xffffffff);
    check("c.xor", C2("c.xor a0, a1", 0xff00ff00, 0x0ff00ff0), 0xf0f0f0f0);
    check("c.or", C2("c.or a0, a1", 0xff00ff00, 0x0ff00ff0), 0xfff0fff0);
    check("c.and", C2("c.and a0, a1", 0xff00ff00, 0x0ff00ff0), 0x0f000f00);
    check("c.nop", C2("c.nop", 77, 0), 77);

    check("c.lw", C2("c.lw a0, 4(a1)", 0, (uint32_t)(uintptr_t)words), 0x22222222);
    check("c.lw 12", C2("c.lw a0, 12(a1)", 0, (uint32_t)(uintptr_t)words), 0x44444444);
    C2("c.sw a0, 8(a1)", 0xcafef00d, (uint32_t)(uintptr_t)words);
    check("c.sw", words[2], 0xcafef00d);

    uint32_t r, delta;
    __asm__ volatile("mv t0, sp\n\tc.addi16sp sp, -64\n\tsub %0, t0, sp\n\tc.addi16sp sp, 64" : "=r"(delta) : : "t0", "memory");
    check("c.addi16sp", delta, 64);
    __asm__ volatile("c.addi16sp sp, -16\n\tc.addi4spn a0, sp, 12\n\tsub %0, a0, sp\n\tc.addi16sp sp, 16" : "=r"(delta) : : "a0", "memory");
    check("c.addi4spn", delta, 12);
    __asm__ volatile("c.addi16sp sp, -16\n\tli a0, 0x5a5a\n\tc.swsp a0, 8(sp)\n\tli a0, 0\n\tc.lwsp a0, 8(sp)\n\tmv %0, a0\n\tc.addi16sp sp, 16"
                     : "=r"(r) : : "a0", "memory");
    check("c.swsp/c.lwsp", r, 0x5a5a);

    uint32_t link, want, reached;
    __asm__ volatile("li %0, 1\n\tc.j 1f\n\tli %0, 2\n1:" : "=&r"(reached));
    check("c.j", reached, 1);
    __asm__ volatile("mv t1, ra\n2:\tc.jal 1f\n1:\tmv %0, ra\n\tmv ra, t1\n\tla %1, 2b" : "=&r"(link), "=r"(want) : : "t1");
    check("c.jal link = pc+2", link - want, 2);
    __asm__ volatile("la t0, 1f\n\tli %0, 1\n\tc.jr t0\n\tli %0, 2\n1:" : "=&r"(reached) : : "t0");
    check("c.jr", reached, 1);
    __asm__ volatile("mv t1, ra\n\tla t0, 1f\n2:\tc.jalr t0\n1:\tmv %0, ra\n\tmv ra, t1\n\tla %1, 2b" : "=&r"(link), "=r"(want) : : "t0", "t1");
    check("c.jalr link = pc+2", link - want, 2);
    check("c.beqz taken", C2("li a1, 1\n\tc.beqz a0, 1f\n\tli a1, 0\n1:\tmv a0, a1", 0, 0), 1);
    check("c.beqz not taken", C2("li a1, 1\n\tc.beqz a0, 1f\n\tli a1, 0\n1:\tmv a0, a1", 5, 0), 0);
    check("c.bnez taken", C2("li a1, 1\n\tc.bnez a0, 1f\n\tli a1, 0\n1:\tmv a0, a1", 5, 0), 1);
    check("c.bnez not taken", C2("li a1, 1\n\tc.bnez a0, 1f\n\tli a1, 0\n1:\tmv a0, a1", 0, 0), 0);

    uint32_t at;
    trap_reset();
    __asm__ volatile("la %0, 1f\n1:\tc.ebreak" : "=r"(at) : : "memory");
    check("c.ebreak traps", trap_seen.count, 1);
    check("c.ebreak mcause", trap_seen.cause, CAUSE_BREAKPOINT);
    check("c.ebreak mepc", trap_seen.epc, at);
}

int main(void)
{
    c_checks();
    alu_checks();
    branch_checks();
    mem_checks();
    m_checks();
    a_checks();
    return check_summary("conf-c");
}
