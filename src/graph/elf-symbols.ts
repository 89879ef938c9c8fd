// Symbols of an ELF32 file (its .symtab), and the symbol a disassembly names an address by —
// chosen the way GNU objdump chooses it, so `<main+0x1c>` reads the same in both. Pure data, like
// ./image-formats.ts: nothing is loaded or run. The architecture (e_machine) decides two things:
// which names are mapping symbols (RISC-V `$x…`/`$d`, ARM `$a`/`$t`/`$d`), which never name an
// address, and whether a function's value carries the Thumb bit (ARM: bit 0 of an STT_FUNC
// symbol is set for Thumb code; the function starts at the value without it, as nm and objdump show).
import { hasElfHeader } from './image-formats.ts';

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_*: 0 NOTYPE, 1 OBJECT, 2 FUNC, 3 SECTION, 4 FILE. */
  type: number;
  /** STB_*: 0 LOCAL, 1 GLOBAL, 2 WEAK. */
  bind: number;
  /** Section header index; 0xfff1 is SHN_ABS. */
  section: number;
}

export interface ElfSection {
  name: string;
  address: number;
  size: number;
  flags: number;
  /** Where the section's bytes are in the file (SHT_NOBITS sections such as .bss have none there). */
  offset: number;
  /** SHT_*: 1 PROGBITS, 2 SYMTAB, 8 NOBITS, … */
  type: number;
}

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
/** Section flag: occupies memory at run time. */
export const SHF_ALLOC = 2;
/** Section flag: holds instructions. */
export const SHF_EXECINSTR = 4;

/** e_machine values whose symbols this file knows the conventions of. */
export const EM_ARM = 40;
export const EM_RISCV = 243;

const SHT_SYMTAB = 2;
/** Offset of e_machine in the ELF header. */
const E_MACHINE = 18;
const SYMBOL_BYTES = 16;

/**
 * Sections and symbols of an ELF32 little-endian file, values as stored (an ARM Thumb function's
 * with its bit 0), and its e_machine; empty lists and machine 0 when it has none or is not one.
 */
export function parseElfSymbols(bytes: Uint8Array): { sections: ElfSection[]; symbols: ElfSymbol[]; machine: number } {
  const none = { sections: [], symbols: [], machine: 0 };
  // ELF32 (class 1), little-endian (data 1)
  if (!hasElfHeader(bytes) || bytes[4] !== 1 || bytes[5] !== 1) return none;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = view.getUint16(E_MACHINE, true);
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  const shnum = view.getUint16(48, true);
  const shstrndx = view.getUint16(50, true);
  if (shoff === 0 || shentsize < 40 || shoff + shnum * shentsize > bytes.length) return { ...none, machine };
  const header = (i: number) => {
    const h = shoff + i * shentsize;
    return {
      name: view.getUint32(h, true),
      type: view.getUint32(h + 4, true),
      flags: view.getUint32(h + 8, true),
      address: view.getUint32(h + 12, true),
      offset: view.getUint32(h + 16, true),
      size: view.getUint32(h + 20, true),
      link: view.getUint32(h + 24, true),
    };
  };
  const headers = Array.from({ length: shnum }, (_, i) => header(i));
  const decoder = new TextDecoder();
  const stringAt = (table: number, offset: number): string => {
    const t = headers[table];
    if (t === undefined) return '';
    const start = t.offset + offset;
    let end = start;
    while (end < bytes.length && end < t.offset + t.size && bytes[end] !== 0) end++;
    return decoder.decode(bytes.subarray(start, end));
  };
  const sections = headers.map((h) => ({ name: stringAt(shstrndx, h.name), address: h.address, size: h.size, flags: h.flags, offset: h.offset, type: h.type }));
  const symbols: ElfSymbol[] = [];
  for (const table of headers) {
    if (table.type !== SHT_SYMTAB || table.offset + table.size > bytes.length) continue;
    for (let at = table.offset + SYMBOL_BYTES; at + SYMBOL_BYTES <= table.offset + table.size; at += SYMBOL_BYTES) {
      const info = bytes[at + 12];
      symbols.push({
        name: stringAt(table.link, view.getUint32(at, true)),
        value: view.getUint32(at + 4, true),
        size: view.getUint32(at + 8, true),
        type: info & 15,
        bind: info >> 4,
        section: view.getUint16(at + 14, true),
      });
    }
  }
  return { sections, symbols, machine };
}

/**
 * Mapping symbols mark code and data; they never name addresses. RISC-V: `$x`, `$xrv32i2p1…`,
 * `$d`; ARM (EM_ARM): `$a` (ARM code), `$t` (Thumb code), `$d` (data), each also with a `.suffix`.
 */
export function isMappingSymbol(name: string, machine: number): boolean {
  if (machine === EM_ARM) return /^\$[atd](\.|$)/.test(name);
  return name === '$d' || name.startsWith('$x');
}

