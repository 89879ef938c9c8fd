/* bench_report for the benchmark kernels shared with the RISC-V firmware (firmware/bench-*,
 * declared in firmware/common/bench.h): the same line, printed on UART0. */
#include "../../common/bench.h"
#include "print.h"
#include "uart.h"

void bench_report(const char *name, uint32_t iterations, uint32_t result)
{
    uart_puts(name);
    uart_puts(": ");
    uart_put_udec(iterations);
    uart_puts(" iterations, result ");
    uart_put_hex(result);
    uart_putc('\n');
}
