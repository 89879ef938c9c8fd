// `boardlab asm`: diagnostics as file:line:col, the output ELF, and the proof that it loads — a
// program from the assembler's corpus runs on the virt board and prints through the UART.

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asmCommand } from './asm.ts';
import { InputError } from './board-files.ts';
import { EXIT_IDLE, runCommand } from './run.ts';

const corpus = new URL('../asm/testdata/', import.meta.url).pathname;

function scratch(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'boardlab-asm-cli-')), name);
  writeFileSync(file, content);
  return file;
}

function asm(source: string, options: Parameters<typeof asmCommand>[1] = {}) {
  const stderr: string[] = [];
  const status = asmCommand(source, options, { stdout: () => {}, stderr: (line) => stderr.push(line) });
  return { status, stderr };
}

describe('boardlab asm', () => {
  it('prints errors as file:line:col: error: message, with the hint below, and exits 1 without writing', () => {
    const source = scratch('bad.s', '_start:\n  addi a0, a0, 5000\n  lw a0, 0(q9)\n');
    const output = source.replace(/\.s$/, '.elf');
    expect(asm(source, { output })).toEqual({
      status: 1,
      stderr: [
        `${source}:2:16: error: immediate 5000 is out of range for addi (-2048..2047)`,
        '  hint: use li to load larger constants into a register',
        `${source}:3:12: error: 'q9' is not a register`,
        '  hint: the base register goes in parentheses: 8(sp), 0(a0); registers: x0-x31 or zero ra sp gp tp t0-t6 s0-s11 a0-a7 fp',
      ],
    });
    expect(existsSync(output)).toBe(false);
  });

  it('prints warnings and still writes the ELF (default name: the source with .elf)', () => {
    const source = scratch('warn.s', '.data\n.byte 256\n');
    const { status, stderr } = asm(source);
    expect(status).toBe(0);
    expect(stderr[0]).toBe(`${source}:2:7: warning: value 256 truncated to 8 bits (0x0)`);
    expect(readFileSync(source.replace(/\.s$/, '.elf')).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  });

  it('rejects an unknown --march and a bad --text-address', () => {
    const source = scratch('ok.s', 'nop\n');
    expect(() => asm(source, { march: 'mips' })).toThrow(InputError);
    expect(() => asm(source, { textAddress: 'here' })).toThrow(/--text-address here/);
  });

  it('hello-uart.s from the corpus runs on the virt board and prints through the UART', async () => {
    const source = scratch('hello-uart.s', readFileSync(join(corpus, 'hello-uart.s'), 'utf8'));
    const elf = source.replace(/\.s$/, '.elf');
    expect(asm(source, { output: elf }).status).toBe(0);
    const out: number[] = [];
    const status = await runCommand({ machine: 'riscv-virt', firmware: elf }, { stdout: (bytes) => out.push(...bytes), stderr: () => {}, guestStderr: () => {} });
    expect(Buffer.from(out).toString('latin1')).toBe('Hello from BoardLab asm!\n');
    // The program ends in a WFI loop with nothing to wake it: the run stops as idle.
    expect(status).toBe(EXIT_IDLE);
  });
});
