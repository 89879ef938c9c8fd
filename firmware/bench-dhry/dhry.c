/* Benchmark kernel: a Dhrystone-like mix of what ordinary integer code does (our own code, not
 * Dhrystone): procedure calls, struct assignment through pointers, a switch over an enum, string
 * copy and compare, 1-D and 2-D array updates, a little multiply and divide, and pointer chasing
 * through a linked list. ITERATIONS passes; the result folds what each pass computed. */
#include <stdint.h>
#include "bench.h"

#ifndef ITERATIONS
#define ITERATIONS 500000
#endif

#define NOINLINE __attribute__((noinline))

enum colour { RED, GREEN, BLUE, YELLOW };

struct record {
    struct record *next;
    enum colour colour;
    int32_t number;
    int32_t weight;
    char label[24];
};

static struct record records[4];
static int32_t row[64];
static int32_t grid[16][16];
static char text_a[32], text_b[32];
static const char greeting[] = "BOARDLAB BENCHMARK, 1ST STRING";
static const char other[] = "BOARDLAB BENCHMARK, 2ND STRING";

static NOINLINE void copy_string(char *dst, const char *src)
{
    while ((*dst++ = *src++) != '\0')
        ;
}

static NOINLINE int32_t compare_strings(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return (int32_t)(unsigned char)*a - (int32_t)(unsigned char)*b;
}

static NOINLINE enum colour next_colour(enum colour c, int32_t n)
{
    switch (c) {
    case RED:
        return n & 1 ? GREEN : BLUE;
    case GREEN:
        return BLUE;
    case BLUE:
        return n > 100 ? YELLOW : RED;
    default:
        return RED;
    }
}

static NOINLINE int32_t weigh(const struct record *r, int32_t factor)
{
    return r->number * factor + r->weight / (factor | 1);
}

static NOINLINE void update_arrays(int32_t index, int32_t value)
{
    row[index & 63] += value;
    row[(index + 7) & 63] = row[index & 63] - value;
    grid[index & 15][(index >> 4) & 15] += row[(index + 7) & 63];
    grid[(index + 1) & 15][index & 15] = index;
}

uint32_t bench_dhry(uint32_t iterations)
{
    for (int i = 0; i < 4; i++) {
        records[i].next = &records[(i + 1) & 3];
        records[i].colour = (enum colour)i;
        records[i].number = i * 10 + 1;
        records[i].weight = 1000 - i;
        copy_string(records[i].label, "RECORD");
    }
    uint32_t result = 0;
    struct record *r = &records[0];
    for (uint32_t it = 0; it < iterations; it++) {
        int32_t n = (int32_t)(it & 0x3ff);
        struct record saved = *r;          /* struct assignment */
        r->colour = next_colour(r->colour, n);
        r->number = weigh(&saved, (n & 7) + 1) & 0xfff;
        copy_string(text_a, (it & 1) ? greeting : other);
        copy_string(text_b, greeting);
        int32_t cmp = compare_strings(text_a, text_b);
        update_arrays(n, cmp + r->number);
        int32_t q = (r->number * 7 + n) / 3;
        int32_t m = (r->weight + n) % 5;
        result = result * 17u + (uint32_t)(q + m + cmp + (int32_t)r->colour);
        r = r->next;
    }
    for (int i = 0; i < 64; i++)
        result += (uint32_t)row[i];
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++)
            result ^= (uint32_t)grid[i][j] << (j & 7);
    return result;
}

#ifndef BENCH_NO_MAIN
int main(void)
{
    bench_report("dhrystone-like", ITERATIONS, bench_dhry(ITERATIONS));
    return 0;
}
#endif
