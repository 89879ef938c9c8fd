/* Interrupt-driven UART echo: UART0's receive interrupt (IRQ 0 on mps2-an385) moves each byte
 * into a ring buffer; main sleeps in WFI and echoes what arrives. 'q' prints "bye" and exits 0. */
#include <stdint.h>
#include "mps2.h"
#include "uart.h"

#define RING_SIZE 64u

static volatile uint8_t ring[RING_SIZE];
static volatile uint32_t head, tail;

void uart0_rx_handler(void)
{
    while (REG32(UART0_BASE + UART_STATE) & UART_STATE_RXFULL) {
        ring[head % RING_SIZE] = (uint8_t)REG32(UART0_BASE + UART_DATA);
        head++;
    }
    REG32(UART0_BASE + UART_INTSTATUS) = UART_INT_RX; /* write 1 to clear */
}

int main(void)
{
    uart_puts("uart-echo: type something, 'q' quits\n");
    REG32(UART0_BASE + UART_CTRL) = UART_CTRL_TXEN | UART_CTRL_RXEN | UART_CTRL_RXINTEN;
    NVIC_ISER(0) = 1u << UART0_RX_IRQ;
    for (;;) {
        /* Sleep only while nothing is waiting: with PRIMASK set the interrupt still wakes WFI
         * and is taken at cpsie. */
        __asm__ volatile("cpsid i" ::: "memory");
        if (tail == head)
            __asm__ volatile("wfi");
        __asm__ volatile("cpsie i" ::: "memory");
        while (tail != head) {
            char c = (char)ring[tail % RING_SIZE];
            tail++;
            if (c == 'q') {
                uart_puts("\nbye\n");
                return 0;
            }
            uart_putc(c);
        }
    }
}
