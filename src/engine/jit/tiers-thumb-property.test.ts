// The property test of #16 points 2 and 5 for the Thumb-2 tier: on generated ARMv7-M programs, a
// Cortex-M3 on the compiling tier and one on the interpreter, given the same run() budgets, the same
// IRQ 0 raises and SysTick at the same virtual time, stay identical after every run() (r0-r15, xPSR,
// MSP/PSP, PRIMASK/BASEPRI/FAULTMASK/CONTROL, instret, SRAM and flash, every exception taken and
// every device access with the instructions retired then). A failure names the seed, the run, the
// first instruction where the tiers part, and the program shrunk to the statements that still fail.
// The harness is checked to fail when one side is perturbed, and the generator to produce what the
// property is meant to cover.
//
// THUMB_TIERS_SEED=<n> runs one seed; THUMB_TIERS_SEEDS=<n> runs seeds 1..n, THUMB_TIERS_SEEDS=<a>-<b> seeds a..b.
import { describe, expect, it } from 'vitest';
import { type GeneratedThumbProgram, generateThumbProgram, THUMB_LAYOUT } from './testing/thumb-program-generator.ts';
import { bootThumbBoard, runThumb, runThumbLockstep, shrinkThumbFailure, thumbListing, type ThumbLockstepOptions } from './testing/thumb-lockstep.ts';
import { DEVICE } from './testing/thumb-cores.ts';

const DEFAULT_SEEDS = 6;
const COVERAGE_SEEDS = 16;
const RUNS = 24;
const SWEEP_TIMEOUT_MS = 3_600_000;
/**
 * Page entries before a page is compiled: at the first entry (and again at every new entry point),
 * or after a few (code moves between the tiers mid-run). Self-modifying programs drop a page's code
 * at every pass through main, and at 0 compile it again at each entry after that (seconds per seed):
 * they get 4 instead.
 */
const THRESHOLDS = [0, 3, 12];
const SELF_MODIFYING_THRESHOLD = 4;
function thresholdFor(seed: number): number {
  const threshold = THRESHOLDS[seed % THRESHOLDS.length];
  return threshold === 0 && generateThumbProgram(seed).features.includes('self-modifying') ? SELF_MODIFYING_THRESHOLD : threshold;
}

