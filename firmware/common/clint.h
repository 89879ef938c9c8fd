/* CLINT timer and software interrupts (see platform.h for the layout). */
#ifndef BOARDLAB_CLINT_H
#define BOARDLAB_CLINT_H

#include <stdint.h>

/* mtime, read consistently (high, low, high again). */
uint64_t clint_mtime(void);
/* Arm hart `hart`'s timer: mtip rises when mtime >= when. Written so no earlier compare value
 * is ever visible (high word to all ones first). */
void clint_set_timecmp(uint32_t hart, uint64_t when);

#endif
