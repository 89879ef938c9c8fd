# Startup code as C runtimes write it: gp from ld's __global_pointer$, .bss cleared from
# __bss_start to _end, small data (.sdata/.sbss) reached through gp, code in .text.init.
    .section .text.init, "ax", @progbits
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la a0, __bss_start
    la a1, _end
1:  bgeu a0, a1, 2f
    sw zero, 0(a0)
    addi a0, a0, 4
    j 1b
2:  lw a2, %lo(small)(a2)
    call main
    j .
    .text
    .type main, @function
main:
    la a0, __DATA_BEGIN__
    la a1, _edata
    la a2, __BSS_END__
    ret
    .size main, . - main
    .data
    .byte 1
    .section .sdata, "aw"
    .align 2
small:
    .word 5
    .section .sbss, "aw", @nobits
    .align 2
counter:
    .zero 4
    .bss
    .align 4
__stack_bottom:
    .space 256
__stack_top:
