# Compressed instructions: c.c checks each RVC instruction by name; the other groups' checks
# are built again here with C enabled (the assembler compresses what it can).
MARCH        := rv32imac_zicsr_zifencei
STARTUP      := crt0-trap
SOURCES      := conformance/harness.c conformance/entry.S \
                conf-alu/alu.c conf-branch/branch.c conf-mem/mem.c conf-m/m.c conf-a/a.c
CFLAGS_EXTRA := -DCONF_NO_MAIN
