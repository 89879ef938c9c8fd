#include "platform.h"
#include "uart.h"

void uart_putc(char c)
{
    while ((MMIO8(UART0_BASE + UART_REG_LSR) & UART_LSR_THRE) == 0)
        ;
    MMIO8(UART0_BASE + UART_REG_THR) = (uint8_t)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

/* rv32i has no mul/div: find each digit by repeated subtraction of powers of ten. */
static const uint32_t powers_of_ten[] = {
    1000000000u, 100000000u, 10000000u, 1000000u, 100000u,
    10000u, 1000u, 100u, 10u, 1u,
};

void uart_put_udec(uint32_t value)
{
    int started = 0;
    for (unsigned i = 0; i < sizeof powers_of_ten / sizeof powers_of_ten[0]; i++) {
        uint32_t power = powers_of_ten[i];
        char digit = '0';
        while (value >= power) {
            value -= power;
            digit++;
        }
        if (digit != '0' || started || power == 1u) {
            uart_putc(digit);
            started = 1;
        }
    }
}
