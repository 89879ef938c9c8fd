// The exactness scenarios of #16 point 2, each run on both tiers with the same expectations: the
// expected values follow from the programs (and the documented rules of the contract), so the
// compiling tier has to meet exactly what the interpreter meets. Harts compile a page at its first
// entry (jitThreshold 0), and every loop here runs long enough to be compiled code.
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionTier } from '../cpu/contract.ts';
import {
  Program,
  Reg,
  add,
  addi,
  bne,
  cNop,
  csrr,
  csrrs,
  csrrsi,
  csrw,
  ebreak,
  ecall,
  fenceI,
  jalr,
  li,
  lui,
  lw,
  mret,
  sfenceVma,
  slli,
  sw,
} from '../cpu/riscv/asm.ts';
import { CAUSE_INTERRUPT, Cause, Csr, IRQ_MEI, IRQ_MTI, MIP_MEIP, MIP_MTIP, MSTATUS_MIE, PTE_A, PTE_D, PTE_R, PTE_V, PTE_W, PTE_X, SATP_MODE_SV32 } from '../cpu/riscv/csr.ts';
import { boardFromMachineType, resolveBoard } from '../../graph/index.ts';
import { Machine } from '../machine.ts';
import { loadState, saveState } from '../state.ts';
import type { TrapEvent } from '../trap-events.ts';
import { DEVICE, LAYOUT } from './testing/program-generator.ts';
import { type TierBoard, type TierBoardOptions, TIERS, createTierBoard, firstDifference, tiersOf } from './testing/tier-board.ts';
import { riscvCore } from '../cpu/riscv/index.ts';

const BASE = LAYOUT.ramBase;
const DEVICE_BASE = LAYOUT.device;
const UNMAPPED = LAYOUT.unmapped;
/** A word of data in RAM the programs use. */
const DATA = BASE + 0x6000;

const otherTier = (tier: ExecutionTier): ExecutionTier => (tier === 'interp' ? 'jit' : 'interp');

interface Booted extends TierBoard {
  p: Program;
  at: (label: string) => number;
}

/** The boards the current test booted: on the compiling tier, some must have run compiled code. */
const booted: TierBoard[] = [];

/**
 * A scenario on the 'jit' tier that never ran compiled code would prove nothing: fail it, once the
 * hart can compile (a machine's harts cannot until its RAM comes from the guest arena: they say so
 * in `unavailable`).
 */
function expectCompiledCode(tier: ExecutionTier, cpus: readonly TierBoard['cpu'][]): void {
  if (tier !== 'jit' || cpus.every((cpu) => tiersOf(cpu) === undefined || tiersOf(cpu)?.unavailable !== undefined)) return;
  const compiled = cpus.reduce((sum, cpu) => sum + (tiersOf(cpu)?.stats().compiledInstructions ?? 0), 0);
  expect(compiled, 'instructions run by compiled code').toBeGreaterThan(0);
}

function boot(tier: ExecutionTier, build: (p: Program) => void, options: TierBoardOptions = {}, poke?: (board: TierBoard) => void): Booted {
  const p = new Program(BASE);
  build(p);
  const board = createTierBoard(tier, p.bytes(), options);
  booted.push(board);
  poke?.(board);
  return { ...board, p, at: (label) => p.address(label) };
}

