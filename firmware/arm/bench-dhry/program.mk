# Benchmark build (large ITERATIONS) of firmware/bench-dhry's kernel for Cortex-M3: run by
# `npm run bench` beside the RISC-V build, not by the test suites. bench.h and
# bench_report come from firmware/common/ (see the Makefile's SHARED_LIB_SRCS).
SOURCES      := ../bench-dhry/dhry.c