/** A symbol's address as nm and objdump show it: an ARM Thumb function's value without its Thumb bit (bit 0). */
function symbolAddress(symbol: ElfSymbol, machine: number): ElfSymbol {
  return machine === EM_ARM && symbol.type === STT_FUNC && (symbol.value & 1) !== 0 ? { ...symbol, value: (symbol.value & ~1) >>> 0 } : symbol;
}

/** Names like crt0.o or libc.a: file names, which objdump puts after more useful symbols. */
function looksLikeFileName(name: string): boolean {
  return name.length > 2 && (name.endsWith('.o') || name.endsWith('.a'));
}

/**
 * objdump's order among symbols at one address (its compare_symbols): symbols of the section being
 * disassembled first, then functions, objects, globals before locals, larger before smaller, names
 * not starting with '.', and finally by name.
 */
function preference(a: ElfSymbol, b: ElfSymbol, preferredSection: number): number {
  const rules: Array<(s: ElfSymbol) => boolean> = [
    (s) => s.section === preferredSection,
    (s) => !looksLikeFileName(s.name),
    (s) => s.type === STT_FUNC,
    (s) => s.type === STT_OBJECT,
    (s) => s.bind !== STB_LOCAL,
    (s) => s.bind === STB_GLOBAL,
  ];
  for (const rule of rules) {
    const ra = rule(a);
    if (ra !== rule(b)) return ra ? -1 : 1;
  }
  if (a.size !== b.size) return a.size > b.size ? -1 : 1;
  const aDot = a.name.startsWith('.');
  if (aDot !== b.name.startsWith('.')) return aDot ? 1 : -1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Names addresses by symbols the way objdump does: the nearest symbol at or below an address,
 * `name+0xoffset` past it (an address below every symbol is named after the lowest one, with a
 * negative offset). Among symbols at one address, objdump's preference order (see `preference`)
 * decides, with the section of the code being disassembled as the preferred section.
 */
export class SymbolTable {
  /** Symbols that can name addresses, by value. */
  private readonly sorted: ElfSymbol[];
  private readonly sections: ElfSection[];

  /** `machine`: the ELF's e_machine (default RISC-V), for its mapping symbols and ARM's Thumb bit. */
  constructor(symbols: readonly ElfSymbol[], sections: readonly ElfSection[] = [], machine = EM_RISCV) {
    this.sorted = symbols
      .filter((s) => s.name !== '' && s.type !== STT_SECTION && s.type !== STT_FILE && s.section !== SHN_UNDEF && s.section !== SHN_COMMON && !isMappingSymbol(s.name, machine))
      .map((s) => symbolAddress(s, machine))
      .sort((a, b) => a.value - b.value);
    this.sections = [...sections];
  }

  static fromElf(bytes: Uint8Array): SymbolTable {
    const { symbols, sections, machine } = parseElfSymbols(bytes);
    return new SymbolTable(symbols, sections, machine);
  }

  get size(): number {
    return this.sorted.length;
  }

  /** The symbols that name addresses in section `index` (by section header index), by value. */
  inSection(index: number): ElfSymbol[] {
    return this.sorted.filter((s) => s.section === index);
  }

  /** The value of a symbol by name (the first one), e.g. `__global_pointer$`. */
  valueOf(name: string): number | undefined {
    return this.sorted.find((s) => s.name === name)?.value;
  }

  /** Symbols that start exactly at `address` (labels a listing shows above the line), best first. */
  at(address: number): ElfSymbol[] {
    address >>>= 0;
    const preferred = this.sectionIndexOf(address);
    return this.sorted.filter((s) => s.value === address).sort((a, b) => preference(a, b, preferred));
  }

  /**
   * The symbol objdump names `address` by when it disassembles code at `from` (default: the
   * address itself), or undefined when there are no symbols.
   */
  find(address: number, from = address): ElfSymbol | undefined {
    if (this.sorted.length === 0) return undefined;
    address >>>= 0;
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].value <= address) lo = mid + 1;
      else hi = mid;
    }
    const value = this.sorted[lo === 0 ? 0 : lo - 1].value;
    const preferred = this.sectionIndexOf(from >>> 0);
    let best: ElfSymbol | undefined;
    for (const s of this.sorted) {
      if (s.value !== value) continue;
      if (best === undefined || preference(s, best, preferred) < 0) best = s;
    }
    return best;
  }

  /** `name`, `name+0x1c` or `name-0x800` for an address, or undefined when there are no symbols. */
  label(address: number, from = address): string | undefined {
    const symbol = this.find(address, from);
    if (symbol === undefined) return undefined;
    address >>>= 0;
    if (address === symbol.value) return symbol.name;
    return address > symbol.value ? `${symbol.name}+0x${(address - symbol.value).toString(16)}` : `${symbol.name}-0x${(symbol.value - address).toString(16)}`;
  }

  /** Index of the allocated section holding `address`, or -1. */
  private sectionIndexOf(address: number): number {
    for (let i = 1; i < this.sections.length; i++) {
      const s = this.sections[i];
      if ((s.flags & SHF_ALLOC) !== 0 && s.size > 0 && address >= s.address && address < s.address + s.size) return i;
    }
    return -1;
  }
}
