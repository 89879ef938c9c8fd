/* Startup and exception vectors: every handler is weak, so a program defines the ones it
 * takes by name; the rest go to default_handler, which reports the exception and ends the run
 * with status 0x7e. */
#ifndef BOARDLAB_STARTUP_H
#define BOARDLAB_STARTUP_H

#include <stdint.h>

#define UNEXPECTED_EXCEPTION_STATUS 0x7eu

void nmi_handler(void);
void hardfault_handler(void);
void memmanage_handler(void);
void busfault_handler(void);
void usagefault_handler(void);
void svc_handler(void);
void debugmon_handler(void);
void pendsv_handler(void);
void systick_handler(void);
void uart0_rx_handler(void);      /* IRQ 0 */
void uart0_tx_handler(void);      /* IRQ 1 */
void irq_handler(void);           /* every other IRQ (the program reads IPSR) */
void default_handler(void);

extern uint32_t __stack_top[];

int main(void);

#endif
