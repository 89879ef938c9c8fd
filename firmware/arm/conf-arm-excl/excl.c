/* Conformance: ARMv7-M exclusive access. ldrex/strex pairs succeed (strex writes 0) and store;
 * a strex without a preceding ldrex, or after clrex, fails (1) and stores nothing; byte and
 * halfword forms; an exception between ldrex and strex (here SVC) clears the local monitor, as
 * the ARM ARM requires on exception entry and return. */
#include <stdint.h>
#include "conf.h"

static volatile uint32_t word;
static volatile uint16_t half;
static volatile uint8_t byte;

void svc_handler(void) {}

int main(void)
{
    uint32_t old, status;
    word = 0x1111u;
    __asm__ volatile("ldrex %0, [%2]\n\tstrex %1, %3, [%2]" : "=&r"(old), "=&r"(status) : "r"(&word), "r"(0x2222u) : "memory");
    check("ldrex value", old, 0x1111u);
    check("strex after ldrex succeeds", status, 0u);
    check("strex stored", word, 0x2222u);

    __asm__ volatile("strex %0, %2, [%1]" : "=&r"(status) : "r"(&word), "r"(0x3333u) : "memory");
    check("strex again (monitor open no more) fails", status, 1u);
    check("failed strex stored nothing", word, 0x2222u);

    __asm__ volatile("ldrex %0, [%2]\n\tclrex\n\tstrex %1, %3, [%2]" : "=&r"(old), "=&r"(status) : "r"(&word), "r"(0x4444u) : "memory");
    check("strex after clrex fails", status, 1u);
    check("strex after clrex stored nothing", word, 0x2222u);

    half = 0xbeefu;
    __asm__ volatile("ldrexh %0, [%2]\n\tstrexh %1, %3, [%2]" : "=&r"(old), "=&r"(status) : "r"(&half), "r"(0x1234u) : "memory");
    check("ldrexh value", old, 0xbeefu);
    check("strexh succeeds", status, 0u);
    check("strexh stored", half, 0x1234u);

    byte = 0x5au;
    __asm__ volatile("ldrexb %0, [%2]\n\tstrexb %1, %3, [%2]" : "=&r"(old), "=&r"(status) : "r"(&byte), "r"(0xa5u) : "memory");
    check("ldrexb value", old, 0x5au);
    check("strexb succeeds", status, 0u);
    check("strexb stored", byte, 0xa5u);

    __asm__ volatile("ldrex %0, [%2]\n\tsvc #0\n\tstrex %1, %3, [%2]" : "=&r"(old), "=&r"(status) : "r"(&word), "r"(0x5555u) : "memory");
    check("strex after an exception fails", status, 1u);
    check("strex after an exception stored nothing", word, 0x2222u);

    /* An atomic increment loop, as compilers emit for __atomic_fetch_add */
    word = 41u;
    __atomic_fetch_add(&word, 1u, __ATOMIC_SEQ_CST);
    check("atomic increment", word, 42u);
    return check_summary("conf-arm-excl");
}
