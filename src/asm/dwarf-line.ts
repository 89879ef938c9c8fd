// DWARF: a version 3 .debug_line program mapping each instruction's address to its source line (as
// GNU as -g writes it for assembly), and the compile unit (.debug_info/.debug_abbrev) that points at
// it, which gdb needs to find the line table.

import type { AsmLine } from './index.ts';

const DWARF_LINE_VERSION = 3;
const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;
const STANDARD_OPCODE_LENGTHS = [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1];
const DW_LNS_copy = 1;
const DW_LNS_advance_pc = 2;
const DW_LNS_advance_line = 3;
const DW_LNE_end_sequence = 1;
const DW_LNE_set_address = 2;

const DW_TAG_compile_unit = 0x11;
const DW_AT_name = 0x03;
const DW_AT_stmt_list = 0x10;
const DW_AT_low_pc = 0x11;
const DW_AT_high_pc = 0x12;
const DW_AT_producer = 0x25;
const DW_AT_language = 0x13;
const DW_FORM_addr = 0x01;
const DW_FORM_data2 = 0x05;
const DW_FORM_data4 = 0x06;
const DW_FORM_string = 0x08;
const DW_LANG_Mips_Assembler = 0x8001;
const DWARF_INFO_VERSION = 2;
const ADDRESS_SIZE = 4;
const PRODUCER = 'BoardLab assembler';

/** Bytes, appended to. */
class ByteWriter {
  readonly bytes: number[] = [];
  u8(v: number) { this.bytes.push(v & 0xff); }
  u16(v: number) { this.u8(v); this.u8(v >>> 8); }
  u32(v: number) { this.u16(v & 0xffff); this.u16(v >>> 16); }
  uleb(v: number) {
    do {
      let byte = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) byte |= 0x80;
      this.u8(byte);
    } while (v !== 0);
  }
  sleb(v: number) {
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
      this.u8(done ? byte : byte | 0x80);
      if (done) return;
    }
  }
  cstring(s: string) {
    for (const b of new TextEncoder().encode(s)) this.u8(b);
    this.u8(0);
  }
  patch32(at: number, v: number) {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = (v >>> (8 * i)) & 0xff;
  }
}

interface CodeRange {
  start: number;
  end: number;
}

/** The .debug_line section: one sequence per code section that has rows. */
export function encodeDebugLine(fileName: string, codeRanges: CodeRange[], rows: AsmLine[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(0); // unit_length, patched
  w.u16(DWARF_LINE_VERSION);
  const headerLengthAt = w.bytes.length;
  w.u32(0); // header_length, patched
  const headerStart = w.bytes.length;
  w.u8(1); // minimum_instruction_length
  w.u8(1); // default_is_stmt
  w.u8(LINE_BASE & 0xff);
  w.u8(LINE_RANGE);
  w.u8(OPCODE_BASE);
  for (const n of STANDARD_OPCODE_LENGTHS) w.u8(n);
  w.u8(0); // no include directories
  w.cstring(fileName);
  w.uleb(0); // directory
  w.uleb(0); // mtime
  w.uleb(0); // length
  w.u8(0); // end of file names
  w.patch32(headerLengthAt, w.bytes.length - headerStart);
  for (const range of codeRanges) {
    const inRange = rows.filter((r) => r.address >= range.start && r.address < range.end);
    if (inRange.length === 0) continue;
    let address = inRange[0].address;
    let line = 1;
    w.u8(0);
    w.uleb(1 + ADDRESS_SIZE);
    w.u8(DW_LNE_set_address);
    w.u32(address);
    for (const row of inRange) {
      if (row.address !== address) {
        w.u8(DW_LNS_advance_pc);
        w.uleb(row.address - address);
        address = row.address;
      }
      if (row.line !== line) {
        w.u8(DW_LNS_advance_line);
        w.sleb(row.line - line);
        line = row.line;
      }
      w.u8(DW_LNS_copy);
    }
    if (range.end !== address) {
      w.u8(DW_LNS_advance_pc);
      w.uleb(range.end - address);
    }
    w.u8(0);
    w.uleb(1);
    w.u8(DW_LNE_end_sequence);
  }
  w.patch32(0, w.bytes.length - 4);
  return Uint8Array.from(w.bytes);
}

/** .debug_abbrev and .debug_info: one compile unit for the source file, its code range and its line table. */
export function encodeCompileUnit(fileName: string, low: number, high: number): { abbrev: Uint8Array; info: Uint8Array } {
  const abbrev = new ByteWriter();
  abbrev.uleb(1);
  abbrev.uleb(DW_TAG_compile_unit);
  abbrev.u8(0); // no children
  for (const [attribute, form] of [[DW_AT_stmt_list, DW_FORM_data4], [DW_AT_low_pc, DW_FORM_addr], [DW_AT_high_pc, DW_FORM_addr], [DW_AT_name, DW_FORM_string], [DW_AT_producer, DW_FORM_string], [DW_AT_language, DW_FORM_data2]]) {
    abbrev.uleb(attribute);
    abbrev.uleb(form);
  }
  abbrev.u8(0);
  abbrev.u8(0);
  abbrev.u8(0); // end of abbreviations

  const info = new ByteWriter();
  info.u32(0); // unit_length, patched
  info.u16(DWARF_INFO_VERSION);
  info.u32(0); // abbrev offset
  info.u8(ADDRESS_SIZE);
  info.uleb(1);
  info.u32(0); // stmt_list: offset of the line program
  info.u32(low);
  info.u32(high);
  info.cstring(fileName);
  info.cstring(PRODUCER);
  info.u16(DW_LANG_Mips_Assembler);
  info.patch32(0, info.bytes.length - 4);
  return { abbrev: Uint8Array.from(abbrev.bytes), info: Uint8Array.from(info.bytes) };
}
