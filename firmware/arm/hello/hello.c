/* Greets on UART0, shows it computed something, and ends the run with status 0. */
#include <stdint.h>
#include "print.h"
#include "uart.h"

int main(void)
{
    /* Hide the bound from the optimiser so the CPU, not the compiler, does the sum. */
    uint32_t limit = 100;
    __asm__ volatile("" : "+r"(limit));

    uint32_t sum = 0;
    for (uint32_t i = 1; i <= limit; i++)
        sum += i;

    uart_puts("Hello, BoardLab!\n");
    uart_puts("1+2+...+100 = ");
    uart_put_udec(sum);
    uart_putc('\n');
    return 0;
}
