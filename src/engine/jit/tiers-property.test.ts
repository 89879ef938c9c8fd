// The property test of #16 point 2: on generated RV32IMAC programs (and, for a share of the seeds,
// RV32IMAFDC with Zba/Zbb/Zbc/Zbs: the tier compiles Zb* and leaves A, F and D to the
// interpreter, so blocks cross between the tiers there), a hart on the compiling tier and
// a hart on the interpreter, given the same run() budgets and the same interrupts, stay identical
// after every run() (registers, pc, counters, privilege, trap CSRs, RAM, the trap sequence and the
// MMIO accesses, each with the instret it happened at). The harness itself is checked to fail when
// one side is perturbed, and the generator to produce what the property is meant to cover. A failure
// names the run, the first instruction after which the tiers differ (replayed with smaller budgets)
// and the program shrunk to the statements that still fail.
//
// TIERS_SEED=<n> runs one seed (a failure prints its seed); TIERS_SEEDS=<n> runs seeds 1..n, TIERS_SEEDS=<a>-<b> seeds a..b.
import { describe, expect, it } from 'vitest';
import { Cause } from '../cpu/riscv/csr.ts';
import { disassemble, instructionLength } from '../cpu/riscv/disasm.ts';
import { type GeneratedProgram, LAYOUT, generateProgram } from './testing/program-generator.ts';
import { listing, runLockstep, shrinkFailure } from './testing/lockstep.ts';
import { type TierBoard, createTierBoard, tiersOf } from './testing/tier-board.ts';

const DEFAULT_SEEDS = 6;
/** Zba, Zbb, Zbc and Zbs mnemonics. */
const ZB = new Set(['sh1add', 'sh2add', 'sh3add', 'andn', 'orn', 'xnor', 'clz', 'ctz', 'cpop', 'sext.b', 'sext.h', 'zext.h', 'max', 'maxu', 'min', 'minu', 'rol', 'ror', 'rori', 'orc.b', 'rev8', 'clmul', 'clmulh', 'clmulr', 'bclr', 'bclri', 'bext', 'bexti', 'binv', 'binvi', 'bset', 'bseti']);
/** The generator's coverage is checked over this many seeds (on the interpreter: cheap). */
const COVERAGE_SEEDS = 24;
const RUNS = 24;
/** A sweep of many seeds (TIERS_SEEDS) compiles thousands of pages: far beyond the unit suite's 30 s. */
const SWEEP_TIMEOUT_MS = 3_600_000;

