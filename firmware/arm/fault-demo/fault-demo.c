/* Faults reported by their handlers: a load from an address nothing answers (a precise
 * BusFault: CFSR.PRECISERR and BFARVALID, BFAR = the address) and an undefined instruction (a
 * UsageFault: CFSR.UNDEFINSTR). Both handlers print what the fault status registers say,
 * clear them (write 1 to clear) and resume after the faulting instruction; then exit 0. */
#include <stdint.h>
#include "mps2.h"
#include "print.h"
#include "uart.h"

#define NOTHING_THERE 0x50000000u   /* no device or memory on mps2-an385 */

static volatile uint32_t faults;

static void report(const char *what, uint32_t *frame)
{
    uint32_t cfsr = SCB_CFSR;
    uart_puts(what);
    uart_puts(": CFSR ");
    uart_put_hex(cfsr);
    if (cfsr & (1u << 15)) { /* BFARVALID */
        uart_puts(" BFAR ");
        uart_put_hex(SCB_BFAR);
    }
    uart_puts(" HFSR ");
    uart_put_hex(SCB_HFSR);
    uart_puts(" at pc ");
    uart_put_hex(frame[6]);
    uart_putc('\n');
    SCB_CFSR = cfsr;
    /* Resume after the faulting instruction: 32-bit if its first halfword is 0b11101/0b11110/0b11111. */
    uint16_t first = *(const uint16_t *)frame[6];
    frame[6] += (first >> 11) >= 0x1du ? 4u : 2u;
    faults++;
}

void busfault_dispatch(uint32_t *frame) { report("bus fault", frame); }
void usagefault_dispatch(uint32_t *frame) { report("usage fault", frame); }

__attribute__((naked)) void busfault_handler(void)
{
    __asm__ volatile("tst lr, #4\n\tite eq\n\tmrseq r0, msp\n\tmrsne r0, psp\n\tb busfault_dispatch\n\t");
}

__attribute__((naked)) void usagefault_handler(void)
{
    __asm__ volatile("tst lr, #4\n\tite eq\n\tmrseq r0, msp\n\tmrsne r0, psp\n\tb usagefault_dispatch\n\t");
}

int main(void)
{
    uart_puts("fault-demo: a bus fault and a usage fault, each reported by its handler\n");
    SCB_SHCSR |= SHCSR_BUSFAULTENA | SHCSR_USGFAULTENA;

    uint32_t value = 0x12345678u;
    __asm__ volatile("ldr %0, [%1]" : "+r"(value) : "r"(NOTHING_THERE) : "memory");
    uart_puts("after the bus fault: the load left its register ");
    uart_put_hex(value);
    uart_putc('\n');

    __asm__ volatile("udf #7" ::: "memory");
    uart_puts("after the usage fault\n");

    uart_puts("fault-demo: ");
    uart_put_udec(faults);
    uart_puts(" faults handled\n");
    return faults == 2u ? 0 : 1;
}
