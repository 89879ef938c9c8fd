// New entries into a compiled page and code that changes while compiled (docs/jit.md, "Entries and
// code that changes"): an entry found after the page was compiled gets a function of its own
// without compiling the page again, and an instruction that keeps being rewritten is left to the
// interpreter instead of recompiling its page after every change. Both tiers must stay exact.
import { expect, it } from 'vitest';
import { type TierHart, bootTier } from './testing/rv32-harts.ts';
import { SECOND_LOOP } from './testing/rv32-programs.ts';

/** Run both harts in the same varied budgets until the interpreter's waits for an interrupt, comparing them after every run. */
function runAlike(interp: TierHart, jit: TierHart): void {
  for (let i = 0; !interp.cpu.waitingForInterrupt; i++) {
    const budget = 1 + ((i * 7919) % 700);
    const a = interp.cpu.run(budget);
    const b = jit.cpu.run(budget);
    expect([b, jit.cpu.pc, [...jit.cpu.x]], `run ${i}`).toEqual([a, interp.cpu.pc, [...interp.cpu.x]]);
  }
  expect(jit.cpu.waitingForInterrupt).toBe(true);
}

it('adds an entry found after its page compiled as a function of its own, keeping the code compiled before', () => {
  const interp = bootTier(SECOND_LOOP, 'interp');
  const jit = bootTier(SECOND_LOOP, 'jit', { jitThreshold: 5 });
  const sizes: number[] = [];
  // a run into the first loop (compiled by then), then one to the wfi: more runs ending mid-block would make more entries
  for (const budget of [3000, 1_000_000]) {
    expect(jit.cpu.run(budget)).toBe(interp.cpu.run(budget));
    expect([jit.cpu.pc, [...jit.cpu.x]]).toEqual([interp.cpu.pc, [...interp.cpu.x]]);
    sizes.push(jit.cpu.tiers.stats().codeBytes);
  }
  expect(interp.cpu.waitingForInterrupt).toBe(true);
  expect(jit.cpu.x[10]).toBe(20000);
  const stats = jit.cpu.tiers.stats();
  // two functions, the first never dropped: the second entry did not compile the page again
  expect(stats.compiled).toBe(2);
  expect(stats.dropped).toBe(0);
  // the second function holds the second loop only, not the first loop again
  expect(sizes[0]).toBeGreaterThan(0);
  expect(sizes[1] - sizes[0]).toBeLessThan(sizes[0]);
  // nearly all of the second loop's 60,000 instructions ran compiled
  expect(stats.compiledInstructions).toBeGreaterThan(55_000);
});

it('stays exact when run budgets end mid-block, and does not count where a run starts as an entry', () => {
  const interp = bootTier(SECOND_LOOP, 'interp');
  const jit = bootTier(SECOND_LOOP, 'jit', { jitThreshold: 5 });
  runAlike(interp, jit);
  const stats = jit.cpu.tiers.stats();
  // the two loops' functions only: the hundreds of runs that start inside a block add none
  expect(stats.compiled).toBe(2);
  expect(stats.dropped).toBe(0);
  expect(stats.compiledInstructions).toBeGreaterThan(50_000);
});

const ROUNDS = 200;
const CALLS = 50;

// A hot loop calls `fn`, then rewrites the immediate of an instruction in `fn` (on the same page,
// without fence.i) after every CALLS calls: `li a1, imm` becomes `li a1, s1`.
const SELF_MODIFYING = `
  .text
  .option norvc
_start:
  li s1, ${ROUNDS}
  la s0, patched
  li a0, 0
round:
  li t2, ${CALLS}
loop:
  jal ra, fn
  addi t2, t2, -1
  bnez t2, loop
  lw t0, 0(s0)
  li t1, 0xfffff
  and t0, t0, t1
  slli a2, s1, 20
  or t0, t0, a2
  sw t0, 0(s0)
  addi s1, s1, -1
  bnez s1, round
  wfi
fn:
  addi a0, a0, 3
patched:
  addi a1, zero, 0
  add a0, a0, a1
  ret
`;

it('runs code that rewrites an instruction of its own hot page exactly, without compiling the page again after every change', () => {
  const interp = bootTier(SELF_MODIFYING, 'interp');
  const jit = bootTier(SELF_MODIFYING, 'jit', { jitThreshold: 5 });
  runAlike(interp, jit);
  // round k (s1 = k) adds CALLS × (3 + imm), imm being 0 in the first round and k + 1 after
  let expected = 0;
  for (let k = ROUNDS; k >= 1; k--) expected += CALLS * (3 + (k === ROUNDS ? 0 : k + 1));
  expect(jit.cpu.x[10]).toBe(expected);
  const stats = jit.cpu.tiers.stats();
  // the first two rewrites drop compiled code; from then on the rewritten instruction is the
  // interpreter's (more functions come from entries mid-block, where run budgets ran out)
  expect(stats.dropped).toBeLessThanOrEqual(3);
  expect(stats.compiled).toBeLessThan(ROUNDS / 10);
  expect(stats.compiledInstructions).toBeGreaterThan((ROUNDS * CALLS * 6) / 2);
});

// Code replaced once while compiled (as a loader does) is compiled again: only code that keeps
// changing is left to the interpreter.
const REPLACED_ONCE = `
  .text
  .option norvc
_start:
  la s0, body
  la s1, replacement
  li s2, 2
again:
  li t1, 5000
hot:
body:
  addi a0, a0, 1
  addi t1, t1, -1
  bnez t1, hot
  lw t0, 0(s1)
  sw t0, 0(s0)
  addi s2, s2, -1
  bnez s2, again
  wfi
replacement:
  addi a0, a0, 7
`;

it('compiles code again after it was replaced once while compiled', () => {
  const interp = bootTier(REPLACED_ONCE, 'interp');
  const jit = bootTier(REPLACED_ONCE, 'jit', { jitThreshold: 5 });
  runAlike(interp, jit);
  expect(jit.cpu.x[10]).toBe(5000 * 1 + 5000 * 7);
  const stats = jit.cpu.tiers.stats();
  expect(stats.dropped).toBeGreaterThanOrEqual(1);
  // the second pass of the loop (15,000 instructions, through the replaced one) ran compiled
  expect(stats.compiledInstructions).toBeGreaterThan(2 * 14_000);
});
