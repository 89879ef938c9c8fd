// Snapshots of the hart (RV32_STATE): run a program part way, save, JSON round-trip, load into a
// fresh hart on a copy of the memory, run both to the end and compare everything.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../memory.ts';
import { type SavedState, StateError, loadState, saveState } from '../../state.ts';
import * as A from './asm.ts';
import { Csr, IRQ_MEI, MSTATUS_MPP, PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X } from './csr.ts';
import { Rv32Cpu } from './rv32.ts';
import { BASE, DATA, RAM_SIZE, type Board, boot, runToWfi, setMtvec } from './testing.ts';

const { zero, s0, s2, a0, a1, a7, t0, t1, t2, t3, t4, t5, t6 } = A.Reg;

const ROOT = BASE + 0x1_0000;
const L0 = BASE + 0x1_1000;
const SATP = 0x8000_0000 | (ROOT >>> 12);
const DATA_VA = 0x4000_0000;

/** M-mode trap handler: an ecall with a7 = 1 halts (WFI); other traps count in s2 and skip the instruction. */
function handler(p: A.Program): A.Program {
  return p
    .label('trap')
    .i(A.li(t6, 1))
    .branch(A.beq, a7, t6, 'halt')
    .i(A.addi(s2, s2, 1), A.csrr(t6, Csr.MEPC), A.addi(t6, t6, 4), A.csrw(Csr.MEPC, t6), A.csrr(t5, Csr.MCAUSE), A.csrw(Csr.MSCRATCH, t5), A.mret())
    .label('halt')
    .i(A.wfi());
}

/** The workload: a loop of loads, stores, LR/SC, AMOs, multiplies, CSR reads and ecalls; then halts. */
function workload(p: A.Program, iterations: number, data: number): A.Program {
  return p
    .i(A.li(s0, data), A.li(a0, iterations), A.li(a1, 0x1234_5678))
    .label('loop')
    .i(
      A.lw(t1, s0, 0),
      A.add(t1, t1, a0),
      A.sw(t1, s0, 0),
      A.lrW(t2, s0),
      A.addi(t2, t2, 3),
      A.scW(t3, s0, t2),
      A.add(t4, t4, t3),
      A.amoaddW(t3, s0, a1),
      A.mul(a1, a1, t1),
      A.sb(a1, s0, 8),
      A.csrr(t5, Csr.INSTRET),
      A.sw(t5, s0, 12),
      A.ecall(),
      A.addi(a0, a0, -1),
    )
    .branch(A.bne, a0, zero, 'loop')
    .i(A.li(a7, 1), A.ecall());
}

function pte(pa: number, flags: number): number {
  return (((pa >>> 12) << 10) | flags) >>> 0;
}

/** Boot the workload in M-mode, or in U-mode (optionally with Sv32: an identity user megapage over RAM). */
function bootWorkload(mode: 'machine' | 'user' | 'user-sv32', iterations = 300): Board {
  const board = boot((p) => {
    setMtvec(p);
    if (mode === 'user-sv32') p.i(A.li(t0, SATP), A.csrw(Csr.SATP, t0));
    if (mode !== 'machine') {
      p.i(A.li(t0, MSTATUS_MPP), A.csrrc(zero, Csr.MSTATUS, t0)).la(t1, 'body').i(A.csrw(Csr.MEPC, t1), A.mret());
    }
    p.label('body');
    // under Sv32 the data goes through a 4 KiB user page at VA 0x4000_0000 (backed by DATA)
    workload(p, iterations, mode === 'user-sv32' ? DATA_VA : DATA);
    handler(p);
  });
  board.space.store(ROOT + 0x200 * 4, pte(0x8000_0000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D), 4);
  board.space.store(ROOT + (DATA_VA >>> 22) * 4, pte(L0, PTE_V), 4);
  board.space.store(L0, pte(DATA, PTE_V | PTE_R | PTE_W | PTE_U), 4); // A and D set by the first accesses
  return board;
}

/** A fresh hart on a copy of `board`'s RAM, with `state` (JSON round-tripped) loaded. */
function restoreCopy(board: Board, state: SavedState): { cpu: Rv32Cpu; space: AddressSpace } {
  const space = new AddressSpace('copy');
  space.mapRam('ram', BASE, board.ram.u8.slice().buffer, RAM_SIZE);
  const cpu = new Rv32Cpu(space, { hartId: 0, resetVector: BASE });
  loadState(cpu, JSON.parse(JSON.stringify(state)) as SavedState);
  return { cpu, space };
}

function ramBytes(space: AddressSpace): Buffer {
  const ram = space.findRam(BASE, 4);
  if (ram === undefined) throw new Error('no RAM');
  return Buffer.from(ram.u8);
}

