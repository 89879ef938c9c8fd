// DWARF line tables (.debug_line, versions 2 to 5) of an ELF32 little-endian file: which source
// file and line each instruction address comes from, and which addresses a line's code starts at.
// Pure data, like ./elf-symbols.ts beside it: the debugger (src/workers/debugger.ts) steps and
// breaks by line with it, for gcc -g firmware and for what the assembler (src/asm) writes alike.
//
// A line program is a byte code for a small state machine (DWARF 5, section 6.2): each opcode
// moves the address and line registers, and "copy", special opcodes and end_sequence emit a row.
// The rows of one sequence cover [first address, end_sequence address). The file table says where
// each file is: a name, relative to a directory of the include-directory table, itself relative
// to the compilation directory (directory 0 in DWARF 5; in DWARF 2–4, whatever DW_AT_comp_dir
// says, which we leave as '' since only .debug_info carries it). Names in DWARF 5 are often
// DW_FORM_line_strp: offsets into .debug_line_str.
//
// `readLineRows` gives every row, exactly as `objdump --dwarf=decodedline` lists them (the
// reference test compares). `LineTable` is what a debugger needs on top: rows of code the linker
// kept (with --gc-sections, a discarded function's sequence is still there, relocated to address 0),
// the line at an address (as gdb's find_pc_line picks it) and the address a breakpoint on a line goes to.
import { EM_ARM, isMappingSymbol, parseElfSymbols, SHF_EXECINSTR, STT_FILE, STT_OBJECT, STT_SECTION, type ElfSection, type ElfSymbol } from './elf-symbols.ts';

/** One row of a line table: an address and the source position its code comes from. */
export interface LineRow {
  address: number;
  /** Index into the unit's `files`. */
  file: number;
  line: number;
  column: number;
  /** A recommended breakpoint location: the start of a statement. */
  isStmt: boolean;
  /** The first address after the sequence (the row holds no position). */
  endSequence: boolean;
  /** Rows at one address are numbered 0, 1, … (DWARF 5 location views, as binutils counts them). */
  view: number;
}

export interface LineFile {
  /** The name as the file table holds it ("hello.c", "common/uart.c"). */
  name: string;
  /** Where it is: the directory joined with the name, normalised ("hello/hello.c", "../common/print.c", "/usr/lib/…/stdint-gcc.h"). */
  path: string;
}

/** One line program (one per compilation unit). */
export interface LineUnit {
  /** Offset of the unit in .debug_line. */
  offset: number;
  version: number;
  /** The include directories, index 0 the compilation directory in DWARF 5. */
  directories: string[];
  /** The file table, indexed as the program's file register is (DWARF 5 from 0, earlier from 1: entry 0 is then a placeholder). */
  files: LineFile[];
  rows: LineRow[];
}

/** A malformed line table: what and where. */
export class DwarfLineError extends Error {}

const DW_LNS_COPY = 1;
const DW_LNS_ADVANCE_PC = 2;
const DW_LNS_ADVANCE_LINE = 3;
const DW_LNS_SET_FILE = 4;
const DW_LNS_SET_COLUMN = 5;
const DW_LNS_NEGATE_STMT = 6;
const DW_LNS_SET_BASIC_BLOCK = 7;
const DW_LNS_CONST_ADD_PC = 8;
const DW_LNS_FIXED_ADVANCE_PC = 9;
const DW_LNS_SET_PROLOGUE_END = 10;
const DW_LNS_SET_EPILOGUE_BEGIN = 11;
const DW_LNS_SET_ISA = 12;
const DW_LNE_END_SEQUENCE = 1;
const DW_LNE_SET_ADDRESS = 2;
const DW_LNE_DEFINE_FILE = 3;
const DW_LNE_SET_DISCRIMINATOR = 4;

const DW_LNCT_PATH = 1;
const DW_LNCT_DIRECTORY_INDEX = 2;

const DW_FORM_BLOCK2 = 0x03;
const DW_FORM_BLOCK4 = 0x04;
const DW_FORM_DATA2 = 0x05;
const DW_FORM_DATA4 = 0x06;
const DW_FORM_DATA8 = 0x07;
const DW_FORM_STRING = 0x08;
const DW_FORM_BLOCK = 0x09;
const DW_FORM_BLOCK1 = 0x0a;
const DW_FORM_DATA1 = 0x0b;
const DW_FORM_SDATA = 0x0d;
const DW_FORM_STRP = 0x0e;
const DW_FORM_UDATA = 0x0f;
const DW_FORM_DATA16 = 0x1e;
const DW_FORM_LINE_STRP = 0x1f;

