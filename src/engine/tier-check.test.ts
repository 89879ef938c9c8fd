import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import type { ExecutionTier } from './cpu/contract.ts';
import { Machine, type MachineOptions } from './machine.ts';
import { checkTiers, formatDivergence, type TierMachineFactory } from './tier-check.ts';

const helloElf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));

function virt(file: string, bytes: Uint8Array, image: { format?: 'binary'; at?: string } = {}, options: MachineOptions = {}): Machine {
  const result = resolveBoard({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file, ...image }] });
  if (!result.ok) throw new Error(result.problems[0].message);
  return Machine.build(result.board, new Map([[file, bytes]]), options);
}

const { t0, t1 } = A.Reg;
const word = (encoding: number) => encoding.toString(16).padStart(8, '0');
/** riscv-virt's boot ROM runs this many instructions before the jump to 0x80000000. */
const BOOT_ROM_INSTRUCTIONS = 6;
/**
 * lui t1,0x80001 (t1 = 0x80001000) at 0x80000000, then forever: addi t0,t0,1 (…04); sw t0,0(t1) (…08); j loop (…0c).
 * Instruction k of the run (counting from 1) for k > BOOT_ROM_INSTRUCTIONS + 1 is the loop's
 * ((k - BOOT_ROM_INSTRUCTIONS - 2) mod 3)-th.
 */
const loop = new A.Program(0x8000_0000).i(A.lui(t1, 0x8000_1000)).label('loop').i(A.addi(t0, t0, 1), A.sw(t0, t1, 0)).jal(0, 'loop');

/**
 * A factory whose compiling-tier machine is perturbed by `perturb` right after its `n`-th
 * instruction (counting from 1), every time a run passes that point (snapshots bring it back).
 */
function perturbedFactory(n: number, perturb: (machine: Machine) => void): TierMachineFactory {
  return (tier: ExecutionTier, options: MachineOptions) => {
    const machine = virt('loop.bin', loop.bytes(), { format: 'binary', at: '0x80000000' }, options);
    if (tier === 'interp') return machine;
    const run = machine.run.bind(machine);
    machine.run = (budget, timeLimit, deadline) => {
      const before = machine.instructions;
      if (before >= n || before + budget < n) return run(budget, timeLimit, deadline);
      const ran = run(n - before, timeLimit, deadline);
      if (machine.instructions === n) perturb(machine);
      return ran + (budget > ran ? run(budget - ran, timeLimit, deadline) : 0);
    };
    return machine;
  };
}

describe('tier check', () => {
  it('runs identical tiers to the end, passing on the output both wrote', () => {
    const output: number[] = [];
    const result = checkTiers((_tier, options) => virt('hello.elf', helloElf, {}, options), { chunk: 500, onAgreedOutput: (bytes) => output.push(...bytes) });
    expect(result).toMatchObject({ same: true, end: 'halted', exit: { kind: 'pass', code: 0 } });
    expect(Buffer.from(output).toString('latin1')).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
  });

  it('stops at the instruction limit when the tiers agree', () => {
    const result = checkTiers(perturbedFactory(Infinity, () => {}), { chunk: 700, maxInstructions: 5000 });
    expect(result).toMatchObject({ same: true, end: 'limit', instructions: 5000, exit: null });
  });

  it('says which CPUs of the compiling-tier machine could not compile, and why', () => {
    const reason = 'the guest arena is full';
    const result = checkTiers((tier, options) => {
      const machine = virt('hello.elf', helloElf, {}, options);
      const cpu = machine.cpu(machine.cpuPaths[0])!;
      // this CPU's compiling tier cannot run, on the compiling tier's side only
      if (tier === 'jit') Object.defineProperty(cpu, 'tiers', { value: { ...cpu.tiers, tier, unavailable: reason } });
      return machine;
    });
    expect(result).toMatchObject({ same: true, interpretedOnly: [{ cpu: '/machine/cpu0', reason }] });
    const able = checkTiers((tier, options) => {
      const machine = virt('hello.elf', helloElf, {}, options);
      const cpu = machine.cpu(machine.cpuPaths[0])!;
      Object.defineProperty(cpu, 'tiers', { value: { ...cpu.tiers, tier, unavailable: undefined } });
      return machine;
    });
    expect(able).toMatchObject({ same: true, interpretedOnly: [] });
  });

  it('names the instruction after which a register differs: hart, count, pc, disassembly, register and both values', () => {
    const n = 1001; // (1001 - 8) mod 3 = 0: addi t0,t0,1 at 0x80000004
    const factory = perturbedFactory(n, (machine) => machine.cpu(machine.cpuPaths[0])!.debug.writeRegister(7, 0xdead)); // x7 = t2
    const result = checkTiers(factory, { maxInstructions: 50_000 });
    if (result.same) throw new Error('the perturbed tier was not caught');
    const { divergence } = result;
    expect(divergence).toMatchObject({ cpu: '/machine/cpu0', instructionsBefore: n - 1, pc: 0x8000_0004 });
    // its encoding, then objdump's text (which writes addi t0,t0,1 as add t0,t0,1)
    expect(divergence.disassembly).toBe(`${word(A.addi(t0, t0, 1))}  add\tt0,t0,1`);
    expect(divergence.differences).toEqual([{ what: '/machine/cpu0 x7 (t2)', interp: '0x0', jit: '0xdead' }]);
    expect(formatDivergence(divergence)[0]).toBe(`the tiers differ after instruction ${n} (${n - 1} retired before it), on /machine/cpu0 at pc 0x80000004: ${divergence.disassembly}`);
  });

  it('names the instruction after which a RAM byte differs, found through chunks and snapshots', () => {
    const n = 2 * BOOT_ROM_INSTRUCTIONS + 3000; // (3012 - 8) mod 3 = 1: sw t0,0(t1) at 0x80000008
    const factory = perturbedFactory(n, (machine) => machine.space().store(0x8000_2003, 0x5a, 1));
    const result = checkTiers(factory, { chunk: 1000, maxInstructions: 50_000 });
    if (result.same) throw new Error('the perturbed tier was not caught');
    expect(result.divergence).toMatchObject({ cpu: '/machine/cpu0', instructionsBefore: n - 1, pc: 0x8000_0008 });
    expect(result.divergence.disassembly).toBe(`${word(A.sw(t0, t1, 0))}  sw\tt0,0(t1)`);
    expect(result.divergence.differences).toEqual([{ what: expect.stringMatching(/ byte 0x2003$/), interp: '0x0', jit: '0x5a' }]);
  });
});
