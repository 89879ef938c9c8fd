# Hardware F and D instructions, soft-float calling convention (ilp32): operands travel through
# memory and integer registers, so no floating-point ABI is needed and the ilp32 multilib links.
MARCH := rv32imafdc_zicsr_zifencei
