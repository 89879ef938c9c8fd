// Thumb / Thumb-2 disassembler (ARMv7-M and ARMv6-M) that prints what Debian's GNU objdump
// (binutils 2.40, `arm-none-eabi-objdump -d`, default options) prints, so the two can be compared
// line by line (./disasm.reference.test.ts does, on every committed ARM ELF and on an assembled
// corpus of every instruction class). Pure: no memory access beyond the `read16` callback, no DOM.
//
// API
//   const context = new ThumbDisassemblyContext({ mapping });   // one per sequential listing
//   const line = disassembleThumb(read16, address, context, symbolize);
//   // → { length: 2 | 4, bytes: 'f000 f800' | '4770' | '00004481', text: 'bl\t1c8 <uart_putc>' }
//   // → undefined when read16 has no halfword at `address` (or none after a 32-bit first half)
//
//   `read16(address)` returns the little-endian halfword at an even address, or undefined.
//   `symbolize(target)` names an address (`main`, `main+0x1c`); objdump prints `1c8 <main+0x1c>`.
//   `text` is objdump's: the mnemonic, a tab, the operands, and objdump's comments after a tab
//   (`@ 0x28` for immediates above 32 or below -16, `@ (fc <sym+0x3c>)` for literal loads).
//
//   For the debug contract: `thumbDisassembly(options)` is a `Disassembly` (CpuDebug.disassembly)
//   and `thumbInstructionLength(hw1)` the length for `instructionLength`.
//
// What objdump does that this follows on purpose:
//   - register names r0–r9, sl, fp, ip, sp, lr, pc; register lists written out, never as ranges;
//   - .w on 32-bit encodings that have a 16-bit form, .n on 16-bit branches;
//   - IT blocks: the listing carries IT state (the context), so instructions inside one print the
//     block's conditions (`movls`, `addeq`), and 16-bit flag-setting forms lose their `s`;
//     a listing that jumps (the address is not the previous one's end) reads back for an IT
//     instruction as objdump does;
//   - special registers of MRS/MSR as objdump names them for an ELF without build attributes
//     (the committed firmware has none): SYSm 0 is `CPSR` (MSR: `CPSR_f`, `CPSR_s`, …), the
//     others PRIMASK, BASEPRI, CONTROL, MSP, PSP, … in capitals;
//   - data: where the ELF's `$d` mapping symbols say data (give them as `mapping`), `.word` /
//     `.short` as objdump prints literal pools and padding, not instructions.
//   - an encoding objdump does not know prints as objdump's `@ <UNDEFINED> instruction: 0x…`.
// `profile: 'v6m'` is accepted for the debugger's sake but prints the same: objdump decodes
// every Thumb-2 encoding for an attribute-less ELF, including the ARMv6-M firmware's.

import type { CodeReader, DisassembledLine, Disassembly, DisassemblyOptions } from '../contract.ts';

/** A region of code or data from the ELF's mapping symbols ($t / $d), by start address. */
export interface ThumbMappingSymbol {
  address: number;
  kind: 'code' | 'data';
}

export interface ThumbDisassemblyOptions {
  /** The core the listing is for; objdump prints the same for both on an attribute-less ELF. */
  profile?: 'v7m' | 'v6m';
  /** Mapping symbols ($t, $d) of the section: where objdump prints data instead of instructions. */
  mapping?: readonly ThumbMappingSymbol[];
  /** End of the section (exclusive): data never runs past it. */
  sectionEnd?: number;
  /** Addresses of the section's other symbols: objdump ends a data item at the next one. */
  symbols?: readonly number[];
}

/** IT state and mapping symbols carried along one sequential listing, as objdump carries them. */
export class ThumbDisassemblyContext {
  readonly profile: 'v7m' | 'v6m';
  private readonly mapping: readonly ThumbMappingSymbol[];
  private readonly sectionEnd: number;
  private readonly boundaries: readonly number[];
  /** Addresses of real (not mapping) symbols: instruction boundaries outside any IT block. */
  private readonly labels: ReadonlySet<number>;
  /** ITSTATE as the architecture keeps it: firstcond[3:0]:mask[3:0] of the block in progress, 0 outside. */
  itState = 0;
  /** Where the next sequential instruction starts (IT state only carries over to it). */
  private next: number | undefined;

  constructor(options: ThumbDisassemblyOptions = {}) {
    this.profile = options.profile ?? 'v7m';
    this.mapping = [...(options.mapping ?? [])].sort((a, b) => a.address - b.address);
    this.sectionEnd = options.sectionEnd ?? Infinity;
    this.boundaries = [...this.mapping.map((m) => m.address), ...(options.symbols ?? [])].sort((a, b) => a - b);
    this.labels = new Set(options.symbols ?? []);
  }

  /** The data region holding `address` (its end: the next symbol of any kind), or undefined for code. */
  dataRegion(address: number): { end: number } | undefined {
    let kind: 'code' | 'data' = 'code';
    for (const symbol of this.mapping) {
      if (symbol.address > address) break;
      kind = symbol.kind;
    }
    if (kind === 'code') return undefined;
    const next = this.boundaries.find((b) => b > address);
    return { end: Math.min(this.sectionEnd, next ?? Infinity) };
  }

  /**
   * The IT state for an instruction at `address`: the block's when it follows the last one; after
   * a jump, what objdump finds by reading back (below).
   */
  stateAt(address: number, read16: (address: number) => number | undefined): number {
    if (this.next !== address) this.itState = this.scanBack(address, read16);
    return this.itState;
  }

  /**
   * Whether `address` is inside an IT block, found as objdump finds it when a listing does not
   * start at the block: reading halfwords backwards (at most four instructions, never past a
   * symbol or data) for an IT instruction whose position agrees with instruction boundaries —
   * a halfword below 0xe800 is a whole 16-bit instruction or the second half of a 32-bit one, so
   * `count` (twice the instructions passed, odd right after a sure boundary) tracks the parity.
   */
  private scanBack(address: number, read16: (address: number) => number | undefined): number {
    let at = address;
    let count = 1;
    let itCount = 0;
    let candidate = 0;
    for (;;) {
      if (at === 0 || this.labels.has(at)) {
        if (candidate !== 0 && (count & 1) !== 0) break;
        return 0;
      }
      at -= 2;
      const halfword = read16(at);
      if (halfword === undefined) return 0;
      if (candidate !== 0 && (halfword & 0xf800) < 0xe800) {
        if ((count & 1) !== 0) break;
        candidate = 0;
      }
      if ((halfword & 0xff00) === 0xbf00 && (halfword & 0xf) !== 0 && this.dataRegion(at) === undefined) {
        candidate = halfword;
        itCount = count >> 1;
      }
      count = (halfword & 0xf800) >= 0xe800 ? count + 1 : (count + 2) | 1;
      if (count >= 8 && candidate === 0) return 0;
    }
    const state = (candidate & 0xe0) | ((candidate << itCount) & 0x1f);
    return (state & 0xf) === 0 ? 0 : state;
  }

  /** After an instruction: where the listing continues and the IT state there. */
  advance(address: number, length: number, state: number): void {
    this.next = address + length;
    this.itState = state;
  }
}

export interface ThumbDisassembledLine {
  /** 2 or 4 for an instruction; data can also be a single byte (`.byte`), as objdump prints it. */
  length: 1 | 2 | 4;
  /** objdump's bytes column: "4770", "f000 f800", or a data word as one number "00004481". */
  bytes: string;
  /** objdump's text: mnemonic, tab, operands, and its comments. */
  text: string;
}

