// The disassembler against Debian's GNU objdump: every line `riscv64-unknown-elf-objdump -d`
// prints for the .text of the committed firmware ELFs must come out the same from ./disasm.ts —
// the bytes, the mnemonic and operands, branch targets with their symbols, and the "# address
// <symbol>" comments objdump adds for lui/auipc pairs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../../../graph/image-formats.ts';
import { isMappingSymbol, parseElfSymbols, SymbolTable } from '../../../graph/elf-symbols.ts';
import type { PrivilegedSpec } from './csr-names.ts';
import { DisassemblyContext, disassemble, formatInstruction, formatInstructionBytes } from './disasm.ts';

const FIRMWARE = join(import.meta.dirname, '../../../../public/firmware');
const OBJDUMP = 'riscv64-unknown-elf-objdump';

interface ListingLine {
  address: number;
  bytes: string;
  text: string;
}

/** objdump's instruction lines: "80000004:\tc8018193          \tadd\tgp,gp,-896 # 80000c80 <…>". */
function objdumpListing(file: string): ListingLine[] {
  const out = execFileSync(OBJDUMP, ['-d', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const lines: ListingLine[] = [];
  for (const line of out.split('\n')) {
    const match = /^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$/.exec(line);
    if (match) lines.push({ address: parseInt(match[1], 16), bytes: match[2].trim(), text: normalize(match[3]) });
  }
  return lines;
}

/** Whitespace differences (objdump pads with tabs and spaces) do not count. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Little-endian bytes at an address, from the ELF's loadable segments. */
function reader(bytes: Uint8Array): (address: number, length: number) => number {
  const segments = parseElf(bytes).segments;
  return (address, length) => {
    const segment = segments.find((s) => address >= s.address && address + length <= s.address + s.data.length);
    if (segment === undefined) throw new Error(`no bytes at 0x${address.toString(16)}`);
    let value = 0;
    for (let i = length - 1; i >= 0; i--) value = value * 256 + segment.data[address - segment.address + i];
    return value;
  };
}

/**
 * Data ranges objdump prints as .word/.short/.byte instead of decoding: from a `$d` mapping
 * symbol to the next mapping symbol.
 */
function dataRanges(bytes: Uint8Array): Array<[number, number]> {
  const mapping = parseElfSymbols(bytes)
    .symbols.filter((s) => isMappingSymbol(s.name))
    .sort((a, b) => a.value - b.value);
  const ranges: Array<[number, number]> = [];
  mapping.forEach((s, i) => {
    if (s.name === '$d') ranges.push([s.value, mapping[i + 1]?.value ?? Infinity]);
  });
  return ranges;
}

/** How objdump prints data: 4 bytes, or fewer up to the end of the range (never 3), unaligned or not. */
function dataLine(address: number, end: number, read: (address: number, length: number) => number): { length: number; bytes: string; text: string } {
  let length = Math.min(4, end - address);
  if (length === 3) length = 2;
  const directive = { 4: '.word', 2: '.short', 1: '.byte' }[length];
  const digits = read(address, length).toString(16).padStart(length * 2, '0');
  return { length, bytes: digits, text: `${directive} 0x${digits}` };
}

/** The privileged spec version an ELF records (GCC writes 1.11); objdump names CSRs by it, else by the newest. */
function recordedPrivilegedSpec(path: string): PrivilegedSpec {
  const attributes = execFileSync('riscv64-unknown-elf-readelf', ['-A', path], { encoding: 'utf8' });
  const major = /Tag_RISCV_priv_spec: (\d+)/.exec(attributes)?.[1];
  const minor = /Tag_RISCV_priv_spec_minor: (\d+)/.exec(attributes)?.[1];
  if (major === undefined) return '1.12';
  const version = `${major}.${minor ?? 0}`;
  if (version !== '1.11' && version !== '1.12') throw new Error(`${path}: privileged spec ${version} is not one the disassembler knows`);
  return version;
}

/** Every line objdump prints for the ELF at `path` against ours; returns the lines that differ. */
function compareWithObjdump(path: string): { lines: number; mismatches: string[] } {
  const bytes = new Uint8Array(readFileSync(path));
  const symbols = SymbolTable.fromElf(bytes);
  const read = reader(bytes);
  const data = dataRanges(bytes);
  const context = new DisassemblyContext({ gp: symbols.valueOf('__global_pointer$'), privilegedSpec: recordedPrivilegedSpec(path) });
  const listing = objdumpListing(path);
  const mismatches: string[] = [];
  for (const line of listing) {
    const range = data.find(([start, end]) => line.address >= start && line.address < end);
    let ours: { bytes: string; text: string };
    if (range) {
      ours = dataLine(line.address, range[1], read);
    } else {
      const low = read(line.address, 2);
      const raw = (low & 3) === 3 ? read(line.address, 4) : low;
      const insn = disassemble(raw, line.address, context);
      ours = { bytes: formatInstructionBytes(raw, insn.length), text: normalize(formatInstruction(insn, (a) => symbols.label(a, line.address))) };
    }
    if (ours.bytes !== line.bytes || ours.text !== line.text) {
      mismatches.push(`${line.address.toString(16)}: objdump "${line.bytes} ${line.text}", ours "${ours.bytes} ${ours.text}"`);
    }
  }
  return { lines: listing.length, mismatches };
}

/**
 * Forms the firmware does not use (or uses rarely): every RV32IMAC + Zicsr/Zifencei instruction,
 * the operand shapes that select objdump's aliases, compressed encodings, unknown encodings
 * (.insn), and lui/auipc pairs feeding addi, loads, stores and jalr.
 */
const ALL_FORMS = `
.option norelax
.globl _start
_start:
  lui a0, 0x12345
  auipc a1, 0xfffff
  jal far
  jal t0, far
  j _start
  jalr t1
  jalr a1, a2
  jalr a1, -4(a2)
  jalr 12(a0)
  jr t2
  jr 8(t0)
  ret
  beq a0, a1, _start
  bne a0, a1, _start
  blt a0, a1, _start
  bge a0, a1, _start
  bltu a0, a1, _start
  bgeu a0, a1, _start
  beqz a2, _start
  bnez a2, far
  bltz a3, _start
  bgez a3, _start
  bgtz a4, _start
  blez a4, _start
  lb a0, -1(a1)
  lh a0, 2(a1)
  lw a0, 2047(a1)
  lbu a0, -2048(a1)
  lhu a0, 0(a1)
  sb a0, -1(a1)
  sh a0, 2(a1)
  sw a0, 4(sp)
  nop
  li a0, -2048
  mv s0, s1
  addi a0, a1, 1
  slti a0, a1, -5
  sltiu a0, a1, 2
  seqz a0, a1
  xori a0, a1, 7
  not a0, a1
  ori a0, a1, -1
  andi a0, a1, 15
  zext.b a0, a1
  slli a0, a1, 31
  srli a0, a1, 1
  srai a0, a1, 17
  add a0, a1, a2
  sub a0, a1, a2
  neg a0, a1
  sll a0, a1, a2
  slt a0, a1, a2
  sltz a0, a1
  sgtz a0, a1
  sltu a0, a1, a2
  snez a0, a1
  xor a0, a1, a2
  srl a0, a1, a2
  sra a0, a1, a2
  or a0, a1, a2
  and a0, a1, a2
  mul a0, a1, a2
  mulh a0, a1, a2
  mulhsu a0, a1, a2
  mulhu a0, a1, a2
  div a0, a1, a2
  divu a0, a1, a2
  rem a0, a1, a2
  remu a0, a1, a2
  fence
  fence rw, w
  fence i, o
  fence.tso
  .insn 0x0100000f
  fence.i
  ecall
  ebreak
  .insn 0x00200073
  sret
  mret
  dret
  wfi
  sfence.vma
  sfence.vma a0
  sfence.vma a0, a1
  unimp
  csrrw a0, mscratch, a1
  csrrs a0, mstatus, a1
  csrrc a0, mie, a1
  csrrwi a0, 0x7c0, 1
  csrrsi a0, sstatus, 2
  csrrci a0, mstatus, 3
  csrr a0, 0x7c0
  csrw satp, a0
  csrs mip, a0
  csrc sip, a0
  csrwi mtvec, 4
  csrsi mstatus, 8
  csrci mstatus, 8
  rdcycle a0
  rdtime a0
  rdinstret a0
  rdcycleh a0
  rdtimeh a0
  rdinstreth a0
  csrr a0, mhpmcounter17
  csrr a0, hpmcounter4h
  csrr a0, pmpaddr63
  csrr a0, mhpmevent9
  csrr a0, tselect
  csrr a0, fcsr
  csrr a0, vlenb
  csrr a0, hgatp
  csrr a0, vsatp
  csrr a0, mconfigptr
  lr.w a0, (a1)
  lr.w.aq a0, (a1)
  sc.w a0, a1, (a2)
  sc.w.rl a0, a1, (a2)
  amoswap.w a0, a1, (a2)
  amoadd.w.aq a0, a1, (a2)
  amoxor.w a0, a1, (a2)
  amoand.w a0, a1, (a2)
  amoor.w a0, a1, (a2)
  amomin.w a0, a1, (a2)
  amomax.w a0, a1, (a2)
  amominu.w a0, a1, (a2)
  amomaxu.w.aqrl a0, a1, (a2)
  .insn 0x0000000b
  .insn 0x00000053
  .insn 0x6000
  .insn 0x0000
  c.nop
  .insn 0x0085
  c.addi4spn a0, sp, 1020
  c.lw a0, 124(a1)
  c.sw a0, 64(a1)
  c.addi a0, -32
  c.jal far
  c.li a0, 31
  c.addi16sp sp, -512
  c.lui a0, 0xfffe1
  c.srli a0, 31
  c.srai a0, 3
  c.andi a0, -32
  c.sub s0, s1
  c.xor s0, s1
  c.or s0, s1
  c.and s0, s1
  c.j _start
  c.beqz a0, _start
  c.bnez a0, far
  c.slli a0, 7
  c.lwsp a0, 252(sp)
  c.jr a0
  c.jr ra
  c.mv a0, a1
  c.ebreak
  c.jalr a0
  c.add a0, a1
  c.swsp a0, 8(sp)
  lui t0, 0x80001
  jalr ra, 16(t0)
  auipc t1, 0
  jr 24(t1)
  lui a0, 0x12345
  c.addi a0, 5
  c.lui a5, 0x10
  c.addi a5, -1
  lui a2, 0x10000
  lbu a3, 5(a2)
  lui a2, 0x10000
  sw a3, 0(a2)
  auipc a4, 0
  addi a4, a4, -8
  lw a0, 8(zero)
  sw a0, 16(tp)
  lw a0, 12(gp)
  addi a0, gp, -16
far:
  ret
`;

/**
 * The bit-manipulation extensions (assembled with them in -march, so the ELF's architecture
 * attribute names them and objdump decodes them), immediates at both ends, and encodings next to
 * them that are not instructions.
 */
const BITMANIP_FORMS = `
.globl _start
_start:
  sh1add a0, a1, a2
  sh2add t0, t1, t2
  sh3add s0, s1, zero
  andn a0, a1, a2
  orn a0, a1, a2
  xnor a0, a1, a2
  clz a0, a1
  ctz t0, t6
  cpop a0, a1
  sext.b a0, a1
  sext.h a0, a1
  zext.h a0, a1
  max a0, a1, a2
  maxu a0, a1, a2
  min a0, a1, a2
  minu a0, a1, a2
  rol a0, a1, a2
  ror a0, a1, a2
  rori a0, a1, 0
  rori a0, a1, 31
  ror a0, a1, 5
  orc.b a0, a1
  rev8 a0, a1
  clmul a0, a1, a2
  clmulh a0, a1, a2
  clmulr a0, a1, a2
  bclr a0, a1, a2
  bclri a0, a1, 0
  bclri a0, a1, 31
  bext a0, a1, a2
  bexti a0, a1, 17
  binv a0, a1, a2
  binvi a0, a1, 9
  bset a0, a1, a2
  bseti a0, a1, 31
  andi a0, a1, 255
  .insn 0x60359513
  .insn 0x2885d513
  .insn 0x6905d513
  .insn 0x6215d513 /* rori with shamt 33: objdump still says ror (a hart traps) */
  .insn 0x0815c533
  .insn 0x20c58533
  # immediate shifts with shamt bit 5 set: not RV32 instructions, but objdump decodes them
  .insn 0x02051513
  .insn 0x03f55593
  .insn 0x42055513
`;

describe('disassembler matches GNU objdump on every instruction form', () => {
  it('agrees on an assembled program that uses all of them', () => {
    const { lines, mismatches } = withAssembled(ALL_FORMS, compareWithObjdump);
    expect(lines).toBeGreaterThan(170);
    expect(mismatches).toEqual([]);
  });

  it('agrees on Zba, Zbb, Zbc and Zbs (assembled with -march=rv32imac_zba_zbb_zbc_zbs)', () => {
    const { lines, mismatches } = withAssembled(BITMANIP_FORMS, compareWithObjdump, 'rv32imac_zicsr_zifencei_zba_zbb_zbc_zbs');
    expect(lines).toBeGreaterThan(40);
    expect(mismatches).toEqual([]);
  });
});

/** A csrr of every CSR number; with `recordSpec` a named CSR use makes the assembler record spec 1.11. */
function everyCsr(recordSpec: boolean): string {
  const csrrs = (csr: number) => `  .insn 0x${(((csr << 20) | (2 << 12) | (10 << 7) | 0x73) >>> 0).toString(16)}`;
  return ['.globl _start', '_start:', ...Array.from({ length: 4096 }, (_, csr) => csrrs(csr)), recordSpec ? '  csrr a0, mstatus' : ''].join('\n') + '\n';
}

/** Assembles and links `source` at 0x80000000, hands the ELF's path to `use`, cleans up. */
function withAssembled<T>(source: string, use: (elf: string) => T, march = 'rv32imac_zicsr_zifencei'): T {
  const dir = mkdtempSync(join(tmpdir(), 'boardlab-disasm-'));
  try {
    writeFileSync(join(dir, 'program.S'), source);
    execFileSync('riscv64-unknown-elf-gcc', [`-march=${march}`, '-mabi=ilp32', '-nostdlib', '-Wl,-Ttext=0x80000000', '-o', join(dir, 'program.elf'), join(dir, 'program.S')]);
    return use(join(dir, 'program.elf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('disassembler names CSRs as GNU objdump does', () => {
  for (const [spec, recordSpec] of [['1.12 (no spec recorded)', false], ['1.11 (recorded by the assembler)', true]] as const) {
    it(`for all 4096 CSR numbers, privileged spec ${spec}`, () => {
      const { lines, mismatches } = withAssembled(everyCsr(recordSpec), compareWithObjdump);
      expect(lines).toBeGreaterThanOrEqual(4096);
      expect(mismatches.slice(0, 20)).toEqual([]);
    });
  }
});

const files = readdirSync(FIRMWARE).filter((f) => f.endsWith('.elf')).sort();

describe('disassembler matches GNU objdump on the committed firmware', () => {
  it('finds firmware to compare', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    it(file, () => {
      const { lines, mismatches } = compareWithObjdump(join(FIRMWARE, file));
      expect(lines).toBeGreaterThan(10);
      expect(mismatches.slice(0, 20)).toEqual([]);
    });
  }
});