function seeds(): number[] {
  const one = process.env.THUMB_TIERS_SEED;
  if (one !== undefined && one !== '') return [Number(one)];
  const range = /^(\d+)-(\d+)$/.exec(process.env.THUMB_TIERS_SEEDS ?? '')?.slice(1).map(Number);
  const [first, last] = range ?? [1, Number(process.env.THUMB_TIERS_SEEDS || DEFAULT_SEEDS)];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

describe('both tiers on generated Thumb-2 programs', () => {
  it('stay identical after every run() of random budgets, with the same interrupts and SysTick', () => {
    const failures: string[] = [];
    let compiled = 0;
    let executed = 0;
    for (const seed of seeds()) {
      const result = runThumbLockstep(generateThumbProgram(seed), { runs: RUNS, jitThreshold: thresholdFor(seed) });
      executed += result.executed;
      compiled += result.boards[1].core.cpu.tiers.stats().compiledInstructions;
      if (result.failure !== undefined) failures.push(result.failure);
    }
    if (failures.length > 0) {
      const seed = Number(/^seed (\d+)/.exec(failures[0])?.[1]);
      const options = { runs: RUNS, jitThreshold: thresholdFor(seed), localise: false };
      const shrunk = shrinkThumbFailure(seed, (program) => runThumbLockstep(program, options).failure);
      if (shrunk !== undefined) {
        const kept = shrunk.program.statements - shrunk.program.dropped.size;
        const located = runThumbLockstep(shrunk.program, { ...options, localise: true }).failure ?? shrunk.failure;
        failures.push(`shrunk to ${kept} of ${shrunk.program.statements} statements: ${located}\n${thumbListing(shrunk.program)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(executed).toBeGreaterThan(seeds().length * 5000);
    expect(compiled).toBeGreaterThan(seeds().length * 1000);
  }, SWEEP_TIMEOUT_MS);
});

// The harness's own tests compare two interpreting cores: what they check is the comparison.
const SAME = { runs: RUNS, tiers: ['interp', 'interp'] } as const satisfies ThumbLockstepOptions;

describe('the Thumb lockstep harness', () => {
  const program = generateThumbProgram(3);

  it('finds two cores on the same tier identical', () => {
    expect(runThumbLockstep(program, SAME).failure).toBeUndefined();
  });

  it('fails with the seed, the run and both values when a register is flipped on one side, and names the first instruction after which they differ', () => {
    const result = runThumbLockstep(program, { ...SAME, afterRun: (run, [, b]) => run === 5 && void (b.core.cpu.r[4] ^= 0x100) });
    expect(result.failure).toMatch(/^seed 3 .*run\(\) #6 of 24 \(budget \d+.*\): r4: interp 0x[0-9a-f]{8} \(-?\d+\), interp 0x[0-9a-f]{8}/);
    // the flip comes after the run whatever its budget: the first budget that differs is 1
    expect(result.failure).toMatch(/first difference after instruction 1 of that run, the interp side at pc 0x[0-9a-f]{8}: [0-9a-f]{4}/);
    expect(result.failure).toContain('THUMB_TIERS_SEED=3');
  });

  it('fails at a special register, a memory byte, an exception or a device access that differs', () => {
    const masks = runThumbLockstep(program, { ...SAME, afterRun: (run, [, b]) => run === 2 && void (b.core.cpu.basepri = 0x40) });
    expect(masks.failure).toMatch(/run\(\) #3 .*BASEPRI: interp 0x00000000 \(0\), interp 0x00000040/);
    const flash = runThumbLockstep(program, { ...SAME, afterRun: (run, [, b]) => run === 4 && void (b.core.flash[0x3ff0] ^= 1) });
    expect(flash.failure).toMatch(/run\(\) #5 .*flash byte at 0x00003ff0/);
    const trap = runThumbLockstep(program, { ...SAME, afterRun: (run, [, b]) => run === 7 && void b.traps.push({ kind: 'other', cause: 99, pc: 0, value: 0, retired: 0 }) });
    expect(trap.failure).toMatch(/run\(\) #8 .*trap count: interp \d+, interp \d+ \(the first extra one: other 99/);
    let perturbed = -1;
    const device = runThumbLockstep(program, {
      ...SAME,
      afterRun: (run, [, b]) => {
        if (perturbed < 0 && run >= 6 && b.core.device.length > 0) {
          b.core.device[b.core.device.length - 1].retired++;
          perturbed = run;
        }
      },
    });
    expect(perturbed).toBeGreaterThan(0);
    expect(device.failure).toMatch(/device access #\d+: interp .* after \d+ instructions, interp .* after \d+ instructions/);
  });

  it('names the instruction where one side starts to differ: a device read that returns another value', () => {
    const result = runThumbLockstep(program, { ...SAME, skewSecondDevice: true });
    expect(result.failure).toMatch(/first difference after instruction \d+ of that run, the interp side at pc 0x[0-9a-f]{8}: [0-9a-f ]+ ldr\S* r\d+, \[fp(, #\d+)?\]( @ 0x[0-9a-f]+)?: r\d+: interp/);
  });
});

describe('shrinking a failing Thumb program', () => {
  it('leaves out every statement the failure does not need, and lists the code', () => {
    const fails = (p: GeneratedThumbProgram) => runThumbLockstep(p, { ...SAME, runs: 8, localise: false, skewSecondDevice: true }).failure;
    const shrunk = shrinkThumbFailure(3, fails)!;
    expect(shrunk.failure).toMatch(/^seed 3 /);
    const kept = shrunk.program.statements - shrunk.program.dropped.size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(3);
    expect(fails(shrunk.program)).toBeDefined();
    expect(thumbListing(shrunk.program)).toMatch(new RegExp(`ldr r11, =0x${DEVICE.toString(16)}`));
    expect(shrinkThumbFailure(3, () => undefined)).toBeUndefined();
  });
});

describe('the Thumb program generator', () => {
  it('gives the same program for the same seed and another for another seed', () => {
    expect(generateThumbProgram(5).source).toBe(generateThumbProgram(5).source);
    expect(generateThumbProgram(5).source).not.toBe(generateThumbProgram(6).source);
  });

  it(`covers what the property is about, over seeds 1-${COVERAGE_SEEDS}`, () => {
    const causes = new Set<string>();
    const features = new Set<string>();
    const pagesRun = new Set<number>();
    let deviceReads = 0;
    let deviceWrites = 0;
    let codeStores = 0;
    let sleeps = 0;
    let inItBlock = 0;
    let onProcessStack = 0;
    let exceptionReturns = 0;
    for (let seed = 1; seed <= COVERAGE_SEEDS; seed++) {
      const program = generateThumbProgram(seed);
      for (const feature of program.features.split(', ')) features.add(feature.replace(/ every \d+ cycles/, ''));
      const board = bootThumbBoard(program, 'interp', 0);
      const cpu = board.core.cpu;
      cpu.onTrap = (trap) => causes.add(`${trap.kind} ${trap.causeName.replace(/ \(tail-chained\)/, '')}`);
      cpu.onTrapReturn = () => exceptionReturns++;
      board.core.space.ramWriteListeners.push((address) => {
        if (address < THUMB_LAYOUT.mainPage * 4) codeStores++;
      });
      for (let run = 0; run < RUNS; run++) {
        if (run % 7 === 3) board.core.scs.setIrqLevel(0, true);
        for (let step = 0; step < 20; step++) {
          runThumb(board.core, 50);
          pagesRun.add(cpu.pc >>> 12);
          if (cpu.waitingForInterrupt) sleeps++;
          if (((cpu.xpsr >>> 10) & 0x3f) !== 0 || ((cpu.xpsr >>> 25) & 3) !== 0) inItBlock++;
          if ((cpu.control & 2) !== 0 && cpu.ipsr === 0) onProcessStack++;
        }
      }
      for (const access of board.core.device) if (access.write) deviceWrites++;
      else deviceReads++;
    }
    for (const cause of [
      'interrupt interrupt (IRQ 0)',
      'interrupt interrupt (SysTick)',
      'environment-call supervisor call (SVC) (SVCall)',
      'other division by zero (UsageFault)',
      'illegal-instruction undefined instruction (UsageFault)',
      'misaligned unaligned access (UsageFault)',
      'access-fault load access fault (precise bus error) (BusFault)',
      'access-fault store access fault (precise bus error) (BusFault)',
    ]) {
      expect(causes.has(cause), `${cause} among ${[...causes].join('; ')}`).toBe(true);
    }
    expect([...causes].some((c) => c.includes('escalated to HardFault'))).toBe(true);
    for (const feature of ['CCR.DIV_0_TRP', 'CCR.UNALIGN_TRP', 'SysTick', 'thread mode on the PSP', 'self-modifying']) expect(features.has(feature), feature).toBe(true);
    expect(deviceReads).toBeGreaterThan(0);
    expect(deviceWrites).toBeGreaterThan(0);
    expect(codeStores).toBeGreaterThan(0);
    expect(sleeps).toBeGreaterThan(0);
    expect(inItBlock).toBeGreaterThan(0);
    expect(onProcessStack).toBeGreaterThan(0);
    expect(exceptionReturns).toBeGreaterThan(100);
    // main's two pages and the functions' page
    for (const page of [1, 2, 3]) expect(pagesRun.has(page), `page ${page}`).toBe(true);
  });
});
