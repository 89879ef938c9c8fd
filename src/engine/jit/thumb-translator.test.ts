import { describe, expect, it } from 'vitest';
import { bootThumb, observable, random, type TierCore } from './testing/thumb-cores.ts';
import { thumbProgram } from './testing/thumb-programs.ts';

/** Run both tiers with the same random budgets, comparing everything after every run(); the compiled core's statistics. */
function compareTiers(source: string, runs: number, seed: number, maxBudget = 300): TierCore {
  const a = bootThumb(source, 'interp');
  const b = bootThumb(source, 'jit');
  const next = random(seed);
  for (let i = 0; i < runs; i++) {
    const budget = 1 + Math.floor(next() * maxBudget);
    const na = a.cpu.run(budget);
    const nb = b.cpu.run(budget);
    expect(observable(b, nb), `run ${i} (budget ${budget})`).toEqual(observable(a, na));
  }
  return b;
}

const LOOP = `
  .thumb_func
start:
  movs r0, #0
  ldr r1, =1000
  ldr r2, =0x20001000
loop:
  adds r0, r0, r1
  str r0, [r2, #4]
  ldr r3, [r2, #4]
  muls r3, r1, r3
  eor r4, r3, r0, lsl #3
  strb r4, [r2], #1
  subs r1, #1
  bne loop
  mov r5, r0
done:
  b done
`;

describe('the Thumb-2 compiling tier', () => {
  it('runs a loop exactly as the interpreter', () => {
    const b = compareTiers(LOOP, 200, 1);
    expect(b.cpu.tiers.stats().compiled).toBeGreaterThan(0);
    expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(5000);
  });
});

describe('generated programs', () => {
  for (const mixed of [false, true]) {
    for (let seed = 1; seed <= 12; seed++) {
      it(`${mixed ? 'mixed with what the core runs, ' : ''}seed ${seed}: both tiers alike after every run()`, () => {
        const next = random(seed * 7919 + (mixed ? 1 : 0));
        const source = thumbProgram(next, { length: 40, iterations: 60, mixed });
        const b = compareTiers(source, 120, seed, 200);
        expect(b.cpu.tiers.stats().compiledInstructions).toBeGreaterThan(0);
      });
    }
  }
});
