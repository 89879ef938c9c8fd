// The bit-manipulation extensions Zba, Zbb, Zbc and Zbs on the RV32 hart: every instruction
// against a reference written from the specification's pseudo-code (bit by bit, BigInt for the
// carry-less products), on edge values and pseudo-random operands; and each extension off makes
// its encodings illegal instructions.
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { Csr } from './csr.ts';
import { DATA, boot, runToWfi, setMtvec, skippingHandler } from './testing.ts';

const { t0, a0, a1, a2 } = A.Reg;
const ALL_BITMANIP = 'MACSU_Zba_Zbb_Zbc_Zbs';

const bitAt = (v: number, i: number): number => (v >>> i) & 1;
const u32 = (v: number | bigint): number => Number(BigInt.asUintN(32, BigInt(v)));

/** The 64-bit carry-less product, from the spec's loop. */
function clmul64(a: number, b: number): bigint {
  let r = 0n;
  for (let i = 0; i < 32; i++) if (bitAt(b, i) === 1) r ^= BigInt(a >>> 0) << BigInt(i);
  return r;
}

function countLeadingZeros(v: number): number {
  let n = 0;
  for (let i = 31; i >= 0 && bitAt(v, i) === 0; i--) n++;
  return n;
}

function countTrailingZeros(v: number): number {
  let n = 0;
  for (let i = 0; i < 32 && bitAt(v, i) === 0; i++) n++;
  return n;
}

function bytesOf(v: number): number[] {
  return [0, 1, 2, 3].map((i) => (v >>> (8 * i)) & 0xff);
}

type Binary = (rd: number, rs1: number, rs2: number) => number;
type Unary = (rd: number, rs1: number) => number;

/** Register-register instructions: encoder and reference (operands and result as u32). */
const BINARY: ReadonlyArray<[string, Binary, (a: number, b: number) => number]> = [
  ['sh1add', A.sh1add, (a, b) => u32(a * 2 + b)],
  ['sh2add', A.sh2add, (a, b) => u32(a * 4 + b)],
  ['sh3add', A.sh3add, (a, b) => u32(a * 8 + b)],
  ['andn', A.andn, (a, b) => u32(a & ~b)],
  ['orn', A.orn, (a, b) => u32(a | ~b)],
  ['xnor', A.xnor, (a, b) => u32(~(a ^ b))],
  ['max', A.max, (a, b) => u32(Math.max(a | 0, b | 0))],
  ['maxu', A.maxu, (a, b) => Math.max(a, b)],
  ['min', A.min, (a, b) => u32(Math.min(a | 0, b | 0))],
  ['minu', A.minu, (a, b) => Math.min(a, b)],
  ['rol', A.rol, (a, b) => u32((BigInt(a) << BigInt(b & 31)) | (BigInt(a) >> BigInt(32 - (b & 31))))],
  ['ror', A.ror, (a, b) => u32((BigInt(a) >> BigInt(b & 31)) | (BigInt(a) << BigInt(32 - (b & 31))))],
  ['clmul', A.clmul, (a, b) => u32(clmul64(a, b))],
  ['clmulh', A.clmulh, (a, b) => u32(clmul64(a, b) >> 32n)],
  ['clmulr', A.clmulr, (a, b) => u32(clmul64(a, b) >> 31n)],
  ['bclr', A.bclr, (a, b) => u32(a & ~(2 ** (b & 31)))],
  ['bext', A.bext, (a, b) => bitAt(a, b & 31)],
  ['binv', A.binv, (a, b) => u32(a ^ (2 ** (b & 31)))],
  ['bset', A.bset, (a, b) => u32(a | (2 ** (b & 31)))],
];

/** Immediate forms: the immediate is the shift amount or bit index (0..31). */
const IMMEDIATE: ReadonlyArray<[string, Binary, (a: number, imm: number) => number]> = [
  ['rori', A.rori, (a, s) => u32((BigInt(a) >> BigInt(s)) | (BigInt(a) << BigInt(32 - s)))],
  ['bclri', A.bclri, (a, i) => u32(a & ~(2 ** i))],
  ['bexti', A.bexti, (a, i) => bitAt(a, i)],
  ['binvi', A.binvi, (a, i) => u32(a ^ (2 ** i))],
  ['bseti', A.bseti, (a, i) => u32(a | (2 ** i))],
];

