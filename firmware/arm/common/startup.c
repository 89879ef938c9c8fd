/* Reset and the vector table (section .vectors, placed at address 0 by link.ld: the core reads
 * the initial MSP from word 0 and the reset handler's address from word 1). Reset copies .data
 * to RAM, clears .bss, enables UART0's transmitter, runs main() and ends the run through
 * semihosting with main's result as the exit status. */
#include <stdint.h>
#include "print.h"
#include "semihost.h"
#include "startup.h"
#include "uart.h"

#define NUM_IRQ 32

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];

typedef void (*vector_t)(void);

__attribute__((noreturn)) void reset_handler(void);

void nmi_handler(void) __attribute__((weak, alias("default_handler")));
void hardfault_handler(void) __attribute__((weak, alias("default_handler")));
void memmanage_handler(void) __attribute__((weak, alias("default_handler")));
void busfault_handler(void) __attribute__((weak, alias("default_handler")));
void usagefault_handler(void) __attribute__((weak, alias("default_handler")));
void svc_handler(void) __attribute__((weak, alias("default_handler")));
void debugmon_handler(void) __attribute__((weak, alias("default_handler")));
void pendsv_handler(void) __attribute__((weak, alias("default_handler")));
void systick_handler(void) __attribute__((weak, alias("default_handler")));
void uart0_rx_handler(void) __attribute__((weak, alias("default_handler")));
void uart0_tx_handler(void) __attribute__((weak, alias("default_handler")));
void irq_handler(void) __attribute__((weak, alias("default_handler")));

__attribute__((section(".vectors"), used))
const vector_t vector_table[16 + NUM_IRQ] = {
    (vector_t)__stack_top,
    reset_handler,
    nmi_handler,
    hardfault_handler,
    memmanage_handler,
    busfault_handler,
    usagefault_handler,
    0, 0, 0, 0,
    svc_handler,
    debugmon_handler,
    0,
    pendsv_handler,
    systick_handler,
    uart0_rx_handler,
    uart0_tx_handler,
    [18 ... 16 + NUM_IRQ - 1] = irq_handler,
};

void reset_handler(void)
{
    const uint32_t *from = __data_load;
    for (uint32_t *to = __data_start; to < __data_end;)
        *to++ = *from++;
    for (uint32_t *to = __bss_start; to < __bss_end;)
        *to++ = 0;
    uart_init();
    semihost_exit((uint32_t)main());
}

void default_handler(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    uart_puts("unexpected exception ");
    uart_put_udec(ipsr & 0x1ffu);
    uart_putc('\n');
    semihost_exit(UNEXPECTED_EXCEPTION_STATUS);
}
