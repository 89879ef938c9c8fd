MARCH   := rv32imac_zicsr_zifencei_zba_zbb_zbc_zbs
STARTUP := crt0-trap
SOURCES := conformance/harness.c conformance/entry.S
