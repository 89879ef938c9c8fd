#include "mps2.h"
#include "uart.h"

void uart_init(void)
{
    REG32(UART0_BASE + UART_BAUDDIV) = 16u; /* the smallest divider the CMSDK UART allows */
    REG32(UART0_BASE + UART_CTRL) = UART_CTRL_TXEN;
}

void uart_putc(char c)
{
    while (REG32(UART0_BASE + UART_STATE) & UART_STATE_TXFULL)
        ;
    REG32(UART0_BASE + UART_DATA) = (uint8_t)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_flush(void)
{
    while (REG32(UART0_BASE + UART_STATE) & UART_STATE_TXFULL)
        ;
}
