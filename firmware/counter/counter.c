/* Counts forever: "tick 1", "tick 2", ... with a busy delay between lines. Never finishes, so
 * the designer's Pause, Step and Reset have something to act on. */
#include <stdint.h>
#include "uart.h"

int main(void)
{
    for (uint32_t tick = 1;; tick++) {
        uart_puts("tick ");
        uart_put_udec(tick);
        uart_putc('\n');
        /* About a million instructions between lines; the asm keeps the loop in the binary. */
        for (uint32_t i = 0; i < 250000; i++)
            __asm__ volatile("");
    }
}
