/* Benchmark kernel: table-driven CRC-32 (IEEE, reflected) over a 64 KiB buffer of pseudo-random
 * bytes, ITERATIONS times, each pass starting from the previous CRC. */
#include <stdint.h>
#include "bench.h"

#ifndef ITERATIONS
#define ITERATIONS 600
#endif

#define BUFFER_BYTES 65536u

static uint8_t buffer[BUFFER_BYTES];
static uint32_t table[256];

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

uint32_t bench_crc(uint32_t iterations)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t seed = 0x12345678u;
    for (uint32_t i = 0; i < BUFFER_BYTES; i += 4) {
        uint32_t r = bench_random(&seed);
        buffer[i] = (uint8_t)r;
        buffer[i + 1] = (uint8_t)(r >> 8);
        buffer[i + 2] = (uint8_t)(r >> 16);
        buffer[i + 3] = (uint8_t)(r >> 24);
    }
    uint32_t crc = 0;
    for (uint32_t it = 0; it < iterations; it++)
        crc = crc32_update(crc, buffer, BUFFER_BYTES);
    return crc;
}

#ifndef BENCH_NO_MAIN
int main(void)
{
    bench_report("crc32", ITERATIONS, bench_crc(ITERATIONS));
    return 0;
}
#endif
