// ELF32 little-endian executable writer: PT_LOAD segments for the text segment (code, read-only
// data) and the data segment (data, bss), .symtab/.strtab with every label, and the DWARF sections.

import { encodeCompileUnit } from './dwarf-line.ts';

export interface ElfSection {
  name: string;
  address: number;
  data: Uint8Array;
  /** .bss: takes memory, no file bytes. */
  nobits: boolean;
  executable: boolean;
  writable: boolean;
  alignment: number;
}

export interface ElfSymbol {
  name: string;
  address: number;
  size: number;
  /** Output section name, or `*ABS*`. */
  sectionName: string;
  binding: 'local' | 'global';
  type: 'function' | 'object' | 'notype';
}

export interface ElfImage {
  machine: number;
  flags: number;
  entry: number;
  sections: ElfSection[];
  symbols: ElfSymbol[];
  fileName: string;
  debugLine: Uint8Array;
  debugRanges: Array<{ start: number; end: number }>;
}

const ELF_HEADER_SIZE = 52;
const PROGRAM_HEADER_SIZE = 32;
const SECTION_HEADER_SIZE = 40;
const SYMBOL_SIZE = 16;
const ET_EXEC = 2;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;
const SHN_ABS = 0xfff1;
const STB_LOCAL = 0;
const STB_GLOBAL = 1;
const STT_NOTYPE = 0;
const STT_OBJECT = 1;
const STT_FUNC = 2;
const STT_FILE = 4;
/** Segments are placed in the file at their address modulo the page size, as ld does. */
const SEGMENT_ALIGN = 0x1000;

