/* QEMU 7.2's mps2-an385 board (hw/arm/mps2.c): the peripherals these programs use, their IRQ
 * lines, and the Cortex-M System Control Space registers. */
#ifndef BOARDLAB_MPS2_H
#define BOARDLAB_MPS2_H

#include <stdint.h>

#define REG32(address) (*(volatile uint32_t *)(address))

/* CMSDK APB UART 0 */
#define UART0_BASE        0x40004000u
#define UART_DATA         0x00u
#define UART_STATE        0x04u
#define UART_CTRL         0x08u
#define UART_INTSTATUS    0x0cu   /* write 1 to clear (INTCLEAR) */
#define UART_BAUDDIV      0x10u
#define UART_STATE_TXFULL (1u << 0)
#define UART_STATE_RXFULL (1u << 1)
#define UART_CTRL_TXEN    (1u << 0)
#define UART_CTRL_RXEN    (1u << 1)
#define UART_CTRL_TXINTEN (1u << 2)
#define UART_CTRL_RXINTEN (1u << 3)
#define UART_INT_TX       (1u << 0)
#define UART_INT_RX       (1u << 1)
#define UART0_RX_IRQ      0u
#define UART0_TX_IRQ      1u

/* FPGAIO: LEDs (2 on an385), buttons, counters */
#define FPGAIO_BASE       0x40028000u
#define FPGAIO_LED0       0x00u

/* System Control Space */
#define SCS_BASE          0xe000e000u
#define SYST_CSR          REG32(0xe000e010u)
#define SYST_RVR          REG32(0xe000e014u)
#define SYST_CVR          REG32(0xe000e018u)
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16)
#define NVIC_ISER(n)      REG32(0xe000e100u + 4u * (n))
#define NVIC_ICER(n)      REG32(0xe000e180u + 4u * (n))
#define NVIC_ISPR(n)      REG32(0xe000e200u + 4u * (n))
#define NVIC_ICPR(n)      REG32(0xe000e280u + 4u * (n))
#define NVIC_IABR(n)      REG32(0xe000e300u + 4u * (n))
#define NVIC_IPR_BYTE(n)  (*(volatile uint8_t *)(0xe000e400u + (n)))
#define SCB_CPUID         REG32(0xe000ed00u)
#define SCB_ICSR          REG32(0xe000ed04u)
#define SCB_VTOR          REG32(0xe000ed08u)
#define SCB_AIRCR         REG32(0xe000ed0cu)
#define SCB_SCR           REG32(0xe000ed10u)
#define SCB_CCR           REG32(0xe000ed14u)
#define SCB_SHPR_BYTE(exception) (*(volatile uint8_t *)(0xe000ed18u + (exception) - 4u))
#define SCB_SHCSR         REG32(0xe000ed24u)
#define SCB_CFSR          REG32(0xe000ed28u)
#define SCB_HFSR          REG32(0xe000ed2cu)
#define SCB_MMFAR         REG32(0xe000ed34u)
#define SCB_BFAR          REG32(0xe000ed38u)
#define ICSR_PENDSVSET    (1u << 28)
#define ICSR_PENDSVCLR    (1u << 27)
#define ICSR_PENDSTSET    (1u << 26)
#define ICSR_NMIPENDSET   (1u << 31)
#define AIRCR_VECTKEY     0x05fa0000u
#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)
#define CCR_UNALIGN_TRP   (1u << 3)
#define CCR_DIV_0_TRP     (1u << 4)

/* Exception numbers */
#define EXC_NMI        2u
#define EXC_HARDFAULT  3u
#define EXC_MEMMANAGE  4u
#define EXC_BUSFAULT   5u
#define EXC_USAGEFAULT 6u
#define EXC_SVCALL     11u
#define EXC_PENDSV     14u
#define EXC_SYSTICK    15u
#define EXC_IRQ(n)     (16u + (n))

#endif
