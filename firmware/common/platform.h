/* Memory map of the QEMU "virt" RISC-V board (and BoardLab's riscv-virt). */
#ifndef BOARDLAB_PLATFORM_H
#define BOARDLAB_PLATFORM_H

#include <stdint.h>

/* ns16550a UART: byte-wide registers at consecutive addresses. */
#define UART0_BASE        0x10000000u
#define UART_REG_THR      0u          /* transmit holding register (write) */
#define UART_REG_LSR      5u          /* line status register (read) */
#define UART_LSR_THRE     (1u << 5)   /* transmit holding register empty */

/* SiFive test device ("finisher"): a 32-bit write ends the simulation. */
#define FINISHER_BASE     0x00100000u
#define FINISHER_FAIL     0x3333u     /* (code << 16) | FINISHER_FAIL: exit with code */
#define FINISHER_PASS     0x5555u     /* exit with status 0 */

#define MMIO8(addr)  (*(volatile uint8_t *)(uintptr_t)(addr))
#define MMIO32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

#endif
