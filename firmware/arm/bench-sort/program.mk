# Benchmark build (large ITERATIONS) of firmware/bench-sort's kernel for Cortex-M3: run by
# `npm run bench` beside the RISC-V build, not by the test suites. bench.h comes from
# firmware/common/ (searched last, so ARM's own headers win); bench_report is common/bench.c.
SOURCES      := ../bench-sort/sort.c
CFLAGS_EXTRA := -idirafter ../common
