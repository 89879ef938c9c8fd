# Local numeric labels, forward and backward references, several labels on one line, ; separators.
    .text
    .globl _start
_start: li t0, 3 ; li t1, 0
1:  addi t1, t1, 1
    bne t1, t0, 1b
    j 1f
    nop
1:  beqz t0, 2f
    addi t0, t0, -1   # a comment
    j 1b
2:  /* block comment */ li a0, 1
    /* a comment
       over lines */
a: b: c: nop
.Lhidden: nop
    j .Lhidden
    call 3f
3:  ret