/** unit_length's escape for the 64-bit DWARF format. */
const DWARF64_ESCAPE = 0xffff_ffff;

/** A little-endian reader over a section's bytes, positions relative to the section. */
class Cursor {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
    private readonly section: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(count: number): void {
    if (this.at + count > this.bytes.length) throw new DwarfLineError(`${this.section}: truncated at offset 0x${this.at.toString(16)} (wanted ${count} more bytes)`);
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.at++];
  }
  i8(): number {
    return (this.u8() << 24) >> 24;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.at, true);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at, true);
    this.at += 4;
    return v;
  }
  /** An 8-byte value (a DWARF64 offset, a data8): only its value below 2^53 matters here. */
  u64(): number {
    const low = this.u32();
    return this.u32() * 2 ** 32 + low;
  }
  /** An unsigned value of `size` bytes (an address: 4 in ELF32, 8 allowed). */
  sized(size: number): number {
    if (size === 1) return this.u8();
    if (size === 2) return this.u16();
    if (size === 4) return this.u32();
    if (size === 8) return this.u64();
    throw new DwarfLineError(`${this.section}: unsupported size ${size} at offset 0x${this.at.toString(16)}`);
  }
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
  }
  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return (byte & 0x40) !== 0 ? result - scale : result;
    }
  }
  cstring(): string {
    const start = this.at;
    while (this.at < this.bytes.length && this.bytes[this.at] !== 0) this.at++;
    if (this.at >= this.bytes.length) throw new DwarfLineError(`${this.section}: unterminated string at offset 0x${start.toString(16)}`);
    const text = new TextDecoder().decode(this.bytes.subarray(start, this.at));
    this.at++;
    return text;
  }
  skip(count: number): void {
    this.need(count);
    this.at += count;
  }
}

/** A NUL-terminated string at `offset` of a string section (.debug_line_str, .debug_str). */
function stringAt(section: Uint8Array | undefined, offset: number, name: string): string {
  if (section === undefined) throw new DwarfLineError(`.debug_line: a name refers to ${name}, which the file does not have`);
  if (offset >= section.length) throw new DwarfLineError(`.debug_line: a name's offset 0x${offset.toString(16)} is past the end of ${name}`);
  return new Cursor(section, offset, name).cstring();
}

/** Joins a directory and a name the way a path is resolved, folding "." and "dir/.." ("." + "hello/hello.c" → "hello/hello.c"). */
function joinPath(directory: string, name: string): string {
  const full = name.startsWith('/') || directory === '' ? name : `${directory}/${name}`;
  const absolute = full.startsWith('/');
  const parts: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (part === '..' && absolute) continue;
    else parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined === '' ? '.' : joined;
}

interface Strings {
  lineStr?: Uint8Array;
  str?: Uint8Array;
}

/** One attribute value of a DWARF 5 directory or file entry: a number or a string. */
function readForm(cursor: Cursor, form: number, offsetSize: number, strings: Strings): number | string {
  switch (form) {
    case DW_FORM_STRING:
      return cursor.cstring();
    case DW_FORM_LINE_STRP:
      return stringAt(strings.lineStr, cursor.sized(offsetSize), '.debug_line_str');
    case DW_FORM_STRP:
      return stringAt(strings.str, cursor.sized(offsetSize), '.debug_str');
    case DW_FORM_UDATA:
      return cursor.uleb();
    case DW_FORM_SDATA:
      return cursor.sleb();
    case DW_FORM_DATA1:
      return cursor.u8();
    case DW_FORM_DATA2:
      return cursor.u16();
    case DW_FORM_DATA4:
      return cursor.u32();
    case DW_FORM_DATA8:
      return cursor.u64();
    case DW_FORM_DATA16:
      cursor.skip(16); // an MD5 digest
      return 0;
    case DW_FORM_BLOCK1:
      cursor.skip(cursor.u8());
      return 0;
    case DW_FORM_BLOCK2:
      cursor.skip(cursor.u16());
      return 0;
    case DW_FORM_BLOCK4:
      cursor.skip(cursor.u32());
      return 0;
    case DW_FORM_BLOCK:
      cursor.skip(cursor.uleb());
      return 0;
    default:
      throw new DwarfLineError(`.debug_line: unsupported attribute form 0x${form.toString(16)} in an entry format at offset 0x${cursor.at.toString(16)}`);
  }
}

