/* SysTick blinky: SysTick (core clock, 25 MHz on mps2-an385) interrupts every 10 ms; every fifth
 * one toggles LED0 of the FPGAIO block and prints the LED register. Stops after TOGGLES toggles:
 * SysTick off, LEDs off, exit status 0. */
#include <stdint.h>
#include "mps2.h"
#include "print.h"
#include "uart.h"

#define CORE_CLOCK_HZ   25000000u
#define TICK_HZ         100u
#define TICKS_PER_TOGGLE 5u
#define TOGGLES         6u

static volatile uint32_t ticks, toggles;

void systick_handler(void)
{
    if (++ticks % TICKS_PER_TOGGLE != 0)
        return;
    uint32_t leds = REG32(FPGAIO_BASE + FPGAIO_LED0) ^ 1u;
    REG32(FPGAIO_BASE + FPGAIO_LED0) = leds;
    uart_puts(leds & 1u ? "LED on  (FPGAIO LED0 = " : "LED off (FPGAIO LED0 = ");
    uart_put_hex(REG32(FPGAIO_BASE + FPGAIO_LED0));
    uart_puts(")\n");
    if (++toggles == TOGGLES)
        SYST_CSR = 0;
}

int main(void)
{
    uart_puts("systick-blinky: LED0 toggles every 50 ms of SysTick, 6 times\n");
    REG32(FPGAIO_BASE + FPGAIO_LED0) = 0;
    SYST_RVR = CORE_CLOCK_HZ / TICK_HZ - 1u;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    while (toggles < TOGGLES)
        __asm__ volatile("wfi");
    uart_puts("systick-blinky: ");
    uart_put_udec(ticks);
    uart_puts(" ticks, SysTick ");
    uart_puts(SYST_CSR & SYST_CSR_ENABLE ? "still on\n" : "off\n");
    return 0;
}
