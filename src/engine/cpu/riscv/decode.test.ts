import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { EXT_A, EXT_C, EXT_I, EXT_M, EXT_S, EXT_U, OP_NAMES, Op, SINK, decode16, decode32, decodeInto } from './decode.ts';

const ALL = EXT_I | EXT_M | EXT_A | EXT_C | EXT_S | EXT_U;
const { zero, ra, sp, s0, s1, a0, a1, a2, a5, t0 } = A.Reg;

interface Decoded {
  op: string;
  rd: number;
  rs1: number;
  rs2: number;
  imm: number;
  length: number;
}

function d32(raw: number, ext = ALL): Decoded {
  const words = new Int32Array(1);
  const imms = new Int32Array(1);
  decode32(words, imms, 0, raw, ext);
  return unpack(words[0], imms[0]);
}

function d16(raw: number): Decoded {
  const words = new Int32Array(1);
  const imms = new Int32Array(1);
  decode16(words, imms, 0, raw);
  return unpack(words[0], imms[0]);
}

function unpack(w: number, imm: number): Decoded {
  return { op: OP_NAMES[w & 0xff], rd: (w >>> 8) & 63, rs1: (w >>> 14) & 31, rs2: (w >>> 19) & 31, imm, length: w >>> 24 };
}

/** A compressed instruction must decode exactly like its 32-bit expansion, apart from the length. */
function expectExpansion(compressed: number, expansion: number): void {
  const c = d16(compressed);
  const full = d32(expansion);
  expect(c.length).toBe(2);
  expect(full.length).toBe(4);
  // fields that the op does not use may differ (e.g. rs2 of an I-type); compare what the op reads
  const reads = (d: Decoded) => ({ op: d.op, rd: usesRs2(d.op) && !/^(ADD|SUB|SLL|SLT|SLTU|XOR|SRL|SRA|OR|AND)$/.test(d.op) ? 0 : d.rd, rs1: /^(LUI|AUIPC|JAL)$/.test(d.op) ? 0 : d.rs1, imm: d.imm, rs2: usesRs2(d.op) ? d.rs2 : 0 });
  expect(reads(c)).toEqual(reads(full));
}

function usesRs2(op: string): boolean {
  return /^(ADD|SUB|SLL|SLT|SLTU|XOR|SRL|SRA|OR|AND|SB|SH|SW|BEQ|BNE|BLT|BGE|BLTU|BGEU)$/.test(op);
}

describe('RV32I decoding', () => {
  it('maps rd = x0 to the sink register', () => {
    expect(d32(A.addi(zero, a0, 5)).rd).toBe(SINK);
    expect(d32(A.addi(a0, a0, 5)).rd).toBe(a0);
  });

  it('extracts sign-extended immediates of every format', () => {
    expect(d32(A.addi(a0, a1, -2048))).toMatchObject({ op: 'ADDI', rd: a0, rs1: a1, imm: -2048 });
    expect(d32(A.sw(a2, sp, -4))).toMatchObject({ op: 'SW', rs1: sp, rs2: a2, imm: -4 });
    expect(d32(A.beq(a0, a1, -4096))).toMatchObject({ op: 'BEQ', imm: -4096 });
    expect(d32(A.bgeu(a0, a1, 4094))).toMatchObject({ op: 'BGEU', imm: 4094 });
    expect(d32(A.jal(ra, -(1 << 20)))).toMatchObject({ op: 'JAL', rd: ra, imm: -(1 << 20) });
    expect(d32(A.jal(ra, (1 << 20) - 2))).toMatchObject({ op: 'JAL', imm: (1 << 20) - 2 });
    expect(d32(A.lui(a0, 0xfffff000))).toMatchObject({ op: 'LUI', imm: 0xfffff000 | 0 });
    expect(d32(A.srai(a0, a1, 31))).toMatchObject({ op: 'SRAI', imm: 31 });
    expect(d32(A.csrrw(a0, 0xf14, a1))).toMatchObject({ op: 'CSRRW', imm: 0xf14 });
  });

  it('rejects reserved encodings as ILLEGAL with the instruction bits as immediate', () => {
    for (const raw of [0xffffffff, A.bType(8, 1, 1, 2), A.iType(0, 1, 3, 1, 0x03), A.sType(0, 1, 1, 3, 0x23), A.rType(0x20, 1, 1, 1, 1, 0x33), A.slli(a0, a0, 32)]) {
      const d = d32(raw);
      expect(d.op, raw.toString(16)).toBe('ILLEGAL');
      expect(d.imm >>> 0).toBe(raw >>> 0);
    }
  });

  it('decodes M and A only when the extension is present', () => {
    expect(d32(A.mul(a0, a1, a2)).op).toBe('MUL');
    expect(d32(A.mul(a0, a1, a2), EXT_I).op).toBe('ILLEGAL');
    expect(d32(A.amoaddW(a0, a1, a2)).op).toBe('AMOADD_W');
    expect(d32(A.amoaddW(a0, a1, a2), EXT_I | EXT_M).op).toBe('ILLEGAL');
    expect(d32(A.sret(), EXT_I).op).toBe('ILLEGAL');
  });

  it('without C, a 16-bit pattern is an illegal 32-bit instruction', () => {
    const words = new Int32Array(1);
    const imms = new Int32Array(1);
    decodeInto(words, imms, 0, 0x12340001, EXT_I);
    expect(unpack(words[0], imms[0])).toMatchObject({ op: 'ILLEGAL', length: 4, imm: 0x12340001 });
  });
});

