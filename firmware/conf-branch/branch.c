/* Conformance: RV32I control transfer: each conditional branch taken and not taken (signed and
 * unsigned edge cases), jal and jalr link values, jalr clearing bit 0 of the target, jalr with an
 * offset and with rd == rs1, a backward-branch loop. Built without C here and with C in conf-c. */
#include <stdint.h>
#include "conf.h"

void branch_checks(void)
{
    check("beq taken", BR("beq", 7, 7), 1);
    check("beq not taken", BR("beq", 7, 8), 0);
    check("bne taken", BR("bne", 7, 8), 1);
    check("bne not taken", BR("bne", 7, 7), 0);
    check("blt -1<1 taken", BR("blt", 0xffffffff, 1), 1);
    check("blt 1<-1 not taken", BR("blt", 1, 0xffffffff), 0);
    check("blt equal not taken", BR("blt", 3, 3), 0);
    check("bge 1>=-1 taken", BR("bge", 1, 0xffffffff), 1);
    check("bge equal taken", BR("bge", 3, 3), 1);
    check("bge -1>=1 not taken", BR("bge", 0xffffffff, 1), 0);
    check("bltu 1<0xffffffff taken", BR("bltu", 1, 0xffffffff), 1);
    check("bltu 0xffffffff<1 not taken", BR("bltu", 0xffffffff, 1), 0);
    check("bgeu 0xffffffff>=1 taken", BR("bgeu", 0xffffffff, 1), 1);
    check("bgeu equal taken", BR("bgeu", 0x80000000, 0x80000000), 1);
    check("bgeu 0>=1 not taken", BR("bgeu", 0, 1), 0);

    uint32_t link, want, reached;
    __asm__ volatile("jal %0, 1f\n1:\tla %1, 1b" : "=&r"(link), "=r"(want));
    check("jal link = next instruction", link, want);
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "2: jal %0, 1f\n\tli %0, 0\n1:\t.option pop\n\tla %1, 2b" : "=&r"(link), "=r"(want));
    check("jal link = pc+4", link - want, 4);
    __asm__ volatile("li %2, 0\n\tj 1f\n\tli %2, 1\n1:" : "=r"(link), "=r"(want), "=&r"(reached));
    check("j skips", reached, 0);
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "la t0, 1f\n2:\tjalr %0, 0(t0)\n\tli %2, 1\n1:\tli %2, 0\n\t.option pop\n\tla %1, 2b"
                     : "=&r"(link), "=r"(want), "=&r"(reached) : : "t0");
    check("jalr link = pc+4", link - want, 4);
    check("jalr target", reached, 0);
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "la t0, 1f\n\taddi t0, t0, 1\n\tli %1, 1\n\tjalr %0, 0(t0)\n\tli %1, 2\n1:\t.option pop\n\t"
                     : "=&r"(link), "=&r"(reached) : : "t0");
    check("jalr clears bit 0", reached, 1);
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "la t0, 1f\n\taddi t0, t0, -8\n\tli %1, 1\n\tjalr %0, 8(t0)\n\tli %1, 2\n1:\t.option pop\n\t"
                     : "=&r"(link), "=&r"(reached) : : "t0");
    check("jalr offset", reached, 1);
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "la %0, 1f\n2:\tjalr %0, 0(%0)\n\tnop\n1:\t.option pop\n\tla %1, 2b"
                     : "=&r"(link), "=r"(want));
    check("jalr rd == rs1", link - want, 4);
    uint32_t count;
    __asm__ volatile("li %0, 0\n\tli t0, 10\n1:\taddi %0, %0, 1\n\taddi t0, t0, -1\n\tbnez t0, 1b" : "=&r"(count) : : "t0");
    check("backward loop", count, 10);
}

#ifndef CONF_NO_MAIN
int main(void)
{
    branch_checks();
    return check_summary("conf-branch");
}
#endif