const UNARY: ReadonlyArray<[string, Unary, (a: number) => number]> = [
  ['clz', A.clz, countLeadingZeros],
  ['ctz', A.ctz, countTrailingZeros],
  ['cpop', A.cpop, (a) => a.toString(2).split('').filter((c) => c === '1').length],
  ['sext.b', A.sextB, (a) => u32(((a & 0xff) ^ 0x80) - 0x80)],
  ['sext.h', A.sextH, (a) => u32(((a & 0xffff) ^ 0x8000) - 0x8000)],
  ['zext.h', A.zextH, (a) => a & 0xffff],
  ['orc.b', A.orcB, (a) => u32(bytesOf(a).reduce((r, byte, i) => r + (byte !== 0 ? 0xff * 2 ** (8 * i) : 0), 0))],
  ['rev8', A.rev8, (a) => u32(bytesOf(a).reduce((r, byte) => r * 256 + byte, 0))],
];

/** Edge values, then pseudo-random ones (a fixed xorshift sequence). */
function operands(): number[] {
  const values = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 31, 32, 33];
  let state = 0x2545f491;
  while (values.length < 40) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values.push(state >>> 0);
  }
  return values;
}

/**
 * Runs `instruction` (rd a2, rs1 a0, rs2 a1) on every pair in `pairs` and returns the results,
 * stored one word each at DATA.
 */
function runEach(instruction: number, pairs: ReadonlyArray<readonly [number, number]>, extensions = ALL_BITMANIP): number[] {
  const { cpu, space } = boot(
    (p) => {
      p.i(A.li(t0, DATA));
      pairs.forEach(([a, b], i) => p.i(A.li(a0, a), A.li(a1, b), instruction, A.sw(a2, t0, 4 * i)));
      p.i(A.wfi());
    },
    { extensions },
  );
  runToWfi(cpu);
  return pairs.map((_, i) => space.load(DATA + 4 * i, 4) >>> 0);
}

const values = operands();
const allPairs = values.flatMap((a) => values.filter((_, j) => j % 4 === 0).map((b) => [a, b] as const));

describe('Zba, Zbb, Zbc, Zbs instructions compute what the specification says', () => {
  for (const [name, encode, reference] of BINARY) {
    it(`${name}`, () => {
      expect(runEach(encode(a2, a0, a1), allPairs)).toEqual(allPairs.map(([a, b]) => reference(a, b)));
    });
  }

  for (const [name, encode, reference] of IMMEDIATE) {
    it(`${name} with every immediate 0..31`, () => {
      for (const imm of [0, 1, 7, 8, 15, 16, 24, 31]) {
        const pairs = values.map((a) => [a, 0] as const);
        expect(runEach(encode(a2, a0, imm), pairs), `${name} imm ${imm}`).toEqual(values.map((a) => reference(a, imm)));
      }
    });
  }

  for (const [name, encode, reference] of UNARY) {
    it(`${name}`, () => {
      const pairs = values.map((a) => [a, 0] as const);
      expect(runEach(encode(a2, a0), pairs)).toEqual(values.map(reference));
    });
  }

  it('known values from the specification examples', () => {
    const one = (insn: number, a: number, b = 0) => runEach(insn, [[a, b]])[0];
    expect(one(A.orcB(a2, a0), 0x00120034)).toBe(0x00ff00ff);
    expect(one(A.rev8(a2, a0), 0x12345678)).toBe(0x78563412);
    expect(one(A.clz(a2, a0), 0)).toBe(32);
    expect(one(A.ctz(a2, a0), 0)).toBe(32);
    expect(one(A.cpop(a2, a0), 0xffffffff)).toBe(32);
    expect(one(A.clmul(a2, a0, a1), 0x3, 0x3)).toBe(0x5);
    expect(one(A.clmulh(a2, a0, a1), 0x80000000, 0x80000000)).toBe(0x40000000);
    expect(one(A.clmulr(a2, a0, a1), 0x80000000, 0x80000000)).toBe(0x80000000);
    expect(one(A.rol(a2, a0, a1), 0x80000001, 33)).toBe(0x00000003);
  });

  it('writes nothing to x0', () => {
    const { cpu } = boot((p) => p.i(A.li(a0, -1), A.cpop(0, a0), A.sh3add(0, a0, a0), A.wfi()), { extensions: ALL_BITMANIP });
    runToWfi(cpu);
    expect(cpu.x[0]).toBe(0);
  });
});

