/* Defaults for firmware started by crt0-trap.S: an unexpected trap is reported and fails the run
 * (exit status 0x7e), and wake_hart() rings a hart's CLINT msip. */
#include "finisher.h"
#include "platform.h"
#include "print.h"
#include "trap.h"
#include "uart.h"

#define UNEXPECTED_TRAP_EXIT 0x7e

__attribute__((weak)) trap_frame *trap_handler(trap_frame *frame)
{
    uart_puts("unexpected trap: mcause ");
    uart_put_hex(frame->mcause);
    uart_puts(" mepc ");
    uart_put_hex(frame->mepc);
    uart_puts(" mtval ");
    uart_put_hex(frame->mtval);
    uart_putc('\n');
    while ((MMIO8(UART0_BASE + UART_REG_LSR) & UART_LSR_TEMT) == 0)
        ;
    finisher_fail(UNEXPECTED_TRAP_EXIT);
}

void wake_hart(uint32_t hart)
{
    MMIO32(CLINT_MSIP(hart)) = 1u;
}
