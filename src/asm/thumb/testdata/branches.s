@ Branches at several distances, forward and backward: 16-bit B and B<cond> at the edges of their
@ reach and just beyond (relaxed to 32 bits), CBZ/CBNZ, BL, BX/BLX, table branches, branches to
@ global symbols (always 32-bit in GNU as) and .n/.w.
        .syntax unified
        .cpu cortex-m3
        .thumb
        .text
        .global _start
        .thumb_func
_start:
        b       near_fwd
        beq     near_fwd
        bne.w   near_fwd
        b.n     near_fwd
        cbz     r0, near_fwd
        cbnz    r7, near_fwd
        bl      helper
        b       global_fn
        bgt     global_fn
near_fwd:
        bcs     cond_edge
        .space  246
cond_edge:
        bcc     cond_over
        .space  254
cond_over:
        b       b_edge
        .space  2040
b_edge:
        b       b_over
        .space  2046
b_over:
        nop
back_near:
        nop
        .space  200
        bmi     back_near
        bpl     back_cond_edge_target
        b       back_near
        .space  8
back_cond_edge_target:
        .space  240
        beq     back_cond_edge_target
        bvs     back_near
        .space  1700
        b       back_near
        b       _start
        bl      _start
        b.w     back_near
        bvc     _start

        .thumb_func
helper:
        tbb     [pc, r0]
table8:
        .byte   (case0 - table8) / 2 + 1
        .byte   (case1 - table8) / 2 + 1
case0:  nop
case1:  tbh     [pc, r1, lsl #1]
table16:
        .short  (case2 - table16) / 2 + 1
        .short  (case3 - table16) / 2 + 1
case2:  nop
case3:  mov     r0, lr
        bx      r0
        blx     r3
        bx      lr

        .global global_fn
        .thumb_func
global_fn:
        bx      lr
