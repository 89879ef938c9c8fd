# GNU as pseudo-instructions and how it expands and compresses them.
    .text
    .globl _start
_start:
    nop
    li a0, 0
    li a0, 5
    li a0, -32
    li a0, 31
    li a0, 32
    li a0, -33
    li a0, 2047
    li a0, -2048
    li a0, 2048
    li a0, -2049
    li a0, 0x1000
    li a0, 0x12345678
    li a0, 0x7fffffff
    li a0, 0x80000000
    li a0, 0xffffffff
    li a0, -1
    li t0, 0x10010
    li s1, 0x20000
    li sp, 0x80010000
    li a5, 0x800
    li a5, 0xfffff800
    li a0, 'A'
    li a1, 10 * 4 + 2
    mv a0, a1
    mv t0, sp
    mv sp, t0
    not a0, a1
    neg a0, a1
    neg t0, t0
    seqz a0, a1
    snez a0, a1
    sltz a0, a1
    sgtz a0, a1
    zext.b a0, a1
    jr ra
    jalr t0
    ret
    call far
    tail far
    jal far
    j far
    la a0, msg
    lla a1, msg
    lw a2, value
    lh a3, value
    lbu a4, msg
    sw a2, value, t0
    sb a2, msg, t1
    sh a2, value, t2
far:
    ret
    .data
msg:
    .asciz "pseudo"
    .align 2
value:
    .word 0x1234
    .text
    # la/lla of a constant is loaded like li
    .equ DEVICE, 0x10000000
    la t0, DEVICE
    lla t1, 0x100
    la a0, 5
    la a2, 0xfff0
    la a3, -3
    la a5, 0x1000
    la a0, 0x12345
    la a0, _start + 8
