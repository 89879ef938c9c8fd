#include "check.h"
#include "print.h"
#include "uart.h"

static uint32_t passed, failed;

void check(const char *name, uint32_t got, uint32_t want)
{
    if (got == want) {
        passed++;
        uart_puts("PASS ");
        uart_puts(name);
    } else {
        failed++;
        uart_puts("FAIL ");
        uart_puts(name);
        uart_puts(" got ");
        uart_put_hex(got);
        uart_puts(" want ");
        uart_put_hex(want);
    }
    uart_putc('\n');
}

int check_summary(const char *program)
{
    uart_puts(program);
    uart_puts(": ");
    uart_put_udec(passed);
    uart_puts(" passed, ");
    uart_put_udec(failed);
    uart_puts(" failed\n");
    return (int)failed;
}
