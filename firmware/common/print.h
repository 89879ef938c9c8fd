#ifndef BOARDLAB_PRINT_H
#define BOARDLAB_PRINT_H

#include <stdint.h>

/* "0x" and eight lower-case hex digits. */
void uart_put_hex(uint32_t value);
/* Signed decimal. */
void uart_put_sdec(int32_t value);

#endif
