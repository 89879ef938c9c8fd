# .option rvc/norvc/push/pop switch compression on and off, with alignment in between.
    .text
    .globl _start
_start:
    addi sp, sp, -16
    .option push
    .option norvc
    addi sp, sp, -16
    li a0, 1
    mv a1, a0
    beqz a0, 1f
    j 1f
    ret
    .option pop
1:  addi sp, sp, 32
    .align 2
    li a0, 1
    .option norvc
    .align 3
    ret
    .option rvc
    .balign 8
    c_end: ret
