/* Memory map of the QEMU "virt" RISC-V board (and BoardLab's riscv-virt). */
#ifndef BOARDLAB_PLATFORM_H
#define BOARDLAB_PLATFORM_H

#include <stdint.h>

/* ns16550a UART: byte-wide registers at consecutive addresses, on PLIC source 10. */
#define UART0_BASE        0x10000000u
#define UART0_IRQ         10u
#define UART_REG_THR      0u          /* transmit holding register (write) */
#define UART_REG_RBR      0u          /* receive buffer register (read) */
#define UART_REG_IER      1u          /* interrupt enable */
#define UART_REG_IIR      2u          /* interrupt identification (read) */
#define UART_REG_FCR      2u          /* FIFO control (write) */
#define UART_REG_LCR      3u          /* line control */
#define UART_REG_MCR      4u          /* modem control */
#define UART_REG_LSR      5u          /* line status register (read) */
#define UART_REG_SCR      7u          /* scratch */
#define UART_IER_RDI      (1u << 0)   /* interrupt when received data is available */
#define UART_IER_THRI     (1u << 1)   /* interrupt when the transmit holding register is empty */
#define UART_LSR_DR       (1u << 0)   /* data ready */
#define UART_LSR_THRE     (1u << 5)   /* transmit holding register empty */
#define UART_LSR_TEMT     (1u << 6)   /* transmitter empty: everything sent */

/* SiFive test device ("finisher"): a 32-bit write ends the simulation. */
#define FINISHER_BASE     0x00100000u
#define FINISHER_FAIL     0x3333u     /* (code << 16) | FINISHER_FAIL: exit with code */
#define FINISHER_PASS     0x5555u     /* exit with status 0 */

/* CLINT (SiFive layout): msip per hart, mtimecmp per hart, one mtime; 10 MHz timebase. */
#define CLINT_BASE        0x02000000u
#define CLINT_MSIP(hart)  (CLINT_BASE + 0x0000u + 4u * (hart))
#define CLINT_MTIMECMP(hart) (CLINT_BASE + 0x4000u + 8u * (hart))
#define CLINT_MTIME       (CLINT_BASE + 0xbff8u)
#define TIMEBASE_HZ       10000000u

/* PLIC (QEMU virt layout). Context 2*hart is the hart's M-mode, 2*hart+1 its S-mode. */
#define PLIC_BASE         0x0c000000u
#define PLIC_PRIORITY(src)        (PLIC_BASE + 4u * (src))
#define PLIC_PENDING(src)         (PLIC_BASE + 0x1000u + 4u * ((src) / 32u))
#define PLIC_ENABLE(ctx, src)     (PLIC_BASE + 0x2000u + 0x80u * (ctx) + 4u * ((src) / 32u))
#define PLIC_THRESHOLD(ctx)       (PLIC_BASE + 0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx)           (PLIC_BASE + 0x200004u + 0x1000u * (ctx))
#define PLIC_CTX_M(hart)          (2u * (hart))
#define PLIC_CTX_S(hart)          (2u * (hart) + 1u)

/* RAM. */
#define RAM_BASE          0x80000000u

#define MMIO8(addr)  (*(volatile uint8_t *)(uintptr_t)(addr))
#define MMIO32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

#endif
