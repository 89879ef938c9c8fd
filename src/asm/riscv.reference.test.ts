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

function gnu(source: string, dir: string): string {
  const object = join(dir, 'gas.o');
  const elf = join(dir, 'gas.elf');
  execFileSync('riscv64-unknown-elf-as', ['-march=rv32imac_zicsr_zifencei', '-mabi=ilp32', '-mno-relax', '-g', source, '-o', object]);
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
      const lines = lineTable(reference);
      expect(lines.length).toBeGreaterThan(1);
      expect(lineTable(ours)).toEqual(lines);
    });
  }

  it('covers at least ten programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(10);
  });
});
