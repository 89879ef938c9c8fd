#ifndef BOARDLAB_FINISHER_H
#define BOARDLAB_FINISHER_H

#include <stdint.h>

/* End the run with exit status 0. */
void finisher_pass(void) __attribute__((noreturn));
/* End the run with exit status `code` (1..0xffff; 0 is turned into 1 so a failure never reads as a pass). */
void finisher_fail(uint32_t code) __attribute__((noreturn));

#endif