class StringTable {
  private readonly bytes: number[] = [0];
  private readonly offsets = new Map<string, number>();
  add(s: string): number {
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const offset = this.bytes.length;
    this.bytes.push(...new TextEncoder().encode(s), 0);
    this.offsets.set(s, offset);
    return offset;
  }
  data(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

interface SectionHeader {
  name: string;
  type: number;
  flags: number;
  address: number;
  data: Uint8Array;
  size: number;
  link: number;
  info: number;
  alignment: number;
  entrySize: number;
  offset: number;
}

export function writeElf(image: ElfImage): Uint8Array {
  const headers: SectionHeader[] = [];
  const header = (h: Omit<SectionHeader, 'offset' | 'size' | 'link' | 'info' | 'entrySize'> & Partial<SectionHeader>): SectionHeader => {
    const full: SectionHeader = { size: h.data.length, link: 0, info: 0, entrySize: 0, offset: 0, ...h };
    headers.push(full);
    return full;
  };
  header({ name: '', type: 0, flags: 0, address: 0, data: new Uint8Array(0), alignment: 0 });
  const sectionIndex = new Map<string, number>();
  for (const s of image.sections) {
    sectionIndex.set(s.name, headers.length);
    header({
      name: s.name,
      type: s.nobits ? SHT_NOBITS : SHT_PROGBITS,
      flags: SHF_ALLOC | (s.executable ? SHF_EXECINSTR : 0) | (s.writable ? SHF_WRITE : 0),
      address: s.address,
      data: s.nobits ? new Uint8Array(0) : s.data,
      size: s.data.length,
      alignment: s.alignment,
    });
  }
  if (image.debugRanges.length > 0) {
    const low = Math.min(...image.debugRanges.map((r) => r.start));
    const high = Math.max(...image.debugRanges.map((r) => r.end));
    const unit = encodeCompileUnit(image.fileName, low, high);
    header({ name: '.debug_info', type: SHT_PROGBITS, flags: 0, address: 0, data: unit.info, alignment: 1 });
    header({ name: '.debug_abbrev', type: SHT_PROGBITS, flags: 0, address: 0, data: unit.abbrev, alignment: 1 });
    header({ name: '.debug_line', type: SHT_PROGBITS, flags: 0, address: 0, data: image.debugLine, alignment: 1 });
  }

  // Symbols: the null symbol, the file, the locals, then the globals (ELF requires locals first).
  const strtab = new StringTable();
  const ordered = [...image.symbols.filter((s) => s.binding === 'local'), ...image.symbols.filter((s) => s.binding === 'global')];
  const symtab = new Uint8Array(SYMBOL_SIZE * (2 + ordered.length));
  const sym = new DataView(symtab.buffer);
  const putSymbol = (index: number, name: number, value: number, size: number, info: number, shndx: number) => {
    const at = index * SYMBOL_SIZE;
    sym.setUint32(at, name, true);
    sym.setUint32(at + 4, value >>> 0, true);
    sym.setUint32(at + 8, size >>> 0, true);
    sym.setUint8(at + 12, info);
    sym.setUint8(at + 13, 0);
    sym.setUint16(at + 14, shndx, true);
  };
  putSymbol(1, strtab.add(image.fileName), 0, 0, (STB_LOCAL << 4) | STT_FILE, SHN_ABS);
  ordered.forEach((s, i) => {
    const type = s.type === 'function' ? STT_FUNC : s.type === 'object' ? STT_OBJECT : STT_NOTYPE;
    const binding = s.binding === 'global' ? STB_GLOBAL : STB_LOCAL;
    putSymbol(2 + i, strtab.add(s.name), s.address, s.size, (binding << 4) | type, sectionIndex.get(s.sectionName) ?? SHN_ABS);
  });
  const firstGlobal = 2 + ordered.filter((s) => s.binding === 'local').length;
  const symtabIndex = headers.length;
  header({ name: '.symtab', type: SHT_SYMTAB, flags: 0, address: 0, data: symtab, alignment: 4, entrySize: SYMBOL_SIZE, link: symtabIndex + 1, info: firstGlobal });
  header({ name: '.strtab', type: SHT_STRTAB, flags: 0, address: 0, data: strtab.data(), alignment: 1 });
  const shstrtab = new StringTable();
  for (const h of headers) shstrtab.add(h.name);
  shstrtab.add('.shstrtab');
  const shstrtabHeader = header({ name: '.shstrtab', type: SHT_STRTAB, flags: 0, address: 0, data: new Uint8Array(0), alignment: 1 });
  shstrtabHeader.data = shstrtab.data();
  shstrtabHeader.size = shstrtabHeader.data.length;

  // Segments: the read-only/executable sections, then the writable ones.
  const segments = [image.sections.filter((s) => !s.writable), image.sections.filter((s) => s.writable)].filter((group) => group.length > 0);
  let offset = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE * segments.length;
  const place = (h: SectionHeader, congruent: boolean) => {
    if (congruent) {
      const want = h.address % SEGMENT_ALIGN;
      const base = offset - (offset % SEGMENT_ALIGN);
      offset = base + want >= offset ? base + want : base + SEGMENT_ALIGN + want;
    } else {
      const a = Math.max(1, h.alignment);
      offset = Math.ceil(offset / a) * a;
    }
    h.offset = offset;
    if (h.type !== SHT_NOBITS) offset += h.data.length;
  };
  // Sections of one segment sit in the file as they sit in memory (the gaps between them padded).
  for (const group of segments) {
    const first = headers[sectionIndex.get(group[0].name) as number];
    place(first, true);
    for (const s of group.slice(1)) {
      const h = headers[sectionIndex.get(s.name) as number];
      h.offset = first.offset + (s.address - first.address);
      if (h.type !== SHT_NOBITS) offset = Math.max(offset, h.offset + h.data.length);
      else offset = Math.max(offset, h.offset);
    }
  }
  for (const h of headers.slice(1)) if (!(h.flags & SHF_ALLOC)) place(h, false);
  offset = Math.ceil(offset / 4) * 4;
  const sectionHeadersAt = offset;
  const total = sectionHeadersAt + SECTION_HEADER_SIZE * headers.length;

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  // ELF header
  out.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* little endian */, 1 /* EV_CURRENT */], 0);
  view.setUint16(16, ET_EXEC, true);
  view.setUint16(18, image.machine, true);
  view.setUint32(20, 1, true);
  view.setUint32(24, image.entry >>> 0, true);
  view.setUint32(28, ELF_HEADER_SIZE, true);
  view.setUint32(32, sectionHeadersAt, true);
  view.setUint32(36, image.flags, true);
  view.setUint16(40, ELF_HEADER_SIZE, true);
  view.setUint16(42, PROGRAM_HEADER_SIZE, true);
  view.setUint16(44, segments.length, true);
  view.setUint16(46, SECTION_HEADER_SIZE, true);
  view.setUint16(48, headers.length, true);
  view.setUint16(50, headers.length - 1, true);
  // Program headers
  segments.forEach((group, i) => {
    const at = ELF_HEADER_SIZE + i * PROGRAM_HEADER_SIZE;
    const first = headers[sectionIndex.get(group[0].name) as number];
    const last = group[group.length - 1];
    const memorySize = last.address + last.data.length - group[0].address;
    const fileBacked = group.filter((s) => !s.nobits);
    const lastFile = fileBacked[fileBacked.length - 1];
    const fileSize = lastFile ? lastFile.address + lastFile.data.length - group[0].address : 0;
    view.setUint32(at, PT_LOAD, true);
    view.setUint32(at + 4, first.offset, true);
    view.setUint32(at + 8, group[0].address >>> 0, true);
    view.setUint32(at + 12, group[0].address >>> 0, true);
    view.setUint32(at + 16, fileSize, true);
    view.setUint32(at + 20, memorySize, true);
    view.setUint32(at + 24, PF_R | (group.some((s) => s.writable) ? PF_W : 0) | (group.some((s) => s.executable) ? PF_X : 0), true);
    view.setUint32(at + 28, SEGMENT_ALIGN, true);
  });
  // Section contents and headers
  headers.forEach((h, i) => {
    if (h.type !== SHT_NOBITS && h.data.length > 0) out.set(h.data, h.offset);
    const at = sectionHeadersAt + i * SECTION_HEADER_SIZE;
    view.setUint32(at, i === 0 ? 0 : shstrtab.add(h.name), true);
    view.setUint32(at + 4, h.type, true);
    view.setUint32(at + 8, h.flags, true);
    view.setUint32(at + 12, h.address >>> 0, true);
    view.setUint32(at + 16, i === 0 ? 0 : h.offset, true);
    view.setUint32(at + 20, h.size, true);
    view.setUint32(at + 24, h.link, true);
    view.setUint32(at + 28, h.info, true);
    view.setUint32(at + 32, h.alignment, true);
    view.setUint32(at + 36, h.entrySize, true);
  });
  return out;
}
