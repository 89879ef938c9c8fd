/* Every benchmark kernel (bench-crc, bench-sort, bench-matmul, bench-dhry) with a few iterations:
 * the same code as the benchmark builds, small enough for the reference test to compare on QEMU
 * and BoardLab. */
#include "bench.h"

int main(void)
{
    bench_report("crc32", 2, bench_crc(2));
    bench_report("heapsort", 1, bench_sort(1));
    bench_report("matmul", 2, bench_matmul(2));
    bench_report("dhrystone-like", 2000, bench_dhry(2000));
    return 0;
}
