import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseElf } from './image-formats.ts';
import { EM_ARM, EM_RISCV, isMappingSymbol, parseElfSymbols, SHF_ALLOC, SHF_EXECINSTR, SHN_ABS, STB_GLOBAL, STB_LOCAL, STT_FUNC, STT_NOTYPE, STT_OBJECT, SymbolTable, type ElfSymbol } from './elf-symbols.ts';

const counter = new Uint8Array(readFileSync(new URL('../../public/firmware/counter.elf', import.meta.url)));

function symbol(name: string, value: number, extra: Partial<ElfSymbol> = {}): ElfSymbol {
  return { name, value, size: 0, type: STT_NOTYPE, bind: STB_GLOBAL, section: 1, ...extra };
}

const sections = [
  { name: '', address: 0, size: 0, flags: 0, offset: 0, type: 0 },
  { name: '.text', address: 0x8000_0000, size: 0x100, flags: SHF_ALLOC | SHF_EXECINSTR, offset: 0x1000, type: 1 },
  { name: '.bss', address: 0x8000_0100, size: 0x100, flags: SHF_ALLOC, offset: 0x1100, type: 8 },
];

describe('parseElfSymbols', () => {
  it('reads the sections and symbols of a linked firmware image', () => {
    const { sections: found, symbols } = parseElfSymbols(counter);
    const text = found.find((s) => s.name === '.text')!;
    expect(text.flags & SHF_EXECINSTR).not.toBe(0);
    const main = symbols.find((s) => s.name === 'main')!;
    expect(main.type).toBe(STT_FUNC);
    expect(main.size).toBeGreaterThan(0);
    expect(main.value).toBeGreaterThanOrEqual(text.address);
    expect(main.value).toBeLessThan(text.address + text.size);
    const start = symbols.find((s) => s.name === '_start')!;
    expect(start.value).toBe(parseElf(counter).entry);
  });

  it('gives nothing for bytes that are not an ELF file', () => {
    expect(parseElfSymbols(new Uint8Array([1, 2, 3]))).toEqual({ sections: [], symbols: [], machine: 0 });
  });
});

describe('ARM symbols (e_machine EM_ARM): public/firmware/arm/hello.elf', () => {
  const hello = new Uint8Array(readFileSync(new URL('../../public/firmware/arm/hello.elf', import.meta.url)));
  // What Debian's binutils show for this ELF: `arm-none-eabi-nm` prints "00000208 T main" and
  // "000000ec T reset_handler", `arm-none-eabi-objdump -d` lists "00000208 <main>:" with
  // "20c: cbz r2, 236 <main+0x2e>"; readelf shows the stored values 0x209 and 0xed (the Thumb bit).
  it('parses the stored values, with the Thumb bit, and the machine', () => {
    const { symbols, machine } = parseElfSymbols(hello);
    expect(machine).toBe(EM_ARM);
    expect(symbols.find((s) => s.name === 'main')).toMatchObject({ type: STT_FUNC, value: 0x209 });
    expect(symbols.filter((s) => isMappingSymbol(s.name, machine)).map((s) => s.name).sort()).toEqual(expect.arrayContaining(['$d', '$t']));
  });

  it('a Thumb function starts at its value without bit 0, as nm and objdump show it', () => {
    const table = SymbolTable.fromElf(hello);
    expect(table.valueOf('main')).toBe(0x208);
    expect(table.valueOf('reset_handler')).toBe(0xec);
    expect(table.label(0x208)).toBe('main');
    expect(table.label(0x236)).toBe('main+0x2e');
    expect(table.at(0x208).map((s) => s.name)).toEqual(['main']);
  });

  it('$t, $a and $d mapping symbols never name an address', () => {
    const table = SymbolTable.fromElf(hello);
    const { symbols } = parseElfSymbols(hello);
    const thumbMarks = symbols.filter((s) => s.name === '$t').map((s) => s.value);
    expect(thumbMarks.length).toBeGreaterThan(0);
    for (const address of thumbMarks) expect(table.at(address).every((s) => !s.name.startsWith('$'))).toBe(true);
    expect(table.label(0xec)).toBe('reset_handler'); // a $t sits at 0xec too
    for (const name of ['$a', '$t', '$d', '$t.1', '$d.realigned']) expect(isMappingSymbol(name, EM_ARM)).toBe(true);
    for (const name of ['$x', '$tail', 'main']) expect(isMappingSymbol(name, EM_ARM)).toBe(false);
    // RISC-V's conventions are unchanged: $x… and $d are mapping symbols, $t is a name
    expect(isMappingSymbol('$xrv32i2p1', EM_RISCV)).toBe(true);
    expect(isMappingSymbol('$t', EM_RISCV)).toBe(false);
  });

  it('inSection lists the naming symbols of one section: no mapping symbols, Thumb functions without bit 0', () => {
    const { symbols, sections: helloSections } = parseElfSymbols(hello);
    const text = helloSections.findIndex((s) => s.name === '.text');
    const listed = SymbolTable.fromElf(hello).inSection(text);
    expect(listed.map((s) => s.name)).toContain('main');
    expect(listed.find((s) => s.name === 'main')?.value).toBe(symbols.find((s) => s.name === 'main')!.value & ~1);
    expect(listed.every((s) => s.section === text && !isMappingSymbol(s.name, EM_ARM))).toBe(true);
    expect(listed.map((s) => s.value)).toEqual([...listed.map((s) => s.value)].sort((a, b) => a - b));
    expect(symbols.some((s) => s.section === text && isMappingSymbol(s.name, EM_ARM))).toBe(true);
  });

  it('a RISC-V function symbol keeps an odd value (no Thumb bit there)', () => {
    const table = new SymbolTable([symbol('odd', 0x8000_0001, { type: STT_FUNC })], sections, EM_RISCV);
    expect(table.valueOf('odd')).toBe(0x8000_0001);
    const arm = new SymbolTable([symbol('thumb', 0x8000_0001, { type: STT_FUNC }), symbol('data', 0x8000_0003, { type: STT_OBJECT })], sections, EM_ARM);
    expect(arm.valueOf('thumb')).toBe(0x8000_0000);
    expect(arm.valueOf('data')).toBe(0x8000_0003); // only functions carry the Thumb bit
  });
});

