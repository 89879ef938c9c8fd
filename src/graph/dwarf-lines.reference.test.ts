// The DWARF line-table reader against GNU objdump: every row `objdump --dwarf=decodedline` lists
// (file name, line, address, view, statement flag, end of sequence) must come out the same from
// ./dwarf-lines.ts — for the committed firmware (gcc -g, DWARF 5, RISC-V and ARM) and for small C
// and assembly programs built here with Debian's cross tools as DWARF 2, 3, 4 and 5, -O0 and -O2.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LineTable, readLineUnits } from './dwarf-lines.ts';
import { parseElfSymbols, STT_FUNC } from './elf-symbols.ts';

const FIRMWARE = join(import.meta.dirname, '../../public/firmware');

interface Row {
  name: string;
  /** The line, or '-' for the end of a sequence. */
  line: string;
  address: number;
  view: number;
  stmt: boolean;
}

/** objdump's decoded rows: "hello.c      14      0x80000088       2       x" (view and x optional; '-' ends a sequence). */
function objdumpRows(objdump: string, file: string): Row[] {
  const out = execFileSync(objdump, ['--dwarf=decodedline', '-w', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const rows: Row[] = [];
  for (const text of out.split('\n')) {
    const match = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+|0)((?:\s+(?:\d+|x))*)\s*$/.exec(text);
    if (match === null) continue;
    const rest = match[4].trim().split(/\s+/).filter((t) => t !== '');
    const view = rest.find((t) => /^\d+$/.test(t));
    rows.push({ name: match[1], line: match[2], address: parseInt(match[3], 16), view: view === undefined ? 0 : Number(view), stmt: rest.includes('x') });
  }
  return rows;
}

/** Our rows, shown as objdump shows them (an end of sequence has no view or statement flag). */
function ourRows(file: string): Row[] {
  const rows: Row[] = [];
  for (const unit of readLineUnits(new Uint8Array(readFileSync(file)))) {
    for (const row of unit.rows) {
      const name = unit.files[row.file]?.name ?? '';
      if (row.endSequence) rows.push({ name, line: '-', address: row.address, view: 0, stmt: false });
      else rows.push({ name, line: String(row.line), address: row.address, view: row.view, stmt: row.isStmt });
    }
  }
  return rows;
}

function endRowsWithoutFlags(rows: Row[]): Row[] {
  return rows.map((r) => (r.line === '-' ? { ...r, view: 0, stmt: false } : r));
}

function expectSameRows(objdump: string, file: string): void {
  const expected = endRowsWithoutFlags(objdumpRows(objdump, file));
  expect(expected.length).toBeGreaterThan(0);
  expect(ourRows(file)).toEqual(expected);
}

const work = mkdtempSync(join(tmpdir(), 'dwarf-lines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const C_PROGRAM = `
static volatile int sink;
static int square(int x) {
  return x * x;
}
/* a comment line */
int sum(int n) {
  int total = 0;
  for (int i = 0; i < n; i++) {
    total += square(i);
  }
  return total;
}
int main(void) {
  sink = sum(10);
  for (;;) {
  }
}
`;

const RISCV_ASM = `
  .text
  .globl main
main:
  li a0, 5
  li a1, 0
loop:
  add a1, a1, a0
  addi a0, a0, -1
  bnez a0, loop
  j main
`;

const THUMB_ASM = `
  .syntax unified
  .thumb
  .text
  .globl main
  .type main, %function
main:
  movs r0, #5
  movs r1, #0
loop:
  adds r1, r1, r0
  subs r0, r0, #1
  bne loop
  b main
`;

function build(name: string, compiler: string, flags: string[], source: string, extension: 'c' | 'S'): string {
  const sourceFile = join(work, `${name}.${extension}`);
  writeFileSync(sourceFile, source);
  const out = join(work, `${name}.elf`);
  execFileSync(compiler, [...flags, '-ffreestanding', '-nostdlib', '-nostartfiles', '-Wl,-e,main', '-Wl,--build-id=none', '-o', out, sourceFile], { cwd: work });
  return out;
}

const RISCV_GCC = 'riscv64-unknown-elf-gcc';
const ARM_GCC = 'arm-none-eabi-gcc';
const RISCV = ['-march=rv32imac_zicsr', '-mabi=ilp32', '-Wl,-Ttext=0x80000000'];
const ARM = ['-mcpu=cortex-m3', '-mthumb', '-Wl,-Ttext=0x100'];

describe('the DWARF line-table reader against objdump --dwarf=decodedline', () => {
  it('reads every committed RISC-V firmware ELF (gcc -g -O2, DWARF 5) as objdump does', () => {
    const files = readdirSync(FIRMWARE).filter((f) => f.endsWith('.elf'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expectSameRows('riscv64-unknown-elf-objdump', join(FIRMWARE, file));
  });

  it('reads every committed ARM firmware ELF as objdump does', () => {
    const folder = join(FIRMWARE, 'arm');
    const files = readdirSync(folder).filter((f) => f.endsWith('.elf'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expectSameRows('arm-none-eabi-objdump', join(folder, file));
  });

  for (const [dwarf, optimise] of [
    ['-gdwarf-5', '-O0'],
    ['-gdwarf-5', '-O2'],
    ['-gdwarf-4', '-O2'],
    ['-gdwarf-3', '-O1'],
    ['-gdwarf-2', '-O0'],
  ] as const) {
    it(`reads a C program built for RV32 with ${dwarf} ${optimise}`, () => {
      expectSameRows('riscv64-unknown-elf-objdump', build(`rv-${dwarf}${optimise}`, RISCV_GCC, [...RISCV, dwarf, optimise], C_PROGRAM, 'c'));
    });
    it(`reads a C program built for Cortex-M3 with ${dwarf} ${optimise}`, () => {
      expectSameRows('arm-none-eabi-objdump', build(`arm-${dwarf}${optimise}`, ARM_GCC, [...ARM, dwarf, optimise], C_PROGRAM, 'c'));
    });
  }

  for (const dwarf of ['-gdwarf-5', '-gdwarf-3']) {
    it(`reads the assembler's own line table (as ${dwarf}) for RISC-V and Thumb`, () => {
      expectSameRows('riscv64-unknown-elf-objdump', build(`rv-asm${dwarf}`, RISCV_GCC, [...RISCV, `-Wa,${dwarf.replace('-g', '--g')}`], RISCV_ASM, 'S'));
      expectSameRows('arm-none-eabi-objdump', build(`arm-asm${dwarf}`, ARM_GCC, [...ARM, `-Wa,${dwarf.replace('-g', '--g')}`], THUMB_ASM, 'S'));
    });
  }

  for (const [image, folder] of [
    ['hello.elf', ''],
    ['arm/hello.elf', 'arm/'],
    ['tasks.elf', ''],
  ] as const) {
    it(`gives the line gdb's "info line *address" gives at every halfword of ${image}'s functions`, () => {
      const file = join(FIRMWARE, image);
      const bytes = new Uint8Array(readFileSync(file));
      const table = LineTable.fromElf(bytes)!;
      const symbols = parseElfSymbols(bytes).symbols.filter((s) => s.type === STT_FUNC && s.size > 0);
      const addresses = symbols.flatMap((s) => Array.from({ length: s.size / 2 }, (_, i) => ((s.value & ~1) + 2 * i) >>> 0)).slice(0, 1500);
      const out = execFileSync('gdb-multiarch', ['-batch', '-nx', ...addresses.flatMap((a) => ['-ex', `info line *0x${a.toString(16)}`]), file], {
        encoding: 'utf8',
        cwd: join(import.meta.dirname, `../../firmware/${folder}`),
        maxBuffer: 64 << 20,
      });
      const answers = out.split('\n').filter((l) => /^(Line \d+ of|No line number)/.test(l));
      expect(addresses.length).toBeGreaterThan(100);
      expect(answers.length).toBe(addresses.length);
      addresses.forEach((address, i) => {
        const match = /^Line (\d+) of "([^"]+)"/.exec(answers[i]);
        const ours = table.at(address);
        expect(ours === undefined ? answers[i] : `${ours.line} ${ours.file}`, `0x${address.toString(16)}`).toBe(match === null ? answers[i] : `${match[1]} ${match[2]}`);
      });
    });
  }

  it('places a breakpoint on a line as gdb does: its first statement address, or the next line with code', () => {
    const elf = build('rv-bp', RISCV_GCC, [...RISCV, '-g', '-O0'], C_PROGRAM, 'c');
    const table = LineTable.fromElf(new Uint8Array(readFileSync(elf)))!;
    const gdbAddress = (line: number) => {
      // gdb-multiarch's own answer: "Breakpoint 1 at 0x80000034: file rv-bp.c, line 9."
      const out = execFileSync('gdb-multiarch', ['-batch', '-nx', '-ex', `break rv-bp.c:${line}`, elf], { encoding: 'utf8' });
      const match = /Breakpoint 1 at (0x[0-9a-f]+): file [^,]+, line (\d+)\./.exec(out);
      if (match === null) throw new Error(`gdb said: ${out}`);
      return { line: Number(match[2]), address: parseInt(match[1], 16) };
    };
    const file = table.files().find((f) => f.endsWith('/rv-bp.c'))!; // compiled by its absolute path
    for (const line of [4, 8, 9, 10, 11, 15]) expect(table.breakpointAddress(file, line), `line ${line}`).toEqual(gdbAddress(line));
  });
});
