/* Number formatting on UART0 (no multiply or divide instructions, so it builds for rv32i too). */
#include "print.h"
#include "uart.h"

void uart_put_hex(uint32_t value)
{
    static const char digits[] = "0123456789abcdef";
    uart_puts("0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        uart_putc(digits[(value >> shift) & 0xfu]);
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
