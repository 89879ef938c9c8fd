/* UART receive FIFO depth, as firmware sees it. The same image prints different lines on
 * riscv-virt@1.0 (a one-byte receive FIFO) and riscv-virt@1.1 (sixteen bytes):
 *  1. Loopback: with MCR.LOOP set, every byte written to THR arrives in the receive FIFO at once.
 *     Twenty bytes overrun any FIFO of these machines; the firmware counts how many it kept and
 *     whether LSR.OE reported the lost ones.
 *  2. A burst on the serial line (stdin): the host offers bytes while the FIFO has room, as QEMU's
 *     chardev does. After the first byte arrives the firmware looks away for a while, then counts
 *     how many bytes were waiting at once (the FIFO's depth), then reads the rest up to '\n' and
 *     reports that none was lost. */
#include <stdint.h>
#include "finisher.h"
#include "platform.h"
#include "uart.h"

#define UART_MCR_LOOP (1u << 4) /* loopback: THR feeds the receiver */
#define UART_LSR_OE   (1u << 1) /* overrun: a byte was lost, cleared by reading LSR */
#define LOOPBACK_BYTES 20u
#define LOOK_AWAY_ITERATIONS 200000u

static uint32_t overruns;

/* LSR, remembering overrun (reading LSR clears it). */
static uint32_t line_status(void)
{
    uint32_t lsr = MMIO8(UART0_BASE + UART_REG_LSR);
    if (lsr & UART_LSR_OE)
        overruns++;
    return lsr;
}

static char receive(void)
{
    return (char)MMIO8(UART0_BASE + UART_REG_RBR);
}

static void put_yes_no(uint32_t flag)
{
    uart_puts(flag ? "yes" : "no");
}

int main(void)
{
    MMIO8(UART0_BASE + UART_REG_MCR) = UART_MCR_LOOP;
    for (uint32_t i = 0; i < LOOPBACK_BYTES; i++) {
        while (!(line_status() & UART_LSR_THRE))
            ;
        MMIO8(UART0_BASE + UART_REG_THR) = (uint8_t)('A' + i);
    }
    uint32_t kept = 0;
    while (line_status() & UART_LSR_DR) {
        (void)receive();
        kept++;
    }
    MMIO8(UART0_BASE + UART_REG_MCR) = 0;
    uart_puts("loopback: kept ");
    uart_put_udec(kept);
    uart_puts(" of 20 bytes, overrun ");
    put_yes_no(overruns);
    uart_putc('\n');

    overruns = 0;
    uart_puts("burst: send a line\n");
    while (!(line_status() & UART_LSR_DR))
        ;
    for (volatile uint32_t i = 0; i < LOOK_AWAY_ITERATIONS; i++)
        ;
    uint32_t waiting = 0;
    uint32_t total = 0;
    char last = 0;
    while (line_status() & UART_LSR_DR) {
        last = receive();
        waiting++;
        total++;
        if (last == '\n')
            break;
    }
    while (last != '\n') {
        while (!(line_status() & UART_LSR_DR))
            ;
        last = receive();
        total++;
    }
    uart_puts("burst: ");
    uart_put_udec(waiting);
    uart_puts(" bytes waiting at once, ");
    uart_put_udec(total);
    uart_puts(" received in all, overrun ");
    put_yes_no(overruns);
    uart_putc('\n');

    finisher_pass();
}
