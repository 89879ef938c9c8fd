/* Ends the run through the finisher with fail code 3: tests exit status propagation. */
#include "finisher.h"
#include "uart.h"

#define FAIL_CODE 3u

int main(void)
{
    uart_puts("failing with code ");
    uart_put_udec(FAIL_CODE);
    uart_putc('\n');

    finisher_fail(FAIL_CODE);
}