/** A DWARF 5 entry table (directories or files): its format, then its entries, each a map from content type to value. */
function readEntryTable(cursor: Cursor, offsetSize: number, strings: Strings): Array<Map<number, number | string>> {
  const formatCount = cursor.u8();
  const format: Array<[number, number]> = [];
  for (let i = 0; i < formatCount; i++) format.push([cursor.uleb(), cursor.uleb()]);
  const count = cursor.uleb();
  const entries: Array<Map<number, number | string>> = [];
  for (let i = 0; i < count; i++) {
    const entry = new Map<number, number | string>();
    for (const [content, form] of format) entry.set(content, readForm(cursor, form, offsetSize, strings));
    entries.push(entry);
  }
  return entries;
}

/** Reads one line program at `cursor` (its unit_length first); the cursor ends after it. */
function readUnit(cursor: Cursor, strings: Strings): LineUnit {
  const offset = cursor.at;
  let length = cursor.u32();
  let offsetSize = 4;
  if (length === DWARF64_ESCAPE) {
    length = cursor.u64();
    offsetSize = 8;
  }
  const end = cursor.at + length;
  if (end > cursor.bytes.length) throw new DwarfLineError(`.debug_line: the unit at offset 0x${offset.toString(16)} claims ${length} bytes, past the section's end`);
  const version = cursor.u16();
  if (version < 2 || version > 5) throw new DwarfLineError(`.debug_line: the unit at offset 0x${offset.toString(16)} is DWARF version ${version}; versions 2 to 5 are supported`);
  let addressSize = 4;
  if (version >= 5) {
    addressSize = cursor.u8();
    cursor.u8(); // segment_selector_size
  }
  const headerLength = cursor.sized(offsetSize);
  const programStart = cursor.at + headerLength;
  const minimumInstructionLength = cursor.u8();
  const maximumOperations = version >= 4 ? cursor.u8() : 1;
  const defaultIsStmt = cursor.u8() !== 0;
  const lineBase = cursor.i8();
  const lineRange = cursor.u8();
  const opcodeBase = cursor.u8();
  if (lineRange === 0) throw new DwarfLineError(`.debug_line: the unit at offset 0x${offset.toString(16)} has line_range 0`);
  const argumentCounts = [0];
  for (let i = 1; i < opcodeBase; i++) argumentCounts.push(cursor.u8());

  const directories: string[] = [];
  const files: LineFile[] = [];
  if (version >= 5) {
    for (const entry of readEntryTable(cursor, offsetSize, strings)) directories.push(String(entry.get(DW_LNCT_PATH) ?? ''));
    for (const entry of readEntryTable(cursor, offsetSize, strings)) {
      const name = String(entry.get(DW_LNCT_PATH) ?? '');
      const directory = Number(entry.get(DW_LNCT_DIRECTORY_INDEX) ?? 0);
      files.push({ name, path: joinPath(joinPath(directories[0] ?? '', directories[directory] ?? ''), name) });
    }
  } else {
    directories.push(''); // the compilation directory, named only in .debug_info
    for (let name = cursor.cstring(); name !== ''; name = cursor.cstring()) directories.push(name);
    files.push({ name: '', path: '' }); // file numbers start at 1
    for (let name = cursor.cstring(); name !== ''; name = cursor.cstring()) {
      const directory = cursor.uleb();
      cursor.uleb(); // modification time
      cursor.uleb(); // length
      files.push({ name, path: joinPath(directories[directory] ?? '', name) });
    }
  }
  cursor.at = programStart;

  const rows: LineRow[] = [];
  let address = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = defaultIsStmt;
  let view = 0;
  const resetRegisters = () => {
    address = 0;
    file = 1;
    line = 1;
    column = 0;
    isStmt = defaultIsStmt;
    view = 0;
  };
  const emit = (endSequence: boolean) => {
    rows.push({ address, file, line, column, isStmt, endSequence, view });
    view++;
  };
  // Addresses advance by operations; with one operation per instruction (every non-VLIW target) an operation is an instruction.
  const advance = (operations: number) => {
    const delta = Math.floor(operations / maximumOperations) * minimumInstructionLength;
    if (delta !== 0) view = 0;
    address = (address + delta) >>> 0;
  };
  while (cursor.at < end) {
    const opcode = cursor.u8();
    if (opcode >= opcodeBase) {
      const adjusted = opcode - opcodeBase;
      advance(Math.floor(adjusted / lineRange));
      line += lineBase + (adjusted % lineRange);
      emit(false);
      continue;
    }
    switch (opcode) {
      case 0: {
        const length = cursor.uleb();
        const next = cursor.at + length;
        if (length === 0) break;
        const extended = cursor.u8();
        if (extended === DW_LNE_END_SEQUENCE) {
          emit(true);
          resetRegisters();
        } else if (extended === DW_LNE_SET_ADDRESS) {
          address = cursor.sized(length - 1 || addressSize) >>> 0;
          view = 0;
        } else if (extended === DW_LNE_DEFINE_FILE) {
          const name = cursor.cstring();
          const directory = cursor.uleb();
          files.push({ name, path: joinPath(directories[directory] ?? '', name) });
        } else if (extended !== DW_LNE_SET_DISCRIMINATOR) {
          // an extension we do not know: its length lets us skip it
        }
        cursor.at = next;
        break;
      }
      case DW_LNS_COPY:
        emit(false);
        break;
      case DW_LNS_ADVANCE_PC:
        advance(cursor.uleb());
        break;
      case DW_LNS_ADVANCE_LINE:
        line += cursor.sleb();
        break;
      case DW_LNS_SET_FILE:
        file = cursor.uleb();
        break;
      case DW_LNS_SET_COLUMN:
        column = cursor.uleb();
        break;
      case DW_LNS_NEGATE_STMT:
        isStmt = !isStmt;
        break;
      case DW_LNS_SET_BASIC_BLOCK:
      case DW_LNS_SET_PROLOGUE_END:
      case DW_LNS_SET_EPILOGUE_BEGIN:
        break;
      case DW_LNS_CONST_ADD_PC:
        advance(Math.floor((255 - opcodeBase) / lineRange));
        break;
      case DW_LNS_FIXED_ADVANCE_PC:
        address = (address + cursor.u16()) >>> 0; // leaves the view alone, as binutils counts
        break;
      case DW_LNS_SET_ISA:
        cursor.uleb();
        break;
      default:
        // a standard opcode newer than this reader: the header says how many ULEB128 operands to skip
        for (let i = 0; i < argumentCounts[opcode]; i++) cursor.uleb();
    }
  }
  cursor.at = end;
  return { offset, version, directories, files, rows };
}

