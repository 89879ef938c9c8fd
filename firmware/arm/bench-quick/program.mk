# Every benchmark kernel with a few iterations (firmware/bench-quick's main and the kernels'
# sources, built with BENCH_NO_MAIN) for Cortex-M3: the reference test compares it on QEMU and
# BoardLab. bench.h comes from firmware/common/.
SOURCES      := ../bench-quick/quick.c ../bench-crc/crc.c ../bench-sort/sort.c ../bench-matmul/matmul.c ../bench-dhry/dhry.c
CFLAGS_EXTRA := -DBENCH_NO_MAIN
