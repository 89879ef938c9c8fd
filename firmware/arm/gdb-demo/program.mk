# Built with debug info and without optimisation, for gdb: src/cli/gdb-arm.reference.test.ts
# breaks in it, steps, prints its variables and unwinds through its SVC exception frame (on
# BoardLab and on qemu-system-arm). -ffile-prefix-map keeps the DWARF paths relative, so the ELF is
# still reproducible.
CFLAGS_EXTRA := -g -O0
