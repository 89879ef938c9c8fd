/* Conformance: the M extension: mul, mulh, mulhsu, mulhu, div, divu, rem, remu, including
 * division by zero and signed overflow (no traps, the results the spec defines). Built without C
 * here and with C in conf-c. */
#include <stdint.h>
#include "conf.h"

void m_checks(void)
{
    CHECK_RR("mul", "mul", 0x12345678, 0x9abcdef0, 0x242d2080);
    CHECK_RR("mul negative", "mul", 0xfffffffd, 7, 0xffffffeb);
    CHECK_RR("mulh", "mulh", 0x12345678, 0x9abcdef0, 0xf8cc93d6);
    CHECK_RR("mulh min*min", "mulh", 0x80000000, 0x80000000, 0x40000000);
    CHECK_RR("mulh -1*-1", "mulh", 0xffffffff, 0xffffffff, 0);
    CHECK_RR("mulhu", "mulhu", 0x12345678, 0x9abcdef0, 0x0b00ea4e);
    CHECK_RR("mulhu max*max", "mulhu", 0xffffffff, 0xffffffff, 0xfffffffe);
    CHECK_RR("mulhsu", "mulhsu", 0x12345678, 0x9abcdef0, 0x0b00ea4e);
    CHECK_RR("mulhsu -1*max", "mulhsu", 0xffffffff, 0xffffffff, 0xffffffff);
    CHECK_RR("mulhsu min*max", "mulhsu", 0x80000000, 0xffffffff, 0x80000000);
    CHECK_RR("div", "div", 0x12345678, 0x1234, 0x10004);
    CHECK_RR("div -7/2", "div", 0xfffffff9, 2, 0xfffffffd);
    CHECK_RR("div 7/-2", "div", 7, 0xfffffffe, 0xfffffffd);
    CHECK_RR("div by zero", "div", 42, 0, 0xffffffff);
    CHECK_RR("div overflow", "div", 0x80000000, 0xffffffff, 0x80000000);
    CHECK_RR("divu", "divu", 0xfffffff9, 2, 0x7ffffffc);
    CHECK_RR("divu by zero", "divu", 42, 0, 0xffffffff);
    CHECK_RR("rem", "rem", 0x12345678, 0x1234, 0xda8);
    CHECK_RR("rem -7%2", "rem", 0xfffffff9, 2, 0xffffffff);
    CHECK_RR("rem 7%-2", "rem", 7, 0xfffffffe, 1);
    CHECK_RR("rem by zero", "rem", 0xfffffff9, 0, 0xfffffff9);
    CHECK_RR("rem overflow", "rem", 0x80000000, 0xffffffff, 0);
    CHECK_RR("remu", "remu", 0xfffffff9, 2, 1);
    CHECK_RR("remu by zero", "remu", 42, 0, 42);
}

#ifndef CONF_NO_MAIN
int main(void)
{
    m_checks();
    return check_summary("conf-m");
}
#endif