describe('SymbolTable', () => {
  it('names an address by the nearest symbol at or below it', () => {
    const table = new SymbolTable([symbol('_start', 0x8000_0000, { type: STT_FUNC }), symbol('main', 0x8000_0040, { type: STT_FUNC })], sections);
    expect(table.label(0x8000_0040)).toBe('main');
    expect(table.label(0x8000_0052)).toBe('main+0x12');
    expect(table.label(0x8000_003e)).toBe('_start+0x3e');
    // Below every symbol: the lowest one, with a negative offset (as objdump prints it).
    expect(table.label(0x7fff_fff0)).toBe('_start-0x10');
    expect(new SymbolTable([]).label(0x1234)).toBeUndefined();
  });

  it('skips mapping, section and file symbols', () => {
    const table = new SymbolTable([symbol('$xrv32i2p1', 0x8000_0010), symbol('$d', 0x8000_0020), symbol('.text', 0x8000_0030, { type: 3 }), symbol('crt0.o', 0x8000_0030, { type: 4 }), symbol('_start', 0x8000_0000)], sections);
    expect(table.label(0x8000_0030)).toBe('_start+0x30');
  });

  it('prefers, among symbols at one address, those of the code’s section, then functions, objects and globals', () => {
    const symbols = [
      symbol('__bss_start', 0x8000_0100, { section: 2 }),
      symbol('failed', 0x8000_0100, { type: STT_OBJECT, bind: STB_LOCAL, section: 2, size: 4 }),
      symbol('STACK_SIZE', 0x1000, { section: SHN_ABS }),
      symbol('label', 0x8000_0080, { bind: STB_LOCAL }),
      symbol('entry', 0x8000_0080, { type: STT_FUNC }),
    ];
    const table = new SymbolTable(symbols, sections);
    expect(table.label(0x8000_0100, 0x8000_0000)).toBe('failed');
    expect(table.label(0x8000_0084)).toBe('entry+0x4');
    expect(table.label(0x800)).toBe('STACK_SIZE-0x800');
    expect(table.at(0x8000_0080).map((s) => s.name)).toEqual(['entry', 'label']);
    expect(table.valueOf('STACK_SIZE')).toBe(0x1000);
  });
});
