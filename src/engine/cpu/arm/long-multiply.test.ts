// UMULL, SMULL, UMLAL, SMLAL over operands that exercise every carry between the 16-bit partial
// products the core adds (it does not use BigInt), against the ARMv7-M ARM's definition (A7.7)
// worked out here in BigInt: the 64-bit product of the unsigned or signed operands, plus
// RdHi:RdLo for the accumulating forms, modulo 2^64.
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { boot, runTo } from './testing.ts';

const VALUES = [0, 1, 2, 0xffff, 0x1_0000, 0x1_ffff, 0x7fff_ffff, 0x8000_0000, 0x8000_0001, 0xffff_0000, 0xffff_fffe, 0xffff_ffff, 0x1234_5678, 0xdead_beef, 0x0001_8000, 0xfffe_8001];
const ACCUMULATORS = [[0, 0], [0xffff_ffff, 0], [0xffff_ffff, 0xffff_ffff], [0x8000_0000, 0x7fff_ffff], [1, 0x8000_0000]];

const MASK64 = (1n << 64n) - 1n;
const signed32 = (v: number): bigint => BigInt(v | 0);

/** The expected (RdLo, RdHi) of one long multiply. */
function expected(op: 'umull' | 'smull' | 'umlal' | 'smlal', a: number, b: number, lo: number, hi: number): [number, number] {
  const signed = op === 'smull' || op === 'smlal';
  let result = signed ? signed32(a) * signed32(b) : BigInt(a >>> 0) * BigInt(b >>> 0);
  if (op === 'umlal' || op === 'smlal') result += (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  result &= MASK64;
  return [Number(result & 0xffff_ffffn), Number(result >> 32n)];
}

describe('Cortex-M long multiplies', () => {
  it('UMULL, SMULL, UMLAL and SMLAL give the 64-bit results of the architecture for edge operands', () => {
    const cases: Array<{ op: 'umull' | 'smull' | 'umlal' | 'smlal'; a: number; b: number; lo: number; hi: number }> = [];
    for (const a of VALUES) {
      for (const b of VALUES) {
        cases.push({ op: 'umull', a, b, lo: 0, hi: 0 }, { op: 'smull', a, b, lo: 0, hi: 0 });
        for (const [lo, hi] of ACCUMULATORS) cases.push({ op: 'umlal', a, b, lo, hi }, { op: 'smlal', a, b, lo, hi });
      }
    }
    const board = boot((p) => {
      p.label('again').i(A.umull(2, 3, 0, 1));
      p.label('done').b('done');
    });
    const start = board.program.address('again');
    for (const { op, a, b, lo, hi } of cases) {
      // one instruction at a time: patch the multiply in place (a store into decoded code drops it)
      const encoding = A[op](2, 3, 0, 1);
      board.space.store(start, encoding[0], 2);
      board.space.store(start + 2, encoding[1], 2);
      board.cpu.pc = start;
      const r = board.cpu.r;
      r[0] = a; r[1] = b; r[2] = lo; r[3] = hi;
      runTo(board, 'done');
      expect({ op, a, b, lo, hi, result: [r[2] >>> 0, r[3] >>> 0] }).toEqual({ op, a, b, lo, hi, result: expected(op, a, b, lo, hi) });
    }
  });
});