const REGISTER_NAMES = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'sl', 'fp', 'ip', 'sp', 'lr', 'pc'];
const CONDITIONS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', '<und>'];
const SHIFT_NAMES = ['lsl', 'lsr', 'asr', 'ror'];
/** DMB/DSB/ISB options by their 4-bit value; the others print as `#n`. */
const BARRIER_OPTIONS: Record<number, string> = {
  15: 'sy', 14: 'st', 13: 'ld', 11: 'ish', 10: 'ishst', 9: 'ishld', 7: 'un', 6: 'unst', 5: 'nshld', 3: 'osh', 2: 'oshst', 1: 'oshld',
};
/** Special registers by SYSm, as objdump names them in MRS/MSR. */
const SPECIAL_REGISTERS: Record<number, string> = {
  1: 'IAPSR', 2: 'EAPSR', 3: 'PSR', 5: 'IPSR', 6: 'EPSR', 7: 'IEPSR', 8: 'MSP', 9: 'PSP', 10: 'MSPLIM', 11: 'PSPLIM',
  16: 'PRIMASK', 17: 'BASEPRI', 18: 'BASEPRI_MAX', 19: 'FAULTMASK', 20: 'CONTROL',
  0x88: 'MSP_NS', 0x89: 'PSP_NS', 0x8a: 'MSPLIM_NS', 0x8b: 'PSPLIM_NS', 0x90: 'PRIMASK_NS', 0x91: 'BASEPRI_NS', 0x93: 'FAULTMASK_NS', 0x94: 'CONTROL_NS', 0x98: 'SP_NS',
};

function bits(value: number, low: number, high: number): number {
  return (value >>> low) & ((1 << (high - low + 1)) - 1);
}

function signExtend(value: number, width: number): number {
  const shift = 32 - width;
  return (value << shift) >> shift;
}

function hex(value: number, digits: number): string {
  return (value >>> 0).toString(16).padStart(digits, '0');
}

/**
 * One decoded encoding: a pattern (value/mask over the instruction; a 32-bit one is hw1:hw2) and a
 * template. Templates are text with {fields}, each formatted by `expandField` below:
 *   {c}          IT condition suffix (empty outside a block)       {C}   IT condition, or "s" outside
 *   {S}          "s" when bit 20 is set (32-bit flag-setting)
 *   {r:a-b}      register from bits a..b                           {d:a-b} decimal (commented when large)
 *   {R:a-b}      register that must not be pc (objdump flags pc)   {braced:a-b} decimal in braces (hints)
 *   {W:a-b}      bits×4 decimal    {H:a-b} bits×2 decimal          {x:a-b} hex, 4 digits (bkpt)
 *   {'n:s}       the text s when bit n is set                      {?n:t:f} t when bit n is set, else f
 *   {cond:a-b}   condition from bits a..b                          the rest: named operands, see `expandField`
 */
interface Encoding {
  value: number;
  mask: number;
  template: string;
}

function enc(value: number, mask: number, template: string): Encoding {
  return { value: value >>> 0, mask: mask >>> 0, template };
}