/** run() in chunks of `chunk` until `total` instructions ran or the hart makes no progress; how many ran. */
function runFor(board: TierBoard, total: number, chunk = total): number {
  let done = 0;
  while (done < total) {
    const n = board.cpu.run(Math.min(chunk, total - done));
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** mtvec = `handler` (clobbers t0). */
function trapsTo(p: Program, handler: string): void {
  p.la(Reg.t0, handler);
  p.i(csrw(Csr.MTVEC, Reg.t0));
}

/** The counting loop most scenarios use: a0 += 1, a1 += 3 forever, after one setup instruction. */
function countingLoop(p: Program): void {
  p.i(li(Reg.a0, 0));
  p.label('loop');
  p.i(addi(Reg.a0, Reg.a0, 1), addi(Reg.a1, Reg.a1, 3));
  p.jal(0, 'loop');
}

/** Where the counting loop is after `steps` instructions: pc, a0, a1. */
function countingLoopAfter(steps: number, loop: number): { pc: number; a0: number; a1: number } {
  const iterations = Math.floor((steps - 1) / 3);
  const into = (steps - 1) % 3;
  return { pc: loop + 4 * into, a0: iterations + (into >= 1 ? 1 : 0), a1: 3 * (iterations + (into >= 2 ? 1 : 0)) };
}

const MOVING_ITERATIONS = 1200;
const MOVING_IN_RAM = 1000;

/**
 * `body` (on tp) in a loop of MOVING_ITERATIONS, tp at DATA for the first MOVING_IN_RAM of them and then at the
 * device; the loop's other instructions: a countdown to the move (addi, bne, the move once) and the
 * loop's own (addi, bne).
 */
function loopMovingToTheDevice(p: Program, ...body: number[]): void {
  p.i(li(Reg.s3, MOVING_ITERATIONS), li(Reg.s4, MOVING_IN_RAM), li(Reg.s2, 0), li(Reg.tp, DATA), li(Reg.s5, DEVICE_BASE));
  p.label('loop');
  p.i(...body, addi(Reg.s4, Reg.s4, -1));
  p.branch(bne, Reg.s4, 0, 'skip');
  p.i(addi(Reg.tp, Reg.s5, 0));
  p.label('skip');
  p.i(addi(Reg.s3, Reg.s3, -1));
  p.branch(bne, Reg.s3, 0, 'loop');
  p.label('done');
  p.jal(0, 'done');
}

describe.each(TIERS)('on the %s tier', (tier) => {
  afterEach(() => {
    expectCompiledCode(tier, booted.filter((b) => b.tier === tier).map((b) => b.cpu));
    booted.length = 0;
  });

  it('a run budget stops mid-loop at exactly the instruction it counts to', () => {
    const board = boot(tier, countingLoop);
    let steps = 0;
    for (const budget of [1, 2, 1, 1000, 1, 5, 3, 7, 2999, 1, 4, 10_000]) {
      expect(board.cpu.run(budget)).toBe(budget);
      steps += budget;
      const expected = countingLoopAfter(steps, board.at('loop'));
      expect({ pc: board.cpu.pc, a0: board.cpu.x[Reg.a0], a1: board.cpu.x[Reg.a1], instret: board.cpu.instret }).toEqual({ ...expected, instret: steps });
      expect(board.cpu.retiredNow()).toBe(steps);
    }
  });

  it('takes an interrupt a device raises in a hot loop right after the store that raised it', () => {
    const RAISE_AT = 500;
    const board = boot(tier, (p) => {
      trapsTo(p, 'handler');
      p.i(li(Reg.t0, MIP_MEIP), csrw(Csr.MIE, Reg.t0), csrrsi(0, Csr.MSTATUS, MSTATUS_MIE));
      p.i(li(Reg.tp, DEVICE_BASE), li(Reg.a1, RAISE_AT), li(Reg.t1, 1), li(Reg.a0, 0));
      p.label('loop');
      p.i(addi(Reg.a0, Reg.a0, 1));
      p.branch(bne, Reg.a0, Reg.a1, 'skip');
      p.i(sw(Reg.t1, Reg.tp, DEVICE.raise));
      p.label('after');
      p.label('skip');
      p.i(addi(Reg.a2, Reg.a2, 1));
      p.jal(0, 'loop');
      p.label('handler');
      p.i(csrr(Reg.s0, Csr.MEPC), csrr(Reg.s1, Csr.MINSTRET), sw(0, Reg.tp, DEVICE.ack), mret());
    });
    const setup = (board.at('loop') - BASE) / 4;
    runFor(board, 20_000, 777);
    // RAISE_AT - 1 iterations of 4 instructions, then addi, bne (not taken), sw
    const retiredAtRaise = setup + (RAISE_AT - 1) * 4 + 2;
    expect(board.device.log[0]).toEqual({ write: true, offset: DEVICE.raise, value: 1, size: 4, instret: retiredAtRaise });
    expect(board.traps).toEqual([{ kind: 'interrupt', cause: (CAUSE_INTERRUPT | IRQ_MEI) >>> 0, pc: board.at('after'), value: 0, instret: retiredAtRaise + 1 }]);
    expect(board.cpu.x[Reg.s0] >>> 0).toBe(board.at('after'));
    expect(board.cpu.x[Reg.s1]).toBe(retiredAtRaise + 2); // minstret read by the handler's second instruction
    expect(board.device.log[1]).toMatchObject({ write: true, offset: DEVICE.ack, instret: retiredAtRaise + 1 + 2 });
  });

  it('takes a timer interrupt raised between runs at the first instruction of the next run, wherever the loop stopped', () => {
    const board = boot(tier, (p) => {
      trapsTo(p, 'handler');
      p.i(li(Reg.t0, MIP_MTIP), csrw(Csr.MIE, Reg.t0), csrrsi(0, Csr.MSTATUS, MSTATUS_MIE), li(Reg.tp, DEVICE_BASE));
      p.label('start');
      countingLoop(p);
      p.label('handler');
      p.i(sw(0, Reg.tp, DEVICE.ack), mret());
    });
    const setup = (board.at('start') - BASE) / 4;
    let loopSteps = 0;
    let retired = setup;
    expect(board.cpu.run(setup)).toBe(setup);
    const expectedTraps: unknown[] = [];
    for (const budget of [3000, 1, 2, 2, 1000, 4001]) {
      expect(board.cpu.run(budget)).toBe(budget);
      retired += budget;
      loopSteps += budget;
      const stoppedAt = board.cpu.pc;
      expect(stoppedAt).toBe(countingLoopAfter(loopSteps, board.at('loop')).pc);
      board.device.raise(2); // mtip
      expectedTraps.push({ kind: 'interrupt', cause: (CAUSE_INTERRUPT | IRQ_MTI) >>> 0, pc: stoppedAt, value: 0, instret: retired });
      expect(board.cpu.run(2)).toBe(2); // the handler's two instructions
      retired += 2;
      expect(board.cpu.pc).toBe(stoppedAt);
    }
    expect(board.traps).toEqual(expectedTraps);
  });

  it('leaves the same state after access faults, misaligned accesses, ecall, ebreak and illegal instructions in a hot loop', () => {
    const ITERATIONS = 10;
    const board = boot(
      tier,
      (p) => {
        trapsTo(p, 'handler');
        p.i(li(Reg.s1, UNMAPPED), li(Reg.s2, DATA), li(Reg.s3, ITERATIONS), li(Reg.s4, 0));
        p.label('loop');
        p.label('load').i(lw(Reg.a0, Reg.s1, 0));
        p.label('store').i(sw(Reg.a0, Reg.s1, 8));
        p.i(lw(Reg.a1, Reg.s2, 1), add(Reg.s4, Reg.s4, Reg.a1), sw(Reg.a1, Reg.s2, 9)); // misaligned: done, as QEMU does
        p.label('ecall').i(ecall());
        p.label('ebreak').i(ebreak());
        p.label('illegal').i(0x0000_000b);
        p.i(addi(Reg.s3, Reg.s3, -1));
        p.branch(bne, Reg.s3, 0, 'loop');
        p.label('done');
        p.jal(0, 'done');
        p.label('handler');
        p.i(csrr(Reg.t6, Csr.MEPC), addi(Reg.t6, Reg.t6, 4), csrw(Csr.MEPC, Reg.t6), mret());
      },
      {},
      (b) => b.space.writeBytes(DATA, new Uint8Array([0x11, 0x22, 0x33, 0x44, 0x55])),
    );
    const misaligned: unknown[] = [];
    board.cpu.onMisalignedAccess = (access, address, size) => misaligned.push([access, address, size]);
    const setup = (board.at('loop') - BASE) / 4;
    runFor(board, 5000, 13);
    expect(board.cpu.pc).toBe(board.at('done'));
    expect(board.cpu.x[Reg.s4]).toBe(Math.imul(ITERATIONS, 0x5544_3322));
    expect(misaligned).toEqual(Array.from({ length: ITERATIONS }, () => [['load', DATA + 1, 4], ['store', DATA + 9, 4]]).flat());
    expect([...board.ram.u8.subarray(DATA + 9 - BASE, DATA + 13 - BASE)]).toEqual([0x22, 0x33, 0x44, 0x55]);
    // per iteration: 5 instructions retire, 5 trap (retiring nothing) into the 4-instruction handler
    const expected: unknown[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const start = setup + i * (5 + 5 * 4);
      expected.push(
        { kind: 'access-fault', cause: Cause.LOAD_ACCESS_FAULT, pc: board.at('load'), value: UNMAPPED, instret: start },
        { kind: 'access-fault', cause: Cause.STORE_ACCESS_FAULT, pc: board.at('store'), value: UNMAPPED + 8, instret: start + 4 },
        { kind: 'environment-call', cause: Cause.ECALL_FROM_M, pc: board.at('ecall'), value: 0, instret: start + 11 },
        // ebreak leaves mtval 0, as QEMU 7.2 does
        { kind: 'breakpoint', cause: Cause.BREAKPOINT, pc: board.at('ebreak'), value: 0, instret: start + 15 },
        { kind: 'illegal-instruction', cause: Cause.ILLEGAL_INSTRUCTION, pc: board.at('illegal'), value: 0x0000_000b, instret: start + 19 },
      );
    }
    expect(board.traps).toEqual(expected);
    // mcycle counts the trapping instructions too
    expect(board.cpu.cycles - board.cpu.instret).toBe(5 * ITERATIONS);
  });

  it('traps a jump to an address that is 2 mod 4 on a hart without C at the jump, leaving its link register alone', () => {
    const ITERATIONS = 10;
    const board = boot(
      tier,
      (p) => {
        trapsTo(p, 'handler');
        p.i(li(Reg.s3, ITERATIONS));
        p.label('loop');
        p.la(Reg.t0, 'target');
        p.label('jump').i(jalr(Reg.ra, Reg.t0, 2));
        p.i(addi(Reg.s3, Reg.s3, -1));
        p.branch(bne, Reg.s3, 0, 'loop');
        p.label('done');
        p.jal(0, 'done');
        p.label('target').i(addi(Reg.a0, Reg.a0, 1), addi(Reg.a0, Reg.a0, 1));
        p.label('handler');
        p.i(csrr(Reg.t6, Csr.MEPC), addi(Reg.t6, Reg.t6, 4), csrw(Csr.MEPC, Reg.t6), mret());
      },
      { extensions: 'MASU' },
    );
    const setup = (board.at('loop') - BASE) / 4;
    runFor(board, 1000, 9);
    expect(board.cpu.pc).toBe(board.at('done'));
    expect([board.cpu.x[Reg.ra], board.cpu.x[Reg.a0]]).toEqual([0, 0]);
    // per iteration: la (2), the jump traps into the 4-instruction handler, addi, bne
    expect(board.traps).toEqual(
      Array.from({ length: ITERATIONS }, (_, i) => ({ kind: 'misaligned', cause: Cause.INSTRUCTION_MISALIGNED, pc: board.at('jump'), value: board.at('target') + 2, instret: setup + i * 8 + 2 })),
    );
  });

  it.each([
    ['with fence.i', true],
    ['without fence.i', false],
  ])('runs code a hot loop stores into itself, %s', (_, withFence) => {
    const ITERATIONS = 40;
    const board = boot(tier, (p) => {
      p.i(li(Reg.s3, ITERATIONS), li(Reg.a0, 0), li(Reg.t1, addi(Reg.a0, Reg.a0, 0)));
      p.label('loop');
      p.i(slli(Reg.t0, Reg.s3, 20), add(Reg.t0, Reg.t0, Reg.t1));
      p.la(Reg.t2, 'patch');
      p.i(sw(Reg.t0, Reg.t2, 0));
      if (withFence) p.i(fenceI());
      p.label('patch').i(addi(Reg.a0, Reg.a0, 0));
      // and one on the next page, reached by a call
      p.la(Reg.t2, 'far');
      p.i(sw(Reg.t0, Reg.t2, 0));
      if (withFence) p.i(fenceI());
      p.i(jalr(Reg.ra, Reg.t2, 0));
      p.i(addi(Reg.s3, Reg.s3, -1));
      p.branch(bne, Reg.s3, 0, 'loop');
      p.label('done');
      p.jal(0, 'done');
      p.org(BASE + 0x1000);
      p.label('far').i(addi(Reg.a0, Reg.a0, 0), jalr(0, Reg.ra, 0));
    });
    runFor(board, 100_000, 333);
    expect(board.cpu.pc).toBe(board.at('done'));
    // each iteration adds its counter twice: 2 * (40 + 39 + ... + 1)
    expect(board.cpu.x[Reg.a0]).toBe(ITERATIONS * (ITERATIONS + 1));
  });

  it('does MMIO loads and stores in hot code in order, each at its instruction', () => {
    const ITERATIONS = 50;
    const board = boot(tier, (p) => {
      p.i(li(Reg.tp, DEVICE_BASE), li(Reg.s3, ITERATIONS), li(Reg.s2, 0));
      p.label('loop');
      p.i(lw(Reg.a0, Reg.tp, 0), sw(Reg.a0, Reg.tp, 4), add(Reg.s2, Reg.s2, Reg.a0), addi(Reg.s3, Reg.s3, -1));
      p.branch(bne, Reg.s3, 0, 'loop');
      p.label('done');
      p.jal(0, 'done');
    });
    const setup = (board.at('loop') - BASE) / 4;
    runFor(board, 5000, 7);
    const expected: unknown[] = [];
    let sum = 0;
    for (let k = 1; k <= ITERATIONS; k++) {
      // the device's data reads: the bytes (zero at offset 0) mixed with the count of reads
      const value = Math.imul(k, 0x9e37_79b9) >>> 0;
      sum = (sum + value) | 0;
      const at = setup + (k - 1) * 5;
      expected.push({ write: false, offset: 0, value, size: 4, instret: at }, { write: true, offset: 4, value, size: 4, instret: at + 1 });
    }
    expect(board.device.log).toEqual(expected);
    expect(board.cpu.x[Reg.s2]).toBe(sum);
  });

  it('does a load and a store compiled while they hit RAM at their instructions when they reach a device later', () => {
    // compiled at its first entry, the loop's load and store have only hit RAM: compiled code leaves
    // before either when it misses the RAM window, and the interpreter does the access
    const board = boot(tier, (p) => loopMovingToTheDevice(p, lw(Reg.a0, Reg.tp, 0), sw(Reg.a0, Reg.tp, 4), add(Reg.s2, Reg.s2, Reg.a0)));
    const setup = (board.at('loop') - BASE) / 4;
    runFor(board, 7 * MOVING_ITERATIONS + 1 + setup, 101);
    expect(board.cpu.pc).toBe(board.at('done'));
    const expected: unknown[] = [];
    let sum = 0;
    for (let i = MOVING_IN_RAM + 1; i <= MOVING_ITERATIONS; i++) {
      // the device's data reads: the bytes (zero at offset 0) mixed with the count of reads; RAM held zeros
      const value = Math.imul(i - MOVING_IN_RAM, 0x9e37_79b9) >>> 0;
      sum = (sum + value) | 0;
      // seven instructions an iteration, and the move to the device once
      const at = setup + 7 * (i - 1) + 1;
      expected.push({ write: false, offset: 0, value, size: 4, instret: at }, { write: true, offset: 4, value, size: 4, instret: at + 1 });
    }
    expect(board.device.log).toEqual(expected);
    expect(board.cpu.x[Reg.s2]).toBe(sum);
    expect(board.cpu.instret).toBe(7 * MOVING_ITERATIONS + 1 + setup);
    if (tier === 'jit') {
      // the first miss marked the load as a slow access: its code was dropped and compiled again, with a helper call there
      const stats = tiersOf(board.cpu)!.stats();
      expect(stats.dropped).toBeGreaterThanOrEqual(1);
      expect(stats.compiled).toBeGreaterThanOrEqual(2);
    }
  });

  it('runs a hot loop over RAM outside the guest arena in compiled code, its loads and stores through helpers', () => {
    const PRIVATE_RAM = 0x9000_0000;
    const ITERATIONS = 2000;
    const board = boot(
      tier,
      (p) => {
        p.i(li(Reg.s3, ITERATIONS), li(Reg.tp, PRIVATE_RAM));
        p.label('loop');
        p.i(lw(Reg.a0, Reg.tp, 0), addi(Reg.a0, Reg.a0, 1), sw(Reg.a0, Reg.tp, 0), addi(Reg.s3, Reg.s3, -1));
        p.branch(bne, Reg.s3, 0, 'loop');
        p.label('done');
        p.jal(0, 'done');
      },
      {},
      // RAM the compiled code's windows never reach (a memory with shared: false)
      (b) => b.space.mapRam('private', PRIVATE_RAM, new ArrayBuffer(4096), 4096),
    );
    const setup = (board.at('loop') - BASE) / 4;
    runFor(board, setup + 5 * ITERATIONS, 997);
    expect(board.cpu.pc).toBe(board.at('done'));
    expect(board.space.load(PRIVATE_RAM, 4)).toBe(ITERATIONS);
    // leaving compiled code at each access would leave almost every instruction to the interpreter
    if (tier === 'jit') expect(tiersOf(board.cpu)!.stats().compiledInstructions).toBeGreaterThan(0.9 * 5 * ITERATIONS);
  });

  it('does a store compiled while it hit RAM at its instruction when it reaches a device later', () => {
    const board = boot(tier, (p) => loopMovingToTheDevice(p, sw(Reg.s2, Reg.tp, 4), addi(Reg.s2, Reg.s2, 1)));
    const setup = (board.at('loop') - BASE) / 4;
    runFor(board, 6 * MOVING_ITERATIONS + 1 + setup, 101);
    expect(board.cpu.pc).toBe(board.at('done'));
    const expected: unknown[] = [];
    // six instructions an iteration, and the move to the device once
    for (let i = MOVING_IN_RAM + 1; i <= MOVING_ITERATIONS; i++) expected.push({ write: true, offset: 4, value: i - 1, size: 4, instret: setup + 6 * (i - 1) + 1 });
    expect(board.device.log).toEqual(expected);
    expect(board.cpu.x[Reg.s2]).toBe(MOVING_ITERATIONS);
    expect(board.cpu.instret).toBe(6 * MOVING_ITERATIONS + 1 + setup);
  });

  it.each([
    ['with C: a 32-bit instruction straddles the boundary', 'MACSU'],
    ['without C', 'MASU'],
  ])('runs a hot loop that crosses a page boundary, %s', (_, extensions) => {
    const ITERATIONS = 300;
    const board = boot(
      tier,
      (p) => {
        p.i(li(Reg.s3, ITERATIONS), li(Reg.a0, 0), li(Reg.a1, 0));
        p.jal(0, 'loop');
        p.org(BASE + 0x0ff0);
        p.label('loop');
        p.i(addi(Reg.a0, Reg.a0, 1), addi(Reg.a1, Reg.a1, 2), addi(Reg.a1, Reg.a1, 3));
        if (extensions.includes('C')) p.c(cNop()); // the next instruction starts at 0x...ffe
        p.label('straddle').i(lui(Reg.a2, 0x12345000));
        p.i(add(Reg.a3, Reg.a3, Reg.a2), addi(Reg.s3, Reg.s3, -1));
        p.branch(bne, Reg.s3, 0, 'loop');
        p.label('done');
        p.jal(0, 'done');
      },
      { extensions },
    );
    if (extensions.includes('C')) expect(board.at('straddle')).toBe(BASE + 0x0ffe);
    // the setup's four instructions, then the loop's 8 (7 without the c.nop) per iteration
    expect(runFor(board, 4 + ITERATIONS * (extensions.includes('C') ? 8 : 7), 101)).toBe(board.cpu.instret);
    expect(board.cpu.pc).toBe(board.at('done'));
    expect([board.cpu.x[Reg.a0], board.cpu.x[Reg.a1], board.cpu.x[Reg.a3]]).toEqual([ITERATIONS, 5 * ITERATIONS, Math.imul(ITERATIONS, 0x12345000)]);
  });

  it('stops at a breakpoint set in compiled code and single-steps through it', () => {
    const board = boot(tier, countingLoop);
    const loop = board.at('loop');
    expect(board.cpu.run(3001)).toBe(3001); // 1000 iterations: the loop is hot
    board.cpu.breakpoints.add(loop + 4);
    // from the loop head: one instruction to the breakpoint
    expect(board.cpu.run(10_000)).toBe(1);
    expect([board.cpu.stoppedAtBreakpoint, board.cpu.pc, board.cpu.instret]).toEqual([true, loop + 4, 3002]);
    // continuing from a stop runs the instruction there; single steps go on in the loop
    const pcs: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(board.cpu.run(1)).toBe(1);
      pcs.push(board.cpu.pc);
    }
    expect(pcs).toEqual([loop + 8, loop, loop + 4]);
    // a step arrived at the breakpoint: the next run stops there without executing
    expect(board.cpu.run(1)).toBe(0);
    expect(board.cpu.stoppedAtBreakpoint).toBe(true);
    expect(board.cpu.run(1)).toBe(1);
    expect(board.cpu.pc).toBe(loop + 8);
    // a full loop round from here stops at the breakpoint again
    expect(board.cpu.run(10_000)).toBe(2);
    expect(board.cpu.pc).toBe(loop + 4);
    board.cpu.breakpoints.clear();
    expect(board.cpu.run(3000)).toBe(3000);
    expect({ pc: board.cpu.pc, a0: board.cpu.x[Reg.a0], a1: board.cpu.x[Reg.a1] }).toEqual(countingLoopAfter(board.cpu.instret, loop));
  });

  it('pages under Sv32 in compiled code: faults, mapping, unmapping, satp changes and sfence.vma', () => {
    const ROOT_A = BASE + 0x8000;
    const L1_A = BASE + 0x9000;
    const ROOT_B = BASE + 0xa000;
    const L1_B = BASE + 0xb000;
    const PAGE_X = BASE + 0xc000;
    const PAGE_Y = BASE + 0xd000;
    const PAGE_Z = BASE + 0xe000;
    const VA = 0x4000_0000;
    const VA_NONE = 0x5000_0000;
    const LEAF = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D;
    const pte = (pa: number, flags: number) => (((pa >>> 12) << 10) | flags) >>> 0;
    const word = (v: number) => new Uint8Array(new Uint32Array([v]).buffer);
    const N = 20;
    const board = boot(
      tier,
      (p) => {
        // M-mode: the handler, satp = root A, then mret into S-mode at smain
        trapsTo(p, 'mhandler');
        p.i(li(Reg.t0, (SATP_MODE_SV32 | (ROOT_A >>> 12)) | 0), csrw(Csr.SATP, Reg.t0));
        p.i(li(Reg.t0, 1 << 11), csrrs(0, Csr.MSTATUS, Reg.t0)); // MPP = S
        p.la(Reg.t0, 'smain');
        p.i(csrw(Csr.MEPC, Reg.t0), mret());
        p.label('smain');
        p.i(li(Reg.s1, VA), li(Reg.s2, 0));
        const sumLoop = (name: string) => {
          p.i(li(Reg.s3, N));
          p.label(name).i(lw(Reg.a0, Reg.s1, 0));
          p.i(add(Reg.s2, Reg.s2, Reg.a0), addi(Reg.s3, Reg.s3, -1));
          p.branch(bne, Reg.s3, 0, name);
        };
        sumLoop('loop1'); // faults once: the handler maps VA to PAGE_X
        p.i(li(Reg.t1, L1_A), sw(0, Reg.t1, 0), sfenceVma()); // unmap
        sumLoop('loop2'); // faults once: the handler maps VA to PAGE_Y
        p.i(li(Reg.t1, (SATP_MODE_SV32 | (ROOT_B >>> 12)) | 0), csrw(Csr.SATP, Reg.t1), sfenceVma());
        sumLoop('loop3'); // root B maps VA to PAGE_Z, read-only
        p.label('rostore').i(sw(Reg.a0, Reg.s1, 0));
        p.i(li(Reg.t1, VA_NONE));
        p.label('fetch').i(jalr(Reg.ra, Reg.t1, 0));
        p.label('ecall').i(ecall());
        p.label('done');
        p.jal(0, 'done');
        // M-mode handler: load page faults map VA (PAGE_X, then PAGE_Y); fetch faults return to ra; the rest are skipped
        p.label('mhandler');
        p.i(csrr(Reg.t6, Csr.MCAUSE), li(Reg.t5, Cause.LOAD_PAGE_FAULT));
        p.branch(bne, Reg.t6, Reg.t5, 'notload');
        p.i(addi(Reg.tp, Reg.tp, 1), li(Reg.t6, pte(PAGE_X, LEAF)), li(Reg.t5, 1));
        p.branch(bne, Reg.tp, Reg.t5, 'second');
        p.label('map').i(li(Reg.t5, L1_A), sw(Reg.t6, Reg.t5, 0), sfenceVma(), mret());
        p.label('second').i(li(Reg.t6, pte(PAGE_Y, LEAF)));
        p.jal(0, 'map');
        p.label('notload').i(li(Reg.t5, Cause.INSTRUCTION_PAGE_FAULT));
        p.branch(bne, Reg.t6, Reg.t5, 'skip');
        p.i(csrw(Csr.MEPC, Reg.ra), mret());
        p.label('skip').i(csrr(Reg.t6, Csr.MEPC), addi(Reg.t6, Reg.t6, 4), csrw(Csr.MEPC, Reg.t6), mret());
      },
      {},
      (b) => {
        const megapage = pte(BASE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D); // VA 0x80000000 = PA, 4 MiB
        for (const [root, l1] of [[ROOT_A, L1_A], [ROOT_B, L1_B]]) {
          b.space.writeBytes(root + 4 * (BASE >>> 22), word(megapage));
          b.space.writeBytes(root + 4 * (VA >>> 22), word(pte(l1, PTE_V)));
        }
        b.space.writeBytes(L1_B, word(pte(PAGE_Z, PTE_V | PTE_R | PTE_A)));
        b.space.writeBytes(PAGE_X, word(5));
        b.space.writeBytes(PAGE_Y, word(7));
        b.space.writeBytes(PAGE_Z, word(11));
      },
    );
    runFor(board, 5000, 17);
    expect(board.cpu.pc).toBe(board.at('done'));
    expect(board.cpu.privilege).toBe(1);
    expect(board.cpu.x[Reg.s2]).toBe(N * (5 + 7 + 11));
    expect(board.traps.map((t) => [t.cause, t.pc, t.value])).toEqual([
      [Cause.LOAD_PAGE_FAULT, board.at('loop1'), VA],
      [Cause.LOAD_PAGE_FAULT, board.at('loop2'), VA],
      [Cause.STORE_PAGE_FAULT, board.at('rostore'), VA],
      [Cause.INSTRUCTION_PAGE_FAULT, VA_NONE, VA_NONE],
      [Cause.ECALL_FROM_S, board.at('ecall'), 0],
    ]);
  });

  it('restores a snapshot taken between any two instructions of a hot loop into the other tier, which goes on exactly', () => {
    const build = (p: Program) => {
      trapsTo(p, 'handler');
      p.i(li(Reg.tp, DEVICE_BASE), li(Reg.s2, DATA));
      p.label('loop');
      p.i(lw(Reg.a0, Reg.tp, 0), add(Reg.a1, Reg.a1, Reg.a0), sw(Reg.a1, Reg.s2, 0), ecall(), addi(Reg.a2, Reg.a2, 1));
      p.jal(0, 'loop');
      p.label('handler');
      p.i(csrr(Reg.t6, Csr.MEPC), addi(Reg.t6, Reg.t6, 4), csrw(Csr.MEPC, Reg.t6), mret());
    };
    const WARM = 2000;
    const AFTER = 700;
    // every point of one loop round: 5 instructions, the ecall's handler (4) and the jump
    for (let k = 0; k < 12; k++) {
      const board = boot(tier, build);
      expect(board.cpu.run(WARM + k)).toBe(WARM + k);
      const hart = saveState(board.cpu);
      const restored = boot(otherTier(tier), build);
      loadState(restored.cpu, JSON.parse(JSON.stringify(hart)));
      restored.ram.u8.set(board.ram.u8);
      // the device's reads depend on how many came before: the restored board's device has seen as many
      for (let r = board.device.log.filter((a) => !a.write).length; r > 0; r--) restored.device.read(8, 4);
      restored.device.log.length = 0;
      board.traps.length = 0;
      board.device.log.length = 0;
      expect(board.cpu.run(AFTER)).toBe(AFTER);
      expect(restored.cpu.run(AFTER)).toBe(AFTER);
      expect(firstDifference(board, restored), `snapshot after ${WARM + k} instructions`).toBeUndefined();
      expect(restored.traps.length).toBeGreaterThan(AFTER / 12);
    }
  });
});

// ---------------------------------------------------------------- on a machine (riscv-virt)

const CLINT_MTIMECMP = 0x0200_4000;
/** Small RAM keeps snapshots cheap; 8 MiB leaves room for the device tree the boot ROM places 2 MiB-aligned below the top. */
const VIRT_RAM = 0x80_0000;
/** riscv-virt: a 100 MHz hart (10 ns per instruction), mtime at 10 MHz: one tick per 10 instructions. */
const INSTRUCTIONS_PER_TICK = 10;

function virtMachine(tier: ExecutionTier, program: Program): Machine {
  const document = { ...boardFromMachineType('riscv-virt'), objects: { ram: { props: { size: VIRT_RAM } } } };
  const result = resolveBoard({ ...document, images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }] });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return Machine.build(result.board, new Map([['p.bin', program.bytes()]]), { tier });
}

