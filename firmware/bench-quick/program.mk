# The benchmark kernels' sources, built with BENCH_NO_MAIN and run a few iterations each.
MARCH        := rv32imac_zicsr_zifencei
STARTUP      := crt0-trap
SOURCES      := bench-crc/crc.c bench-sort/sort.c bench-matmul/matmul.c bench-dhry/dhry.c
CFLAGS_EXTRA := -DBENCH_NO_MAIN
