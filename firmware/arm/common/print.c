/* Number formatting without divide instructions (ARMv6-M has none): decimal by subtracting
 * powers of ten. */
#include "print.h"
#include "uart.h"

void uart_put_hex(uint32_t value)
{
    static const char digits[] = "0123456789abcdef";
    uart_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        uart_putc(digits[(value >> shift) & 0xfu]);
}

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

void uart_put_sdec(int32_t value)
{
    if (value < 0) {
        uart_putc('-');
        uart_put_udec(0u - (uint32_t)value);
    } else {
        uart_put_udec((uint32_t)value);
    }
}