/** The bytes of a section by name, or undefined when the file has none. */
function sectionBytes(bytes: Uint8Array, sections: readonly ElfSection[], name: string): Uint8Array | undefined {
  const section = sections.find((s) => s.name === name);
  if (section === undefined || section.offset + section.size > bytes.length) return undefined;
  return bytes.subarray(section.offset, section.offset + section.size);
}

/** Every line program of an ELF32 file's .debug_line, in order; [] when it has none. Throws DwarfLineError on a malformed one. */
export function readLineUnits(elf: Uint8Array): LineUnit[] {
  const { sections } = parseElfSymbols(elf);
  return readLineUnitsFrom(elf, sections);
}

function readLineUnitsFrom(elf: Uint8Array, sections: readonly ElfSection[]): LineUnit[] {
  const debugLine = sectionBytes(elf, sections, '.debug_line');
  if (debugLine === undefined) return [];
  const strings: Strings = { lineStr: sectionBytes(elf, sections, '.debug_line_str'), str: sectionBytes(elf, sections, '.debug_str') };
  const cursor = new Cursor(debugLine, 0, '.debug_line');
  const units: LineUnit[] = [];
  while (cursor.at < debugLine.length) units.push(readUnit(cursor, strings));
  return units;
}

/** Where an address's code comes from. */
export interface SourcePosition {
  /** The file's path as the line table resolves it ("hello/hello.c"). */
  file: string;
  line: number;
  /** The address of the row the position comes from (where the line's code at this address starts). */
  address: number;
}

/** A row the debugger uses: its file resolved to a path. */
interface PlacedRow {
  address: number;
  file: string;
  line: number;
  isStmt: boolean;
}

/** A sequence: rows by address, covering [start, end). */
interface Sequence {
  start: number;
  end: number;
  rows: PlacedRow[];
}

/**
 * The line tables of one ELF image, for a debugger: the position of an address, whether an address
 * starts a statement, and where a breakpoint on a line goes.
 */
export class LineTable {
  private readonly sequences: Sequence[];
  /** Statement starts (is_stmt rows) by file path, then line: ascending addresses. */
  private readonly byLine = new Map<string, Map<number, number[]>>();

  private constructor(sequences: Sequence[]) {
    this.sequences = sequences.sort((a, b) => a.start - b.start);
    for (const sequence of this.sequences) {
      for (const row of sequence.rows) {
        if (!row.isStmt) continue;
        let lines = this.byLine.get(row.file);
        if (lines === undefined) this.byLine.set(row.file, (lines = new Map()));
        const addresses = lines.get(row.line) ?? [];
        if (!addresses.includes(row.address)) addresses.push(row.address);
        lines.set(row.line, addresses.sort((a, b) => a - b));
      }
    }
  }

