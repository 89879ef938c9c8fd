/* Echo: interrupt-driven UART input through the PLIC. UART0 raises "received data available"
 * (IER.RDI) on PLIC source 10; hart 0's M-mode context enables it with priority 1 above threshold
 * 0, and mie.MEIE takes the interrupt. The handler claims the source, echoes every received byte,
 * and completes it. A 'q' ends the run: "bye" and pass. Runs on QEMU virt and riscv-virt with input
 * on the serial port (stdin). */
#include <stdint.h>
#include "csr.h"
#include "platform.h"
#include "trap.h"
#include "uart.h"

static volatile uint32_t quit;
static volatile uint32_t received;

trap_frame *trap_handler(trap_frame *frame)
{
    if (frame->mcause != (MCAUSE_INTERRUPT | IRQ_M_EXT)) {
        uart_puts("echo: unexpected trap\n");
        frame->mepc += insn_length(frame->mepc);
        return frame;
    }
    uint32_t source = MMIO32(PLIC_CLAIM(PLIC_CTX_M(0)));
    if (source == UART0_IRQ) {
        while (MMIO8(UART0_BASE + UART_REG_LSR) & UART_LSR_DR) {
            char c = (char)MMIO8(UART0_BASE + UART_REG_RBR);
            received++;
            if (c == 'q') {
                quit = 1;
                MMIO8(UART0_BASE + UART_REG_IER) = 0; /* ignore whatever follows */
                break;
            }
            uart_putc(c);
        }
    }
    if (source != 0)
        MMIO32(PLIC_CLAIM(PLIC_CTX_M(0))) = source; /* complete */
    return frame;
}

int main(void)
{
    /* FCR is left alone: changing FIFO enable clears the receive FIFO, and input may already
     * be waiting (both emulators deliver stdin as soon as the board starts). */
    MMIO32(PLIC_PRIORITY(UART0_IRQ)) = 1;
    MMIO32(PLIC_ENABLE(PLIC_CTX_M(0), UART0_IRQ)) = 1u << (UART0_IRQ % 32u);
    MMIO32(PLIC_THRESHOLD(PLIC_CTX_M(0))) = 0;
    csr_write(mie, MIP_MEIP);

    uart_puts("echo: type something, 'q' quits\n");
    MMIO8(UART0_BASE + UART_REG_IER) = UART_IER_RDI;

    while (!quit)
        wfi_then_take_interrupts();

    uart_puts("\nbye\n");
    return 0;
}
