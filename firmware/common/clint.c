#include "clint.h"
#include "platform.h"

uint64_t clint_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = MMIO32(CLINT_MTIME + 4u);
        lo = MMIO32(CLINT_MTIME);
    } while (MMIO32(CLINT_MTIME + 4u) != hi);
    return ((uint64_t)hi << 32) | lo;
}

void clint_set_timecmp(uint32_t hart, uint64_t when)
{
    MMIO32(CLINT_MTIMECMP(hart) + 4u) = 0xffffffffu;
    MMIO32(CLINT_MTIMECMP(hart)) = (uint32_t)when;
    MMIO32(CLINT_MTIMECMP(hart) + 4u) = (uint32_t)(when >> 32);
}