  /** The line table of an ELF image, or undefined when it has no usable .debug_line (none, or malformed). */
  static fromElf(elf: Uint8Array): LineTable | undefined {
    const { sections, symbols, machine } = parseElfSymbols(elf);
    let units: LineUnit[];
    try {
      units = readLineUnitsFrom(elf, sections);
    } catch (error) {
      if (error instanceof DwarfLineError) return undefined;
      throw error;
    }
    const keepAtZero = codeAtZero(sections, symbols, machine);
    const sequences: Sequence[] = [];
    for (const unit of units) {
      let rows: PlacedRow[] = [];
      for (const row of unit.rows) {
        if (!row.endSequence) {
          rows.push({ address: row.address, file: unit.files[row.file]?.path ?? '', line: row.line, isStmt: row.isStmt });
          continue;
        }
        const start = rows[0]?.address ?? row.address;
        // A function the linker discarded keeps its sequence, relocated to 0: not code of the image.
        if (rows.length > 0 && (start !== 0 || keepAtZero) && row.address > start) sequences.push({ start, end: row.address, rows });
        rows = [];
      }
    }
    if (sequences.length === 0) return undefined;
    return new LineTable(sequences);
  }

  /** The files that have lines, by path, sorted. */
  files(): string[] {
    return [...this.byLine.keys()].sort();
  }

  /** The lines of `file` where a statement starts (a breakpoint can go there), ascending. */
  linesOf(file: string): number[] {
    return [...(this.byLine.get(file)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /**
   * The source position of the code at `address`, or undefined when no line covers it. As gdb's
   * find_pc_line: the last row at the highest address at or below it, a statement row preferred
   * among rows at that address.
   */
  at(address: number): SourcePosition | undefined {
    address >>>= 0;
    const sequence = this.sequences.find((s) => address >= s.start && address < s.end);
    if (sequence === undefined) return undefined;
    const rows = sequence.rows;
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid].address <= address) lo = mid + 1;
      else hi = mid;
    }
    let best = lo - 1;
    if (best < 0) return undefined;
    for (let i = best; i >= 0 && rows[i].address === rows[best].address; i--) {
      if (rows[i].isStmt) {
        best = i;
        break;
      }
    }
    const row = rows[best];
    return { file: row.file, line: row.line, address: row.address };
  }

  /** True when a statement starts exactly at `address` (an is_stmt row is there). */
  startsStatement(address: number): boolean {
    const position = this.at(address);
    return position !== undefined && position.address === address >>> 0 && this.isStmtAt(address >>> 0, position);
  }

  private isStmtAt(address: number, position: SourcePosition): boolean {
    return this.byLine.get(position.file)?.get(position.line)?.includes(address) === true;
  }

  /**
   * Where a breakpoint on `file`:`line` goes, as gdb places it: the line's first statement address,
   * or — for a line with no code (a comment, a declaration) — the next line of the file that has
   * some. Undefined when no line at or after it has code.
   */
  breakpointAddress(file: string, line: number): { line: number; address: number } | undefined {
    const lines = this.byLine.get(file);
    if (lines === undefined) return undefined;
    const candidates = [...lines.keys()].filter((l) => l >= line).sort((a, b) => a - b);
    const found = candidates[0];
    if (found === undefined) return undefined;
    return { line: found, address: lines.get(found)![0] };
  }
}

/**
 * Whether code really starts at address 0 (an ARM image with its code there), so that sequences
 * at 0 are not discarded functions: an executable section holds 0 and a symbol names code there —
 * a label, a function or a code mapping symbol; not when 0 holds data (a Cortex-M vector table:
 * an object, `$d`) or nothing names it.
 */
function codeAtZero(sections: readonly ElfSection[], symbols: readonly ElfSymbol[], machine: number): boolean {
  const executable = sections.findIndex((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0 && s.address === 0);
  if (executable < 0) return false;
  const here = symbols.filter((s) => s.section === executable && (s.value & ~1) === 0 && s.type !== STT_SECTION && s.type !== STT_FILE);
  if (here.some((s) => s.type === STT_OBJECT || s.name === '$d' || s.name.startsWith('$d.'))) return false;
  return here.some((s) => !isMappingSymbol(s.name, machine) || (machine === EM_ARM ? /^\$[at]/.test(s.name) : s.name.startsWith('$x')));
}
