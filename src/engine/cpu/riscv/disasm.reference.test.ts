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
import type { PrivilegedSpec } from '../../../asm/riscv/csr-names.ts';
import { type FloatExtensions, DisassemblyContext, disassemble, formatInstruction, formatInstructionBytes } from './disasm.ts';

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
  const { symbols, machine } = parseElfSymbols(bytes);
  const mapping = symbols
    .filter((s) => isMappingSymbol(s.name, machine))
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

/** What objdump reads from an ELF's RISC-V attributes to choose how to disassemble it. */
interface RecordedAttributes {
  /** The privileged spec version (GCC writes 1.11); objdump names CSRs by it, else by the newest. */
  privilegedSpec: PrivilegedSpec;
  /** The floating-point extensions the architecture string names; objdump decodes only those. */
  floatExtensions: FloatExtensions;
}

function recordedAttributes(path: string): RecordedAttributes {
  const attributes = execFileSync('riscv64-unknown-elf-readelf', ['-A', path], { encoding: 'utf8' });
  const major = /Tag_RISCV_priv_spec: (\d+)/.exec(attributes)?.[1];
  const minor = /Tag_RISCV_priv_spec_minor: (\d+)/.exec(attributes)?.[1];
  const version = major === undefined ? '1.12' : `${major}.${minor ?? 0}`;
  if (version !== '1.11' && version !== '1.12') throw new Error(`${path}: privileged spec ${version} is not one the disassembler knows`);
  // "rv32i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0": one extension per underscore-separated part.
  const arch = /Tag_RISCV_arch: "([^"]*)"/.exec(attributes)?.[1];
  if (arch === undefined) throw new Error(`${path}: no architecture attribute`);
  const extensions = new Set(arch.replace(/^rv32/, '').split('_').map((part) => part.replace(/\d+p\d+$/, '')));
  const floatExtensions = extensions.has('d') ? 'FD' : extensions.has('f') ? 'F' : 'none';
  return { privilegedSpec: version, floatExtensions };
}