describe('Rv32Cpu state (snapshots)', () => {
  for (const mode of ['machine', 'user', 'user-sv32'] as const) {
    it(`continues exactly after save, JSON round trip and load into a fresh hart (${mode})`, () => {
      // every split point across more than one loop iteration (trap handler included), and a few more
      const splits = [1, 57, 2345, ...Array.from({ length: 45 }, (_, i) => 1000 + i)];
      for (const split of splits) {
        const board = bootWorkload(mode);
        const { cpu } = board;
        // first run the whole program on a twin for the total
        const twin = bootWorkload(mode);
        const total = runToWfi(twin.cpu, 1_000_000);
        expect(total).toBeGreaterThan(split);

        expect(cpu.run(split)).toBe(split);
        const saved = saveState(cpu);
        const savedRam = board.ram.u8.slice();
        expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
        const copy = restoreCopy(board, saved);
        expect(saveState(copy.cpu)).toEqual(saved);

        runToWfi(cpu, 1_000_000);
        runToWfi(copy.cpu, 1_000_000);
        for (const end of [cpu, copy.cpu]) {
          expect(Array.from(end.x)).toEqual(Array.from(twin.cpu.x));
          expect(end.pc).toBe(twin.cpu.pc);
          expect(end.instret).toBe(twin.cpu.instret);
          expect(end.cycles).toBe(twin.cpu.cycles);
          expect(saveState(end)).toEqual(saveState(twin.cpu));
        }
        expect(ramBytes(copy.space).equals(ramBytes(twin.space)), 'RAM of the restored copy').toBe(true);
        expect(ramBytes(board.space).equals(ramBytes(twin.space)), 'RAM of the saved hart').toBe(true);
        // one counted trap per iteration (the last ecall halts), two in U-mode (reading instret traps)
        expect(copy.cpu.x[s2]).toBe(mode === 'machine' ? 300 : 600);

        // rewind the finished hart itself (RAM written behind its back, as Machine.restore does)
        board.ram.u8.set(savedRam);
        loadState(cpu, JSON.parse(JSON.stringify(saved)) as SavedState);
        runToWfi(cpu, 1_000_000);
        expect(saveState(cpu)).toEqual(saveState(twin.cpu));
        expect(ramBytes(board.space).equals(ramBytes(twin.space)), 'RAM of the rewound hart').toBe(true);
      }
    });
  }

  it('saves every CSR, the privilege level, the LR reservation and the WFI latch', () => {
    const { cpu } = boot((p) => p.i(A.li(s0, DATA), A.lrW(a0, s0), A.wfi()));
    cpu.writeCsr(Csr.MSCRATCH, 0xdead_beef);
    cpu.writeCsr(Csr.SATP, SATP);
    cpu.writeCsr(Csr.STVEC, 0x8000_0101);
    cpu.writeCsr(Csr.MIE, 0x888);
    cpu.writeCsr(Csr.MIP, 0x2);
    cpu.writeCsr(Csr.MEDELEG, 0x100);
    cpu.writeCsr(Csr.PMPADDR0 + 3, 0x1234);
    cpu.writeCsr(Csr.MINSTRETH, 7);
    runToWfi(cpu);
    const saved = saveState(cpu);
    expect(saved.fields).toMatchObject({
      mscratch: 0xdead_beef | 0,
      satp: SATP | 0,
      stvec: 0x8000_0101 | 0,
      mie: 0x888,
      mipSw: 0x2,
      medeleg: 0x100,
      waitingForInterrupt: true,
      resValid: true,
      resVa: DATA,
      privMode: 3,
    });
    expect((saved.fields.pmpaddr as number[])[3]).toBe(0x1234);
    expect(saved.fields.instret as number).toBeGreaterThan(7 * 2 ** 32);
    const space = new AddressSpace('copy');
    space.mapRam('ram', BASE, new ArrayBuffer(RAM_SIZE), RAM_SIZE);
    const fresh = new Rv32Cpu(space, { hartId: 0, resetVector: BASE });
    loadState(fresh, JSON.parse(JSON.stringify(saved)) as SavedState);
    expect(fresh.readCsr(Csr.MSCRATCH)).toBe(0xdead_beef);
    expect(fresh.readCsr(Csr.SATP)).toBe(SATP >>> 0);
    expect(fresh.readCsr(Csr.MINSTRETH)).toBe(7);
    expect(fresh.waitingForInterrupt).toBe(true);
    expect(fresh.readCsr(Csr.MIP)).toBe(0x2);
    expect(fresh.run(10)).toBe(0); // still asleep: SSIP is pending but not enabled
  });

  it('does not save the external interrupt lines; a device re-driving them wakes a restored WFI', () => {
    const { cpu } = boot((p) => p.i(A.wfi(), A.li(a0, 5), A.wfi()));
    cpu.writeCsr(Csr.MIE, 1 << 11);
    runToWfi(cpu);
    cpu.setInterruptLine(IRQ_MEI, true);
    const saved = saveState(cpu);
    const space = new AddressSpace('copy');
    space.mapRam('ram', BASE, new ArrayBuffer(RAM_SIZE), RAM_SIZE);
    const fresh = new Rv32Cpu(space, { hartId: 0, resetVector: BASE });
    loadState(fresh, saved);
    expect(fresh.readCsr(Csr.MIP)).toBe(0);
    fresh.setInterruptLine(IRQ_MEI, true);
    expect(fresh.readCsr(Csr.MIP)).toBe(1 << 11);
  });

  it('refuses a privilege level the hart does not have and bad counters, leaving the hart unchanged', () => {
    const { cpu } = boot((p) => p.i(A.wfi()), { extensions: 'MAC' });
    const saved = saveState(cpu);
    expect(() => loadState(cpu, { ...saved, fields: { ...saved.fields, privMode: 0 } })).toThrow(StateError);
    expect(() => loadState(cpu, { ...saved, fields: { ...saved.fields, privMode: 2 } })).toThrow(/privMode/);
    expect(() => loadState(cpu, { ...saved, fields: { ...saved.fields, instret: -1 } })).toThrow(/instret/);
    expect(() => loadState(cpu, { ...saved, fields: { ...saved.fields, cycles: 0.5 } })).toThrow(/cycles/);
    expect(() => loadState(cpu, { ...saved, fields: { ...saved.fields, x: [1, 2] } })).toThrow(/exactly 32/);
    expect(saveState(cpu)).toEqual(saved);
  });
});
