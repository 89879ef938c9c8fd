/* Conformance: interrupts in M-mode: the CLINT timer (mtimecmp, mip.MTIP, mie.MTIE), the
 * software interrupt (msip), an external interrupt from UART0 through the PLIC (priority,
 * pending, enable, threshold, claim/complete, mip.MEIP), the order of simultaneous interrupts,
 * mtvec vectored mode (an interrupt enters at base + 4 * cause), WFI wakeup with the interrupt
 * masked and taken, and the UART's interrupt identification. On QEMU it runs with -icount so
 * mtime follows executed instructions (a WFI armed just before a timer cannot miss it). */
#include <stdint.h>
#include "clint.h"
#include "conf.h"
#include "csr.h"
#include "platform.h"

#define SPIN_LIMIT 20000000u

/* Wait (bounded) until at least `n` traps were taken. */
static uint32_t wait_traps(uint32_t n)
{
    for (uint32_t i = 0; i < SPIN_LIMIT && trap_seen.count < n; i++)
        ;
    return trap_seen.count;
}

static void plic_uart_setup(uint32_t priority, uint32_t threshold)
{
    MMIO32(PLIC_PRIORITY(UART0_IRQ)) = priority;
    MMIO32(PLIC_ENABLE(PLIC_CTX_M(0), UART0_IRQ)) = 1u << (UART0_IRQ % 32u);
    MMIO32(PLIC_THRESHOLD(PLIC_CTX_M(0))) = threshold;
}

