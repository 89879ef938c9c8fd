/* The Cortex-M3 side of examples/amp.board.json: held in reset until the hart releases it; then
 * it waits for work on the mailbox interrupt (NVIC line 0), computes the sum of the squares of the
 * numbers the hart put in shared RAM, writes it back there and answers through the mailbox,
 * printing on its own UART (a CMSDK APB UART). */
#include <stdint.h>
#include "../mailbox.h"

#define UART        0x40004000u /* CMSDK APB UART: DATA 0x0, STATE 0x4 (bit 0 TX full), CTRL 0x8 (bit 0 TXEN) */
#define UART_STATE_TXFULL 1u
#define UART_CTRL_TXEN    1u
#define MAILBOX_B   0x40010000u
#define SHARED      0x38000000u /* the 64 KiB both CPUs see (the hart at 0x90000000) */
#define NVIC_ISER0  0xE000E100u
#define MAILBOX_IRQ 0u

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[], __stack_top[];

static void putc_uart(char c) {
    volatile uint32_t *uart = (volatile uint32_t *)UART;
    while (uart[1] & UART_STATE_TXFULL) {}
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

/* The mailbox interrupt: a command from the hart. */
void mailbox_handler(void) {
    volatile uint32_t *shared = (volatile uint32_t *)SHARED;
    while (*mailbox_reg(MAILBOX_B, MAILBOX_STATUS) & STATUS_RXNE) {
        uint32_t command = *mailbox_reg(MAILBOX_B, MAILBOX_RX);
        if (command != CMD_SUM_SQUARES) continue;
        uint32_t count = shared[SHARED_COUNT], sum = 0;
        for (uint32_t i = 0; i < count && i < WORK_COUNT; i++) sum += shared[SHARED_NUMBERS + i] * shared[SHARED_NUMBERS + i];
        shared[SHARED_ANSWER] = sum;
        puts_uart("m3: sum of squares of ");
        putu_uart(count);
        puts_uart(" numbers = ");
        putu_uart(sum);
        puts_uart("\n");
        *mailbox_reg(MAILBOX_B, MAILBOX_TX) = sum;
    }
}

static void default_handler(void) {
    for (;;) {}
}

__attribute__((noreturn)) void reset_handler(void) {
    for (uint32_t *from = __data_load, *to = __data_start; to < __data_end;) *to++ = *from++;
    for (uint32_t *p = __bss_start; p < __bss_end;) *p++ = 0;
    ((volatile uint32_t *)UART)[2] = UART_CTRL_TXEN;
    puts_uart("m3: up, waiting for work\n");
    *mailbox_reg(MAILBOX_B, MAILBOX_IRQEN) = IRQEN_RXNE;
    *(volatile uint32_t *)NVIC_ISER0 = 1u << MAILBOX_IRQ;
    for (;;) __asm__ volatile("wfi");
}

typedef void (*vector_t)(void);

/* SP and reset, the 14 system exceptions, then external interrupt 0: the mailbox. */
__attribute__((section(".vectors"), used))
const vector_t vector_table[17] = {
    (vector_t)__stack_top, reset_handler,
    default_handler, default_handler, default_handler, default_handler, default_handler, 0, 0, 0, 0,
    default_handler, default_handler, 0, default_handler, default_handler,
    mailbox_handler,
};
