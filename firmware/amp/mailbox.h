/* The mailbox both CPUs of examples/amp.board.json talk through (src/engine/devices/mailbox.ts):
 * each side's registers, at the side's base in its CPU's view; and the work protocol. */
#ifndef AMP_MAILBOX_H
#define AMP_MAILBOX_H

#include <stdint.h>

#define MAILBOX_TX      0x00u /* write: push a word to the other side */
#define MAILBOX_RX      0x04u /* read: pop a word (0 when empty) */
#define MAILBOX_STATUS  0x08u
#define MAILBOX_IRQEN   0x0Cu
#define MAILBOX_RXCOUNT 0x10u

#define STATUS_RXNE   (1u << 0)
#define STATUS_TXFULL (1u << 1)
#define STATUS_TXOVF  (1u << 2)
#define IRQEN_RXNE    (1u << 0)

static inline volatile uint32_t *mailbox_reg(uintptr_t base, uint32_t offset) {
    return (volatile uint32_t *)(base + offset);
}

/* The work: the hart puts WORK_COUNT numbers in shared RAM after the count, sends CMD_SUM_SQUARES;
 * the M3 writes the sum of their squares after them and sends it back. */
#define CMD_SUM_SQUARES 0x51u
#define WORK_COUNT 8u
/* Word offsets in the shared RAM: the count, the numbers, the answer. */
#define SHARED_COUNT 0u
#define SHARED_NUMBERS 1u
#define SHARED_ANSWER (SHARED_NUMBERS + WORK_COUNT)

#endif
