/* Conformance: RV32I integer computation (register-register, register-immediate, shifts,
 * comparisons, lui, auipc, writes to x0). Built without C here and with C in conf-c. */
#include <stdint.h>
#include "conf.h"

void alu_checks(void)
{
    CHECK_RR("add", "add", 1, 2, 3);
    CHECK_RR("add overflow", "add", 0x7fffffff, 1, 0x80000000);
    CHECK_RR("add wrap", "add", 0xffffffff, 1, 0);
    CHECK_RR("sub", "sub", 3, 5, 0xfffffffe);
    CHECK_RR("sub overflow", "sub", 0x80000000, 1, 0x7fffffff);
    CHECK_RR("and", "and", 0xff00ff00, 0x0ff00ff0, 0x0f000f00);
    CHECK_RR("or", "or", 0xff00ff00, 0x0ff00ff0, 0xfff0fff0);
    CHECK_RR("xor", "xor", 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0);
    CHECK_RR("sll", "sll", 1, 31, 0x80000000);
    CHECK_RR("sll uses shamt[4:0]", "sll", 1, 33, 2);
    CHECK_RR("srl", "srl", 0x80000000, 31, 1);
    CHECK_RR("srl uses shamt[4:0]", "srl", 0x80000000, 36, 0x08000000);
    CHECK_RR("sra", "sra", 0x80000000, 31, 0xffffffff);
    CHECK_RR("sra 4", "sra", 0x80000000, 4, 0xf8000000);
    CHECK_RR("sra positive", "sra", 0x7ffffff0, 4, 0x07ffffff);
    CHECK_RR("slt -1<1", "slt", 0xffffffff, 1, 1);
    CHECK_RR("slt 1<-1", "slt", 1, 0xffffffff, 0);
    CHECK_RR("slt equal", "slt", 5, 5, 0);
    CHECK_RR("sltu 0xffffffff<1", "sltu", 0xffffffff, 1, 0);
    CHECK_RR("sltu 1<0xffffffff", "sltu", 1, 0xffffffff, 1);
    CHECK_RR("sltu x0<x (snez)", "sltu", 0, 7, 1);

    CHECK_RI("addi negative", "addi", 5, -7, 0xfffffffe);
    CHECK_RI("addi 2047", "addi", 1, 2047, 2048);
    CHECK_RI("addi -2048", "addi", 0, -2048, 0xfffff800);
    CHECK_RI("slti", "slti", 0xfffffff0, -15, 1);
    CHECK_RI("slti false", "slti", 0, -1, 0);
    CHECK_RI("sltiu -1 (all ones)", "sltiu", 0xfffffffe, -1, 1);
    CHECK_RI("sltiu 1 (seqz)", "sltiu", 0, 1, 1);
    CHECK_RI("xori -1 (not)", "xori", 0x12345678, -1, 0xedcba987);
    CHECK_RI("ori", "ori", 0x12340000, 0x5a5, 0x123405a5);
    CHECK_RI("andi sign-extended", "andi", 0x12345678, -16, 0x12345670);
    CHECK_RI("andi", "andi", 0x12345678, 0x0ff, 0x78);
    CHECK_RI("slli", "slli", 0x00000003, 30, 0xc0000000);
    CHECK_RI("srli", "srli", 0xc0000000, 30, 3);
    CHECK_RI("srai", "srai", 0xc0000000, 30, 0xffffffff);
    CHECK_RI("srai 0", "srai", 0x80000001, 0, 0x80000001);

    uint32_t r;
    __asm__ volatile("lui %0, 0x12345" : "=r"(r));
    check("lui", r, 0x12345000);
    __asm__ volatile("lui %0, 0xfffff" : "=r"(r));
    check("lui high", r, 0xfffff000);
    uint32_t here, want;
    __asm__ volatile("1: auipc %0, 0\n\tla %1, 1b" : "=&r"(here), "=r"(want));
    check("auipc 0", here, want);
    __asm__ volatile("1: auipc %0, 1\n\tla %1, 1b" : "=&r"(here), "=r"(want));
    check("auipc 1", here - want, 0x1000);
    __asm__ volatile("1: auipc %0, 0xfffff\n\tla %1, 1b" : "=&r"(here), "=r"(want));
    check("auipc -1", want - here, 0x1000);
    __asm__ volatile("addi x0, x0, 5\n\tadd x0, %1, %1\n\tmv %0, x0" : "=r"(r) : "r"(7));
    check("x0 stays 0", r, 0);
}

#ifndef CONF_NO_MAIN
int main(void)
{
    alu_checks();
    return check_summary("conf-alu");
}
#endif
