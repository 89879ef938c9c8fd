#include "semihost.h"
#include "uart.h"

uint32_t semihost_call(uint32_t op, uint32_t param)
{
    register uint32_t r0 __asm__("r0") = op;
    register uint32_t r1 __asm__("r1") = param;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihost_exit(uint32_t status)
{
    uart_flush();
    if (status == 0) {
        semihost_call(SYS_EXIT, ADP_STOPPED_APPLICATION_EXIT);
    } else {
        static volatile uint32_t block[2];
        block[0] = ADP_STOPPED_APPLICATION_EXIT;
        block[1] = status;
        semihost_call(SYS_EXIT_EXTENDED, (uint32_t)block);
    }
    for (;;)
        __asm__ volatile("wfi");
}
