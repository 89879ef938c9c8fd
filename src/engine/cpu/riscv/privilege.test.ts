import { describe, expect, it } from 'vitest';
import type { AddressSpace } from '../../memory.ts';
import * as A from './asm.ts';
import {
  Csr,
  IRQ_MTI,
  IRQ_SEI,
  IRQ_STI,
  MSTATUS_MPP,
  MSTATUS_MPRV,
  MSTATUS_MXR,
  MSTATUS_SIE,
  MSTATUS_SPIE,
  MSTATUS_SPP,
  MSTATUS_SUM,
  MSTATUS_TSR,
  MSTATUS_TVM,
  MSTATUS_TW,
  PTE_A,
  PTE_D,
  PTE_R,
  PTE_U,
  PTE_V,
  PTE_W,
  PTE_X,
} from './csr.ts';
import { BASE, boot, recordingHandler, runToWfi, setMtvec } from './testing.ts';

const { zero, s2, s3, s4, s9, s11, a0, a1, a2, a3, a4, t0, t1, t2, t4, t5, t6 } = A.Reg;
const u32 = (v: number) => v >>> 0;

/** Emit M-mode code that drops to privilege `mode` (0 U, 1 S) at label `target`. */
function enter(p: A.Program, mode: number, target: string): A.Program {
  return p
    .i(A.li(t0, MSTATUS_MPP), A.csrrc(zero, Csr.MSTATUS, t0), A.li(t0, mode << 11), A.csrrs(zero, Csr.MSTATUS, t0))
    .la(t1, target)
    .i(A.csrw(Csr.MEPC, t1), A.mret());
}

/** M-mode handler: halts on an ecall from U/S or an instruction page fault, otherwise skips the instruction. */
function skipOrHalt(p: A.Program): A.Program {
  return p
    .label('trap')
    .i(A.csrr(t5, Csr.MCAUSE), A.li(t4, 8))
    .branch(A.beq, t5, t4, 'halt')
    .i(A.li(t4, 9))
    .branch(A.beq, t5, t4, 'halt')
    .i(A.li(t4, 12))
    .branch(A.beq, t5, t4, 'halt')
    .i(A.csrr(t6, Csr.MEPC), A.addi(t6, t6, 4), A.csrw(Csr.MEPC, t6), A.mret())
    .label('halt')
    .i(A.wfi());
}