int main(void)
{
    /* QEMU's ACLINT starts mtimecmp at 0 (timer pending at once); BoardLab's at all ones. */
    check("mip.MTIP right after reset", csr_read(mip) & MIP_MTIP, MIP_MTIP);
    clint_set_timecmp(0, ~0ull);
    check("mip.MTIP clear with mtimecmp at its maximum", csr_read(mip) & MIP_MTIP, 0);

    /* Timer. */
    clint_set_timecmp(0, clint_mtime());
    check("mip.MTIP once mtime >= mtimecmp", csr_read(mip) & MIP_MTIP, MIP_MTIP);
    clint_set_timecmp(0, ~0ull);
    trap_reset();
    clint_set_timecmp(0, clint_mtime() + 200);
    csr_write(mie, MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    check("timer interrupt taken", wait_traps(1), 1);
    csr_clear(mstatus, MSTATUS_MIE);
    check("timer interrupt mcause", trap_seen.cause, MCAUSE_INTERRUPT | IRQ_M_TIMER);
    check("timer interrupt mtval", trap_seen.tval, 0);
    check("timer interrupt: MPIE=1 MIE=0 in the handler", trap_seen.mstatus & (MSTATUS_MPIE | MSTATUS_MIE), MSTATUS_MPIE);
    check("mip.MTIP clear after the handler moved mtimecmp", csr_read(mip) & MIP_MTIP, 0);

    /* Software interrupt. */
    MMIO32(CLINT_MSIP(0)) = 1;
    check("msip reads back 1", MMIO32(CLINT_MSIP(0)), 1);
    check("mip.MSIP follows msip", csr_read(mip) & MIP_MSIP, MIP_MSIP);
    trap_reset();
    csr_write(mie, MIP_MSIP);
    csr_set(mstatus, MSTATUS_MIE);
    check("software interrupt taken", wait_traps(1), 1);
    csr_clear(mstatus, MSTATUS_MIE);
    check("software interrupt mcause", trap_seen.cause, MCAUSE_INTERRUPT | IRQ_M_SOFT);
    check("mip.MSIP clear after msip = 0", csr_read(mip) & MIP_MSIP, 0);
    MMIO32(CLINT_MSIP(0)) = 0xfffffffeu;
    check("msip: only bit 0 is writable", MMIO32(CLINT_MSIP(0)), 0);

    /* External interrupt: UART0 "transmitter empty" through the PLIC. */
    csr_write(mie, 0);
    plic_uart_setup(1, 0);
    MMIO8(UART0_BASE + UART_REG_IER) = UART_IER_THRI;
    check("PLIC pending bit for UART0", MMIO32(PLIC_PENDING(UART0_IRQ)) & (1u << UART0_IRQ), 1u << UART0_IRQ);
    check("mip.MEIP with the source enabled", csr_read(mip) & MIP_MEIP, MIP_MEIP);
    MMIO32(PLIC_THRESHOLD(PLIC_CTX_M(0))) = 1;
    check("mip.MEIP clear with threshold >= priority", csr_read(mip) & MIP_MEIP, 0);
    check("claim with threshold >= priority returns 0", MMIO32(PLIC_CLAIM(PLIC_CTX_M(0))), 0);
    MMIO32(PLIC_THRESHOLD(PLIC_CTX_M(0))) = 0;
    check("mip.MEIP again with threshold 0", csr_read(mip) & MIP_MEIP, MIP_MEIP);
    check("PLIC priority reads back", MMIO32(PLIC_PRIORITY(UART0_IRQ)), 1);
    check("PLIC threshold reads back", MMIO32(PLIC_THRESHOLD(PLIC_CTX_M(0))), 0);
    check("PLIC enable reads back", MMIO32(PLIC_ENABLE(PLIC_CTX_M(0), UART0_IRQ)), 1u << UART0_IRQ);
    trap_reset();
    csr_write(mie, MIP_MEIP);
    csr_set(mstatus, MSTATUS_MIE);
    check("external interrupt taken", wait_traps(1), 1);
    csr_clear(mstatus, MSTATUS_MIE);
    check("external interrupt mcause", trap_seen.cause, MCAUSE_INTERRUPT | IRQ_M_EXT);
    check("claim returned UART0's source", trap_seen.claimed, UART0_IRQ);
    check("PLIC pending clear after claim", MMIO32(PLIC_PENDING(UART0_IRQ)) & (1u << UART0_IRQ), 0);
    check("mip.MEIP clear after complete", csr_read(mip) & MIP_MEIP, 0);

    /* Two at once: software before timer (mip order MEI, MSI, MTI). */
    trap_reset();
    MMIO32(CLINT_MSIP(0)) = 1;
    clint_set_timecmp(0, 0);
    csr_write(mie, MIP_MSIP | MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_traps(2);
    csr_clear(mstatus, MSTATUS_MIE);
    check("simultaneous: two interrupts", trap_seen.count, 2);
    check("simultaneous: software first", trap_seen.first, MCAUSE_INTERRUPT | IRQ_M_SOFT);
    check("simultaneous: timer second", trap_seen.cause, MCAUSE_INTERRUPT | IRQ_M_TIMER);

    /* Vectored mode. */
    uint32_t direct = csr_read(mtvec);
    csr_write(mtvec, (uint32_t)(uintptr_t)trap_vectors | 1u);
    trap_reset();
    clint_set_timecmp(0, 0);
    csr_write(mie, MIP_MTIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_traps(1);
    csr_clear(mstatus, MSTATUS_MIE);
    check("vectored: timer enters slot 7", trap_seen.vector, 7);
    trap_reset();
    MMIO32(CLINT_MSIP(0)) = 1;
    csr_write(mie, MIP_MSIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_traps(1);
    csr_clear(mstatus, MSTATUS_MIE);
    check("vectored: software enters slot 3", trap_seen.vector, 3);
    trap_reset();
    MMIO8(UART0_BASE + UART_REG_IER) = UART_IER_THRI;
    csr_write(mie, MIP_MEIP);
    csr_set(mstatus, MSTATUS_MIE);
    wait_traps(1);
    csr_clear(mstatus, MSTATUS_MIE);
    check("vectored: external enters slot 11", trap_seen.vector, 11);
    check("vectored: external claim", trap_seen.claimed, UART0_IRQ);
    trap_reset();
    __asm__ volatile("ecall" ::: "memory");
    check("vectored: ecall enters slot 0", trap_seen.vector, 0);
    csr_write(mtvec, direct);

    /* WFI: wakes on a pending enabled interrupt even with mstatus.MIE = 0 (not taken). */
    trap_reset();
    csr_write(mie, MIP_MTIP);
    clint_set_timecmp(0, clint_mtime() + 1000);
    wfi();
    for (uint32_t i = 0; i < SPIN_LIMIT && !(csr_read(mip) & MIP_MTIP); i++)
        wfi(); /* WFI may also return early */
    check("wfi with MIE=0: wakes with mip.MTIP set", csr_read(mip) & MIP_MTIP, MIP_MTIP);
    check("wfi with MIE=0: no trap", trap_seen.count, 0);
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop" ::: "memory");
    csr_clear(mstatus, MSTATUS_MIE);
    check("the pending interrupt is taken once MIE is set", trap_seen.count, 1);
    trap_reset();
    clint_set_timecmp(0, clint_mtime() + 1000);
    csr_set(mstatus, MSTATUS_MIE);
    for (uint32_t i = 0; i < SPIN_LIMIT && trap_seen.count == 0; i++)
        wfi();
    csr_clear(mstatus, MSTATUS_MIE);
    check("wfi with MIE=1: the interrupt is taken", trap_seen.count, 1);
    check("wfi with MIE=1: mcause", trap_seen.cause, MCAUSE_INTERRUPT | IRQ_M_TIMER);
    csr_write(mie, 0);

    /* UART interrupt identification (FIFOs off). */
    /* Read everything before printing: transmitting raises THRI again. */
    MMIO8(UART0_BASE + UART_REG_IER) = UART_IER_THRI;
    uint32_t iir1 = MMIO8(UART0_BASE + UART_REG_IIR);
    uint32_t iir2 = MMIO8(UART0_BASE + UART_REG_IIR);
    MMIO8(UART0_BASE + UART_REG_IER) = 0;
    check("UART IIR: transmitter empty", iir1, 0x02);
    check("UART IIR: reading it cleared THRI", iir2, 0x01);
    check("UART IER reads back", MMIO8(UART0_BASE + UART_REG_IER), 0);
    check("UART LSR: transmitter empty and idle", MMIO8(UART0_BASE + UART_REG_LSR), 0x60);
    uint32_t leftover = MMIO32(PLIC_CLAIM(PLIC_CTX_M(0)));
    if (leftover)
        MMIO32(PLIC_CLAIM(PLIC_CTX_M(0))) = leftover;
    /* The THRI pulses above (set, cleared by reading IIR) leave source 10 pending in QEMU's
     * PLIC until it is claimed, though the UART's line is low again. */
    check("UART0 source stays pending in the PLIC after its line drops", leftover, UART0_IRQ);

    /* Register widths and fixed bits. */
    MMIO32(PLIC_PRIORITY(UART0_IRQ)) = 0xffffffffu;
    check("PLIC priority is 3 bits", MMIO32(PLIC_PRIORITY(UART0_IRQ)), 7);
    MMIO32(PLIC_PRIORITY(UART0_IRQ)) = 0;
    MMIO32(PLIC_THRESHOLD(PLIC_CTX_M(0))) = 0xffffffffu;
    check("PLIC threshold is 3 bits", MMIO32(PLIC_THRESHOLD(PLIC_CTX_M(0))), 7);
    MMIO32(PLIC_THRESHOLD(PLIC_CTX_M(0))) = 0;
    MMIO32(PLIC_ENABLE(PLIC_CTX_M(0), 0)) = 0xffffffffu;
    check("PLIC enable bit of source 0 (writable on QEMU 7.2)", MMIO32(PLIC_ENABLE(PLIC_CTX_M(0), 0)) & 1u, 1);
    MMIO32(PLIC_ENABLE(PLIC_CTX_M(0), 0)) = 0;
    check("PLIC claim with nothing pending", MMIO32(PLIC_CLAIM(PLIC_CTX_M(0))), 0);
    MMIO32(CLINT_MSIP(1)) = 1;
    check("msip of a hart the board does not have reads 0", MMIO32(CLINT_MSIP(1)), 0);

    return check_summary("conf-irq");
}