/** A hot loop interrupted by the CLINT's timer every PERIOD ticks from FIRST on (the handler moves mtimecmp on). */
const FIRST = 300;
const PERIOD = 137;
function timerProgram(): Program {
  const p = new Program(BASE);
  trapsTo(p, 'handler');
  p.i(li(Reg.s1, CLINT_MTIMECMP), sw(0, Reg.s1, 4), li(Reg.t0, FIRST), sw(Reg.t0, Reg.s1, 0));
  p.i(li(Reg.t0, MIP_MTIP), csrw(Csr.MIE, Reg.t0), csrrsi(0, Csr.MSTATUS, MSTATUS_MIE));
  countingLoop(p);
  p.label('handler');
  p.i(lw(Reg.t6, Reg.s1, 0), addi(Reg.t6, Reg.t6, PERIOD), sw(Reg.t6, Reg.s1, 0), addi(Reg.s2, Reg.s2, 1), mret());
  return p;
}

describe.each(TIERS)('a riscv-virt machine on the %s tier', (tier) => {
  it("takes the CLINT's timer interrupts in a hot loop at the instruction virtual time says", () => {
    const machine = virtMachine(tier, timerProgram());
    const traps: TrapEvent[] = [];
    machine.addTrapListener((trap) => traps.push(trap));
    for (let i = 0; i < 40; i++) machine.run(997);
    expect(traps.length).toBeGreaterThanOrEqual(5);
    expectCompiledCode(tier, [riscvCore(machine.cpu('/machine/cpu0'))]);
    traps.forEach((trap, k) => {
      const tick = FIRST + k * PERIOD;
      expect([trap.kind, trap.cause, trap.instret, trap.timeNs]).toEqual(['interrupt', (CAUSE_INTERRUPT | IRQ_MTI) >>> 0, tick * INSTRUCTIONS_PER_TICK, tick * 100]);
    });
  });

  it('restores a machine snapshot taken mid-loop into a machine on the other tier, which runs on exactly', () => {
    for (const at of [5_001, 5_002, 5_003, 7_777]) {
      const machine = virtMachine(tier, timerProgram());
      machine.run(at);
      const snapshot = machine.snapshot();
      const restored = virtMachine(otherTier(tier), timerProgram());
      restored.restore(structuredClone(snapshot));
      const traps: [TrapEvent[], TrapEvent[]] = [[], []];
      machine.addTrapListener((trap) => traps[0].push(trap));
      restored.addTrapListener((trap) => traps[1].push(trap));
      for (let i = 0; i < 10; i++) {
        machine.run(1_003);
        restored.run(1_003);
      }
      expect(traps[1]).toEqual(traps[0]);
      expect(traps[0].length).toBeGreaterThan(3);
      expectCompiledCode('jit', [riscvCore((tier === 'jit' ? machine : restored).cpu('/machine/cpu0'))]);
      expectSameSnapshot(restored.snapshot(), machine.snapshot());
    }
  });
});

/** Two machine snapshots are equal: their states, and their memories compared byte for byte (toEqual on megabytes is slow). */
function expectSameSnapshot(a: ReturnType<Machine['snapshot']>, b: ReturnType<Machine['snapshot']>): void {
  const { memory: memoryA, ...restA } = a;
  const { memory: memoryB, ...restB } = b;
  expect(restA).toEqual(restB);
  expect(Object.keys(memoryA)).toEqual(Object.keys(memoryB));
  for (const name of Object.keys(memoryA)) expect(Buffer.compare(memoryA[name], memoryB[name]), name).toBe(0);
}
