/* Conformance: the A extension: lr.w/sc.w success and failure (no reservation, reservation on
 * another address, a second sc), every amo*.w (old value returned, memory updated), and the
 * traps QEMU virt takes for misaligned lr/amo addresses (QEMU 7.2 reports an AMO as a load). Built without C here and with C in
 * conf-c. */
#include <stdint.h>
#include "conf.h"
#include "csr.h"

#define AMO(op, addr, v) ({ uint32_t r_; __asm__ volatile(op " %0, %2, (%1)" : "=r"(r_) : "r"(addr), "r"((uint32_t)(v)) : "memory"); r_; })

static volatile uint32_t words[4] __attribute__((aligned(16)));

static uint32_t lr(volatile uint32_t *p)
{
    uint32_t v;
    __asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(p) : "memory");
    return v;
}

static uint32_t sc(volatile uint32_t *p, uint32_t v)
{
    uint32_t r;
    __asm__ volatile("sc.w %0, %2, (%1)" : "=r"(r) : "r"(p), "r"(v) : "memory");
    return r;
}

static void amo(const char *name, const char *memname, uint32_t got_old, uint32_t want_new)
{
    check(name, got_old, 0x80000005);
    check(memname, words[0], want_new);
    words[0] = 0x80000005;
}

void a_checks(void)
{
    words[0] = 10;
    words[1] = 20;
    check("lr.w", lr(&words[0]), 10);
    check("sc.w after lr.w succeeds", sc(&words[0], 11), 0);
    check("sc.w stored", words[0], 11);
    check("second sc.w fails", sc(&words[0], 12), 1);
    check("failed sc.w stores nothing", words[0], 11);
    lr(&words[0]);
    check("sc.w to another address fails", sc(&words[1], 21), 1);
    check("failed sc.w leaves the other word", words[1], 20);
    check("lr/sc loop increment", ({
        uint32_t v, fail;
        do {
            v = lr(&words[1]);
            fail = sc(&words[1], v + 1);
        } while (fail);
        words[1];
    }), 21);

    words[0] = 0x80000005;
    volatile uint32_t *w = &words[0];
    amo("amoswap.w old", "amoswap.w new", AMO("amoswap.w", w, 0x1234), 0x1234);
    amo("amoadd.w old", "amoadd.w new", AMO("amoadd.w", w, 0x7ffffffe), 0x00000003);
    amo("amoand.w old", "amoand.w new", AMO("amoand.w", w, 0x0000000c), 0x00000004);
    amo("amoor.w old", "amoor.w new", AMO("amoor.w", w, 0x00000030), 0x80000035);
    amo("amoxor.w old", "amoxor.w new", AMO("amoxor.w", w, 0x80000001), 0x00000004);
    amo("amomax.w old", "amomax.w new", AMO("amomax.w", w, 3), 3);
    amo("amomin.w old", "amomin.w new", AMO("amomin.w", w, 3), 0x80000005);
    amo("amomaxu.w old", "amomaxu.w new", AMO("amomaxu.w", w, 3), 0x80000005);
    amo("amominu.w old", "amominu.w new", AMO("amominu.w", w, 3), 3);
    amo("amoadd.w rd=x0 old (unused)", "amoadd.w rd=x0 new", ({ __asm__ volatile("amoadd.w x0, %1, (%0)" : : "r"(w), "r"(1u) : "memory"); 0x80000005u; }), 0x80000006);
    amo("amoswap.w.aqrl old", "amoswap.w.aqrl new", AMO("amoswap.w.aqrl", w, 7), 7);

    /* Misaligned atomics trap on QEMU virt (unlike plain loads and stores). */
    uintptr_t odd = (uintptr_t)&words[2] + 2;
    trap_reset();
    AMO("amoadd.w", odd, 1);
    check("misaligned amoadd.w traps", trap_seen.count, 1);
    /* The spec says store/AMO address misaligned (6); QEMU 7.2 raises load address misaligned. */
    check("misaligned amoadd.w mcause (QEMU 7.2: load misaligned)", trap_seen.cause, CAUSE_MISALIGNED_LOAD);
    check("misaligned amoadd.w mtval", trap_seen.tval, (uint32_t)odd);
    trap_reset();
    lr((volatile uint32_t *)odd);
    check("misaligned lr.w traps", trap_seen.count, 1);
    check("misaligned lr.w mcause", trap_seen.cause, CAUSE_MISALIGNED_LOAD);
    check("misaligned lr.w mtval", trap_seen.tval, (uint32_t)odd);
}

#ifndef CONF_NO_MAIN
int main(void)
{
    a_checks();
    return check_summary("conf-a");
}
#endif