describe('RV32C decoding', () => {
  it('decodes every compressed instruction like its expansion', () => {
    expectExpansion(A.cAddi4spn(s0, 1020), A.addi(s0, sp, 1020));
    expectExpansion(A.cAddi4spn(a5, 4), A.addi(a5, sp, 4));
    expectExpansion(A.cLw(a0, s1, 124), A.lw(a0, s1, 124));
    expectExpansion(A.cSw(a1, s0, 64), A.sw(a1, s0, 64));
    expectExpansion(A.cNop(), A.addi(zero, zero, 0));
    expectExpansion(A.cAddi(t0, -32), A.addi(t0, t0, -32));
    expectExpansion(A.cAddi(t0, 31), A.addi(t0, t0, 31));
    expectExpansion(A.cJal(-2048), A.jal(ra, -2048));
    expectExpansion(A.cJal(2046), A.jal(ra, 2046));
    expectExpansion(A.cJ(-2), A.jal(zero, -2));
    expectExpansion(A.cJ(0x2aa), A.jal(zero, 0x2aa));
    expectExpansion(A.cJ(0x554), A.jal(zero, 0x554));
    expectExpansion(A.cLi(a0, -1), A.addi(a0, zero, -1));
    expectExpansion(A.cLui(a0, 0x1f000), A.lui(a0, 0x1f000));
    expectExpansion(A.cLui(a0, -4096), A.lui(a0, -4096));
    expectExpansion(A.cAddi16sp(-512), A.addi(sp, sp, -512));
    expectExpansion(A.cAddi16sp(496), A.addi(sp, sp, 496));
    expectExpansion(A.cAddi16sp(0x150), A.addi(sp, sp, 0x150));
    expectExpansion(A.cSrli(a0, 31), A.srli(a0, a0, 31));
    expectExpansion(A.cSrai(s1, 7), A.srai(s1, s1, 7));
    expectExpansion(A.cAndi(a2, -3), A.andi(a2, a2, -3));
    expectExpansion(A.cSub(s0, a5), A.sub(s0, s0, a5));
    expectExpansion(A.cXor(s0, a5), A.xor(s0, s0, a5));
    expectExpansion(A.cOr(s0, a5), A.or(s0, s0, a5));
    expectExpansion(A.cAnd(s0, a5), A.and(s0, s0, a5));
    expectExpansion(A.cBeqz(a0, -256), A.beq(a0, zero, -256));
    expectExpansion(A.cBeqz(a0, 254), A.beq(a0, zero, 254));
    expectExpansion(A.cBnez(s1, 0x6a), A.bne(s1, zero, 0x6a));
    expectExpansion(A.cBnez(s1, 0x94), A.bne(s1, zero, 0x94));
    expectExpansion(A.cSlli(t0, 31), A.slli(t0, t0, 31));
    expectExpansion(A.cLwsp(ra, 252), A.lw(ra, sp, 252));
    expectExpansion(A.cSwsp(ra, 252), A.sw(ra, sp, 252));
    expectExpansion(A.cJr(ra), A.jalr(zero, ra, 0));
    expectExpansion(A.cJalr(t0), A.jalr(ra, t0, 0));
    expectExpansion(A.cMv(a0, a1), A.add(a0, zero, a1));
    expectExpansion(A.cAdd(a0, a1), A.add(a0, a0, a1));
    expectExpansion(A.cEbreak(), A.ebreak());
  });

  it('rejects reserved compressed encodings', () => {
    const reserved = [
      0x0000, // all zeros
      A.cAddi4spn(s0, 0) , // nzuimm = 0
      A.cAddi16sp(0), // nzimm = 0
      (0x3 << 13) | (a0 << 7) | 0x01, // c.lui with imm 0
      (0x2 << 13) | (0 << 7) | 0x02, // c.lwsp rd = 0
      A.cJr(0), // c.jr x0
      0x2000, // c.fld
      0x6000, // c.flw (RV32)
      0xa000, // c.fsd
      0xe000, // c.fsw
      (0x4 << 13) | (1 << 12) | (0 << 10) | 0x01, // c.srli with shamt[5] = 1 (RV32)
      (1 << 12) | (a0 << 7) | 0x02, // c.slli with shamt[5] = 1 (RV32)
      (0x4 << 13) | (1 << 12) | (3 << 10) | 0x01, // c.subw (RV64 only)
    ];
    for (const raw of reserved) {
      const d = d16(raw);
      expect(d.op, raw.toString(16)).toBe('ILLEGAL');
      expect(d.imm).toBe(raw);
      expect(d.length).toBe(2);
    }
  });
});

describe('interpreter switch', () => {
  it('uses the same op numbers as the decoder (case N: // NAME)', () => {
    const source = readFileSync(new URL('./rv32.ts', import.meta.url), 'utf8');
    const cases = [...source.matchAll(/case (\d+): (?:\{ )?\/\/ (\w+)/g)].map((m) => [Number(m[1]), m[2]] as const);
    const seen = new Set<string>();
    for (const [number, name] of cases) {
      expect(Op[name as keyof typeof Op], `case ${number}: // ${name}`).toBe(number);
      seen.add(name);
    }
    expect([...seen].sort()).toEqual(Object.keys(Op).sort());
  });
});
