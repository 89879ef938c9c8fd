// Test helper: runs Debian's `arm-none-eabi-objdump -d` on an ARM ELF and compares every line it
// prints for the code sections with ./disasm.ts — address, bytes and text. Used by
// ./disasm.reference.test.ts; needs binutils-arm-none-eabi (scripts/ensure-system-deps.sh).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf } from '../../../graph/image-formats.ts';
import { EM_ARM, isMappingSymbol, parseElfSymbols, SHF_EXECINSTR, STT_OBJECT, SymbolTable } from '../../../graph/elf-symbols.ts';
import { type ThumbMappingSymbol, ThumbDisassemblyContext, disassembleThumb } from './disasm.ts';

const OBJDUMP = 'arm-none-eabi-objdump';

interface ListingLine {
  address: number;
  bytes: string;
  text: string;
}

/** Whitespace differences (objdump pads with tabs and spaces) do not count. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The kind of an ARM mapping symbol ($t and $a: code, $d: data), or undefined for a symbol that names something. */
function mappingKind(name: string): 'code' | 'data' | undefined {
  if (!isMappingSymbol(name, EM_ARM)) return undefined;
  return name[1] === 'd' ? 'data' : 'code';
}

/** objdump's lines with an address, per section: instruction and data lines and object hex dumps. */
function objdumpListing(args: string[]): ListingLine[] {
  const out = execFileSync(OBJDUMP, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines: ListingLine[] = [];
  for (const line of out.split('\n')) {
    const match = /^\s*([0-9a-f]+):\t([0-9a-f ]+?) *\t(.*)$/.exec(line);
    if (match) lines.push({ address: parseInt(match[1], 16), bytes: match[2], text: normalize(match[3]) });
    else {
      const dump = /^\s*([0-9a-f]+):\t((?:[0-9a-f]{2} )+)/.exec(line);
      if (dump) lines.push({ address: parseInt(dump[1], 16), bytes: dump[2].trim(), text: '' });
    }
  }
  return lines;
}

export interface Comparison {
  /** Lines objdump printed for the code sections (instructions, data and object dumps). */
  lines: number;
  /** Of them, instruction and .word/.short lines compared with disasm.ts. */
  instructions: number;
  /** "address: objdump … / ours …" for every line that differs. */
  mismatches: string[];
}

/** What a comparison needs from the ELF: bytes, symbols as objdump names them, one context per code section. */
function loadImage(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  const { symbols, sections } = parseElfSymbols(bytes);
  // names as objdump gives them: no mapping symbols, Thumb functions without their bit 0
  const table = SymbolTable.fromElf(bytes);
  const segments = parseElf(bytes, [EM_ARM]).segments;
  const byteAt = (address: number): number | undefined => {
    const segment = segments.find((s) => address >= s.address && address < s.address + s.data.length);
    return segment?.data[address - segment.address];
  };
  const read16 = (address: number): number | undefined => {
    const low = byteAt(address);
    const high = byteAt(address + 1);
    return low === undefined || high === undefined ? undefined : low | (high << 8);
  };
  const codeSections = sections.map((s, index) => ({ ...s, index })).filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0);
  const objects = symbols.filter((s) => s.type === STT_OBJECT && s.size > 0);
  /** The code section holding `address`, or undefined. */
  const sectionOf = (address: number) => codeSections.find((s) => address >= s.address && address < s.address + s.size);
  /** A fresh listing context for a code section, as objdump sets one up: its mapping symbols and labels. */
  const contextFor = (section: { index: number; address: number; size: number }): ThumbDisassemblyContext => {
    const mapping: ThumbMappingSymbol[] = [];
    for (const s of symbols) {
      const kind = mappingKind(s.name);
      if (kind !== undefined && s.section === section.index) mapping.push({ address: s.value, kind });
    }
    const labels = table.inSection(section.index).map((s) => s.value);
    return new ThumbDisassemblyContext({ mapping, sectionEnd: section.address + section.size, symbols: labels });
  };
  return { table, byteAt, read16, objects, sectionOf, contextFor };
}