describe('S- and U-mode', () => {
  it('delegates an ecall from U-mode to S-mode through medeleg; sret returns to U-mode', () => {
    const { cpu, program, traps } = boot((p) => {
      setMtvec(p);
      setMtvec(p, 'strap', Csr.STVEC);
      p.i(A.li(t0, 1 << 8), A.csrw(Csr.MEDELEG, t0));
      enter(p, 0, 'user')
        .label('user')
        .i(A.ecall())
        .label('user2')
        .i(A.csrr(a0, Csr.MSTATUS)) // illegal in U-mode, not delegated
        .label('strap')
        .i(A.csrr(s2, Csr.SCAUSE), A.csrr(s3, Csr.SEPC), A.csrr(s4, Csr.SSTATUS))
        .i(A.addi(s3, s3, 4), A.csrw(Csr.SEPC, s3), A.sret());
      recordingHandler(p);
    });
    runToWfi(cpu);
    expect(cpu.x[s2]).toBe(8);
    expect(u32(cpu.x[s3])).toBe(program.address('user') + 4);
    expect(cpu.x[s4] & MSTATUS_SPP).toBe(0);
    expect(traps).toEqual([
      { cause: 8, tval: 0, pc: program.address('user') },
      { cause: 2, tval: A.csrr(a0, Csr.MSTATUS), pc: program.address('user2') },
    ]);
    expect((cpu.readCsr(Csr.MSTATUS) & MSTATUS_MPP) >>> 11).toBe(0);
    expect(cpu.privilege).toBe(3);
  });

  it('enforces privilege on mret, sret (TSR), satp and sfence.vma (TVM), WFI (TW) and counters (mcounteren)', () => {
    const { cpu, traps } = boot((p) => {
      setMtvec(p);
      p.i(A.li(t0, MSTATUS_TSR | MSTATUS_TVM | MSTATUS_TW), A.csrrs(zero, Csr.MSTATUS, t0));
      p.i(A.li(t0, 1), A.csrw(Csr.MCOUNTEREN, t0)); // CY only
      enter(p, 1, 'super')
        .label('super')
        .i(A.mret(), A.sret(), A.csrw(Csr.SATP, zero), A.sfenceVma(), A.wfi())
        .i(A.csrr(a0, Csr.CYCLE), A.csrr(a1, Csr.INSTRET), A.csrr(a2, Csr.SSCRATCH), A.csrr(a3, Csr.MSCRATCH), A.ecall());
      skipOrHalt(p);
    });
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([
      [2, A.mret()],
      [2, A.sret()],
      [2, A.csrw(Csr.SATP, zero)],
      [2, A.sfenceVma()],
      [2, A.wfi()],
      [2, A.csrr(a1, Csr.INSTRET)],
      [2, A.csrr(a3, Csr.MSCRATCH)],
      [9, 0],
    ]);
    expect(cpu.x[a0]).toBeGreaterThan(0);
  });

  it('sstatus, sie and sip are masked views of mstatus, mie and mip', () => {
    const { cpu } = boot((p) => p.i(A.wfi()));
    cpu.writeCsr(Csr.SSTATUS, -1);
    // QEMU 7.2's masks: VS (and so SD) is writable without a vector unit
    expect(cpu.readCsr(Csr.MSTATUS)).toBe((MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR | (3 << 9) | 0x8000_0000) >>> 0);
    expect(cpu.readCsr(Csr.SSTATUS)).toBe(0x800c0722);
    cpu.writeCsr(Csr.MSTATUS, -1);
    expect(cpu.readCsr(Csr.MSTATUS)).toBe(0x807e1faa);
    cpu.writeCsr(Csr.MSTATUS, 2 << 11); // MPP = 2 is reserved: QEMU 7.2 keeps it
    expect(cpu.readCsr(Csr.MSTATUS) & MSTATUS_MPP).toBe(2 << 11);
    expect(cpu.readCsr(Csr.MSTATUS) >>> 31).toBe(0); // VS clean again: no SD
    cpu.writeCsr(Csr.MIDELEG, -1);
    expect(cpu.readCsr(Csr.MIDELEG)).toBe(0x2666);
    cpu.writeCsr(Csr.MEDELEG, -1);
    expect(cpu.readCsr(Csr.MEDELEG)).toBe(0xf0bfff);
    cpu.writeCsr(Csr.MIE, -1);
    expect(cpu.readCsr(Csr.MIE)).toBe(0x2eee);
    expect(cpu.readCsr(Csr.SIE)).toBe(0x222); // only the S-level bits show through sie
    cpu.writeCsr(Csr.MIE, 0xaaa);
    cpu.writeCsr(Csr.MIDELEG, 1 << 1);
    expect(cpu.readCsr(Csr.SIE)).toBe(1 << 1);
    cpu.writeCsr(Csr.SIE, 0);
    expect(cpu.readCsr(Csr.MIE)).toBe(0xaa8);
    cpu.writeCsr(Csr.SIP, -1);
    expect(cpu.readCsr(Csr.MIP)).toBe(1 << 1);
    expect(cpu.readCsr(Csr.SIP)).toBe(1 << 1);
    cpu.setInterruptLine(IRQ_SEI, true);
    expect(cpu.readCsr(Csr.MIP)).toBe((1 << 9) | (1 << 1));
    expect(() => cpu.writeCsr(Csr.MHARTID, 1)).toThrow(/not writable/);
  });

  it('mepc keeps every bit; without C, mret to an address that is not 4-byte aligned traps at the mret (QEMU 7.2)', () => {
    const { cpu, program, traps } = boot(
      (p) => setMtvec(p).i(A.li(t0, -1), A.csrw(Csr.MEPC, t0), A.csrr(a0, Csr.MEPC)).la(t1, 'target').i(A.addi(t1, t1, 2), A.csrw(Csr.MEPC, t1)).label('xret').i(A.mret()).label('target').i(A.wfi()).apply(recordingHandler),
      { extensions: 'MASU' },
    );
    runToWfi(cpu);
    expect(u32(cpu.x[a0])).toBe(0xffff_ffff);
    expect(traps.map((t) => [t.cause, t.tval, t.pc])).toEqual([[0, 0, program.address('xret')]]);
    expect(cpu.privilege).toBe(3);
  });

  it('mret with the reserved MPP = 2 raises illegal instruction, as QEMU 7.2 does', () => {
    const { cpu, traps } = boot((p) => setMtvec(p).i(A.li(t0, 2 << 11), A.csrrs(zero, Csr.MSTATUS, t0), A.mret()).apply(recordingHandler));
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, u32(t.tval)])).toEqual([[2, A.mret()]]);
    expect(cpu.privilege).toBe(3);
  });

  it('csrrs/csrrc on mip modify the software bits, not the external SEIP line', () => {
    const { cpu } = boot((p) => p.i(A.csrrsi(a0, Csr.MIP, 2), A.wfi()));
    cpu.setInterruptLine(IRQ_SEI, true);
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(1 << 9);
    cpu.setInterruptLine(IRQ_SEI, false);
    expect(cpu.readCsr(Csr.MIP)).toBe(1 << 1);
  });

  it('takes delegated interrupts in S-mode, never in M-mode; M-level interrupts preempt S-mode regardless of MIE', () => {
    const { cpu, program, traps } = boot((p) => {
      setMtvec(p);
      setMtvec(p, 'strap', Csr.STVEC);
      p.i(A.li(t0, 1 << 5), A.csrw(Csr.MIDELEG, t0), A.li(t0, (1 << 5) | (1 << 7)), A.csrw(Csr.MIE, t0));
      p.i(A.csrrsi(zero, Csr.SSTATUS, MSTATUS_SIE));
      p.label('mspin').i(A.addi(a4, a4, 1), A.csrr(a0, Csr.MSCRATCH)).branch(A.beq, a0, zero, 'mspin');
      enter(p, 1, 'super')
        .label('super')
        .jal(zero, 'super')
        .label('strap')
        .i(A.csrr(s2, Csr.SCAUSE), A.li(t0, 1 << 5), A.csrrc(zero, Csr.SIE, t0))
        .label('sspin')
        .jal(zero, 'sspin');
      p.label('trap').i(A.csrr(s9, Csr.MCAUSE), A.csrw(Csr.MIE, zero), A.wfi());
    });
    cpu.setInterruptLine(IRQ_STI, true); // STIP: delegated, pending while in M-mode
    expect(cpu.run(200)).toBe(200);
    expect(traps).toEqual([]);
    expect(cpu.privilege).toBe(3);
    cpu.writeCsr(Csr.MSCRATCH, 1); // leave the M-mode loop
    cpu.run(200);
    expect(traps[0]).toEqual({ cause: 0x8000_0005, tval: 0, pc: program.address('super') });
    expect(u32(cpu.x[s2])).toBe(0x8000_0005);
    expect(cpu.privilege).toBe(1);
    cpu.setInterruptLine(IRQ_MTI, true); // MTIP, not delegated: taken from S-mode although mstatus.MIE = 0
    runToWfi(cpu);
    expect(u32(cpu.x[s9])).toBe(0x8000_0007);
    expect(traps[1]).toEqual({ cause: 0x8000_0007, tval: 0, pc: program.address('sspin') });
  });
});

