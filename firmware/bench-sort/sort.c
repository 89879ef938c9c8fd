/* Benchmark kernel: heap sort of 16384 pseudo-random 32-bit words, ITERATIONS times (fresh
 * numbers each time); the result folds every sorted array into a checksum, and a misordered
 * array zeroes it. */
#include <stdint.h>
#include "bench.h"

#ifndef ITERATIONS
#define ITERATIONS 60
#endif

#define WORDS 16384u

static uint32_t words[WORDS];

static void sift_down(uint32_t *a, uint32_t root, uint32_t end)
{
    uint32_t value = a[root];
    for (;;) {
        uint32_t child = 2u * root + 1u;
        if (child >= end)
            break;
        if (child + 1u < end && a[child + 1u] > a[child])
            child++;
        if (a[child] <= value)
            break;
        a[root] = a[child];
        root = child;
    }
    a[root] = value;
}

static void heap_sort(uint32_t *a, uint32_t n)
{
    for (uint32_t i = n / 2u; i-- > 0;)
        sift_down(a, i, n);
    for (uint32_t end = n - 1u; end > 0; end--) {
        uint32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

uint32_t bench_sort(uint32_t iterations)
{
    uint32_t seed = 0x9e3779b9u, sum = 0;
    for (uint32_t it = 0; it < iterations; it++) {
        for (uint32_t i = 0; i < WORDS; i++)
            words[i] = bench_random(&seed);
        heap_sort(words, WORDS);
        for (uint32_t i = 0; i < WORDS; i++) {
            if (i > 0 && words[i - 1] > words[i])
                return 0;
            sum = sum * 31u + words[i];
        }
    }
    return sum;
}

#ifndef BENCH_NO_MAIN
int main(void)
{
    bench_report("heapsort", ITERATIONS, bench_sort(ITERATIONS));
    return 0;
}
#endif
