/* Compute kernels for the benchmark (bench-*) programs: each does a fixed amount of work given by
 * its iteration count and returns a checksum of its results, so a run can be checked on every
 * emulator. scripts/bench.ts runs the big builds; bench-quick runs every kernel a few times. */
#ifndef BOARDLAB_BENCH_H
#define BOARDLAB_BENCH_H

#include <stdint.h>

uint32_t bench_crc(uint32_t iterations);
uint32_t bench_sort(uint32_t iterations);
uint32_t bench_matmul(uint32_t iterations);
uint32_t bench_dhry(uint32_t iterations);

/* Prints "<name>: <iterations> iterations, result 0x<result>". */
void bench_report(const char *name, uint32_t iterations, uint32_t result);

/* xorshift32: the kernels' deterministic pseudo-random numbers. */
static inline uint32_t bench_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

#endif
