import { expect, it } from 'vitest';
import { bootTier } from './testing/rv32-harts.ts';
import { SECOND_LOOP } from './testing/rv32-programs.ts';

const SRC = `
  .text
  .globl _start
_start:
  li t0, 0
  li t1, 1000
  la a1, buf
loop:
  add t0, t0, t1
  sw t0, 0(a1)
  lw t2, 0(a1)
  mul t3, t2, t1
  addi t1, t1, -1
  bnez t1, loop
  mv a0, t0
done:
  j done
  .data
buf: .word 0
`;

it('runs a loop on both tiers alike', () => {
  const a = bootTier(SRC, 'interp');
  const b = bootTier(SRC, 'jit');
  for (let i = 0; i < 50; i++) {
    const budget = 1 + ((i * 7919) % 300);
    const na = a.cpu.run(budget);
    const nb = b.cpu.run(budget);
    expect([nb, b.cpu.pc, [...b.cpu.x]]).toEqual([na, a.cpu.pc, [...a.cpu.x]]);
  }
  expect(b.cpu.tiers.stats().compiled).toBeGreaterThan(0);
});

it('compiles an entry the code of its page lacks once that entry is hot', () => {
  const jit = bootTier(SECOND_LOOP, 'jit', { jitThreshold: 5 });
  while (!jit.cpu.waitingForInterrupt) jit.cpu.run(10_000);
  expect(jit.cpu.x[10]).toBe(20000);
  const stats = jit.cpu.tiers.stats();
  expect(stats.compiled).toBeGreaterThanOrEqual(2);
  // nearly all of the second loop's 60,000 instructions ran compiled
  expect(stats.compiledInstructions).toBeGreaterThan(55_000);
});
