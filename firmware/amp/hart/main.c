/* The RISC-V side of examples/amp.board.json: releases the Cortex-M3 from reset, hands it work
 * through the shared RAM and the mailbox, waits for the answer, prints both on its own UART
 * (ns16550a) and ends the run through the finisher. */
#include <stdint.h>
#include "../mailbox.h"

#define UART        0x10000000u /* ns16550a: THR at 0, LSR at 5 */
#define UART_LSR    5u
#define LSR_THRE    0x20u
#define FINISHER    0x00100000u
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u
#define MAILBOX_A   0x11000000u
#define RSTCTL_HOLD 0x11001000u /* reset-controller HOLD: bit 0 holds the M3 */
#define SHARED      0x90000000u /* the 64 KiB both CPUs see (the M3 at 0x38000000) */

static void putc_uart(char c) {
    volatile uint8_t *uart = (volatile uint8_t *)UART;
    while ((uart[UART_LSR] & LSR_THRE) == 0) {}
    uart[0] = (uint8_t)c;
}

static void puts_uart(const char *s) {
    while (*s) putc_uart(*s++);
}

static void putu_uart(uint32_t value) {
    char digits[10];
    int n = 0;
    do { digits[n++] = (char)('0' + value % 10u); value /= 10u; } while (value != 0);
    while (n > 0) putc_uart(digits[--n]);
}

static void finish(uint32_t status) {
    *(volatile uint32_t *)FINISHER = status;
    for (;;) {}
}

int main(void) {
    volatile uint32_t *shared = (volatile uint32_t *)SHARED;
    uint32_t expected = 0;
    shared[SHARED_COUNT] = WORK_COUNT;
    for (uint32_t i = 0; i < WORK_COUNT; i++) {
        shared[SHARED_NUMBERS + i] = i + 1;
        expected += (i + 1) * (i + 1);
    }
    puts_uart("hart: releasing the M3 and sending it work\n");
    *(volatile uint32_t *)RSTCTL_HOLD = 0;
    *mailbox_reg(MAILBOX_A, MAILBOX_TX) = CMD_SUM_SQUARES;
    while ((*mailbox_reg(MAILBOX_A, MAILBOX_STATUS) & STATUS_RXNE) == 0) {}
    uint32_t answer = *mailbox_reg(MAILBOX_A, MAILBOX_RX);
    puts_uart("hart: the M3 answered ");
    putu_uart(answer);
    puts_uart(answer == expected && shared[SHARED_ANSWER] == expected ? " (right)\n" : " (wrong)\n");
    finish(answer == expected ? FINISHER_PASS : (1u << 16) | FINISHER_FAIL);
    return 0;
}