/** 16-bit encodings, most specific first. */
const THUMB16: readonly Encoding[] = [
  enc(0xbf50, 0xffff, 'sevl{c}'),
  enc(0xba80, 0xffc0, 'hlt\t{x:0-5}'),
  enc(0xb610, 0xfff7, 'setpan\t#{d:3-3}{X}'),
  enc(0xbf00, 0xffff, 'nop{c}'),
  enc(0xbf10, 0xffff, 'yield{c}'),
  enc(0xbf20, 0xffff, 'wfe{c}'),
  enc(0xbf30, 0xffff, 'wfi{c}'),
  enc(0xbf40, 0xffff, 'sev{c}'),
  enc(0xbf00, 0xff0f, 'nop{c}\t{braced:4-7}'),
  enc(0xb900, 0xfd00, 'cbnz\t{r:0-2}, {cbz}{X}'),
  enc(0xb100, 0xfd00, 'cbz\t{r:0-2}, {cbz}{X}'),
  enc(0xbf00, 0xff00, 'it{it}{X}'),
  enc(0xb660, 0xfff8, "cpsie\t{'2:a}{'1:i}{'0:f}{X}"),
  enc(0xb670, 0xfff8, "cpsid\t{'2:a}{'1:i}{'0:f}{X}"),
  enc(0x4600, 0xffc0, 'mov{c}\t{r:0-2}, {r:3-5}'),
  enc(0xba00, 0xffc0, 'rev{c}\t{r:0-2}, {r:3-5}'),
  enc(0xba40, 0xffc0, 'rev16{c}\t{r:0-2}, {r:3-5}'),
  enc(0xbac0, 0xffc0, 'revsh{c}\t{r:0-2}, {r:3-5}'),
  enc(0xb650, 0xfff7, 'setend\t{?3:be:le}{X}'),
  enc(0xb200, 0xffc0, 'sxth{c}\t{r:0-2}, {r:3-5}'),
  enc(0xb240, 0xffc0, 'sxtb{c}\t{r:0-2}, {r:3-5}'),
  enc(0xb280, 0xffc0, 'uxth{c}\t{r:0-2}, {r:3-5}'),
  enc(0xb2c0, 0xffc0, 'uxtb{c}\t{r:0-2}, {r:3-5}'),
  enc(0xbe00, 0xff00, 'bkpt\t{x:0-7}'),
  enc(0x4780, 0xff87, 'blx{c}\t{r:3-6}{x}'),
  enc(0x4704, 0xff87, 'bxns{c}\t{r:3-6}{x}'),
  enc(0x4784, 0xff87, 'blxns{c}\t{r:3-6}{x}'),
  enc(0x46c0, 0xffff, 'nop{c}\t\t\t@ (mov r8, r8)'),
  enc(0x4000, 0xffc0, 'and{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4040, 0xffc0, 'eor{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4080, 0xffc0, 'lsl{C}\t{r:0-2}, {r:3-5}'),
  enc(0x40c0, 0xffc0, 'lsr{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4100, 0xffc0, 'asr{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4140, 0xffc0, 'adc{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4180, 0xffc0, 'sbc{C}\t{r:0-2}, {r:3-5}'),
  enc(0x41c0, 0xffc0, 'ror{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4200, 0xffc0, 'tst{c}\t{r:0-2}, {r:3-5}'),
  enc(0x4240, 0xffc0, 'neg{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4280, 0xffc0, 'cmp{c}\t{r:0-2}, {r:3-5}'),
  enc(0x42c0, 0xffc0, 'cmn{c}\t{r:0-2}, {r:3-5}'),
  enc(0x4300, 0xffc0, 'orr{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4340, 0xffc0, 'mul{C}\t{r:0-2}, {r:3-5}'),
  enc(0x4380, 0xffc0, 'bic{C}\t{r:0-2}, {r:3-5}'),
  enc(0x43c0, 0xffc0, 'mvn{C}\t{r:0-2}, {r:3-5}'),
  enc(0xb000, 0xff80, 'add{c}\tsp, #{W:0-6}'),
  enc(0xb080, 0xff80, 'sub{c}\tsp, #{W:0-6}'),
  enc(0x4700, 0xff80, 'bx{c}\t{hs}{x}'),
  enc(0x4400, 0xff00, 'add{c}\t{hd}, {hs}'),
  enc(0x4500, 0xff00, 'cmp{c}\t{hd}, {hs}'),
  enc(0x4600, 0xff00, 'mov{c}\t{hd}, {hs}'),
  enc(0xb400, 0xfe00, 'push{c}\t{list16:lr}'),
  enc(0xbc00, 0xfe00, 'pop{c}\t{list16:pc}'),
  enc(0x1800, 0xfe00, 'add{C}\t{r:0-2}, {r:3-5}, {r:6-8}'),
  enc(0x1a00, 0xfe00, 'sub{C}\t{r:0-2}, {r:3-5}, {r:6-8}'),
  enc(0x1c00, 0xfe00, 'add{C}\t{r:0-2}, {r:3-5}, #{d:6-8}'),
  enc(0x1e00, 0xfe00, 'sub{C}\t{r:0-2}, {r:3-5}, #{d:6-8}'),
  enc(0x5200, 0xfe00, 'strh{c}\t{r:0-2}, [{r:3-5}, {r:6-8}]'),
  enc(0x5a00, 0xfe00, 'ldrh{c}\t{r:0-2}, [{r:3-5}, {r:6-8}]'),
  enc(0x5600, 0xf600, 'ldrs{?11:h:b}{c}\t{r:0-2}, [{r:3-5}, {r:6-8}]'),
  enc(0x5000, 0xfa00, "str{'10:b}{c}\t{r:0-2}, [{r:3-5}, {r:6-8}]"),
  enc(0x5800, 0xfa00, "ldr{'10:b}{c}\t{r:0-2}, [{r:3-5}, {r:6-8}]"),
  enc(0x0000, 0xffc0, 'mov{C}\t{r:0-2}, {r:3-5}'),
  enc(0x0000, 0xf800, 'lsl{C}\t{r:0-2}, {r:3-5}, #{d:6-10}'),
  enc(0x0800, 0xf800, 'lsr{C}\t{r:0-2}, {r:3-5}, {shift32}'),
  enc(0x1000, 0xf800, 'asr{C}\t{r:0-2}, {r:3-5}, {shift32}'),
  enc(0x2000, 0xf800, 'mov{C}\t{r:8-10}, #{d:0-7}'),
  enc(0x2800, 0xf800, 'cmp{c}\t{r:8-10}, #{d:0-7}'),
  enc(0x3000, 0xf800, 'add{C}\t{r:8-10}, #{d:0-7}'),
  enc(0x3800, 0xf800, 'sub{C}\t{r:8-10}, #{d:0-7}'),
  enc(0x4800, 0xf800, 'ldr{c}\t{r:8-10}, [pc, #{W:0-7}]\t@ ({lit:0-7})'),
  enc(0x6000, 0xf800, 'str{c}\t{r:0-2}, [{r:3-5}, #{W:6-10}]'),
  enc(0x6800, 0xf800, 'ldr{c}\t{r:0-2}, [{r:3-5}, #{W:6-10}]'),
  enc(0x7000, 0xf800, 'strb{c}\t{r:0-2}, [{r:3-5}, #{d:6-10}]'),
  enc(0x7800, 0xf800, 'ldrb{c}\t{r:0-2}, [{r:3-5}, #{d:6-10}]'),
  enc(0x8000, 0xf800, 'strh{c}\t{r:0-2}, [{r:3-5}, #{H:6-10}]'),
  enc(0x8800, 0xf800, 'ldrh{c}\t{r:0-2}, [{r:3-5}, #{H:6-10}]'),
  enc(0x9000, 0xf800, 'str{c}\t{r:8-10}, [sp, #{W:0-7}]'),
  enc(0x9800, 0xf800, 'ldr{c}\t{r:8-10}, [sp, #{W:0-7}]'),
  enc(0xa000, 0xf800, 'add{c}\t{r:8-10}, pc, #{W:0-7}\t@ (adr {r:8-10}, {lit:0-7})'),
  enc(0xa800, 0xf800, 'add{c}\t{r:8-10}, sp, #{W:0-7}'),
  enc(0xc000, 0xf800, 'stmia{c}\t{r:8-10}!, {list16}'),
  enc(0xc800, 0xf800, 'ldmia{c}\t{r:8-10}{ldmwb}, {list16}'),
  enc(0xdf00, 0xff00, 'svc{c}\t{d:0-7}'),
  enc(0xde00, 0xff00, 'udf{c}\t#{d:0-7}'),
  enc(0xd000, 0xf000, 'b{cond:8-11}.n\t{b8}{X}'),
  enc(0xe000, 0xf800, 'b{c}.n\t{b11}{x}'),
];

/** 32-bit encodings (hw1 << 16 | hw2), most specific first. */
const THUMB32: readonly Encoding[] = [
  // ARMv8-M test target, load-acquire / store-release (objdump decodes them for an attribute-less ELF).
  enc(0xe840f000, 0xfff0f0ff, 'tt{c}\t{r:8-11}, {r:16-19}'),
  enc(0xe840f040, 0xfff0f0ff, 'ttt{c}\t{r:8-11}, {r:16-19}'),
  enc(0xe840f080, 0xfff0f0ff, 'tta{c}\t{r:8-11}, {r:16-19}'),
  enc(0xe840f0c0, 0xfff0f0ff, 'ttat{c}\t{r:8-11}, {r:16-19}'),
  enc(0xe8c00f8f, 0xfff00fff, 'stlb{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8c00f9f, 0xfff00fff, 'stlh{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8c00faf, 0xfff00fff, 'stl{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8c00fc0, 0xfff00ff0, 'stlexb{c}\t{r:0-3}, {r:12-15}, [{R:16-19}]'),
  enc(0xe8c00fd0, 0xfff00ff0, 'stlexh{c}\t{r:0-3}, {r:12-15}, [{R:16-19}]'),
  enc(0xe8c00fe0, 0xfff00ff0, 'stlex{c}\t{r:0-3}, {r:12-15}, [{R:16-19}]'),
  enc(0xe8c000f0, 0xfff000f0, 'stlexd{c}\t{r:0-3}, {r:12-15}, {r:8-11}, [{R:16-19}]'),
  enc(0xe8d00f8f, 0xfff00fff, 'ldab{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8d00f9f, 0xfff00fff, 'ldah{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8d00faf, 0xfff00fff, 'lda{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8d00fcf, 0xfff00fff, 'ldaexb{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8d00fdf, 0xfff00fff, 'ldaexh{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8d00fef, 0xfff00fff, 'ldaex{c}\t{r:12-15}, [{R:16-19}]'),
  enc(0xe8d000ff, 0xfff000ff, 'ldaexd{c}\t{r:12-15}, {r:8-11}, [{R:16-19}]'),
  enc(0xf3af8000, 0xffffffff, 'nop{c}.w'),
  enc(0xf3af8001, 0xffffffff, 'yield{c}.w'),
  enc(0xf3af8002, 0xffffffff, 'wfe{c}.w'),
  enc(0xf3af8003, 0xffffffff, 'wfi{c}.w'),
  enc(0xf3af8004, 0xffffffff, 'sev{c}.w'),
  enc(0xf3af8000, 0xffffff00, 'nop{c}.w\t{braced:0-7}'),
  enc(0xf7f0a000, 0xfff0f000, 'udf{c}.w\t#{udf}'),
  enc(0xf3bf8f2f, 0xffffffff, 'clrex{c}'),
  enc(0xf3af8400, 0xffffff1f, "cpsie.w\t{'7:a}{'6:i}{'5:f}{X}"),
  enc(0xf3af8600, 0xffffff1f, "cpsid.w\t{'7:a}{'6:i}{'5:f}{X}"),
  enc(0xf3c08f00, 0xfff0ffff, 'bxj{c}\t{r:16-19}{x}'),
  enc(0xe810c000, 0xffd0ffff, "rfedb{c}\t{r:16-19}{'21:!}"),
  enc(0xe990c000, 0xffd0ffff, "rfeia{c}\t{r:16-19}{'21:!}"),
  enc(0xf3e08000, 0xffe0f000, 'mrs{c}\t{r:8-11}, {mrs}'),
  enc(0xf3af8100, 0xffffffe0, 'cps\t#{d:0-4}{X}'),
  enc(0xe8d0f000, 0xfff0fff0, 'tbb{c}\t[{r:16-19}, {r:0-3}]{x}'),
  enc(0xe8d0f010, 0xfff0fff0, 'tbh{c}\t[{r:16-19}, {r:0-3}, lsl #1]{x}'),
  enc(0xf3af8500, 0xffffff00, "cpsie\t{'7:a}{'6:i}{'5:f}, #{d:0-4}{X}"),
  enc(0xf3af8700, 0xffffff00, "cpsid\t{'7:a}{'6:i}{'5:f}, #{d:0-4}{X}"),
  enc(0xf3de8f00, 0xffffff00, 'subs{c}\tpc, lr, #{d:0-7}'),
  enc(0xf3808000, 0xffe0f000, 'msr{c}\t{msr}, {r:16-19}'),
  enc(0xe8500f00, 0xfff00fff, 'ldrex{c}\t{r:12-15}, [{r:16-19}]'),
  enc(0xe8d00f4f, 0xfff00fef, 'ldrex{?4:h:b}{c}\t{r:12-15}, [{r:16-19}]'),
  enc(0xe800c000, 0xffd0ffe0, "srsdb{c}\t{r:16-19}{'21:!}, #{d:0-4}"),
  enc(0xe980c000, 0xffd0ffe0, "srsia{c}\t{r:16-19}{'21:!}, #{d:0-4}"),
  enc(0xfa0ff080, 0xfffff0c0, 'sxth{c}.w\t{r:8-11}, {r:0-3}{ror}'),
  enc(0xfa1ff080, 0xfffff0c0, 'uxth{c}.w\t{r:8-11}, {r:0-3}{ror}'),
  enc(0xfa2ff080, 0xfffff0c0, 'sxtb16{c}\t{r:8-11}, {r:0-3}{ror}'),
  enc(0xfa3ff080, 0xfffff0c0, 'uxtb16{c}\t{r:8-11}, {r:0-3}{ror}'),
  enc(0xfa4ff080, 0xfffff0c0, 'sxtb{c}.w\t{r:8-11}, {r:0-3}{ror}'),
  enc(0xfa5ff080, 0xfffff0c0, 'uxtb{c}.w\t{r:8-11}, {r:0-3}{ror}'),
  enc(0xe8400000, 0xfff000ff, 'strex{c}\t{r:8-11}, {r:12-15}, [{r:16-19}]'),
  enc(0xe8d0007f, 0xfff000ff, 'ldrexd{c}\t{r:12-15}, {r:8-11}, [{r:16-19}]'),
  enc(0xfb500f10, 0xfff00ff0, 'bxaut{c}\t{r:12-15}, {r:16-19}, {r:0-3}'),
  enc(0xfb500f00, 0xfff00ff0, 'autg{c}\t{r:12-15}, {r:16-19}, {r:0-3}'),
  enc(0xfb60f000, 0xfff0f0f0, 'pacg{c}\t{r:8-11}, {r:16-19}, {r:0-3}'),
  ...parallelAddSubtract(),
  enc(0xfa80f080, 0xfff0f0f0, 'qadd{c}\t{r:8-11}, {r:0-3}, {r:16-19}'),
  enc(0xfa80f090, 0xfff0f0f0, 'qdadd{c}\t{r:8-11}, {r:0-3}, {r:16-19}'),
  enc(0xfa80f0a0, 0xfff0f0f0, 'qsub{c}\t{r:8-11}, {r:0-3}, {r:16-19}'),
  enc(0xfa80f0b0, 0xfff0f0f0, 'qdsub{c}\t{r:8-11}, {r:0-3}, {r:16-19}'),
  enc(0xfa90f080, 0xfff0f0f0, 'rev{c}.w\t{r:8-11}, {r:16-19}'),
  enc(0xfa90f090, 0xfff0f0f0, 'rev16{c}.w\t{r:8-11}, {r:16-19}'),
  enc(0xfa90f0a0, 0xfff0f0f0, 'rbit{c}\t{r:8-11}, {r:16-19}'),
  enc(0xfa90f0b0, 0xfff0f0f0, 'revsh{c}.w\t{r:8-11}, {r:16-19}'),
  enc(0xfaa0f080, 0xfff0f0f0, 'sel{c}\t{r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xfab0f080, 0xfff0f0f0, 'clz{c}\t{r:8-11}, {r:16-19}'),
  enc(0xfb00f000, 0xfff0f0f0, 'mul{c}.w\t{r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xfb70f000, 0xfff0f0f0, 'usad8{c}\t{r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xfb90f0f0, 0xfff0f0f0, 'sdiv{c}\t{r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xfbb0f0f0, 0xfff0f0f0, 'udiv{c}\t{r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xfa00f000, 0xffe0f0f0, 'lsl{S}{c}.w\t{R:8-11}, {R:16-19}, {R:0-3}'),
  enc(0xfa20f000, 0xffe0f0f0, 'lsr{S}{c}.w\t{R:8-11}, {R:16-19}, {R:0-3}'),
  enc(0xfa40f000, 0xffe0f0f0, 'asr{S}{c}.w\t{R:8-11}, {R:16-19}, {R:0-3}'),
  enc(0xfa60f000, 0xffe0f0f0, 'ror{S}{c}.w\t{r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xe8c00f40, 0xfff00fe0, 'strex{?4:h:b}{c}\t{r:0-3}, {r:12-15}, [{r:16-19}]'),
  enc(0xf3200000, 0xfff0f0e0, 'ssat16{c}\t{r:8-11}, #{d1:0-4}, {r:16-19}'),
  enc(0xf3a00000, 0xfff0f0e0, 'usat16{c}\t{r:8-11}, #{d:0-4}, {r:16-19}'),
  enc(0xfb20f000, 0xfff0f0e0, "smuad{'4:x}{c}\t{r:8-11}, {r:16-19}, {r:0-3}"),
  enc(0xfb30f000, 0xfff0f0e0, 'smulw{?4:t:b}{c}\t{r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xfb40f000, 0xfff0f0e0, "smusd{'4:x}{c}\t{r:8-11}, {r:16-19}, {r:0-3}"),
  enc(0xfb50f000, 0xfff0f0e0, "smmul{'4:r}{c}\t{r:8-11}, {r:16-19}, {r:0-3}"),
  enc(0xfa00f080, 0xfff0f0c0, 'sxtah{c}\t{r:8-11}, {r:16-19}, {r:0-3}{ror}'),
  enc(0xfa10f080, 0xfff0f0c0, 'uxtah{c}\t{r:8-11}, {r:16-19}, {r:0-3}{ror}'),
  enc(0xfa20f080, 0xfff0f0c0, 'sxtab16{c}\t{r:8-11}, {r:16-19}, {r:0-3}{ror}'),
  enc(0xfa30f080, 0xfff0f0c0, 'uxtab16{c}\t{r:8-11}, {r:16-19}, {r:0-3}{ror}'),
  enc(0xfa40f080, 0xfff0f0c0, 'sxtab{c}\t{r:8-11}, {r:16-19}, {r:0-3}{ror}'),
  enc(0xfa50f080, 0xfff0f0c0, 'uxtab{c}\t{r:8-11}, {r:16-19}, {r:0-3}{ror}'),
  enc(0xfb10f000, 0xfff0f0c0, 'smul{?5:t:b}{?4:t:b}{c}\t{r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xf36f0000, 0xffff8020, 'bfc{c}\t{r:8-11}, {bfc}'),
  enc(0xea100f00, 0xfff08f00, 'tst{c}.w\t{r:16-19}, {shifted}'),
  enc(0xea900f00, 0xfff08f00, 'teq{c}\t{r:16-19}, {shifted}'),
  enc(0xeb100f00, 0xfff08f00, 'cmn{c}.w\t{r:16-19}, {shifted}'),
  enc(0xebb00f00, 0xfff08f00, 'cmp{c}.w\t{r:16-19}, {shifted}'),
  enc(0xf0100f00, 0xfbf08f00, 'tst{c}.w\t{r:16-19}, #{modimm}'),
  enc(0xf0900f00, 0xfbf08f00, 'teq{c}\t{r:16-19}, #{modimm}'),
  enc(0xf1100f00, 0xfbf08f00, 'cmn{c}.w\t{r:16-19}, #{modimm}'),
  enc(0xf1b00f00, 0xfbf08f00, 'cmp{c}.w\t{r:16-19}, #{modimm}'),
  enc(0xea4f0000, 0xffef8000, 'mov{S}{c}.w\t{r:8-11}, {shifted}'),
  enc(0xea6f0000, 0xffef8000, 'mvn{S}{c}.w\t{r:8-11}, {shifted}'),
  enc(0xe8c00070, 0xfff000f0, 'strexd{c}\t{r:0-3}, {r:12-15}, {r:8-11}, [{r:16-19}]'),
  enc(0xfb000000, 0xfff000f0, 'mla{c}\t{r:8-11}, {r:16-19}, {r:0-3}, {r:12-15}'),
  enc(0xfb000010, 0xfff000f0, 'mls{c}\t{r:8-11}, {r:16-19}, {r:0-3}, {r:12-15}'),
  enc(0xfb700000, 0xfff000f0, 'usada8{c}\t{R:8-11}, {R:16-19}, {R:0-3}, {R:12-15}'),
  enc(0xfb800000, 0xfff000f0, 'smull{c}\t{R:12-15}, {R:8-11}, {R:16-19}, {R:0-3}'),
  enc(0xfba00000, 0xfff000f0, 'umull{c}\t{R:12-15}, {R:8-11}, {R:16-19}, {R:0-3}'),
  enc(0xfbc00000, 0xfff000f0, 'smlal{c}\t{R:12-15}, {R:8-11}, {R:16-19}, {R:0-3}'),
  enc(0xfbe00000, 0xfff000f0, 'umlal{c}\t{R:12-15}, {R:8-11}, {R:16-19}, {R:0-3}'),
  enc(0xfbe00060, 0xfff000f0, 'umaal{c}\t{R:12-15}, {R:8-11}, {R:16-19}, {R:0-3}'),
  enc(0xe8500f00, 0xfff00f00, 'ldrex{c}\t{r:12-15}, [{r:16-19}, #{W:0-7}]'),
  enc(0xf04f0000, 0xfbef8000, 'mov{S}{c}.w\t{r:8-11}, #{modimm}'),
  enc(0xf06f0000, 0xfbef8000, 'mvn{S}{c}.w\t{r:8-11}, #{modimm}'),
  enc(0xf810f000, 0xff70f000, 'pld{c}\t{addr}'),
  enc(0xf830f000, 0xff70f000, 'pldw{c}\t{addr}'),
  enc(0xf910f000, 0xff70f000, 'pli{c}\t{addr}'),
  enc(0xfb200000, 0xfff000e0, "smlad{'4:x}{c}\t{R:8-11}, {R:16-19}, {R:0-3}, {R:12-15}"),
  enc(0xfb300000, 0xfff000e0, 'smlaw{?4:t:b}{c}\t{R:8-11}, {R:16-19}, {R:0-3}, {R:12-15}'),
  enc(0xfb400000, 0xfff000e0, "smlsd{'4:x}{c}\t{R:8-11}, {R:16-19}, {R:0-3}, {R:12-15}"),
  enc(0xfb500000, 0xfff000e0, "smmla{'4:r}{c}\t{R:8-11}, {R:16-19}, {R:0-3}, {R:12-15}"),
  enc(0xfb600000, 0xfff000e0, "smmls{'4:r}{c}\t{R:8-11}, {R:16-19}, {R:0-3}, {R:12-15}"),
  enc(0xfbc000c0, 0xfff000e0, "smlald{'4:x}{c}\t{R:12-15}, {R:8-11}, {R:16-19}, {R:0-3}"),
  enc(0xfbd000c0, 0xfff000e0, "smlsld{'4:x}{c}\t{R:12-15}, {R:8-11}, {R:16-19}, {R:0-3}"),
  enc(0xeac00000, 0xfff08030, 'pkhbt{c}\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xeac00020, 0xfff08030, 'pkhtb{c}\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xf3400000, 0xfff08020, 'sbfx{c}\t{r:8-11}, {r:16-19}, {bfx}'),
  enc(0xf3c00000, 0xfff08020, 'ubfx{c}\t{r:8-11}, {r:16-19}, {bfx}'),
  enc(0xf8000e00, 0xff900f00, 'str{width}t{c}\t{r:12-15}, {addr}'),
  enc(0xfb100000, 0xfff000c0, 'smla{?5:t:b}{?4:t:b}{c}\t{r:8-11}, {r:16-19}, {r:0-3}, {r:12-15}'),
  enc(0xfbc00080, 0xfff000c0, 'smlal{?5:t:b}{?4:t:b}{c}\t{r:12-15}, {r:8-11}, {r:16-19}, {r:0-3}'),
  enc(0xf3600000, 0xfff08020, 'bfi{c}\t{r:8-11}, {r:16-19}, {bfc}'),
  enc(0xf8100e00, 0xfe900f00, 'ldr{width}t{c}\t{r:12-15}, {addr}'),
  enc(0xf3000000, 0xffd08020, 'ssat{c}\t{r:8-11}, #{d1:0-4}, {r:16-19}{satshift}'),
  enc(0xf3800000, 0xffd08020, 'usat{c}\t{r:8-11}, #{d:0-4}, {r:16-19}{satshift}'),
  enc(0xf2000000, 0xfbf08000, 'addw{c}\t{r:8-11}, {r:16-19}, #{imm12}'),
  enc(0xf2400000, 0xfbf08000, 'movw{c}\t{r:8-11}, #{imm16}'),
  enc(0xf2a00000, 0xfbf08000, 'subw{c}\t{r:8-11}, {r:16-19}, #{imm12}'),
  enc(0xf2c00000, 0xfbf08000, 'movt{c}\t{r:8-11}, #{imm16}'),
  enc(0xea000000, 0xffe08000, 'and{S}{c}.w\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xea200000, 0xffe08000, 'bic{S}{c}.w\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xea400000, 0xffe08000, 'orr{S}{c}.w\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xea600000, 0xffe08000, 'orn{S}{c}\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xea800000, 0xffe08000, 'eor{S}{c}.w\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xeb000000, 0xffe08000, 'add{S}{c}.w\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xeb400000, 0xffe08000, 'adc{S}{c}.w\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xeb600000, 0xffe08000, 'sbc{S}{c}.w\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xeba00000, 0xffe08000, 'sub{S}{c}.w\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xebc00000, 0xffe08000, 'rsb{S}{c}\t{r:8-11}, {r:16-19}, {shifted}'),
  enc(0xe8400000, 0xfff00000, 'strex{c}\t{r:8-11}, {r:12-15}, [{r:16-19}, #{W:0-7}]'),
  enc(0xf0000000, 0xfbe08000, 'and{S}{c}.w\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf0200000, 0xfbe08000, 'bic{S}{c}.w\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf0400000, 0xfbe08000, 'orr{S}{c}.w\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf0600000, 0xfbe08000, 'orn{S}{c}\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf0800000, 0xfbe08000, 'eor{S}{c}.w\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf1000000, 0xfbe08000, 'add{S}{c}.w\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf1400000, 0xfbe08000, 'adc{S}{c}.w\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf1600000, 0xfbe08000, 'sbc{S}{c}.w\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf1a00000, 0xfbe08000, 'sub{S}{c}.w\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xf1c00000, 0xfbe08000, 'rsb{S}{c}\t{r:8-11}, {r:16-19}, #{modimm}'),
  enc(0xe89f0000, 0xffff2000, 'clrm{c}\t{clrm}'),
  enc(0xe8800000, 0xffd00000, "stmia{c}.w\t{r:16-19}{'21:!}, {list32}"),
  enc(0xe8900000, 0xffd00000, "ldmia{c}.w\t{r:16-19}{'21:!}, {list32}"),
  enc(0xe9000000, 0xffd00000, "stmdb{c}\t{r:16-19}{'21:!}, {list32}"),
  enc(0xe9100000, 0xffd00000, "ldmdb{c}\t{r:16-19}{'21:!}, {list32}"),
  enc(0xe9c00000, 0xffd000ff, 'strd{c}\t{r:12-15}, {r:8-11}, [{r:16-19}]'),
  enc(0xe9d00000, 0xffd000ff, 'ldrd{c}\t{r:12-15}, {r:8-11}, [{r:16-19}]'),
  enc(0xe9400000, 0xff500000, 'strd{c}\t{r:12-15}, {r:8-11}, {dual}'),
  enc(0xe9500000, 0xff500000, 'ldrd{c}\t{r:12-15}, {r:8-11}, {dual}'),
  enc(0xe8600000, 0xff700000, 'strd{c}\t{r:12-15}, {r:8-11}, {dual}'),
  enc(0xe8700000, 0xff700000, 'ldrd{c}\t{r:12-15}, {r:8-11}, {dual}'),
  enc(0xf8000000, 0xff100000, 'str{width}{c}.w\t{r:12-15}, {addr}'),
  enc(0xf8100000, 0xfe100000, 'ldr{width}{c}.w\t{r:12-15}, {addr}'),
  enc(0xf7e08000, 0xfff0f000, 'hvc{c}\t#{udf}'),
  enc(0xf7f08000, 0xfff0f000, 'smc{c}\t#{smc}'),
  enc(0xf3c08000, 0xfbc0d000, 'undefined (bcc, cond=0xF)'),
  enc(0xf3808000, 0xfbc0d000, 'undefined (bcc, cond=0xE)'),
  enc(0xf0008000, 0xf800d000, 'b{cond:22-25}.w\t{b20}{X}'),
  enc(0xf0009000, 0xf800d000, 'b{c}.w\t{b24}{x}'),
  enc(0xf000c000, 0xf800d001, 'blx{c}\t{blx}{x}'),
  enc(0xf000d000, 0xf800d000, 'bl{c}\t{b24}{x}'),
];

/** The ARMv6 parallel add/subtract family: prefix × operation, all "op Rd, Rn, Rm". */
function parallelAddSubtract(): Encoding[] {
  const operations: Array<[number, string]> = [[0xfa80, 'add8'], [0xfa90, 'add16'], [0xfaa0, 'asx'], [0xfac0, 'sub8'], [0xfad0, 'sub16'], [0xfae0, 'sax']];
  const prefixes: Array<[number, string]> = [[0x0, 's'], [0x1, 'q'], [0x2, 'sh'], [0x4, 'u'], [0x5, 'uq'], [0x6, 'uh']];
  const out: Encoding[] = [];
  for (const [hw1, operation] of operations) {
    for (const [op2, prefix] of prefixes) out.push(enc((hw1 << 16) | 0xf000 | (op2 << 4), 0xfff0f0f0, `${prefix}${operation}{c}\t{r:8-11}, {r:16-19}, {r:0-3}`));
  }
  return out;
}

/** What formatting one instruction needs besides its encoding. */
interface Formatting {
  insn: number;
  /** The instruction's address. */
  pc: number;
  /** Condition of the IT block this instruction is in, or undefined outside a block. */
  itCondition: number | undefined;
  /** Whether the instruction is the last of its IT block (or outside one). */
  lastInBlock: boolean;
  /** Names a branch or literal target, as objdump's `<symbol+0x…>`. */
  symbolize?: (target: number) => string | undefined;
  /** objdump's "value in comment": a number it repeats as `@ 0x…` when above 32 or below -16. */
  comment: number;
  /** A register operand that must not be pc is pc: objdump appends `@ <UNPREDICTABLE>`. */
  unpredictable?: boolean;
}

function address(target: number, f: Formatting): string {
  const label = f.symbolize?.(target >>> 0);
  const digits = (target >>> 0).toString(16);
  return label === undefined ? digits : `${digits} <${label}>`;
}

/** A Thumb-2 modified immediate (i:imm3:imm8): a byte repeated in a pattern, or rotated. */
export function thumbExpandImmediate(insn: number): number {
  const i12 = (bits(insn, 26, 26) << 11) | (bits(insn, 12, 14) << 8) | bits(insn, 0, 7);
  const byte = i12 & 0xff;
  if ((i12 >> 10) === 0) {
    switch ((i12 >> 8) & 3) {
      case 0: return byte;
      case 1: return (byte << 16) | byte;
      case 2: return ((byte << 24) | (byte << 8)) >>> 0;
      default: return ((byte << 24) | (byte << 16) | (byte << 8) | byte) >>> 0;
    }
  }
  const rotation = i12 >> 7;
  const unrotated = 0x80 | (i12 & 0x7f);
  return ((unrotated >>> rotation) | (unrotated << (32 - rotation))) >>> 0;
}

function registerList(mask: number): string {
  const names: string[] = [];
  for (let r = 0; r < 16; r++) if (mask & (1 << r)) names.push(REGISTER_NAMES[r]);
  return `{${names.join(', ')}}`;
}

/** A shifted register operand: "r1", "r1, lsl #2", "r1, lsr #32", "r1, rrx". */
function shiftedRegister(insn: number): string {
  const rm = REGISTER_NAMES[bits(insn, 0, 3)];
  const type = bits(insn, 4, 5);
  let amount = (bits(insn, 12, 14) << 2) | bits(insn, 6, 7);
  if (type === 0) return amount === 0 ? rm : `${rm}, lsl #${amount}`;
  if (type === 3 && amount === 0) return `${rm}, rrx`;
  if (amount === 0) amount = 32;
  return `${rm}, ${SHIFT_NAMES[type]} #${amount}`;
}

/** The address operand of a 32-bit single load/store (LDR/STR{B,H,SB,SH}{T}, PLD, PLI). */
function loadStoreAddress(f: Formatting): string {
  const insn = f.insn;
  const rn = bits(insn, 16, 19);
  const base = `[${REGISTER_NAMES[rn]}`;
  const up = bits(insn, 23, 23) === 1;
  const imm12 = bits(insn, 0, 11);
  const imm8 = bits(insn, 0, 7);
  let offset: number;
  let writeback = false;
  let postIndexed = false;
  if (up) {
    offset = imm12;
    if (rn !== 15) f.comment = offset;
  } else if (rn === 15) {
    offset = -imm12;
  } else {
    const op = bits(insn, 8, 11);
    if (op === 0) {
      const shift = bits(insn, 4, 5);
      return `${base}, ${REGISTER_NAMES[bits(insn, 0, 3)]}${shift ? `, lsl #${shift}` : ''}]`;
    }
    switch (op) {
      case 0xe: offset = imm8; break;
      case 0xc: offset = -imm8; break;
      case 0xf: offset = imm8; writeback = true; break;
      case 0xd: offset = -imm8; writeback = true; break;
      case 0xb: offset = imm8; postIndexed = true; break;
      case 0x9: offset = -imm8; postIndexed = true; break;
      default: return `${base}, <undefined>]`;
    }
  }
  let text = postIndexed ? `${base}], #${offset}` : `${base}${offset ? `, #${offset}` : ''}${writeback ? ']!' : ']'}`;
  if (rn === 15) text += `\t@ ${address(((f.pc + 4) & ~3) + offset, f)}`;
  return text;
}

/** The address operand of LDRD/STRD with an offset, pre- or post-indexed. */
function dualAddress(f: Formatting): string {
  const insn = f.insn;
  const rn = bits(insn, 16, 19);
  const up = bits(insn, 23, 23) === 1;
  const magnitude = bits(insn, 0, 7) * 4;
  const offset = up ? magnitude : -magnitude;
  const sign = up ? '' : '-';
  const base = `[${REGISTER_NAMES[rn]}`;
  let text: string;
  if (bits(insn, 24, 24)) {
    text = `${base}${magnitude || !up ? `, #${sign}${magnitude}` : ''}]${bits(insn, 21, 21) ? '!' : ''}`;
  } else {
    text = `${base}], #${sign}${magnitude}`;
  }
  if (rn === 15) text += `\t@ ${address(((f.pc + 4) & ~3) + offset, f)}`;
  f.comment = magnitude;
  return text;
}

function specialRegister(insn: number, write: boolean): string {
  const sysm = bits(insn, 0, 7);
  if (sysm !== 0 && !(sysm in SPECIAL_REGISTERS)) return '<unknown>';
  if (sysm === 0) {
    const psr = bits(insn, 20, 20) ? 'SPSR' : 'CPSR';
    if (!write) return psr;
    const mask = bits(insn, 8, 11);
    const fields = (mask & 1 ? 'c' : '') + (mask & 2 ? 'x' : '') + (mask & 4 ? 's' : '') + (mask & 8 ? 'f' : '');
    return `${psr}_${fields}`;
  }
  return SPECIAL_REGISTERS[sysm];
}

function expandField(field: string, f: Formatting): string {
  const insn = f.insn;
  const range = /^([a-zA-Z0-9]+):(\d+)-(\d+)$/.exec(field);
  if (range) {
    const value = bits(insn, Number(range[2]), Number(range[3]));
    switch (range[1]) {
      case 'r': return REGISTER_NAMES[value];
      case 'R': if (value === 15) f.unpredictable = true; return REGISTER_NAMES[value];
      case 'd': f.comment = value; return String(value);
      case 'braced': f.comment = value; return `{${value}}`;
      case 'd1': f.comment = value + 1; return String(value + 1);
      case 'W': f.comment = value * 4; return String(value * 4);
      case 'H': f.comment = value * 2; return String(value * 2);
      case 'x': return `0x${hex(value, 4)}`;
      case 'cond': return CONDITIONS[value];
      case 'lit': f.comment = 0; return address(((f.pc + 4) & ~3) + value * 4, f);
    }
  }
  const flag = /^'(\d+):(.*)$/.exec(field);
  if (flag) return bits(insn, Number(flag[1]), Number(flag[1])) ? flag[2] : '';
  const choice = /^\?(\d+):([^:]*):(.*)$/.exec(field);
  if (choice) return bits(insn, Number(choice[1]), Number(choice[1])) ? choice[2] : choice[3];
  switch (field) {
    case 'c': return f.itCondition === undefined ? '' : CONDITIONS[f.itCondition];
    case 'C': return f.itCondition === undefined ? 's' : CONDITIONS[f.itCondition];
    case 'S': return bits(insn, 20, 20) ? 's' : '';
    case 'X': return f.itCondition === undefined ? '' : `\t@ unpredictable <IT:${CONDITIONS[f.itCondition]}>`;
    case 'x': return f.lastInBlock ? '' : '\t@ unpredictable branch in IT block\n';
    case 'it': {
      const firstCondition = bits(insn, 4, 7);
      const mask = bits(insn, 0, 3);
      let suffix = '';
      for (let bit = 3; bit > 0 && (mask & ((1 << bit) - 1)) !== 0; bit--) suffix += ((mask >> bit) & 1) === (firstCondition & 1) ? 't' : 'e';
      return `${suffix}\t${CONDITIONS[firstCondition]}`;
    }
    case 'hd': return REGISTER_NAMES[(bits(insn, 7, 7) << 3) | bits(insn, 0, 2)];
    case 'hs': return REGISTER_NAMES[bits(insn, 3, 6)];
    case 'list16': return registerList(bits(insn, 0, 7));
    case 'list16:lr': return registerList(bits(insn, 0, 7) | (bits(insn, 8, 8) << 14));
    case 'list16:pc': return registerList(bits(insn, 0, 7) | (bits(insn, 8, 8) << 15));
    case 'ldmwb': return (bits(insn, 0, 7) & (1 << bits(insn, 8, 10))) === 0 ? '!' : '';
    case 'shift32': {
      const amount = bits(insn, 6, 10) || 32;
      f.comment = amount;
      return `#${amount}`;
    }
    case 'cbz': return address(f.pc + 4 + ((bits(insn, 9, 9) << 6) | (bits(insn, 3, 7) << 1)), f);
    case 'b8': f.comment = 0; return address(f.pc + 4 + signExtend(bits(insn, 0, 7), 8) * 2, f);
    case 'b11': f.comment = 0; return address(f.pc + 4 + signExtend(bits(insn, 0, 10), 11) * 2, f);
    case 'b20': {
      const offset = (bits(insn, 26, 26) << 20) | (bits(insn, 11, 11) << 19) | (bits(insn, 13, 13) << 18) | (bits(insn, 16, 21) << 12) | (bits(insn, 0, 10) << 1);
      return address(f.pc + 4 + signExtend(offset, 21), f);
    }
    case 'b24':
    case 'blx': {
      const s = bits(insn, 26, 26);
      const i1 = 1 ^ bits(insn, 13, 13) ^ s;
      const i2 = 1 ^ bits(insn, 11, 11) ^ s;
      const offset = signExtend((s << 24) | (i1 << 23) | (i2 << 22) | (bits(insn, 16, 25) << 12) | (bits(insn, 0, 10) << 1), 25);
      const target = field === 'blx' ? ((f.pc + 4) & ~3) + offset : f.pc + 4 + offset;
      return address(target, f);
    }
    case 'modimm': {
      const value = thumbExpandImmediate(insn);
      f.comment = value;
      return String(value);
    }
    case 'imm12': {
      const value = (bits(insn, 26, 26) << 11) | (bits(insn, 12, 14) << 8) | bits(insn, 0, 7);
      f.comment = value;
      return String(value);
    }
    case 'imm16': {
      const value = (bits(insn, 16, 19) << 12) | (bits(insn, 26, 26) << 11) | (bits(insn, 12, 14) << 8) | bits(insn, 0, 7);
      f.comment = value;
      return String(value);
    }
    case 'udf': {
      const value = (bits(insn, 16, 19) << 12) | bits(insn, 0, 11);
      f.comment = value;
      return String(value);
    }
    case 'shifted': return shiftedRegister(insn);
    case 'ror': {
      const rotation = bits(insn, 4, 5);
      return rotation ? `, ror #${rotation * 8}` : '';
    }
    case 'satshift': {
      const amount = (bits(insn, 12, 14) << 2) | bits(insn, 6, 7);
      if (bits(insn, 21, 21)) return `, asr #${amount}`;
      return amount ? `, lsl #${amount}` : '';
    }
    case 'bfc': {
      const lsb = (bits(insn, 12, 14) << 2) | bits(insn, 6, 7);
      const msb = bits(insn, 0, 4);
      return `#${lsb}, #${(msb - lsb + 1) >>> 0}`;
    }
    case 'bfx': {
      const lsb = (bits(insn, 12, 14) << 2) | bits(insn, 6, 7);
      return `#${lsb}, #${bits(insn, 0, 4) + 1}`;
    }
    case 'barrier': {
      const option = bits(insn, 0, 3);
      return BARRIER_OPTIONS[option] ?? `#${option}`;
    }
    case 'mrs': return specialRegister(insn, false);
    case 'msr': return specialRegister(insn, true);
    case 'list32': return registerList(bits(insn, 0, 15));
    case 'clrm': return registerList(bits(insn, 0, 15)).replace('pc}', 'APSR}');
    case 'smc': {
      // objdump's order for SMC's immediate: hw2[3:0], hw2[11:4], hw1[3:0].
      const value = (bits(insn, 0, 3) << 12) | (bits(insn, 4, 11) << 4) | bits(insn, 16, 19);
      f.comment = value;
      return String(value);
    }
    case 'width': {
      const size = bits(insn, 21, 22);
      const signed = bits(insn, 24, 24);
      if (size === 3 || (signed && size === 2)) return '??';
      return (signed ? 's' : '') + ['b', 'h', ''][size];
    }
    case 'addr': return loadStoreAddress(f);
    case 'dual': return dualAddress(f);
  }
  throw new Error(`disasm: unknown template field {${field}}`);
}

/** Expands a template's {fields} and appends objdump's comments. */
function expand(template: string, f: Formatting): string {
  let text = template.replace(/\{([^}]+)\}/g, (_, field: string) => expandField(field, f));
  if (f.comment > 32 || f.comment < -16) {
    const comment = f.comment < 0 ? (BigInt(f.comment) & 0xffffffffffffffffn).toString(16) : f.comment.toString(16);
    text += `\t@ 0x${comment}`;
  }
  if (f.unpredictable) text += '\t@ <UNPREDICTABLE>';
  return text;
}

/** Barriers: DMB/DSB take a named option; ISB names only SY; DSB #12 is Cortex-M3's old DFB. */
const BARRIERS: readonly Encoding[] = [
  enc(0xf3bf8f4c, 0xffffffff, 'dfb{c}'),
  enc(0xf3bf8f6f, 0xffffffff, 'isb{c}\tsy'),
  enc(0xf3bf8f60, 0xfffffff0, 'isb{c}\t#{d:0-3}'),
  enc(0xf3bf8f40, 0xfffffff0, 'dsb{c}\t{barrier}'),
  enc(0xf3bf8f50, 0xfffffff0, 'dmb{c}\t{barrier}'),
];

function find(table: readonly Encoding[], insn: number): Encoding | undefined {
  for (const e of table) if (((insn & e.mask) >>> 0) === e.value) return e;
  return undefined;
}

/** The IT state after an instruction executes in state `state` (ITAdvance). */
function itAdvance(state: number): number {
  return (state & 0x7) === 0 ? 0 : (state & 0xe0) | ((state << 1) & 0x1f);
}

/** Whether a halfword is the first half of a 32-bit Thumb-2 instruction. */
function isThumb32(hw1: number): boolean {
  return (hw1 & 0xe000) === 0xe000 && (hw1 & 0x1800) !== 0;
}

/** Bytes of the Thumb instruction whose first halfword is `hw1`: 4 for 0b11101/0b11110/0b11111 prefixes, else 2. */
export function thumbInstructionLength(hw1: number): 2 | 4 {
  return isThumb32(hw1) ? 4 : 2;
}

/**
 * The debug contract's listing (`CpuDebug.disassembly`) over this disassembler: code read through
 * a `CodeReader`, symbols through `options.symbolize`, IT state carried from line to line.
 * `thumb` passes the section's mapping symbols and labels when the caller has an ELF.
 */
export function thumbDisassembly(options: DisassemblyOptions = {}, thumb: ThumbDisassemblyOptions = {}): Disassembly {
  const context = new ThumbDisassemblyContext(thumb);
  return {
    next(read: CodeReader, address: number): DisassembledLine | undefined {
      const read16 = (at: number) => {
        const bytes = read(at >>> 0, 2);
        return bytes === undefined || bytes.length < 2 ? undefined : bytes[0] | (bytes[1] << 8);
      };
      const symbolize = options.symbolize;
      return disassembleThumb(read16, address >>> 0, context, symbolize ? (target) => symbolize(target, address) : undefined);
    },
  };
}

/** Disassembles one Thumb instruction (or data word) at `address`; see the top of this file. */
export function disassembleThumb(
  read16: (address: number) => number | undefined,
  address: number,
  context: ThumbDisassemblyContext,
  symbolize?: (target: number) => string | undefined,
): ThumbDisassembledLine | undefined {
  const data = context.dataRegion(address);
  if (data) return dataLine(read16, address, data.end, context);
  const hw1 = read16(address);
  if (hw1 === undefined) return undefined;
  const state = context.stateAt(address, read16);
  const inBlock = (state & 0xf) !== 0;
  const f: Formatting = {
    insn: hw1,
    pc: address,
    itCondition: inBlock ? state >> 4 : undefined,
    lastInBlock: !inBlock || (state & 0x7) === 0,
    symbolize,
    comment: 0,
  };
  let next = inBlock ? itAdvance(state) : 0;
  if (isThumb32(hw1)) {
    const hw2 = read16(address + 2);
    if (hw2 === undefined) return undefined;
    f.insn = ((hw1 << 16) | hw2) >>> 0;
    const encoding = find(BARRIERS, f.insn) ?? find(THUMB32, f.insn);
    const text = encoding ? expand(encoding.template, f) : `\t\t@ <UNDEFINED> instruction: 0x${hex(f.insn, 8)}`;
    context.advance(address, 4, next);
    return { length: 4, bytes: `${hex(hw1, 4)} ${hex(hw2, 4)}`, text };
  }
  const encoding = find(THUMB16, hw1);
  const text = encoding ? expand(encoding.template, f) : `\t\t@ <UNDEFINED> instruction: 0x${hex(hw1, 4)}`;
  // An IT instruction (mask not zero) starts a block for the instructions after it.
  if ((hw1 & 0xff00) === 0xbf00 && (hw1 & 0xf) !== 0) next = hw1 & 0xff;
  context.advance(address, 2, next);
  return { length: 2, bytes: hex(hw1, 4), text };
}

/**
 * objdump's data items: as much of the aligned word as lies before the next symbol, a word
 * (`.word`), a halfword (`.short`) or a byte (`.byte`); three bytes print as a halfword, or a
 * byte at an odd address.
 */
function dataLine(read16: (address: number) => number | undefined, address: number, end: number, context: ThumbDisassemblyContext): ThumbDisassembledLine | undefined {
  let size = Math.min(4 - (address & 3), end - address);
  if (size === 3) size = address & 1 ? 1 : 2;
  const byteAt = (a: number): number | undefined => {
    const half = read16(a & ~1);
    return half === undefined ? undefined : a & 1 ? half >> 8 : half & 0xff;
  };
  let value = 0;
  for (let i = size - 1; i >= 0; i--) {
    const byte = byteAt(address + i);
    if (byte === undefined) return undefined;
    value = value * 256 + byte;
  }
  const length = size === 4 ? 4 : size === 2 ? 2 : 1;
  const digits = hex(value, length * 2);
  context.advance(address, length, 0);
  return { length, bytes: digits, text: `${{ 4: '.word', 2: '.short', 1: '.byte' }[length]}\t0x${digits}` };
}