describe('an extension that is off makes its instructions illegal', () => {
  const probes: ReadonlyArray<[string, string, number]> = [
    ['Zba', 'sh2add', A.sh2add(a2, a0, a1)],
    ['Zbb', 'andn', A.andn(a2, a0, a1)],
    ['Zbb', 'clz', A.clz(a2, a0)],
    ['Zbb', 'zext.h', A.zextH(a2, a0)],
    ['Zbb', 'rori', A.rori(a2, a0, 3)],
    ['Zbb', 'orc.b', A.orcB(a2, a0)],
    ['Zbb', 'rev8', A.rev8(a2, a0)],
    ['Zbb', 'max', A.max(a2, a0, a1)],
    ['Zbc', 'clmul', A.clmul(a2, a0, a1)],
    ['Zbs', 'bseti', A.bseti(a2, a0, 3)],
    ['Zbs', 'bext', A.bext(a2, a0, a1)],
  ];
  const others = (off: string) => ['Zba', 'Zbb', 'Zbc', 'Zbs'].filter((e) => e !== off).join('_');

  /** Runs `insn` with a handler that skips it; returns the illegal-instruction traps' mtval values. */
  function illegalTraps(insn: number, extensions: string): number[] {
    const { cpu, traps } = boot((p) => setMtvec(p).i(insn, A.wfi()).apply(skippingHandler), { extensions });
    runToWfi(cpu);
    return traps.filter((t) => t.cause === 2).map((t) => t.tval >>> 0);
  }

  for (const [extension, name, insn] of probes) {
    it(`${name} without ${extension} (the other three on) traps with its bits in mtval; with it, runs`, () => {
      expect(illegalTraps(insn, `MACSU_${others(extension)}`)).toEqual([insn >>> 0]);
      expect(illegalTraps(insn, ALL_BITMANIP)).toEqual([]);
    });
  }

  it('encodings next to the extensions stay illegal with all of them on (RV32 shift amounts, reserved selectors)', () => {
    const reserved = [
      A.iType((0x30 << 5) | 3, a0, 1, a2, 0x13), // the unused selector between cpop and sext.b
      A.iType((0x14 << 5) | 8, a0, 5, a2, 0x13), // orc.b's funct7 with another selector
      A.iType((0x34 << 5) | 0x10, a0, 5, a2, 0x13), // rev8's funct7 with another selector (rev8.b of Zbkb)
      A.iType(0x620 | 1, a0, 5, a2, 0x13), // rori with shamt[5] set (RV64 only)
      A.rType(0x04, 1, a0, 4, a2, 0x33), // pack (Zbkb), not zext.h
      A.rType(0x10, a1, a0, 0, a2, 0x33), // funct7 of Zba with funct3 0
    ];
    for (const insn of reserved) expect(illegalTraps(insn, ALL_BITMANIP), insn.toString(16)).toEqual([insn >>> 0]);
  });

  it('the default hart (no extensions named) has none of them, and misa stays the same with them', () => {
    expect(illegalTraps(A.clz(a2, a0), 'MACSU')).toHaveLength(1);
    const misa = (extensions: string) => {
      const { cpu } = boot((p) => p.i(A.csrr(a0, Csr.MISA), A.wfi()), { extensions });
      runToWfi(cpu);
      return cpu.x[a0] >>> 0;
    };
    expect(misa(ALL_BITMANIP)).toBe(misa('MACSU'));
  });

  it('an unknown multi-letter extension is an error that names it', () => {
    expect(() => boot((p) => p.i(A.wfi()), { extensions: 'MACSU_Zbx' })).toThrow(/"Zbx" is not supported/);
  });
});
