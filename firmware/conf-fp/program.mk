MARCH   := rv32imafdc_zicsr_zifencei
STARTUP := crt0-trap
SOURCES := conformance/harness.c conformance/entry.S
