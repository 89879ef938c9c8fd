// When the Thumb-2 tier compiles, and how much: the policies that keep compile time paid back
// (what ./thumb-exactness.test.ts checks is that whatever it compiles retires as the interpreter).
import { describe, expect, it } from 'vitest';
import { bootThumb } from './testing/thumb-cores.ts';

const HOT_LOOP = `
  .thumb_func
start:
  ldr r1, =1000000
  movs r0, #0
loop:
  adds r0, r0, r1
  eor r2, r0, r0, lsl #3
  add r0, r0, r2, lsr #5
  mov r3, r0
  subs r1, #1
  bne loop
done:
  b done
`;

describe('the Thumb-2 tier compiles hot code once', () => {
  it('does not count where a run starts as an entry: short runs that stop inside a loop do not recompile it block by block', () => {
    const b = bootThumb(HOT_LOOP, 'jit', 20);
    for (let i = 0; i < 10; i++) b.cpu.run(5000);
    expect(b.cpu.tiers.stats().compiled).toBe(1);
    // budgets that are no multiple of the loop's 6 instructions: most runs start in the middle of its block
    for (let i = 0; i < 3000; i++) b.cpu.run(7 + (i % 5));
    const stats = b.cpu.tiers.stats();
    expect(stats.compiledInstructions).toBeGreaterThan(50_000);
    expect(stats.compiled).toBe(1);
  });
});
