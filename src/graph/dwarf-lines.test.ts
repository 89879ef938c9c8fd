// LineTable on the committed firmware (gcc -g): addresses to lines of the real sources, a
// linker-discarded function's sequence (relocated to 0) left out, breakpoints by line, bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DwarfLineError, LineTable, readLineUnits } from './dwarf-lines.ts';
import { parseElfSymbols, SymbolTable } from './elf-symbols.ts';

const root = new URL('../../', import.meta.url);
const elf = (path: string) => new Uint8Array(readFileSync(new URL(path, root)));
const sourceLines = (path: string) => readFileSync(new URL(path, root), 'utf8').split('\n');

describe('LineTable', () => {
  for (const [image, source, sourceRoot] of [
    ['public/firmware/hello.elf', 'hello/hello.c', 'firmware/'],
    ['public/firmware/arm/hello.elf', 'hello/hello.c', 'firmware/arm/'],
  ] as const) {
    it(`maps ${image}'s main into the body of main in ${sourceRoot}${source}, and breakpoints on its lines to their code`, () => {
      const bytes = elf(image);
      const table = LineTable.fromElf(bytes)!;
      const main = SymbolTable.fromElf(bytes).valueOf('main')!;
      const text = sourceLines(`${sourceRoot}${source}`);
      expect(table.files()).toContain(source);
      const position = table.at(main)!;
      expect(position.file).toBe(source);
      // -O2 puts several rows at main's address; the last statement among them names it (gdb's choice too)
      const opening = text.findIndex((l) => l.includes('main(void)')) + 1;
      expect(position.line).toBeGreaterThan(opening);
      expect(position.line).toBeLessThan(text.findIndex((l) => l.includes('sum += i;')) + 1);
      expect(table.startsStatement(main)).toBe(true);
      // a breakpoint on the loop body goes to code of that line
      const body = text.findIndex((l) => l.includes('sum += i;')) + 1;
      const breakpoint = table.breakpointAddress(source, body)!;
      expect(breakpoint.line).toBe(body);
      expect(table.at(breakpoint.address)).toEqual({ file: source, line: body, address: breakpoint.address });
      // a comment line has no code: the breakpoint moves on to the next line that has
      const comment = text.findIndex((l) => l.includes('Hide the bound')) + 1;
      expect(table.breakpointAddress(source, comment)!.line).toBeGreaterThan(comment);
      expect(table.linesOf(source)).not.toContain(comment);
      expect(table.linesOf(source)).toContain(body);
    });
  }

  it("leaves out sequences of functions the linker discarded (relocated to 0): none covers the ARM vector table or RISC-V's address 0", () => {
    for (const image of ['public/firmware/hello.elf', 'public/firmware/arm/hello.elf']) {
      const bytes = elf(image);
      // the raw table does have rows at 0 (gc'd functions), the debugger's view does not
      expect(readLineUnits(bytes).some((u) => u.rows.some((r) => r.address === 0 && !r.endSequence))).toBe(true);
      expect(LineTable.fromElf(bytes)!.at(0)).toBeUndefined();
      expect(LineTable.fromElf(bytes)!.at(2)).toBeUndefined();
    }
  });

  it('has no table for an ELF without .debug_line, and none (rather than a crash) for a truncated one', () => {
    expect(LineTable.fromElf(new Uint8Array([1, 2, 3]))).toBeUndefined();
    const bytes = elf('public/firmware/hello.elf').slice();
    const debugLine = parseElfSymbols(bytes).sections.find((s) => s.name === '.debug_line')!;
    // claim the first unit is longer than the section
    new DataView(bytes.buffer).setUint32(debugLine.offset, debugLine.size + 100, true);
    expect(() => readLineUnits(bytes)).toThrow(DwarfLineError);
    expect(() => readLineUnits(bytes)).toThrow(/\.debug_line: the unit at offset 0x0 claims \d+ bytes, past the section's end/);
    expect(LineTable.fromElf(bytes)).toBeUndefined();
  });
});

describe('LineTable on what BoardLab assembles (src/asm)', () => {
  it('reads the assembler’s line table: every instruction at the line it came from, breakpoints by line', async () => {
    const { assemble } = await import('../asm/index.ts');
    const source = [
      '  .text', // 1
      '  .globl _start',
      '_start:',
      '  li a0, 5', // 4
      '  li a1, 0',
      'loop:',
      '  add a1, a1, a0', // 7
      '  addi a0, a0, -1',
      '  bnez a0, loop',
      '  call done', // 10
      'spin: j spin',
      'done: ret',
    ].join('\n');
    const result = assemble(source, { fileName: 'sum.s' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const table = LineTable.fromElf(result.elf)!;
    expect(table.files()).toEqual(['sum.s']);
    expect(result.lines.length).toBe(8); // one row per line with code, as GNU as writes them
    for (const row of result.lines) expect(table.at(row.address), `0x${row.address.toString(16)}`).toMatchObject({ file: 'sum.s', line: row.line });
    expect(table.linesOf('sum.s')).toEqual([4, 5, 7, 8, 9, 10, 11, 12]);
    // a label's own line has no code: a breakpoint there goes to the next instruction's line
    expect(table.breakpointAddress('sum.s', 6)).toEqual({ line: 7, address: result.symbols.find((s) => s.name === 'loop')!.address });
  });
});
