/* Assembly for the conformance harness: the S-mode trap entry (like trap_entry, with sepc,
 * scause, stval, sstatus and sret), the exit trampoline of run_in_mode(), and the mtvec vector
 * table for vectored mode. */
#define FRAME_SIZE 144
#define ECALL_EXIT 0x45584954

    .section .text.s_trap_entry, "ax", @progbits
    .globl s_trap_entry
    .balign 4
s_trap_entry:
    addi    sp, sp, -FRAME_SIZE
    .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sw      x\n, (4*\n)(sp)
    .endr
    addi    t0, sp, FRAME_SIZE
    sw      t0, 8(sp)
    csrr    t0, scause
    sw      t0, 128(sp)
    csrr    t0, stval
    sw      t0, 132(sp)
    csrr    t0, sstatus
    sw      t0, 136(sp)
    csrr    t0, sepc
    sw      t0, 140(sp)
    mv      a0, sp
    call    s_trap_handler
    mv      sp, a0
    lw      t0, 140(sp)
    csrw    sepc, t0
    lw      t0, 136(sp)
    csrw    sstatus, t0
    .irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    lw      x\n, (4*\n)(sp)
    .endr
    lw      sp, 8(sp)
    sret

    .section .text.mode_exit, "ax", @progbits
    .globl mode_exit
    .balign 4
mode_exit:
    li      a7, ECALL_EXIT
    ecall
1:  j       1b

/* Slot n: note n in trap_vector_slot, then the common trap_entry. */
    .macro vector_slot n
    .balign 4
    j       slot_\n
    .endm
    .macro slot_body n
slot_\n:
    addi    sp, sp, -16
    sw      t0, 0(sp)
    sw      t1, 4(sp)
    li      t0, \n
    la      t1, trap_vector_slot
    sw      t0, 0(t1)
    lw      t0, 0(sp)
    lw      t1, 4(sp)
    addi    sp, sp, 16
    j       trap_entry
    .endm

    .section .text.trap_vectors, "ax", @progbits
    .globl trap_vectors
    .balign 64
trap_vectors:
    .option push
    .option norvc
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
    vector_slot \n
    .endr
    .option pop
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
    slot_body \n
    .endr