describe('Sv32 paging', () => {
  const ROOT = BASE + 0x1_0000;
  const L0 = BASE + 0x1_1000;
  const PAGE0 = BASE + 0x3_0000; // VA 0x4000_0000: supervisor R/W
  const PAGE1 = BASE + 0x3_1000; // VA 0x4000_1000: user R/W
  const PAGE2 = BASE + 0x3_2000; // VA 0x4000_2000: execute only
  const SATP = 0x8000_0000 | (ROOT >>> 12);

  function pte(pa: number, flags: number): number {
    return (((pa >>> 12) << 10) | flags) >>> 0;
  }

  function mapPages(space: AddressSpace): void {
    // identity megapage over RAM (code, page tables, data) for S-mode
    space.store(ROOT + 0x200 * 4, pte(0x8000_0000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D), 4);
    space.store(ROOT + 0x100 * 4, pte(L0, PTE_V), 4);
    space.store(L0 + 0 * 4, pte(PAGE0, PTE_V | PTE_R | PTE_W), 4);
    space.store(L0 + 1 * 4, pte(PAGE1, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D), 4);
    space.store(L0 + 2 * 4, pte(PAGE2, PTE_V | PTE_X | PTE_A), 4);
    space.store(L0 + 4 * 4, pte(PAGE0, PTE_V | PTE_W), 4); // W without R: reserved
  }

  function pagedBoard(mode: number, body: (p: A.Program) => void) {
    const board = boot((p) => {
      setMtvec(p);
      p.i(A.li(t0, SATP), A.csrw(Csr.SATP, t0));
      enter(p, mode, 'lower').label('lower');
      body(p);
      skipOrHalt(p);
    });
    mapPages(board.space);
    return board;
  }

  it('translates S-mode loads and stores, sets A and D, and page-faults on unmapped and reserved PTEs', () => {
    const { cpu, space, traps } = pagedBoard(1, (p) =>
      p.i(
        A.li(t0, 0x4000_0000),
        A.li(t1, 0x55),
        A.sw(t1, t0, 8),
        A.lw(a0, t0, 8),
        A.li(t2, 0x4000_3000),
        A.lw(a1, t2, 0), // no PTE
        A.li(t2, 0x4000_4000),
        A.lw(a2, t2, 0), // W without R
        A.li(t2, 0x0000_1000),
        A.sw(a2, t2, 0), // root entry 0 invalid
        A.ecall(),
      ),
    );
    runToWfi(cpu);
    expect(space.load(PAGE0 + 8, 4)).toBe(0x55);
    expect(cpu.x[a0]).toBe(0x55);
    expect(space.load(L0, 4) & (PTE_A | PTE_D)).toBe(PTE_A | PTE_D);
    expect(traps.map((t) => [t.cause, t.tval])).toEqual([
      [13, 0x4000_3000],
      [13, 0x4000_4000],
      [15, 0x0000_1000],
      [9, 0],
    ]);
  });

  it('checks U, SUM and MXR, and fetches through the page table (execute-only page)', () => {
    const code = [A.addi(a4, zero, 77), A.ecall()];
    const { cpu, space, traps } = pagedBoard(1, (p) =>
      p
        .i(A.li(t0, 0x4000_1000), A.lw(a0, t0, 0)) // user page, SUM clear: fault
        .i(A.li(t1, MSTATUS_SUM), A.csrrs(zero, Csr.SSTATUS, t1), A.lw(a1, t0, 0)) // allowed
        .i(A.li(t0, 0x4000_2000), A.lw(a2, t0, 0)) // execute-only: fault
        .i(A.li(t1, MSTATUS_MXR), A.csrrs(zero, Csr.SSTATUS, t1), A.lw(a3, t0, 0)) // MXR makes it readable
        .i(A.jalr(zero, t0, 0)), // run the code there
    );
    space.store(PAGE1, 0x1111, 4);
    space.store(PAGE2, code[0], 4);
    space.store(PAGE2 + 4, code[1], 4);
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([
      [13, 0x4000_1000],
      [13, 0x4000_2000],
      [9, 0],
    ]);
    expect(traps[2].pc).toBe(0x4000_2004);
    expect(cpu.x[a1]).toBe(0x1111);
    expect(u32(cpu.x[a3])).toBe(code[0]);
    expect(cpu.x[a4]).toBe(77);
  });

  it('U-mode may only touch U pages; fetching from a page without X is an instruction page fault', () => {
    const user = new A.Program(0x4000_1000)
      .i(A.li(t0, 0x4000_0000), A.lw(a0, t0, 0)) // supervisor page: fault
      .i(A.li(t1, 0x4000_1800), A.lw(a1, t1, 0)) // own page: fine
      .i(A.jalr(zero, t0, 0)); // supervisor page without X: instruction page fault
    const { cpu, space, traps } = boot((p) => {
      setMtvec(p);
      p.i(A.li(t0, SATP), A.csrw(Csr.SATP, t0));
      p.i(A.li(t0, MSTATUS_MPP), A.csrrc(zero, Csr.MSTATUS, t0), A.li(t1, 0x4000_1000), A.csrw(Csr.MEPC, t1), A.mret());
      skipOrHalt(p);
    });
    mapPages(space);
    space.store(L0 + 1 * 4, pte(PAGE1, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D), 4);
    space.writeBytes(PAGE1, user.bytes());
    space.store(PAGE1 + 0x800, 0x4242, 4);
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval >>> 0, t.pc])).toEqual([
      [13, 0x4000_0000, 0x4000_1004],
      [12, 0x4000_0000, 0x4000_0000],
    ]);
    expect(cpu.x[a1]).toBe(0x4242);
  });

  it('MPRV makes M-mode loads and stores use the MPP translation', () => {
    const { cpu, space, traps } = boot((p) =>
      setMtvec(p)
        .i(A.li(t0, SATP), A.csrw(Csr.SATP, t0))
        .i(A.li(t0, MSTATUS_MPRV | (1 << 11)), A.csrrs(zero, Csr.MSTATUS, t0))
        .i(A.li(t1, 0x4000_0000), A.lw(a0, t1, 0))
        .i(A.li(t0, MSTATUS_MPRV), A.csrrc(zero, Csr.MSTATUS, t0))
        .i(A.lw(a1, t1, 0)) // physical 0x4000_0000: nothing there
        .apply(recordingHandler),
    );
    mapPages(space);
    space.store(PAGE0, 0xabcd, 4);
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(0xabcd);
    expect(traps.map((t) => [t.cause, t.tval])).toEqual([[5, 0x4000_0000]]);
    expect(cpu.x[s11]).toBe(0x4000_0000);
    expect(cpu.x[s9]).toBe(5);
  });

  // QEMU 7.2 caches no failed walk: a PTE made valid is seen by the next access, sfence.vma or not.
  // The hart remembers the last page fault (so a guest faulting on one page over and over does not
  // walk at every trap); each write below must make it walk again.
  it('a page fault is taken again only while its PTEs stay as they were: a store to one, by the hart or anyone, is seen without sfence.vma', () => {
    const { cpu, space, traps } = pagedBoard(1, (p) =>
      p
        // level-0 PTE (L0 entry 3) invalid: two faults, then the hart makes it valid with sw
        .i(A.li(t0, 0x4000_3000), A.lw(a0, t0, 0), A.lw(a0, t0, 0))
        .i(A.li(t1, L0 + 3 * 4), A.li(t2, pte(PAGE1, PTE_V | PTE_R | PTE_A)), A.sw(t2, t1, 0), A.lw(a0, t0, 0))
        // root PTE (entry 1) invalid: a fault, then a byte store that makes it a valid megapage
        .i(A.li(t0, 0x0040_0000), A.lw(a1, t0, 4), A.li(t1, ROOT + 1 * 4), A.li(t2, PTE_V | PTE_R | PTE_A), A.sb(t2, t1, 0))
        .i(A.lw(a1, t0, 4)) // now translated, to physical 0x4 (the megapage's PPN is 0), where nothing is mapped: an access fault
        // store page fault on a read-only page, then W granted through the PTE
        .i(A.li(t0, 0x4000_5000), A.sw(t0, t0, 0), A.sw(t0, t0, 0), A.ecall()),
    );
    space.store(PAGE1, 0x1234, 4);
    space.store(L0 + 5 * 4, pte(PAGE2, PTE_V | PTE_R | PTE_A), 4);
    // stop before the last store (the hart is in M-mode's handler after the first store fault):
    // then the host writes the PTE, as a debugger or a device would
    while (traps.length < 5) cpu.run(1);
    space.store(L0 + 5 * 4, pte(PAGE2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D), 4);
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([
      [13, 0x4000_3000],
      [13, 0x4000_3000],
      [13, 0x0040_0004],
      [5, 0x0040_0004],
      [15, 0x4000_5000],
      [9, 0],
    ]);
    expect(cpu.x[a0]).toBe(0x1234);
    expect(space.load(PAGE2, 4)).toBe(0x4000_5000);
  });

  it('a PTE the M-mode handler writes (RAM fast path, no translation) is seen when the faulting load runs again', () => {
    const { cpu, space, traps } = boot((p) => {
      setMtvec(p, 'fix');
      p.i(A.li(t1, L0 + 0x80), A.sw(zero, t1, 0)); // a first store opens the store fast path over RAM
      p.i(A.li(t0, SATP), A.csrw(Csr.SATP, t0));
      enter(p, 1, 'lower').label('lower');
      p.i(A.li(t0, 0x4000_3000), A.lw(a0, t0, 0), A.ecall());
      // the handler maps the page and returns to the load (mepc as the trap left it)
      p.label('fix').i(A.csrr(t5, Csr.MCAUSE), A.li(t4, 9)).branch(A.beq, t5, t4, 'halt');
      p.i(A.li(t1, L0 + 3 * 4), A.li(t2, pte(PAGE1, PTE_V | PTE_R | PTE_A)), A.sw(t2, t1, 0), A.mret());
      p.label('halt').i(A.wfi());
    });
    mapPages(space);
    space.store(PAGE1, 0x5678, 4);
    runToWfi(cpu, 10_000);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([
      [13, 0x4000_3000],
      [9, 0],
    ]);
    expect(cpu.x[a0]).toBe(0x5678);
  });

  it('sfence.vma makes a changed PTE take effect', () => {
    const { cpu, space } = pagedBoard(1, (p) =>
      p
        .i(A.li(t0, 0x4000_0000), A.lw(a0, t0, 0))
        .i(A.li(t1, L0), A.li(t2, pte(PAGE1, PTE_V | PTE_R | PTE_A)), A.sw(t2, t1, 0), A.sfenceVma())
        .i(A.lw(a1, t0, 0), A.ecall()),
    );
    space.store(PAGE0, 1, 4);
    space.store(PAGE1, 2, 4);
    runToWfi(cpu);
    expect([cpu.x[a0], cpu.x[a1]]).toEqual([1, 2]);
  });
});

