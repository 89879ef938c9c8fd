/* Number formatting on UART0. */
#ifndef BOARDLAB_PRINT_H
#define BOARDLAB_PRINT_H

#include <stdint.h>

void uart_put_hex(uint32_t value);   /* 0x%08x */
void uart_put_udec(uint32_t value);
void uart_put_sdec(int32_t value);

#endif
