// The assembler against Debian's GNU binutils: every program of src/asm/testdata is assembled by
// riscv64-unknown-elf-as -mno-relax and linked by ld at 0x80000000, and by BoardLab's assembler.
// Section bytes, symbol values and the decoded DWARF line table must be identical.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from './index.ts';

const testdata = new URL('./testdata/', import.meta.url).pathname;
const programs = readdirSync(testdata).filter((f) => f.endsWith('.s')).sort();
const SECTIONS = ['.text', '.rodata', '.data', '.sdata'];
/** Symbols ld defines itself (not in the source). */
const LINKER_SYMBOLS = /^(__global_pointer\$|__DATA_BEGIN__|__SDATA_BEGIN__|__BSS_END__|__bss_start|_edata|_end)$/;

function gnu(source: string, dir: string, march = 'rv32imac'): string {
  const object = join(dir, 'gas.o');
  const elf = join(dir, 'gas.elf');
  execFileSync('riscv64-unknown-elf-as', [`-march=${march}_zicsr_zifencei`, '-mabi=ilp32', '-mno-relax', '-g', source, '-o', object]);
  execFileSync('riscv64-unknown-elf-ld', ['-m', 'elf32lriscv', '-Ttext=0x80000000', object, '-o', elf]);
  return elf;
}

function sectionBytes(elf: string, section: string, dir: string): string {
  const out = join(dir, `section${section}.bin`);
  execFileSync('riscv64-unknown-elf-objcopy', ['-O', 'binary', '--only-section', section, elf, out]);
  return readFileSync(out).toString('hex');
}

function symbols(elf: string): string[] {
  return execFileSync('riscv64-unknown-elf-nm', [elf]).toString().split('\n').filter((l) => l && !LINKER_SYMBOLS.test(l.split(' ')[2])).sort();
}

/** e_flags as readelf prints them (RVC, float ABI). */
function elfFlags(elf: string): string | undefined {
  return /Flags:\s+(.*)/.exec(execFileSync('riscv64-unknown-elf-readelf', ['-h', elf]).toString())?.[1];
}

/** (address, line) rows as objdump decodes .debug_line, and where each sequence ends. */
function lineTable(elf: string): string[] {
  return execFileSync('riscv64-unknown-elf-objdump', ['--dwarf=decodedline', elf]).toString().split('\n')
    .filter((l) => /\s0x[0-9a-f]+/.test(l))
    .map((l) => l.trim().split(/\s+/).slice(1, 3).join(' '));
}

describe('the assembler produces what GNU as + ld produce', () => {
  for (const program of programs) {
    it(program, () => {
      const dir = mkdtempSync(join(tmpdir(), 'boardlab-asm-'));
      const source = join(dir, program);
      writeFileSync(source, readFileSync(join(testdata, program)));
      const reference = gnu(source, dir);
      const result = assemble(readFileSync(source, 'utf8'), { fileName: program });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const ours = join(dir, 'ours.elf');
      writeFileSync(ours, result.elf);
      for (const section of SECTIONS) expect(sectionBytes(ours, section, dir), section).toBe(sectionBytes(reference, section, dir));
      expect(symbols(ours)).toEqual(symbols(reference));
      expect(elfFlags(ours)).toBe(elfFlags(reference));
      const lines = lineTable(reference);
      expect(lines.length).toBeGreaterThan(1);
      expect(lineTable(ours)).toEqual(lines);
    });
  }

  // Without M, A and C: nothing is compressed and e_flags has no RVC bit.
  for (const program of ['rv32i-all.s', 'pseudo.s', 'branches.s', 'relocs.s', 'startup.s', 'zicsr.s']) {
    it(`${program} with --march rv32i`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'boardlab-asm-'));
      const source = join(dir, program);
      writeFileSync(source, readFileSync(join(testdata, program)));
      const reference = gnu(source, dir, 'rv32i');
      const result = assemble(readFileSync(source, 'utf8'), { fileName: program, march: 'rv32i' });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const ours = join(dir, 'ours.elf');
      writeFileSync(ours, result.elf);
      for (const section of SECTIONS) expect(sectionBytes(ours, section, dir), section).toBe(sectionBytes(reference, section, dir));
      expect(symbols(ours)).toEqual(symbols(reference));
      expect(elfFlags(ours)).toBe(elfFlags(reference));
    });
  }

  it('a long program of random instructions, operands and branch distances (compression and relaxation choices)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boardlab-asm-'));
    const program = 'random.s';
    const text = randomProgram(20261207, 3000);
    const source = join(dir, program);
    writeFileSync(source, text);
    const reference = gnu(source, dir);
    const result = assemble(text, { fileName: program });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const ours = join(dir, 'ours.elf');
    writeFileSync(ours, result.elf);
    expect(sectionBytes(ours, '.text', dir)).toBe(sectionBytes(reference, '.text', dir));
    expect(symbols(ours)).toEqual(symbols(reference));
    expect(lineTable(ours)).toEqual(lineTable(reference));
  });

  it('gdb finds source lines in our ELF as in GNU as output (breakpoints by file:line, info line)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'boardlab-asm-'));
    const program = 'hello-uart.s';
    const source = join(dir, program);
    writeFileSync(source, readFileSync(join(testdata, program)));
    const reference = gnu(source, dir);
    const result = assemble(readFileSync(source, 'utf8'), { fileName: program });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const ours = join(dir, 'ours.elf');
    writeFileSync(ours, result.elf);
    // GNU as records the directory too; gdb then prints full paths. Compare addresses and lines.
    const gdb = (elf: string) =>
      execFileSync('gdb-multiarch', ['-nx', '-batch', '-ex', `break ${program}:16`, '-ex', `break ${program}:18`, '-ex', 'info line *0x80000014', elf], { cwd: dir })
        .toString()
        .replaceAll(`${dir}/`, '');
    const answer = gdb(reference);
    expect(answer).toContain(`file ${program}, line 16.`);
    expect(gdb(ours)).toBe(answer);
  });

  it('covers at least ten programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(10);
  });
});

