/* CSR access and the machine-mode bits firmware uses (needs an ISA with _zicsr). */
#ifndef BOARDLAB_CSR_H
#define BOARDLAB_CSR_H

#include <stdint.h>

#define CSR_STR_(x) #x
#define CSR_STR(x) CSR_STR_(x)

#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " CSR_STR(csr) : "=r"(v_)); v_; })
#define csr_write(csr, val) __asm__ volatile("csrw " CSR_STR(csr) ", %0" : : "rK"((uint32_t)(val)) : "memory")
#define csr_set(csr, bits) __asm__ volatile("csrs " CSR_STR(csr) ", %0" : : "rK"((uint32_t)(bits)) : "memory")
#define csr_clear(csr, bits) __asm__ volatile("csrc " CSR_STR(csr) ", %0" : : "rK"((uint32_t)(bits)) : "memory")
#define csr_swap(csr, val) ({ uint32_t v_; __asm__ volatile("csrrw %0, " CSR_STR(csr) ", %1" : "=r"(v_) : "rK"((uint32_t)(val)) : "memory"); v_; })

/* mstatus / sstatus */
#define MSTATUS_SIE       (1u << 1)
#define MSTATUS_MIE       (1u << 3)
#define MSTATUS_SPIE      (1u << 5)
#define MSTATUS_MPIE      (1u << 7)
#define MSTATUS_SPP       (1u << 8)
#define MSTATUS_MPP_SHIFT 11
#define MSTATUS_MPP       (3u << MSTATUS_MPP_SHIFT)
#define MSTATUS_MPP_U     (0u << MSTATUS_MPP_SHIFT)
#define MSTATUS_MPP_S     (1u << MSTATUS_MPP_SHIFT)
#define MSTATUS_MPP_M     (3u << MSTATUS_MPP_SHIFT)
#define MSTATUS_MPRV      (1u << 17)
#define MSTATUS_SUM       (1u << 18)

/* mie / mip */
#define MIP_SSIP          (1u << 1)
#define MIP_MSIP          (1u << 3)
#define MIP_STIP          (1u << 5)
#define MIP_MTIP          (1u << 7)
#define MIP_SEIP          (1u << 9)
#define MIP_MEIP          (1u << 11)

/* mcause */
#define MCAUSE_INTERRUPT  0x80000000u
#define CAUSE_MISALIGNED_FETCH    0u
#define CAUSE_FETCH_ACCESS        1u
#define CAUSE_ILLEGAL_INSTRUCTION 2u
#define CAUSE_BREAKPOINT          3u
#define CAUSE_MISALIGNED_LOAD     4u
#define CAUSE_LOAD_ACCESS         5u
#define CAUSE_MISALIGNED_STORE    6u
#define CAUSE_STORE_ACCESS        7u
#define CAUSE_ECALL_U             8u
#define CAUSE_ECALL_S             9u
#define CAUSE_ECALL_M             11u
#define IRQ_S_SOFT                1u
#define IRQ_M_SOFT                3u
#define IRQ_S_TIMER               5u
#define IRQ_M_TIMER               7u
#define IRQ_S_EXT                 9u
#define IRQ_M_EXT                 11u

static inline uint32_t hart_id(void) { return csr_read(mhartid); }
static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

/* Sleep until an enabled interrupt is pending, then take it. Call it with mstatus.MIE = 0 in a
 * loop that checks what the handler changes: an interrupt between the check and WFI then stays
 * pending and wakes WFI, instead of being handled before WFI and leaving it asleep. */
static inline void wfi_then_take_interrupts(void)
{
    wfi();
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
}

#endif