/** Every line objdump prints for the ELF at `path` against ours. */
export function compareWithObjdump(path: string): Comparison {
  const { table, byteAt, read16, objects, sectionOf, contextFor } = loadImage(path);
  // One context per code section, carried along objdump's listing of it.
  const contexts = new Map<number, ThumbDisassemblyContext>();
  const listing = objdumpListing(['-d', path]);
  const mismatches: string[] = [];
  let instructions = 0;
  for (const line of listing) {
    const where = line.address.toString(16);
    const section = sectionOf(line.address);
    if (section === undefined) {
      mismatches.push(`${where}: objdump printed a line outside the code sections`);
      continue;
    }
    if (line.text === '' && objects.some((o) => line.address >= o.value && line.address < o.value + o.size)) {
      // An object in a code section (the vector table): objdump dumps its bytes, 16 a line.
      const count = line.bytes.split(' ').length;
      const ours = Array.from({ length: count }, (_, i) => (byteAt(line.address + i) ?? 0).toString(16).padStart(2, '0')).join(' ');
      if (ours !== line.bytes) mismatches.push(`${where}: objdump dumps "${line.bytes}", the image holds "${ours}"`);
      continue;
    }
    let context = contexts.get(section.index);
    if (context === undefined) contexts.set(section.index, (context = contextFor(section)));
    instructions++;
    const ours = disassembleThumb(read16, line.address, context, (target) => table.label(target, line.address));
    const text = ours === undefined ? '(nothing)' : normalize(ours.text);
    if (ours === undefined || ours.bytes !== line.bytes || text !== line.text) {
      mismatches.push(`${where}: objdump "${line.bytes} ${line.text}", ours "${ours?.bytes ?? ''} ${text}"`);
    }
  }
  return { lines: listing.length, instructions, mismatches };
}

/**
 * objdump started at each halfword address in [from, to) (`--start-address`), its first line
 * against ours from a fresh context: where a listing starts inside an IT block, both read back
 * for the IT instruction.
 */
export function compareFromEachAddress(path: string, from: number, to: number): Comparison {
  const { table, read16, sectionOf, contextFor } = loadImage(path);
  const mismatches: string[] = [];
  let instructions = 0;
  for (let address = from; address < to; address += 2) {
    const section = sectionOf(address);
    const [line] = objdumpListing(['-d', `--start-address=0x${address.toString(16)}`, `--stop-address=0x${(address + 4).toString(16)}`, path]);
    if (section === undefined || line === undefined) continue;
    instructions++;
    const ours = disassembleThumb(read16, address, contextFor(section), (target) => table.label(target, address));
    const text = ours === undefined ? '(nothing)' : normalize(ours.text);
    if (ours === undefined || ours.bytes !== line.bytes || text !== line.text) {
      mismatches.push(`${address.toString(16)}: objdump "${line.bytes} ${line.text}", ours "${ours?.bytes ?? ''} ${text}"`);
    }
  }
  return { lines: instructions, instructions, mismatches };
}

/**
 * Assembles `source` (Thumb, unified syntax) with arm-none-eabi-as for `cpu`, links it at 0x1000
 * without build attributes (as the committed firmware is linked), and hands the ELF's path to `use`.
 */
export function withAssembled<T>(source: string, use: (elf: string) => T, cpu = 'cortex-m3'): T {
  const dir = mkdtempSync(join(tmpdir(), 'boardlab-armdis-'));
  try {
    const object = join(dir, 'program.o');
    const elf = join(dir, 'program.elf');
    writeFileSync(join(dir, 'program.S'), `.syntax unified\n.thumb\n${source}`);
    execFileSync('arm-none-eabi-as', ['-mthumb', `-mcpu=${cpu}`, '-o', object, join(dir, 'program.S')]);
    execFileSync('arm-none-eabi-ld', ['-Ttext=0x1000', '--no-warn-rwx-segments', '-o', join(dir, 'linked.elf'), object]);
    execFileSync('arm-none-eabi-objcopy', ['--remove-section', '.ARM.attributes', join(dir, 'linked.elf'), elf]);
    return use(elf);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