describe('Sv32 accessed and dirty bits follow the permission check', () => {
  // Every test page starts with A = D = 0; what a faulting access leaves in its PTE is checked.
  const ROOT = BASE + 0x1_0000;
  const L0 = BASE + 0x1_1000;
  const PAGE = BASE + 0x3_0000;
  const SATP = 0x8000_0000 | (ROOT >>> 12);
  const VA_SUPER = 0x4000_0000; // supervisor R/W
  const VA_USER = 0x4000_1000; // user R/W
  const VA_READ_ONLY = 0x4000_2000; // supervisor R
  const VA_EXEC_ONLY = 0x4000_3000; // supervisor X
  const VA_USER_CODE = 0x4000_4000; // user R/W/X
  const pteAt = (va: number) => L0 + ((va >>> 12) & 0x3ff) * 4;
  const pte = (pa: number, flags: number) => (((pa >>> 12) << 10) | flags) >>> 0;
  const adBits = (space: AddressSpace, va: number) => space.load(pteAt(va), 4) & (PTE_A | PTE_D);

  function board(build: (p: A.Program) => void) {
    const b = boot((p) => {
      setMtvec(p);
      p.i(A.li(t0, SATP), A.csrw(Csr.SATP, t0));
      build(p);
      skipOrHalt(p);
    });
    const { space } = b;
    space.store(ROOT + 0x200 * 4, pte(0x8000_0000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D), 4);
    space.store(ROOT + 0x100 * 4, pte(L0, PTE_V), 4);
    space.store(pteAt(VA_SUPER), pte(PAGE, PTE_V | PTE_R | PTE_W), 4);
    space.store(pteAt(VA_USER), pte(PAGE, PTE_V | PTE_R | PTE_W | PTE_U), 4);
    space.store(pteAt(VA_READ_ONLY), pte(PAGE, PTE_V | PTE_R), 4);
    space.store(pteAt(VA_EXEC_ONLY), pte(PAGE, PTE_V | PTE_X), 4);
    space.store(pteAt(VA_USER_CODE), pte(PAGE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U), 4);
    return b;
  }

  it('an M-mode store through MPRV (MPP = S) to a user page faults and leaves A and D clear', () => {
    const { cpu, space, traps } = board((p) =>
      p.i(A.li(t0, MSTATUS_MPRV | (1 << 11)), A.csrrs(zero, Csr.MSTATUS, t0), A.li(t1, VA_USER), A.li(t2, 7), A.sw(t2, t1, 0), A.wfi()),
    );
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([[15, VA_USER]]);
    expect(adBits(space, VA_USER)).toBe(0);
    expect(space.load(PAGE, 4)).toBe(0);
  });

  it('S-mode accesses that fault set neither A nor D: store to a read-only page, user pages without SUM, execute-only without MXR, fetch without X', () => {
    const { cpu, space, traps } = board((p) => {
      enter(p, 1, 'super').label('super');
      p.i(A.li(t1, VA_READ_ONLY), A.sw(t1, t1, 0)); // not writable
      p.i(A.li(t1, VA_USER), A.lw(a0, t1, 0), A.sw(t1, t1, 0)); // SUM = 0
      p.i(A.li(t1, VA_EXEC_ONLY), A.lw(a0, t1, 0)); // MXR = 0
      p.i(A.li(t1, VA_SUPER), A.jalr(zero, t1, 0)); // no X: instruction page fault, the handler halts
    });
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([
      [15, VA_READ_ONLY],
      [13, VA_USER],
      [15, VA_USER],
      [13, VA_EXEC_ONLY],
      [12, VA_SUPER],
    ]);
    for (const va of [VA_SUPER, VA_USER, VA_READ_ONLY, VA_EXEC_ONLY]) expect(adBits(space, va)).toBe(0);
  });

  it('U-mode: a load from a supervisor page faults without A; a fetch from a user page sets A only', () => {
    const user = new A.Program(VA_USER_CODE).i(A.li(t0, VA_SUPER), A.lw(a0, t0, 0), A.ecall());
    const { cpu, space, traps } = board((p) =>
      p.i(A.li(t0, MSTATUS_MPP), A.csrrc(zero, Csr.MSTATUS, t0), A.li(t1, VA_USER_CODE), A.csrw(Csr.MEPC, t1), A.mret()),
    );
    space.writeBytes(PAGE, user.bytes());
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([
      [13, VA_SUPER],
      [8, 0],
    ]);
    expect(adBits(space, VA_SUPER)).toBe(0);
    expect(adBits(space, VA_USER_CODE)).toBe(PTE_A);
  });

  it('a store that faults after a load cached the page (A set, D clear) still leaves D clear; the accesses that succeed set A, then D', () => {
    const { cpu, space, traps } = board((p) => {
      enter(p, 1, 'super').label('super');
      p.i(A.li(t0, MSTATUS_SUM), A.csrrs(zero, Csr.SSTATUS, t0), A.li(t1, VA_USER), A.lw(a0, t1, 0)); // SUM = 1: allowed, sets A
      p.i(A.csrrc(zero, Csr.SSTATUS, t0), A.sw(t1, t1, 0)); // SUM = 0: store page fault
      p.i(A.li(t1, VA_SUPER), A.lw(a1, t1, 0)); // sets A
      p.i(A.li(t2, 0x4000_0004), A.sw(t2, t2, 0), A.ecall()); // sets D
    });
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([
      [15, VA_USER],
      [9, 0],
    ]);
    expect(adBits(space, VA_USER)).toBe(PTE_A);
    expect(adBits(space, VA_SUPER)).toBe(PTE_A | PTE_D);
    expect(space.load(PAGE + 4, 4)).toBe(0x4000_0004);
  });
});
