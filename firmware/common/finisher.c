#include "platform.h"
#include "finisher.h"

void finisher_pass(void)
{
    MMIO32(FINISHER_BASE) = FINISHER_PASS;
    for (;;)
        ;
}

void finisher_fail(uint32_t code)
{
    code &= 0xffffu;
    if (code == 0)
        code = 1;
    MMIO32(FINISHER_BASE) = (code << 16) | FINISHER_FAIL;
    for (;;)
        ;
}
