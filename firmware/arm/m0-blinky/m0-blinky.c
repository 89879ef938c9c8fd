/* LEDs, buttons and the UART of boardlab-m0 (BoardLab's Cortex-M0+ board; QEMU has no such board):
 *   - the CMSDK timer at 0x40000000 (IRQ 8) interrupts every 100 ms; each interrupt toggles LED0
 *     (GPIO line 0) and prints it, six times, then the timer stops;
 *   - button 0 (GPIO line 4) drives LED1 (line 1): each change raises the GPIO interrupt (IRQ 6),
 *     which copies the button onto the LED and prints it;
 *   - a press of button 1 (line 5) prints "bye" and ends the run with status 0 (semihosting).
 * Needs examples/m0-blinky.board.json (boardlab-m0 with the CPU's semihosting on). */
#include <stdint.h>
#include "mps2.h"
#include "uart.h"

#define CORE_CLOCK_HZ   25000000u
#define PERIOD_TICKS    (CORE_CLOCK_HZ / 10u)   /* 100 ms of the timer's 25 MHz clock */
#define TOGGLES         6u

#define TIMER0_BASE     0x40000000u
#define TIMER_CTRL      0x00u
#define TIMER_VALUE     0x04u
#define TIMER_RELOAD    0x08u
#define TIMER_INTCLEAR  0x0cu
#define TIMER_CTRL_EN    (1u << 0)
#define TIMER_CTRL_IRQEN (1u << 3)
#define TIMER0_IRQ      8u

#define GPIO_BASE       0x40010000u
#define GPIO_INPUT      0x00u
#define GPIO_OUTPUT     0x04u
#define GPIO_OUTPUT_ENABLE 0x08u
#define GPIO_IRQ_ENABLE 0x0cu
#define GPIO_IRQ_PENDING 0x10u   /* write 1 to clear */
#define GPIO_IRQ        6u

#define LED0            (1u << 0)
#define LED1            (1u << 1)
#define BUTTON0         (1u << 4)
#define BUTTON1         (1u << 5)

#define IRQ_EXCEPTION_BASE 16u

static volatile uint32_t toggles;
static volatile uint32_t quit;

static uint32_t current_irq(void)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr - IRQ_EXCEPTION_BASE;
}

static void timer_interrupt(void)
{
    REG32(TIMER0_BASE + TIMER_INTCLEAR) = 1u;
    uint32_t out = REG32(GPIO_BASE + GPIO_OUTPUT) ^ LED0;
    REG32(GPIO_BASE + GPIO_OUTPUT) = out;
    uart_puts(out & LED0 ? "LED0 on\n" : "LED0 off\n");
    if (++toggles == TOGGLES) {
        REG32(TIMER0_BASE + TIMER_CTRL) = 0;
        uart_puts("m0-blinky: LED0 done; button 0 lights LED1, button 1 ends the run\n");
    }
}

static void gpio_interrupt(void)
{
    uint32_t changed = REG32(GPIO_BASE + GPIO_IRQ_PENDING);
    REG32(GPIO_BASE + GPIO_IRQ_PENDING) = changed;
    uint32_t input = REG32(GPIO_BASE + GPIO_INPUT);
    if (changed & BUTTON0) {
        uint32_t out = REG32(GPIO_BASE + GPIO_OUTPUT);
        REG32(GPIO_BASE + GPIO_OUTPUT) = input & BUTTON0 ? out | LED1 : out & ~LED1;
        uart_puts(input & BUTTON0 ? "button 0 down: LED1 on\n" : "button 0 up: LED1 off\n");
    }
    if ((changed & BUTTON1) && (input & BUTTON1))
        quit = 1;
}

/* Every external interrupt but the UART's comes here (common/startup.c): which one is in IPSR. */
void irq_handler(void)
{
    uint32_t irq = current_irq();
    if (irq == TIMER0_IRQ)
        timer_interrupt();
    else if (irq == GPIO_IRQ)
        gpio_interrupt();
}

int main(void)
{
    uart_puts("m0-blinky: LED0 toggles every 100 ms of the CMSDK timer, 6 times\n");
    REG32(GPIO_BASE + GPIO_OUTPUT) = 0;
    REG32(GPIO_BASE + GPIO_OUTPUT_ENABLE) = LED0 | LED1;
    REG32(GPIO_BASE + GPIO_IRQ_PENDING) = BUTTON0 | BUTTON1;
    REG32(GPIO_BASE + GPIO_IRQ_ENABLE) = BUTTON0 | BUTTON1;

    REG32(TIMER0_BASE + TIMER_RELOAD) = PERIOD_TICKS - 1u;
    REG32(TIMER0_BASE + TIMER_VALUE) = PERIOD_TICKS - 1u;
    REG32(TIMER0_BASE + TIMER_CTRL) = TIMER_CTRL_EN | TIMER_CTRL_IRQEN;
    NVIC_ISER(0) = (1u << TIMER0_IRQ) | (1u << GPIO_IRQ);

    while (!quit)
        __asm__ volatile("wfi");

    NVIC_ICER(0) = (1u << TIMER0_IRQ) | (1u << GPIO_IRQ);
    REG32(GPIO_BASE + GPIO_OUTPUT) = 0;
    uart_puts("button 1: bye\n");
    return 0;
}
