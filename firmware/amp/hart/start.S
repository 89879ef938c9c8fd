/* The hart's reset: a stack at the top of its RAM, then main(); main ends the run itself. */
    .section .text.start, "ax"
    .globl _start
_start:
    la sp, __stack_top
    call main
1:  wfi
    j 1b
