/* Benchmark kernel: 64x64 integer matrix multiply C = A * B, ITERATIONS times; after each pass A
 * takes in the low bits of C so every pass depends on the one before. */
#include <stdint.h>
#include "bench.h"

#ifndef ITERATIONS
#define ITERATIONS 180
#endif

#define N 64

static int32_t a[N][N], b[N][N], c[N][N];

static void multiply(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int32_t sum = 0;
            for (int k = 0; k < N; k++)
                sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
}

uint32_t bench_matmul(uint32_t iterations)
{
    uint32_t seed = 0xdeadbeefu;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (int32_t)(bench_random(&seed) & 0xffu) - 128;
            b[i][j] = (int32_t)(bench_random(&seed) & 0xffu) - 128;
        }
    for (uint32_t it = 0; it < iterations; it++) {
        multiply();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                a[i][j] = (c[i][j] & 0xff) - 128;
    }
    uint32_t sum = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            sum = sum * 33u + (uint32_t)c[i][j];
    return sum;
}

#ifndef BENCH_NO_MAIN
int main(void)
{
    bench_report("matmul", ITERATIONS, bench_matmul(ITERATIONS));
    return 0;
}
#endif
