SOURCES := conformance/harness.c
