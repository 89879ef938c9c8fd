// The machine's tier switch (MachineOptions.tier, Machine.setTier): what runs, and what the event log says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import { Machine, type MachineOptions } from './machine.ts';

const crcElf = new Uint8Array(readFileSync(new URL('../../public/firmware/bench-quick.elf', import.meta.url)));

function virtBoard(): ResolvedBoard {
  const result = resolveBoard({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'guest.elf' }] });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.board;
}

function runToEnd(options: MachineOptions): { machine: Machine; output: string } {
  let output = '';
  const machine = Machine.build(virtBoard(), new Map([['guest.elf', crcElf]]), { ...options, onSerialOutput: (_uart, byte) => (output += String.fromCharCode(byte)) });
  for (let i = 0; i < 10_000 && machine.exit === null; i++) machine.run(1_000_000);
  return { machine, output };
}

describe('the machine on each tier', () => {
  it('runs the guest alike on both tiers: the same output and instruction count, the compiled tier compiling most of it', () => {
    const runs = new Map((['interp', 'jit'] as const).map((tier) => [tier, runToEnd({ tier })]));
    const interp = runs.get('interp')!;
    const jit = runs.get('jit')!;
    expect(jit.machine.exit).toEqual({ kind: 'pass', code: 0 });
    expect(jit.output).toBe(interp.output);
    expect(jit.output).toMatch(/result 0x/);
    expect(jit.machine.instructions).toBe(interp.machine.instructions);
    expect(interp.machine.cpu('/machine/cpu0')!.tiers!.stats().compiled).toBe(0);
    expect(jit.machine.cpu('/machine/cpu0')!.tiers!.stats().compiledInstructions).toBeGreaterThan(jit.machine.instructions / 2);
  });

  it('switches tier between runs, and says once when a hart cannot compile', () => {
    const machine = Machine.build(virtBoard(), new Map([['guest.elf', crcElf]]), { tier: 'interp', guestArena: () => undefined });
    expect(machine.tier).toBe('interp');
    expect(machine.events.filter((e) => e.includes('runs on the interpreter'))).toEqual([]);
    machine.setTier('jit');
    machine.setTier('jit');
    expect(machine.tier).toBe('jit');
    expect(machine.events.filter((e) => e.includes('runs on the interpreter'))).toEqual(['/machine/cpu0: runs on the interpreter: this host has no shared WebAssembly memory']);
    machine.run(2_000_000);
    expect(machine.cpu('/machine/cpu0')!.tiers!.stats().compiled).toBe(0);
  });
});
