/* Blinky: the CLINT timer interrupt toggles LED 0 (GPIO line 0) every 100 ms of virtual time and
 * prints "LED on" / "LED off"; after six toggles the run ends with pass.
 *
 * Needs a GPIO bank at 0x10012000 with out[0] wired to an LED: examples/blinky.board.json
 * (riscv-virt plus gpio and led0). QEMU's virt board has no GPIO, so this runs on BoardLab only. */
#include <stdint.h>
#include "clint.h"
#include "csr.h"
#include "platform.h"
#include "trap.h"
#include "uart.h"

#define GPIO_BASE          0x10012000u
#define GPIO_OUTPUT        (GPIO_BASE + 0x04u)
#define GPIO_OUTPUT_ENABLE (GPIO_BASE + 0x08u)
#define LED_BIT            (1u << 0)

#define PERIOD_TICKS (TIMEBASE_HZ / 10u) /* 100 ms */
#define TOGGLES      6u

static volatile uint32_t toggles;
static uint64_t next_deadline;

trap_frame *trap_handler(trap_frame *frame)
{
    if (frame->mcause != (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
        uart_puts("blinky: unexpected trap\n");
        frame->mepc += insn_length(frame->mepc);
        return frame;
    }
    next_deadline += PERIOD_TICKS;
    clint_set_timecmp(0, next_deadline);
    uint32_t out = MMIO32(GPIO_OUTPUT) ^ LED_BIT;
    MMIO32(GPIO_OUTPUT) = out;
    uart_puts((out & LED_BIT) ? "LED on\n" : "LED off\n");
    toggles++;
    return frame;
}

int main(void)
{
    uart_puts("blinky: LED 0 toggles every 100 ms\n");
    MMIO32(GPIO_OUTPUT) = 0;
    MMIO32(GPIO_OUTPUT_ENABLE) = LED_BIT;

    next_deadline = clint_mtime() + PERIOD_TICKS;
    clint_set_timecmp(0, next_deadline);
    csr_write(mie, MIP_MTIP);

    while (toggles < TOGGLES)
        wfi_then_take_interrupts();

    csr_write(mie, 0);
    uart_puts("blinky: done\n");
    return 0;
}