function seeds(): number[] {
  const one = process.env.TIERS_SEED;
  if (one !== undefined && one !== '') return [Number(one)];
  const [first, last] = /^(\d+)-(\d+)$/.exec(process.env.TIERS_SEEDS ?? '')?.slice(1).map(Number) ?? [1, Number(process.env.TIERS_SEEDS ?? DEFAULT_SEEDS)];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Most seeds compile every page at its first entry (and again at each new entry point: costly);
 * the others compile after a few entries, so code moves from the interpreter to compiled code in
 * the middle of runs.
 */
const THRESHOLDS = [0, 0, 3];
const thresholdFor = (seed: number) => THRESHOLDS[seed % THRESHOLDS.length];

/** The property for every seed: all failures, one line each. */
describe('both tiers on generated RV32 programs (IMAC, and IMAFDC with Zb*)', () => {
  it('stay identical after every run() of random budgets, with the same interrupts raised between runs', () => {
    const failures: string[] = [];
    let compiled = 0;
    let executed = 0;
    for (const seed of seeds()) {
      const result = runLockstep(generateProgram(seed), { runs: RUNS, jitThreshold: thresholdFor(seed) });
      executed += result.executed;
      if (result.failure !== undefined) failures.push(result.failure);
      compiled += tiersOf(result.boards[1].cpu)?.stats().compiled ?? 0;
    }
    if (failures.length > 0) {
      // the first failing seed, shrunk to the fewest statements that still fail, with its code
      const seed = Number(/^seed (\d+)/.exec(failures[0])?.[1]);
      const options = { runs: RUNS, jitThreshold: thresholdFor(seed), localise: false };
      const shrunk = shrinkFailure(seed, (program) => runLockstep(program, options).failure);
      if (shrunk !== undefined) {
        const kept = shrunk.program.statements - shrunk.program.dropped.size;
        const located = runLockstep(shrunk.program, { ...options, localise: true }).failure ?? shrunk.failure;
        failures.push(`shrunk to ${kept} of ${shrunk.program.statements} statements (dropped: ${[...shrunk.program.dropped].join(',')}): ${located}\n${listing(shrunk.program)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(executed).toBeGreaterThan(seeds().length * 1000);
    // Once rv32.ts has the compiling tier, the 'jit' side must really have compiled code.
    if (tiersOf(createTierBoard('jit', new Uint8Array(4)).cpu) !== undefined) expect(compiled).toBeGreaterThan(0);
  }, SWEEP_TIMEOUT_MS);
});

// The harness's own tests compare two interpreting boards (labelled as the property labels them):
// what they check is the comparison, not the compiling tier, and interpreting is cheap.
const SAME: ['interp', 'interp'] = ['interp', 'interp'];
/** A program that reads the device often in its first runs (what the harness's tests perturb). */
const HARNESS_SEED = 8;
/** The second board's device returns every read with its low bit flipped. */
function flipDeviceReads([, b]: readonly [TierBoard, TierBoard]): void {
  const read = b.device.read.bind(b.device);
  b.device.read = (offset, size) => read(offset, size) ^ 1;
}
/** The x names firstDifference uses, by the ABI names the disassembler prints. */
const ABI_TO_X: Record<string, string> = Object.fromEntries(
  ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'].map((name, i) => [name, `x${i}`]),
);

describe('the lockstep harness', () => {
  const program = generateProgram(HARNESS_SEED);

  it('finds two boards on the same tier identical', () => {
    expect(runLockstep(program, { runs: RUNS, tiers: SAME }).failure).toBeUndefined();
  });

  it('fails with the seed, the run and both values when a register is flipped on one side', () => {
    const result = runLockstep(program, {
      runs: RUNS,
      tiers: SAME,
      afterRun: (run, [, b]) => {
        if (run === 5) b.cpu.x[9] ^= 0x100;
      },
    });
    expect(result.failure).toMatch(/^seed 8 .*run\(\) #6 of 24 \(budget \d+.*\): x9: interp 0x[0-9a-f]{8} \(-?\d+\), interp 0x[0-9a-f]{8}/);
    expect(result.failure).toContain(`TIERS_SEED=${HARNESS_SEED}`);
    // the flip comes after the run whatever its budget: the first budget that differs is 1
    expect(result.failure).toMatch(/first difference after instruction 1 of that run, the interp side at pc 0x[0-9a-f]+: [0-9a-f]{4,8} \S+/);
  });

  it('names the instruction where the sides start to differ: a device read that returns another value', () => {
    const result = runLockstep(program, {
      runs: RUNS,
      tiers: SAME,
      prepare: flipDeviceReads,
    });
    // a load from the device (tp) whose destination is the first register that differs
    const located = /first difference after instruction \d+ of that run, the interp side at pc 0x[0-9a-f]+: [0-9a-f]{8} (l[bhw]u?) (\w+),-?\d*\(tp\)( # \S+)?: (\w+): interp/.exec(result.failure ?? '');
    expect(located, result.failure).not.toBeNull();
    expect(located![4]).toBe(ABI_TO_X[located![2]]);
  });

  it('fails when one side takes an interrupt the other does not', () => {
    const result = runLockstep(program, {
      runs: RUNS,
      tiers: SAME,
      afterRun: (run, [, b]) => {
        if (run === 3) b.device.raise(1);
      },
    });
    expect(result.failure).toMatch(/run\(\) #([4-9]|\d\d) of 24/);
  });

  it('fails at a RAM byte, a trap or a device access that differs, naming it', () => {
    const ram = runLockstep(program, { runs: RUNS, tiers: SAME, afterRun: (run, [, b]) => run === 2 && void (b.ram.u8[0xfff0] ^= 1) });
    expect(ram.failure).toMatch(/run\(\) #3 .*RAM byte at 0x8000fff0: interp 0x00000000 \(0\), interp 0x00000001 \(1\)/);
    const trap = runLockstep(program, {
      runs: RUNS,
      tiers: SAME,
      afterRun: (run, [, b]) => run === 8 && void b.traps.push({ kind: 'other', cause: 99, pc: 0, value: 0, instret: 0 }),
    });
    expect(trap.failure).toMatch(/run\(\) #9 .*trap count: interp \d+, interp \d+ \(the first extra one: other 99/);
    // the first access of a run from the tenth on (logs are compared from where the last comparison ended)
    let logged = 0;
    let perturbed = -1;
    const device = runLockstep(program, {
      runs: RUNS,
      tiers: SAME,
      afterRun: (run, [, b]) => {
        if (perturbed < 0 && run >= 10 && b.device.log.length > logged) {
          b.device.log[logged].instret++;
          perturbed = run;
        }
        logged = b.device.log.length;
      },
    });
    expect(perturbed).toBeGreaterThan(0);
    expect(device.failure).toContain(`run() #${perturbed + 1} `);
    expect(device.failure).toMatch(/device access #\d+: interp .* instret \d+, interp .* instret \d+/);
  });

  it('fails when one side runs an instruction the other does not', () => {
    // a different value read from the device steers the guest elsewhere: found at the run it happens in or later
    const result = runLockstep(program, {
      runs: RUNS,
      tiers: SAME,
      prepare: flipDeviceReads,
    });
    expect(result.failure).toBeDefined();
  });
});

describe('shrinking a failing program', () => {
  it('leaves out every statement the failure does not need, and lists the code', () => {
    // one side's device reads differ: a program still fails while it reads the device
    const perturbed = (program: GeneratedProgram) =>
      runLockstep(program, {
        runs: 6,
        tiers: SAME,
        prepare: ([, b]) => {
          const read = b.device.read.bind(b.device);
          b.device.read = (offset, size) => read(offset, size) ^ 1;
        },
      }).failure;
    const shrunk = shrinkFailure(HARNESS_SEED, perturbed)!;
    expect(shrunk.failure).toMatch(/^seed 8 /);
    const kept = shrunk.program.statements - shrunk.program.dropped.size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(3);
    expect(perturbed(shrunk.program)).toBeDefined();
    expect(listing(shrunk.program)).toMatch(/\((tp|s[0-9]|a[0-7]|t[0-4]|sp)\)/);
    expect(shrinkFailure(HARNESS_SEED, () => undefined)).toBeUndefined();
  });
});

describe('the program generator', () => {
  it('gives the same program for the same seed and another for another seed', () => {
    expect(generateProgram(3).image).toEqual(generateProgram(3).image);
    expect(generateProgram(3).image).not.toEqual(generateProgram(4).image);
  });

  it(`covers what the property is about, over seeds 1-${COVERAGE_SEEDS} (the unit suite runs the first ${DEFAULT_SEEDS}; sweeps run more)`, () => {
    const causes = new Set<string>();
    let deviceReads = 0;
    let deviceWrites = 0;
    let misaligned = 0;
    let codeStores = 0;
    let waits = 0;
    let straddles = 0;
    let withoutC = 0;
    const pagesRun = new Set<number>();
    for (let seed = 1; seed <= COVERAGE_SEEDS; seed++) {
      const program: GeneratedProgram = generateProgram(seed);
      if (!program.compressed) withoutC++;
      const board = createTierBoard('interp', program.image, { extensions: program.extensions });
      board.cpu.onMisalignedAccess = () => misaligned++;
      board.space.ramWriteListeners.push((address) => {
        if (address < LAYOUT.data) codeStores++;
      });
      // a 32-bit instruction at 2 bytes before a page boundary of main (compressed programs)
      for (const boundary of [0x1000, 0x2000]) if ((program.image[boundary - 2] & 3) === 3 && program.compressed) straddles++;
      for (let run = 0; run < RUNS; run++) {
        if (run % 7 === 3) board.device.raise(2);
        board.cpu.run(1000);
        pagesRun.add(board.cpu.pc >>> 12);
        if (board.cpu.waitingForInterrupt) waits++;
      }
      for (const trap of board.traps) causes.add(`${trap.kind} ${trap.cause}`);
      for (const access of board.device.log) if (access.write) deviceWrites++;
      else deviceReads++;
    }
    for (const cause of [
      Cause.INSTRUCTION_MISALIGNED,
      Cause.INSTRUCTION_ACCESS_FAULT,
      Cause.ILLEGAL_INSTRUCTION,
      Cause.BREAKPOINT,
      Cause.LOAD_ACCESS_FAULT,
      Cause.STORE_ACCESS_FAULT,
      Cause.ECALL_FROM_M,
    ]) {
      expect([...causes].some((c) => c.endsWith(` ${cause}`) && !c.startsWith('interrupt')), `trap cause ${cause}`).toBe(true);
    }
    expect([...causes].filter((c) => c.startsWith('interrupt')).length).toBeGreaterThanOrEqual(2);
    expect(withoutC).toBeGreaterThan(0);
    expect(deviceReads).toBeGreaterThan(0);
    expect(deviceWrites).toBeGreaterThan(0);
    expect(misaligned).toBeGreaterThan(0);
    expect(codeStores).toBeGreaterThan(0);
    expect(waits).toBeGreaterThan(0);
    expect(straddles).toBeGreaterThan(0);
    // code runs on the reset page, main's pages and the functions' page
    for (const page of [0x80000, 0x80001, 0x80003]) expect(pagesRun.has(page), `page 0x${page.toString(16)}`).toBe(true);
  });

  it(`runs atomics everywhere, and F, D and Zb* on the harts that have them, over seeds 1-${COVERAGE_SEEDS}`, () => {
    const groups = new Map<string, number>();
    let extended = 0;
    let lrScOnOneWord = 0;
    for (let seed = 1; seed <= COVERAGE_SEEDS; seed++) {
      const program = generateProgram(seed);
      if (program.extensions.includes('Zbb')) extended++;
      const board = createTierBoard('interp', program.image, { extensions: program.extensions });
      let reserved = -1;
      // one instruction at a time (on the interpreter: cheap), naming the group of each
      for (let step = 0; step < 6000; step++) {
        const offset = board.cpu.pc - LAYOUT.ramBase;
        if (offset >= 0 && offset < LAYOUT.data - LAYOUT.ramBase) {
          const low = program.image[offset] | (board.ram.u8[offset + 1] << 8);
          const raw = instructionLength(low) === 4 ? board.ram.u8[offset] | (board.ram.u8[offset + 1] << 8) | (board.ram.u8[offset + 2] << 16) | (board.ram.u8[offset + 3] << 24) : low;
          const mnemonic = disassemble(raw >>> 0, board.cpu.pc).mnemonic;
          const group = /^(lr|sc|amo)/.test(mnemonic) ? mnemonic.replace(/^(lr|sc|amo).*/, '$1') : /^f/.test(mnemonic) && mnemonic !== 'fence' && mnemonic !== 'fence.i' ? 'float' : ZB.has(mnemonic) ? 'zb' : 'other';
          groups.set(group, (groups.get(group) ?? 0) + 1);
          if (group === 'lr') reserved = board.cpu.x[(raw >>> 15) & 31];
          if (group === 'sc' && board.cpu.x[(raw >>> 15) & 31] === reserved) lrScOnOneWord++;
        }
        board.cpu.run(1);
      }
    }
    expect(extended).toBeGreaterThan(0);
    expect(extended).toBeLessThan(COVERAGE_SEEDS);
    for (const group of ['lr', 'sc', 'amo', 'float', 'zb']) expect(groups.get(group) ?? 0, group).toBeGreaterThan(3);
    expect(lrScOnOneWord).toBeGreaterThan(0);
  });
});
