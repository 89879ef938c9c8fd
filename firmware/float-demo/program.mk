# Single and double precision in C: the compiler emits F and D instructions (fsqrt.d, fmadd.d,
# fcvt.*), so the program needs a hart with F and D and mstatus.FS switched on (main does that first).
MARCH        := rv32imafdc_zicsr_zifencei
CFLAGS_EXTRA := -fno-math-errno
