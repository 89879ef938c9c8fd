import { describe, expect, it } from 'vitest';
import type { ResolvedBoard } from '../graph/index.ts';
import { problemFromError } from './problems';

class FakeMachineError extends Error {
  override name = 'MachineError';
  constructor(message: string, readonly path?: string) {
    super(message);
  }
}

const board: ResolvedBoard = {
  name: 'test',
  description: '',
  machineType: undefined,
  platform: 'browser@1',
  params: {},
  objects: [{ path: '/machine/cpu0', name: 'cpu0', type: 'rv32', parent: '/machine', props: {}, origins: {}, pointer: '/objects/cpu0', source: 'board' }],
  memory: [],
  containers: [],
  irqs: [],
  resets: [],
  images: [{ cpu: '/machine/cpu0', file: 'firmware/hello.elf', format: 'elf', at: undefined, space: 'system', pointer: '/images/0' }],
};

describe('problemFromError', () => {
  it('keeps a machine error to its one-line message, with a hint', () => {
    const problem = problemFromError(new FakeMachineError('image x.elf: not an ELF file (it does not start with the ELF magic bytes)', '/machine/cpu0'));
    expect(problem.message).toBe('image x.elf: not an ELF file (it does not start with the ELF magic bytes)');
    expect(problem.pointer).toBe('/machine/cpu0');
    expect(problem.hint).toMatch(/ELF/);
  });

  it('points at the image entry or the object in the board document', () => {
    expect(problemFromError(new FakeMachineError('image firmware/hello.elf: not an ELF file', '/machine/cpu0'), board).pointer).toBe('/images/0/file');
    expect(problemFromError(new FakeMachineError('/machine/cpu0: something', '/machine/cpu0'), board).pointer).toBe('/objects/cpu0');
  });

  it('never carries a stack trace or further lines', () => {
    const error = new Error('boom\n    at somewhere (file.ts:1:1)');
    const problem = problemFromError(error);
    expect(problem.message).toBe('internal error: boom');
    expect(problem.message).not.toMatch(/\n|at somewhere/);
  });

  it("gives hints a browser user can follow: the CPU's Image field, never the project's public/ folder", () => {
    for (const message of ['image x.elf: not an ELF file', 'image x.elf: not found', 'image x.elf: program headers run past the end']) {
      const hint = problemFromError(new FakeMachineError(message, '/machine/cpu0')).hint;
      expect(hint).toContain("the CPU's Image field");
      expect(hint).not.toContain('public/');
    }
  });

  it('accepts non-Error throws', () => {
    expect(problemFromError('just text').message).toBe('just text');
    expect(problemFromError(undefined).message).toBe('undefined');
  });
});

describe('problemFromError hints for the CPU the error is about', () => {
  const withCpu = (type: string): ResolvedBoard => ({ ...board, objects: [{ ...board.objects[0], type }] });

  it("names the RISC-V toolchain and machine types for a RISC-V hart's image", () => {
    const hint = problemFromError(new FakeMachineError('image firmware/hello.elf: not an ELF file', '/machine/cpu0'), withCpu('rv32')).hint;
    expect(hint).toContain('RISC-V ELF');
    expect(hint).toContain('riscv64-unknown-elf-gcc');
    expect(hint).toContain('riscv-virt');
    expect(hint).not.toMatch(/arm-none-eabi|mps2/);
  });

  it("names the ARM toolchain for the core's model and the ARM machine types for a Cortex-M core's image", () => {
    const hint = problemFromError(new FakeMachineError('image firmware/hello.elf: program headers run past the end', '/machine/cpu0'), withCpu('cortex-m0plus')).hint;
    expect(hint).toContain('ARM ELF');
    expect(hint).toContain('arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb');
    expect(hint).toContain('mps2-an385');
    expect(hint).toContain('boardlab-m0');
    expect(hint).not.toMatch(/riscv/);
    expect(hint).toContain("the CPU's Image field");
  });

  it('finds the CPU through the image an error names, and names its machine types when the image does not fit', () => {
    const hint = problemFromError(new FakeMachineError('image firmware/hello.elf: does not fit in memory'), withCpu('cortex-m3')).hint;
    expect(hint).toMatch(/ARM machine types: mps2-an385, boardlab-m0/);
  });
});
