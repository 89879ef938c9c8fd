#ifndef BOARDLAB_UART_H
#define BOARDLAB_UART_H

#include <stdint.h>

/* Polled output on UART0. Bytes are sent as they are (no "\n" -> "\r\n"). */
void uart_putc(char c);
void uart_puts(const char *s);
/* Unsigned decimal, without multiply or divide instructions. */
void uart_put_udec(uint32_t value);

#endif
