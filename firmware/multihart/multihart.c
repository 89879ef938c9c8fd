/* Multi-hart hello with inter-processor interrupts. Every hart starts at the entry point
 * (QEMU -smp 4, or a 4-hart riscv-virt board: examples/multihart.board.json); crt0-trap.S parks
 * harts 1..3 until their CLINT msip rings. Hart 0 greets and wakes them all with IPIs; they
 * report "hart N up" strictly in order (each waits for its turn, counted with an atomic), the
 * last one sends hart 0 an IPI back, and hart 0 ends the run with pass. */
#include <stdint.h>
#include "csr.h"
#include "platform.h"
#include "trap.h"
#include "uart.h"

#define HARTS 4u

static volatile uint32_t turn;      /* the hart whose turn it is to report */
static volatile uint32_t arrived;   /* harts that started, counted with amoadd */

void secondary_main(uint32_t hart)
{
    __atomic_fetch_add(&arrived, 1u, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != hart)
        ;
    uart_puts("hart ");
    uart_put_udec(hart);
    uart_puts(" up\n");
    if (hart == HARTS - 1u)
        wake_hart(0); /* IPI back to hart 0 */
    __atomic_store_n(&turn, hart + 1u, __ATOMIC_RELEASE);
}

int main(void)
{
    uart_puts("multihart: hart ");
    uart_put_udec(hart_id());
    uart_puts(" greets, waking harts 1-3 with IPIs\n");

    turn = 1;
    for (uint32_t hart = 1; hart < HARTS; hart++)
        wake_hart(hart);

    /* Sleep until the last hart's IPI (mie.MSIE with mstatus.MIE off: WFI wakes, no trap). */
    csr_write(mie, MIP_MSIP);
    while (!(csr_read(mip) & MIP_MSIP))
        wfi();
    MMIO32(CLINT_MSIP(0)) = 0;
    csr_write(mie, 0);

    while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != HARTS)
        ;
    uart_puts("multihart: ");
    uart_put_udec(__atomic_load_n(&arrived, __ATOMIC_ACQUIRE));
    uart_puts(" other harts came up, IPI received on hart 0\n");
    return 0;
}