/** Every line objdump prints for the ELF at `path` against ours; returns the lines that differ. */
function compareWithObjdump(path: string): { lines: number; mismatches: string[] } {
  const bytes = new Uint8Array(readFileSync(path));
  const symbols = SymbolTable.fromElf(bytes);
  const read = reader(bytes);
  const data = dataRanges(bytes);
  const context = new DisassemblyContext({ gp: symbols.valueOf('__global_pointer$'), ...recordedAttributes(path) });
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

/**
 * F and D as a program uses them: every instruction, every rounding mode written out, objdump's
 * pseudo-instructions (fmv.s, fneg.d, frflags, fsrmi, …), compressed loads and stores, and
 * loads/stores that form an address with lui/auipc or gp. Assembled with -march=rv32imafdc.
 * (binutils 2.40 takes no rounding mode on the exact conversions fcvt.d.w/fcvt.d.wu/fcvt.d.s:
 * those encodings are written as .insn, and objdump prints them as .4byte.)
 */
const FLOAT_FORMS = `
.option norelax
.globl _start
_start:
  flw ft0, 4(a0)
  fsw fa0, -8(sp)
  fld fs0, 2040(a1)
  fsd ft11, -2048(a2)
  c.flw fa0, 4(a1)
  c.fsw fa1, 124(a2)
  c.flwsp ft0, 252(sp)
  c.fswsp fs11, 0(sp)
  c.fld fa2, 248(a3)
  c.fsd fa3, 8(a4)
  c.fldsp ft1, 504(sp)
  c.fsdsp fs1, 8(sp)
  fmadd.s ft0, ft1, ft2, ft3
  fmadd.s ft0, ft1, ft2, ft3, rne
  fmadd.s ft0, ft1, ft2, ft3, rtz
  fmadd.s ft0, ft1, ft2, ft3, rdn
  fmadd.s ft0, ft1, ft2, ft3, rup
  fmadd.s ft0, ft1, ft2, ft3, rmm
  fmadd.s ft0, ft1, ft2, ft3, dyn
  fmsub.s ft0, ft1, ft2, ft3
  fnmsub.s ft0, ft1, ft2, ft3
  fnmadd.s ft0, ft1, ft2, ft3
  fmadd.d ft0, ft1, ft2, ft3
  fmsub.d ft0, ft1, ft2, ft3, rtz
  fnmsub.d ft0, ft1, ft2, ft3
  fnmadd.d ft0, ft1, ft2, ft3
  fadd.s fa0, fa1, fa2
  fadd.s fa0, fa1, fa2, rtz
  fadd.s fa0, fa1, fa2, dyn
  fsub.s fa0, fa1, fa2
  fmul.s fa0, fa1, fa2
  fdiv.s fa0, fa1, fa2
  fsqrt.s fa0, fa1
  fsqrt.s fa0, fa1, rup
  fadd.d fa0, fa1, fa2
  fsub.d fa0, fa1, fa2, rmm
  fmul.d fa0, fa1, fa2
  fdiv.d fa0, fa1, fa2
  fsqrt.d fa0, fa1
  fsgnj.s fa0, fa1, fa2
  fsgnj.s fa0, fa1, fa1
  fsgnjn.s fa0, fa1, fa2
  fsgnjn.s fa0, fa1, fa1
  fsgnjx.s fa0, fa1, fa2
  fsgnjx.s fa0, fa1, fa1
  fsgnj.d fa0, fa1, fa2
  fsgnj.d fa0, fa1, fa1
  fsgnjn.d fa0, fa1, fa1
  fsgnjx.d fa0, fa1, fa1
  fsgnjn.d fa0, fa1, fa2
  fsgnjx.d fa0, fa1, fa2
  fmin.s fa0, fa1, fa2
  fmax.s fa0, fa1, fa2
  fmin.d fa0, fa1, fa2
  fmax.d fa0, fa1, fa2
  fcvt.w.s a0, fa0
  fcvt.w.s a0, fa0, rtz
  fcvt.w.s a0, fa0, dyn
  fcvt.wu.s a0, fa0
  fcvt.wu.s a0, fa0, rtz
  fcvt.s.w fa0, a0
  fcvt.s.w fa0, a0, rtz
  fcvt.s.wu fa0, a0
  fcvt.s.wu fa0, a0, rne
  fcvt.w.d a0, fa0
  fcvt.w.d a0, fa0, rtz
  fcvt.wu.d a0, fa0, rtz
  fcvt.d.w fa0, a0
  .insn 0xd2051553
  fcvt.d.wu fa0, a0
  .insn 0xd2153553
  fcvt.s.d fa0, fa1
  fcvt.s.d fa0, fa1, rtz
  fcvt.d.s fa0, fa1
  .insn 0x42059553
  fmv.x.w a0, fa0
  fmv.w.x fa0, a0
  fmv.x.s a0, fa0
  fmv.s.x fa0, a0
  feq.s a0, fa0, fa1
  flt.s a0, fa0, fa1
  fle.s a0, fa0, fa1
  feq.d a0, fa0, fa1
  flt.d a0, fa0, fa1
  fle.d a0, fa0, fa1
  fclass.s a0, fa0
  fclass.d a0, fa0
  frflags a0
  fsflags a0, a1
  fsflags a1
  frrm a0
  fsrm a0, a1
  fsrm a1
  frcsr a0
  fscsr a0, a1
  fscsr a1
  fsflagsi a0, 5
  fsflagsi 5
  fsrmi a0, 3
  fsrmi 3
  csrrs a0, fflags, a1
  csrrc zero, frm, a1
  csrrwi a0, fcsr, 5
  csrrsi zero, fcsr, 5
  csrrci a0, fflags, 1
  csrr a0, fflags
  csrw fcsr, zero
  csrwi fflags, 0
  lui a0, 0x80001
  flw fa0, 16(a0)
  lui a0, 0x80001
  fsd fa0, -16(a0)
  lui s0, 0x80001
  c.flw fa0, 4(s0)
  auipc a3, 0
  fld fa5, 8(a3)
  auipc a3, 0
  .insn 0x0006b787 /* fld fa5,0(a3), not compressed */
  flw fa0, 12(gp)
  fld fa0, 12(zero)
  fsw fa0, 12(tp)
  lui a0, 0x80001
  fmv.x.w a0, fa0
  add a1, a0, 4
  c.flwsp fa5, 0(sp)
  c.fldsp ft0, 0(sp)
  c.flwsp ft0, 4(sp)
  c.fsdsp ft11, 504(sp)
  c.fswsp ft0, 252(sp)
  .insn 0x2000
  .insn 0xe000
`;

/**
 * Every encoding in the floating-point opcode space that changes what objdump prints: all of OP-FP
 * (funct7 × rs2 × rm; rd and rs1 fixed, rs1 = rs2 once for the fmv/fneg/fabs forms), the fused
 * multiply-adds in every format and rounding mode, every funct3 of LOAD-FP/STORE-FP, the CSR
 * instructions on fflags/frm/fcsr with rd and rs1 zero or not, and all 16-bit encodings of the
 * compressed floating-point loads and stores.
 */
function everyFloatEncoding(): string {
  const words: number[] = [];
  const OP_FP = 0x53;
  for (let f7 = 0; f7 < 128; f7++) {
    for (let rs2 = 0; rs2 < 32; rs2++) {
      for (let rm = 0; rm < 8; rm++) words.push(((f7 << 25) | (rs2 << 20) | (11 << 15) | (rm << 12) | (10 << 7) | OP_FP) >>> 0);
    }
  }
  for (const opcode of [0x43, 0x47, 0x4b, 0x4f]) {
    for (let fmt = 0; fmt < 4; fmt++) {
      for (let rm = 0; rm < 8; rm++) words.push(((31 << 27) | (fmt << 25) | (2 << 20) | (1 << 15) | (rm << 12) | (30 << 7) | opcode) >>> 0);
    }
  }
  for (let f3 = 0; f3 < 8; f3++) {
    words.push(((0x7ff << 20) | (10 << 15) | (f3 << 12) | (31 << 7) | 0x07) >>> 0); // LOAD-FP
    words.push(((0x40 << 25) | (10 << 20) | (2 << 15) | (f3 << 12) | (8 << 7) | 0x27) >>> 0); // STORE-FP
  }
  for (const csr of [1, 2, 3]) {
    for (const f3 of [1, 2, 3, 5, 6, 7]) {
      for (const rd of [0, 10]) {
        for (const rs1 of [0, 11]) words.push(((csr << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x73) >>> 0);
      }
    }
  }
  const halfwords: number[] = [];
  for (const quadrant of [0, 2]) {
    for (const f3 of [1, 3, 5, 7]) {
      for (let bits = 0; bits < 0x800; bits++) halfwords.push((f3 << 13) | (bits << 2) | quadrant);
    }
  }
  const hex = (n: number) => `0x${n.toString(16)}`;
  return ['.globl _start', '_start:', ...words.map((w) => `  .insn ${hex(w)}`), ...halfwords.map((h) => `  .insn ${hex(h)}`)].join('\n') + '\n';
}

describe('disassembler matches GNU objdump on F and D', () => {
  it('agrees on a program with every F and D instruction and rounding mode (-march=rv32imafdc)', () => {
    const { lines, mismatches } = withAssembled(FLOAT_FORMS, compareWithObjdump, 'rv32imafdc');
    expect(lines).toBeGreaterThan(125);
    expect(mismatches).toEqual([]);
  });

  // objdump decodes only the extensions the ELF's architecture attribute names.
  for (const march of ['rv32imafdc', 'rv32imafc', 'rv32imac_zicsr_zifencei']) {
    it(`agrees on every floating-point encoding, -march=${march}`, () => {
      const { lines, mismatches } = withAssembled(everyFloatEncoding(), compareWithObjdump, march);
      expect(lines).toBeGreaterThan(32768 + 16384);
      expect(mismatches.slice(0, 20)).toEqual([]);
    });
  }
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
