CPU := cortex-m0plus
SOURCES := conformance/harness.c
