/* Polled output on UART0 (CMSDK APB UART), enabled by the startup code. The shared firmware
 * library (firmware/common/print.c, check.c, bench.c) prints through uart_putc, uart_puts and
 * uart_put_udec, declared alike in firmware/common/uart.h. */
#ifndef BOARDLAB_UART_H
#define BOARDLAB_UART_H

#include <stdint.h>

/* Enable the transmitter (CTRL.TXEN; QEMU drops bytes written to a disabled UART). */
void uart_init(void);
void uart_putc(char c);
void uart_puts(const char *s);
/* Unsigned decimal, without divide instructions. */
void uart_put_udec(uint32_t value);
/* Wait until the transmit buffer is free again (before the run ends). */
void uart_flush(void);

#endif
