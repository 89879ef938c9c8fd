/* The program the GDB reference test debugs (src/cli/gdb-arm.reference.test.ts, built with -g -O0,
 * see program.mk): a global, a function with a parameter and a local, a loop, and an SVC from
 * thread code whose handler calls a function, so a breakpoint there has an exception frame below
 * it for gdb to unwind through (lr holds EXC_RETURN). Prints a line on UART0 and exits with status
 * 0 through semihosting when main returns. */
#include <stdint.h>
#include "print.h"
#include "startup.h"
#include "uart.h"

volatile uint32_t counter = 41;
uint32_t squares[8];
volatile uint32_t svc_calls;

uint32_t square(uint32_t value)
{
    uint32_t result = 0;
    for (uint32_t i = 0; i < value; i++)
        result += value;
    return result;
}

void fill(void)
{
    for (uint32_t i = 0; i < 8; i++)
        squares[i] = square(i);
}

void record_svc(uint32_t weight)
{
    svc_calls = svc_calls + weight;
}

void svc_handler(void)
{
    record_svc(3);
}

void request_service(void)
{
    __asm__ volatile("svc 0" ::: "memory");
}

int main(void)
{
    uint32_t total = 0;
    counter = counter + 1;
    fill();
    for (uint32_t i = 0; i < 8; i++)
        total += squares[i];
    request_service();
    uart_puts("gdb-demo: total ");
    uart_put_udec(total);
    uart_puts(", svc calls ");
    uart_put_udec(svc_calls);
    uart_putc('\n');
    return total == 140 && svc_calls == 3 ? 0 : 1;
}