/** A program of `count` random statements (seeded, so a failure can be reproduced): every register class, immediates at the edges of the compressed ranges, branches near and far. */
function randomProgram(seed: number, count: number): string {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const pick = <T>(items: readonly T[]): T => items[next() % items.length];
  const registers = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's11', 't3', 't6', 'x0', 'x2', 'x8', 'x15', 'fp'];
  const compressed = ['s0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
  const reg = () => pick([...registers, ...compressed, ...compressed]);
  const imm = () => pick([0, 1, -1, 2, 4, 8, 16, 31, 32, -32, -33, 63, 64, 100, 124, 128, 252, 256, 508, 512, -512, 1020, 1024, 2047, -2048, -16, -64, 496, -500, 12, 20]);
  const big = () => pick([imm(), (next() | 0), next(), (next() % 140000) - 70000]);
  const labels = 40;
  const label = () => `L${next() % labels}`;
  const lines = ['    .text', '    .globl _start', '_start:'];
  let defined = 0;
  for (let i = 0; i < count; i++) {
    switch (next() % 12) {
      case 0: lines.push(`${pick(['add', 'sub', 'sll', 'slt', 'sltu', 'xor', 'srl', 'sra', 'or', 'and', 'mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'])} ${reg()}, ${reg()}, ${reg()}`); break;
      case 1: lines.push(`${pick(['addi', 'slti', 'sltiu', 'xori', 'ori', 'andi'])} ${reg()}, ${reg()}, ${imm()}`); break;
      case 2: lines.push(`${pick(['slli', 'srli', 'srai'])} ${reg()}, ${reg()}, ${pick([0, 1, 2, 5, 16, 31])}`); break;
      case 3: lines.push(`${pick(['lb', 'lh', 'lw', 'lbu', 'lhu'])} ${reg()}, ${imm()}(${reg()})`); break;
      case 4: lines.push(`${pick(['sb', 'sh', 'sw'])} ${reg()}, ${imm()}(${reg()})`); break;
      case 5: lines.push(`li ${reg()}, ${big()}`); break;
      case 6: lines.push(`${pick(['mv', 'not', 'neg', 'seqz', 'snez', 'sltz', 'sgtz'])} ${reg()}, ${reg()}`); break;
      case 7: lines.push(`lui ${reg()}, ${pick([0, 1, 31, 32, 0xfffff, 0xfffe0, 0xfffdf, 0x12345])}`); break;
      case 8: lines.push(pick([`jalr ${reg()}`, `jr ${reg()}`, 'ret', 'nop', 'ebreak', 'ecall', `jalr ${reg()}, ${imm()}(${reg()})`, `jalr ${reg()}, ${reg()}, 0`])); break;
      case 9: lines.push(`${pick(['beqz', 'bnez', 'blez', 'bgez', 'bltz', 'bgtz'])} ${reg()}, ${label()}`); break;
      case 10: lines.push(`${pick(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'bgt', 'ble', 'bgtu', 'bleu'])} ${reg()}, ${reg()}, ${label()}`); break;
      default: lines.push(pick([`j ${label()}`, `jal ${label()}`, `jal ${reg()}, ${label()}`, `call ${label()}`, `tail ${label()}`, `la ${reg()}, ${label()}`, `.space ${pick([2, 4, 100, 1000, 3000])}`, `.align ${pick([1, 2, 3, 4])}`]));
    }
    if (defined < labels && next() % 10 === 0) lines.push(`L${defined++}:`);
  }
  for (; defined < labels; defined++) lines.push(`L${defined}: nop`);
  return lines.join('\n') + '\n';
}
