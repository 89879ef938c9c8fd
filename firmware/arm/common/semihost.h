/* ARM semihosting (`bkpt 0xab`, operation in r0, parameter in r1), as QEMU provides it with
 * -semihosting-config enable=on,target=native. */
#ifndef BOARDLAB_SEMIHOST_H
#define BOARDLAB_SEMIHOST_H

#include <stdint.h>

#define SYS_WRITEC        0x03u
#define SYS_WRITE0        0x04u
#define SYS_WRITE         0x05u
#define SYS_CLOCK         0x10u
#define SYS_HEAPINFO      0x16u
#define SYS_EXIT          0x18u
#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

uint32_t semihost_call(uint32_t op, uint32_t param);
/* End the run with exit status `status` (SYS_EXIT for 0, SYS_EXIT_EXTENDED otherwise: the 32-bit
 * SYS_EXIT carries no status, only "application exit" = 0 or anything else = 1). */
__attribute__((noreturn)) void semihost_exit(uint32_t status);

#endif
