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

/* Unsigned decimal without divide instructions (ARMv6-M has none): each digit by subtracting its
 * power of ten (the same as firmware/common/uart.c's for rv32i, which has no divide either). */
void uart_put_udec(uint32_t value)
{
    static const uint32_t powers[] = { 1000000000u, 100000000u, 10000000u, 1000000u, 100000u,
                                       10000u, 1000u, 100u, 10u, 1u };
    int started = 0;
    for (unsigned i = 0; i < sizeof powers / sizeof powers[0]; i++) {
        char digit = '0';
        while (value >= powers[i]) {
            value -= powers[i];
            digit++;
        }
        if (digit != '0' || started || powers[i] == 1u) {
            uart_putc(digit);
            started = 1;
        }
    }
}
