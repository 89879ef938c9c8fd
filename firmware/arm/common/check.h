/* Self-checking programs: one line per check, "PASS name" or "FAIL name got X want Y", and a
 * summary; main() returns check_summary() so the run passes only if every check did. */
#ifndef BOARDLAB_CHECK_H
#define BOARDLAB_CHECK_H

#include <stdint.h>

/* Compare a 32-bit value (printed in hex on failure). */
void check(const char *name, uint32_t got, uint32_t want);
/* Print "<program>: N passed, M failed" and return the number of failures (0 = all passed). */
int check_summary(const char *program);

#endif
