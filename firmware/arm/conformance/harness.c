/* Fault handling for the ARM conformance programs: HardFault, MemManage, BusFault and UsageFault
 * record what they see in fault_seen, clear the fault status (write 1 to clear) and resume after
 * the faulting instruction (2 or 4 bytes, from its first halfword). Written without IT blocks
 * and 32-bit data processing so it builds for ARMv6-M too (v6-M has no CFSR: its handler only
 * records the IPSR and pc). */
#include <stdint.h>
#include "conf.h"
#include "mps2.h"

volatile struct fault_record fault_seen;

void fault_reset(void)
{
    fault_seen.count = 0;
    fault_seen.exception = fault_seen.cfsr = fault_seen.hfsr = fault_seen.bfar = 0;
    fault_seen.pc = fault_seen.exc_return = 0;
}

void fault_record(uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    fault_seen.count++;
    fault_seen.exception = ipsr & 0x1ffu;
    fault_seen.exc_return = exc_return;
    fault_seen.pc = frame[6];
#if __ARM_ARCH_7M__
    fault_seen.cfsr = SCB_CFSR;
    fault_seen.hfsr = SCB_HFSR;
    fault_seen.bfar = SCB_BFAR;
    SCB_CFSR = fault_seen.cfsr;
    SCB_HFSR = fault_seen.hfsr;
#endif
    uint16_t first = *(const uint16_t *)frame[6];
    frame[6] += (first >> 11) >= 0x1du ? 4u : 2u;
}

#define FAULT_ENTRY(name) \
    __attribute__((naked)) void name(void) \
    { \
        __asm__ volatile(".syntax unified\n\tmovs r0, #4\n\tmov r1, lr\n\ttst r0, r1\n\tbeq 1f\n\tmrs r0, psp\n\tb 2f\n" \
                         "1:\tmrs r0, msp\n2:\tldr r2, =fault_record\n\tbx r2\n\t.ltorg\n\t.syntax divided\n\t"); \
    }

FAULT_ENTRY(hardfault_handler)
FAULT_ENTRY(memmanage_handler)
FAULT_ENTRY(busfault_handler)
FAULT_ENTRY(usagefault_handler)
