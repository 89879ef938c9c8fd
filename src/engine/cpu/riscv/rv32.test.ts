import { GuestArena } from '../../guest-arena.ts';
import { describe, expect, it } from 'vitest';
import { AddressSpace, type MmioHandler } from '../../memory.ts';
import * as A from './asm.ts';
import { Csr, IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_SEI, MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP } from './csr.ts';
import { Rv32Cpu } from './rv32.ts';
import { BASE, DATA, RAM_SIZE, boot, recordingHandler, runToWfi, setMtvec, skippingHandler } from './testing.ts';

const { zero, ra, sp, s0, s1, s2, s3, s4, s5, s6, s9, s10, s11, a0, a1, a2, a3, a4, a5, a6, a7, t0, t1, t2, t6 } = A.Reg;
const u32 = (v: number) => v >>> 0;

describe('RV32I', () => {
  it('register-immediate arithmetic, logic and shifts', () => {
    const { cpu } = boot((p) =>
      p.i(
        A.li(a0, 0x12345678),
        A.li(s2, -5),
        A.addi(a1, a0, -1),
        A.slti(a2, a0, 0),
        A.slti(a3, s2, -4),
        A.sltiu(a4, s2, -1),
        A.sltiu(a5, a0, 1),
        A.xori(a6, a0, -1),
        A.ori(a7, a0, 0x0f0),
        A.andi(s3, a0, 0x0ff),
        A.slli(s4, a0, 4),
        A.srli(s5, s2, 28),
        A.srai(s6, s2, 1),
        A.wfi(),
      ),
    );
    runToWfi(cpu);
    const x = cpu.x;
    expect(x[a1]).toBe(0x12345677);
    expect([x[a2], x[a3], x[a4], x[a5]]).toEqual([0, 1, 1, 0]);
    expect(x[a6]).toBe(~0x12345678);
    expect(x[a7]).toBe(0x123456f8);
    expect(x[s3]).toBe(0x78);
    expect(x[s4]).toBe(0x23456780);
    expect(x[s5]).toBe(0xf);
    expect(x[s6]).toBe(-3);
  });

  it('register-register arithmetic, logic and shifts (shift amounts use the low 5 bits)', () => {
    const { cpu } = boot((p) =>
      p.i(
        A.li(a0, 0x80000001),
        A.li(a1, 33),
        A.li(s2, -7),
        A.add(a2, a0, a0),
        A.sub(a3, zero, a0),
        A.sll(a4, a0, a1),
        A.slt(a5, a0, a1),
        A.sltu(a6, a0, a1),
        A.xor(a7, a0, s2),
        A.srl(s3, a0, a1),
        A.sra(s4, a0, a1),
        A.or(s5, a0, s2),
        A.and(s6, a0, s2),
        A.wfi(),
      ),
    );
    runToWfi(cpu);
    const x = cpu.x;
    expect(x[a2]).toBe(2);
    expect(x[a3]).toBe(0x7fffffff);
    expect(x[a4]).toBe(2);
    expect([x[a5], x[a6]]).toEqual([1, 0]);
    expect(x[a7]).toBe(0x80000001 ^ -7);
    expect(u32(x[s3])).toBe(0x40000000);
    expect(u32(x[s4])).toBe(0xc0000000);
    expect(x[s5]).toBe(0x80000001 | -7);
    expect(x[s6]).toBe(0x80000001 & -7);
  });

  it('LUI and AUIPC', () => {
    const { cpu } = boot((p) => p.i(A.lui(a0, 0xabcde000), A.auipc(a1, 0x1000), A.auipc(a2, 0xfffff000), A.wfi()));
    runToWfi(cpu);
    expect(u32(cpu.x[a0])).toBe(0xabcde000);
    expect(u32(cpu.x[a1])).toBe(BASE + 4 + 0x1000);
    expect(u32(cpu.x[a2])).toBe(BASE + 8 - 0x1000);
  });

  it('keeps x0 at zero', () => {
    const { cpu } = boot((p) => p.i(A.addi(zero, zero, 5), A.li(s0, DATA), A.lw(zero, s0, 0), A.lui(zero, 0x1000), A.add(a0, zero, zero), A.jal(zero, 4), A.wfi()));
    runToWfi(cpu);
    expect(cpu.x[0]).toBe(0);
    expect(cpu.x[a0]).toBe(0);
  });

  const branchCases: Array<[string, (rs1: number, rs2: number, off: number) => number, number, number, boolean]> = [
    ['beq equal', A.beq, 5, 5, true],
    ['beq different', A.beq, 5, 6, false],
    ['bne different', A.bne, 5, 6, true],
    ['bne equal', A.bne, -1, -1, false],
    ['blt signed less', A.blt, -1, 1, true],
    ['blt signed greater', A.blt, 1, -1, false],
    ['blt equal', A.blt, 3, 3, false],
    ['bge equal', A.bge, 3, 3, true],
    ['bge signed less', A.bge, -2, 1, false],
    ['bltu unsigned less', A.bltu, 1, -1, true],
    ['bltu unsigned greater', A.bltu, -1, 1, false],
    ['bgeu unsigned greater', A.bgeu, -1, 1, true],
    ['bgeu unsigned less', A.bgeu, 0, 1, false],
  ];
  for (const [name, make, v1, v2, taken] of branchCases) {
    it(`branch: ${name} is ${taken ? 'taken' : 'not taken'}`, () => {
      const { cpu } = boot((p) =>
        p.i(A.li(a0, v1), A.li(a1, v2)).branch(make, a0, a1, 'skip').i(A.addi(s1, zero, 1)).label('skip').i(A.addi(s2, zero, 2), A.wfi()),
      );
      runToWfi(cpu);
      expect(cpu.x[s1]).toBe(taken ? 0 : 1);
      expect(cpu.x[s2]).toBe(2);
    });
  }

  it('branches backwards (a counted loop)', () => {
    const { cpu } = boot((p) =>
      p.i(A.li(a0, 0), A.li(a1, 10), A.li(a2, 0)).label('loop').i(A.addi(a0, a0, 1), A.add(a2, a2, a0)).branch(A.blt, a0, a1, 'loop').i(A.wfi()),
    );
    runToWfi(cpu);
    expect(cpu.x[a2]).toBe(55);
  });

  it('JAL and JALR link the return address; JALR clears bit 0 and may use rd = rs1', () => {
    const { cpu, program } = boot((p) =>
      p
        .jal(ra, 'f')
        .label('back')
        .la(t0, 'g')
        .i(A.addi(t0, t0, 1))
        .label('jalr1')
        .i(A.jalr(s1, t0, 0))
        .i(A.addi(a2, zero, 3))
        .label('g')
        .la(t1, 'h')
        .label('jalr2')
        .i(A.jalr(t1, t1, 0))
        .i(A.addi(a3, zero, 4))
        .label('h')
        .i(A.wfi())
        .label('f')
        .i(A.addi(a1, zero, 2))
        .i(A.jalr(zero, ra, 0)),
    );
    runToWfi(cpu);
    expect(u32(cpu.x[ra])).toBe(program.address('back'));
    expect(cpu.x[a1]).toBe(2);
    expect(u32(cpu.x[s1])).toBe(program.address('jalr1') + 4);
    expect(cpu.x[a2]).toBe(0);
    expect(u32(cpu.x[t1])).toBe(program.address('jalr2') + 4);
    expect(cpu.x[a3]).toBe(0);
  });

  it('loads sign- or zero-extend; stores write 1, 2 or 4 bytes', () => {
    const { cpu, space } = boot((p) =>
      p.i(
        A.li(s0, DATA),
        A.li(a0, 0x80ff7f01),
        A.sw(a0, s0, 0),
        A.lb(a1, s0, 0),
        A.lb(a2, s0, 3),
        A.lbu(a3, s0, 3),
        A.lh(a4, s0, 2),
        A.lhu(a5, s0, 2),
        A.lw(a6, s0, 0),
        A.sb(a0, s0, 4),
        A.sh(a0, s0, 8),
        A.addi(s1, s0, 16),
        A.sw(a0, s1, -4),
        A.lw(a7, s1, -4),
        A.wfi(),
      ),
    );
    runToWfi(cpu);
    const x = cpu.x;
    expect(x[a1]).toBe(1);
    expect(x[a2]).toBe(-128);
    expect(x[a3]).toBe(0x80);
    expect(x[a4]).toBe(0x80ff - 0x10000);
    expect(x[a5]).toBe(0x80ff);
    expect(u32(x[a6])).toBe(0x80ff7f01);
    expect(space.load(DATA + 4, 4)).toBe(0x01);
    expect(space.load(DATA + 8, 4)).toBe(0x7f01);
    expect(space.load(DATA + 12, 4)).toBe(0x80ff7f01);
    expect(u32(x[a7])).toBe(0x80ff7f01);
  });

  it('misaligned loads and stores work, like on QEMU virt', () => {
    const { cpu, space, traps } = boot((p) =>
      p.i(
        A.li(s0, DATA),
        A.li(a0, 0x11223344),
        A.sw(a0, s0, 13),
        A.lw(a1, s0, 13),
        A.sh(a0, s0, 33),
        A.lh(a2, s0, 33),
        A.lhu(a3, s0, 13),
        A.wfi(),
      ),
    );
    runToWfi(cpu);
    expect(traps).toEqual([]);
    expect(space.load(DATA + 13, 4)).toBe(0x11223344);
    expect(cpu.x[a1]).toBe(0x11223344);
    expect(cpu.x[a2]).toBe(0x3344);
    expect(cpu.x[a3]).toBe(0x3344);
  });

  it('reads ROM, and a store to ROM is a store access fault', () => {
    const space = new AddressSpace('test', GuestArena.create());
    const rom = new Uint8Array([0xef, 0xbe, 0xad, 0xde]);
    space.mapRam('rom', 0x2000_0000, rom.buffer, 4, true);
    const { cpu } = boot((p) => setMtvec(p).i(A.li(t0, 0x2000_0000), A.lw(a0, t0, 0), A.lbu(a1, t0, 1), A.sw(a0, t0, 0), A.wfi()).apply(recordingHandler), {}, space);
    runToWfi(cpu);
    expect(u32(cpu.x[a0])).toBe(0xdeadbeef);
    expect(cpu.x[a1]).toBe(0xbe);
    expect(cpu.x[s9]).toBe(7);
    expect(u32(cpu.x[s11])).toBe(0x2000_0000);
    expect(rom[0]).toBe(0xef);
  });

  it('loads and stores reach MMIO handlers with region offsets, sign-extended as the load asks', () => {
    const log: string[] = [];
    const device: MmioHandler = {
      read: (offset, size) => (log.push(`r${size}@${offset}`), 0x89abcdef),
      write: (offset, value, size) => void log.push(`w${size}@${offset}=${value.toString(16)}`),
    };
    const space = new AddressSpace('test', GuestArena.create());
    space.mapMmio('dev', 0x1000_0000, 0x100, device);
    const { cpu } = boot(
      (p) => p.i(A.li(t0, 0x1000_0000), A.li(a0, -2), A.sw(a0, t0, 8), A.sb(a0, t0, 1), A.lw(a1, t0, 4), A.lb(a2, t0, 2), A.lhu(a3, t0, 2), A.wfi()),
      {},
      space,
    );
    runToWfi(cpu);
    expect(log).toEqual(['w4@8=fffffffe', 'w1@1=fe', 'r4@4', 'r1@2', 'r2@2']);
    expect(u32(cpu.x[a1])).toBe(0x89abcdef);
    expect(cpu.x[a2]).toBe(((0x89abcdef & 0xff) << 24) >> 24);
    expect(cpu.x[a3]).toBe(0xcdef);
  });

  it('FENCE is a no-op', () => {
    const { cpu } = boot((p) => p.i(A.fence(), A.addi(a0, zero, 1), A.wfi()));
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(1);
  });
});

describe('M extension', () => {
  const values = [0, 1, -1, 2, -2, 3, -7, 7, 0x7fffffff, -0x80000000, 0x12345678, -0x12345678, 0xdeadbeef | 0, 0x10000, 0xffff];
  const big = (v: number) => BigInt(v | 0);
  const ubig = (v: number) => BigInt(v >>> 0);
  const wrap = (v: bigint) => Number(BigInt.asIntN(32, v));

  function machine() {
    return boot((p) =>
      p.i(
        A.mul(a2, a0, a1),
        A.mulh(a3, a0, a1),
        A.mulhsu(a4, a0, a1),
        A.mulhu(a5, a0, a1),
        A.div(a6, a0, a1),
        A.divu(a7, a0, a1),
        A.rem(s2, a0, a1),
        A.remu(s3, a0, a1),
        A.wfi(),
      ),
    ).cpu;
  }

  it('multiplies (all four high/low variants) like a 64-bit reference', () => {
    const cpu = machine();
    for (const v1 of values) {
      for (const v2 of values) {
        cpu.reset();
        cpu.x[a0] = v1;
        cpu.x[a1] = v2;
        runToWfi(cpu);
        const label = `${v1} * ${v2}`;
        expect(cpu.x[a2], label).toBe(wrap(big(v1) * big(v2)));
        expect(cpu.x[a3], label).toBe(wrap((big(v1) * big(v2)) >> 32n));
        expect(cpu.x[a4], label).toBe(wrap((big(v1) * ubig(v2)) >> 32n));
        expect(cpu.x[a5], label).toBe(wrap((ubig(v1) * ubig(v2)) >> 32n));
      }
    }
  });

  it('divides with RISC-V results for division by zero and overflow', () => {
    const cpu = machine();
    for (const v1 of values) {
      for (const v2 of values) {
        cpu.reset();
        cpu.x[a0] = v1;
        cpu.x[a1] = v2;
        runToWfi(cpu);
        const label = `${v1} / ${v2}`;
        let q: number, r: number, qu: number, ru: number;
        if (v2 === 0) {
          [q, r, qu, ru] = [-1, v1, -1, v1];
        } else {
          q = v1 === -0x80000000 && v2 === -1 ? -0x80000000 : wrap(big(v1) / big(v2));
          r = v1 === -0x80000000 && v2 === -1 ? 0 : wrap(big(v1) % big(v2));
          qu = wrap(ubig(v1) / ubig(v2));
          ru = wrap(ubig(v1) % ubig(v2));
        }
        expect([cpu.x[a6], cpu.x[s2], cpu.x[a7], cpu.x[s3]], label).toEqual([q, r, qu, ru]);
      }
    }
  });
});

describe('A extension', () => {
  it('LR/SC succeeds on an untouched reservation and fails otherwise', () => {
    const { cpu, space } = boot((p) =>
      p.i(
        A.li(s0, DATA),
        A.li(a0, 5),
        A.sw(a0, s0, 0),
        A.lrW(a1, s0),
        A.addi(a1, a1, 1),
        A.scW(a2, s0, a1), // succeeds: 6
        A.scW(a3, s0, a1), // fails: reservation used up
        A.lrW(a4, s0),
        A.li(t0, 9),
        A.sw(t0, s0, 0), // the reserved word changes
        A.scW(a5, s0, a1), // fails
        A.wfi(),
      ),
    );
    runToWfi(cpu);
    expect(cpu.x[a1]).toBe(6);
    expect([cpu.x[a2], cpu.x[a3], cpu.x[a5]]).toEqual([0, 1, 1]);
    expect(cpu.x[a4]).toBe(6);
    expect(space.load(DATA, 4)).toBe(9);
  });

  const amoCases: Array<[string, (rd: number, rs1: number, rs2: number) => number, number, number, number]> = [
    ['amoswap', A.amoswapW, 7, -3, -3],
    ['amoadd', A.amoaddW, 0x7fffffff, 1, -0x80000000],
    ['amoxor', A.amoxorW, 0b1100, 0b1010, 0b0110],
    ['amoand', A.amoandW, 0b1100, 0b1010, 0b1000],
    ['amoor', A.amoorW, 0b1100, 0b1010, 0b1110],
    ['amomin', A.amominW, -5, 3, -5],
    ['amomax', A.amomaxW, -5, 3, 3],
    ['amominu', A.amominuW, -5, 3, 3],
    ['amomaxu', A.amomaxuW, -5, 3, -5],
  ];
  for (const [name, make, memory, operand, result] of amoCases) {
    it(`${name}.w returns the old value and stores the result`, () => {
      const { cpu, space } = boot((p) => p.i(A.li(s0, DATA), A.li(t0, memory), A.sw(t0, s0, 0), A.li(a1, operand), make(a0, s0, a1), A.wfi()));
      runToWfi(cpu);
      expect(cpu.x[a0]).toBe(memory);
      expect(space.load(DATA, 4) | 0).toBe(result);
    });
  }

  it('misaligned AMOs and LR raise load address misaligned, as QEMU 7.2 does', () => {
    const { cpu, traps } = boot((p) => setMtvec(p).i(A.li(s0, DATA + 2), A.amoaddW(a0, s0, a1), A.lrW(a0, s0), A.wfi()).apply(skippingHandler));
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval])).toEqual([
      [4, DATA + 2],
      [4, DATA + 2],
    ]);
  });
});

describe('C extension', () => {
  it('runs a program mixing compressed and full-size instructions', () => {
    // sum = 0; for (i = 5; i != 0; i--) sum += i; call a function that doubles it; store/load via sp
    const { cpu, space } = boot((p) =>
      p
        .i(A.li(sp, DATA + 0x100))
        .c(A.cLi(s0, 5), A.cLi(s1, 0))
        .label('loop')
        .c(A.cAdd(s1, s0), A.cAddi(s0, -1))
        .cbranch(A.cBnez, s0, 'loop')
        .c(A.cMv(a0, s1))
        .jal(ra, 'double')
        .c(A.cSwsp(a0, 8), A.cLwsp(a1, 8), A.cAddi16sp(-64), A.cAddi4spn(a2, 64), A.cLw(a3, a2, 8))
        .c(A.cLui(a4, 0x1f000), A.cSrli(a3, 1), A.cSlli(a4, 4), A.cAndi(a3, -2), A.cLi(a5, 3), A.cXor(a5, a3), A.cOr(a5, a3))
        .c(A.cLi(s0, 0))
        .cbranch(A.cBeqz, s0, 'zero')
        .c(A.cLi(a6, 1))
        .label('zero')
        .cj('end')
        .c(A.cLi(a7, 1))
        .label('double')
        .c(A.cAdd(a0, a0), A.cJr(ra))
        .label('end')
        .i(A.wfi()),
    );
    runToWfi(cpu);
    expect(cpu.x[s1]).toBe(15);
    expect(cpu.x[a0]).toBe(30);
    expect(cpu.x[a1]).toBe(30);
    expect(space.load(DATA + 0x108, 4)).toBe(30);
    expect(u32(cpu.x[sp])).toBe(DATA + 0x100 - 64);
    expect(u32(cpu.x[a2])).toBe(DATA + 0x100);
    expect(cpu.x[a3]).toBe(14); // (30 >> 1) & -2
    expect(cpu.x[a4]).toBe(0x1f0000);
    expect(cpu.x[a5]).toBe((3 ^ 14) | 14);
    expect(cpu.x[a6]).toBe(0);
    expect(cpu.x[a7]).toBe(0);
  });

  it('c.jal and c.jalr link pc + 2', () => {
    const { cpu, program } = boot((p) =>
      p
        .label('jal')
        .cjal('f')
        .i(A.addi(s2, s1, 0))
        .la(t0, 'f')
        .label('jalr')
        .c(A.cJalr(t0))
        .c(A.cNop())
        .i(A.wfi())
        .label('f')
        .c(A.cMv(s1, ra), A.cJr(ra)),
    );
    runToWfi(cpu);
    expect(u32(cpu.x[s2])).toBe(program.address('jal') + 2);
    expect(u32(cpu.x[s1])).toBe(program.address('jalr') + 2);
  });
});

describe('Zicsr', () => {
  it('csrrw/csrrs/csrrc and the immediate forms read the old value and write the new one', () => {
    const { cpu } = boot((p) =>
      p.i(
        A.li(a0, 0x1234),
        A.li(t0, 0xf0000),
        A.csrrw(a1, Csr.MSCRATCH, a0),
        A.csrrs(a2, Csr.MSCRATCH, t0),
        A.csrrc(a3, Csr.MSCRATCH, a0),
        A.csrrwi(a4, Csr.MSCRATCH, 0x1f),
        A.csrrsi(a5, Csr.MSCRATCH, 0),
        A.csrrci(a6, Csr.MSCRATCH, 3),
        A.csrr(a7, Csr.MSCRATCH),
        A.csrrsi(s2, Csr.MSCRATCH, 0x20 - 1),
        A.csrr(s3, Csr.MSCRATCH),
        A.wfi(),
      ),
    );
    runToWfi(cpu);
    const x = cpu.x;
    expect([x[a1], x[a2], x[a3], x[a4], x[a5], x[a6], x[a7]]).toEqual([0, 0x1234, 0xf1234, 0xf0000, 0x1f, 0x1f, 0x1c]);
    expect(x[s2]).toBe(0x1c);
    expect(x[s3]).toBe(0x1f);
    expect(cpu.readCsr(Csr.MSCRATCH)).toBe(0x1f);
  });

  it('reports the machine information CSRs', () => {
    const { cpu } = boot(
      (p) => p.i(A.csrr(a0, Csr.MISA), A.csrr(a1, Csr.MHARTID), A.csrr(a2, Csr.MVENDORID), A.csrr(a3, Csr.MARCHID), A.csrr(a4, Csr.MIMPID), A.wfi()),
      { hartId: 3 },
    );
    runToWfi(cpu);
    // MXL=1, A C I M S U
    expect(u32(cpu.x[a0])).toBe(0x40141105);
    expect(cpu.x[a1]).toBe(3);
    expect([cpu.x[a2], cpu.x[a3], cpu.x[a4]]).toEqual([0, 0, 0]);
  });

  it('misa follows the configured extensions', () => {
    const { cpu } = boot((p) => p.i(A.wfi()), { extensions: 'M' });
    expect(cpu.readCsr(Csr.MISA)).toBe(0x40001100);
    expect(() => boot((p) => p, { extensions: 'Q' })).toThrow(/"Q" is not supported/);
    expect(() => boot((p) => p, { extensions: 'D' })).toThrow(/D extension needs F/);
    expect(boot((p) => p, { extensions: 'MFD' }).cpu.readCsr(Csr.MISA)).toBe(0x40001128); // I, M, F (bit 5), D (bit 3)
  });

  it('writing a read-only CSR or touching an unknown one is an illegal instruction with the bits in mtval', () => {
    const bad1 = A.csrw(Csr.MVENDORID, a0);
    const bad2 = A.csrr(a0, 0x7c0);
    const { cpu, traps } = boot((p) => setMtvec(p).i(A.csrr(a1, Csr.MHARTID), bad1, bad2, A.wfi()).apply(skippingHandler));
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval])).toEqual([
      [2, bad1],
      [2, bad2],
    ]);
  });

  it('cycle, instret and time count; minstret and mcycle can be written; the high halves work', () => {
    const { cpu } = boot((p) =>
      p.i(
        A.csrr(a0, Csr.INSTRET), // 0 instructions retired before this one
        A.csrr(a1, Csr.INSTRET),
        A.csrr(a2, Csr.CYCLE),
        A.li(t0, 100),
        A.csrw(Csr.MINSTRET, t0),
        A.csrr(a3, Csr.MINSTRET),
        A.li(t0, 1),
        A.csrw(Csr.MINSTRETH, t0),
        A.csrr(a4, Csr.INSTRETH),
        A.csrr(a5, Csr.TIME),
        A.csrr(a6, Csr.TIMEH),
        A.csrw(Csr.MCYCLE, zero),
        A.csrr(a7, Csr.MCYCLE),
        A.wfi(),
      ),
    );
    cpu.timeSource = () => 0x1_2345_6789;
    runToWfi(cpu);
    const x = cpu.x;
    expect([x[a0], x[a1], x[a2]]).toEqual([0, 1, 2]);
    expect(x[a3]).toBe(100);
    expect(x[a4]).toBe(1);
    expect(u32(x[a5])).toBe(0x2345_6789);
    expect(x[a6]).toBe(1);
    expect(x[a7]).toBe(0);
    // 100 after the minstret write; csrr and li retire (102); the minstreth write keeps the low half;
    // then 6 more retire: csrr ×3, csrw mcycle, csrr, wfi
    expect(cpu.instret).toBe(0x1_0000_0000 + 102 + 6);
  });

  it('the default time source is the retired-instruction count', () => {
    const { cpu } = boot((p) => p.i(A.addi(a0, zero, 0), A.addi(a0, zero, 0), A.csrr(a1, Csr.TIME), A.wfi()));
    runToWfi(cpu);
    expect(cpu.x[a1]).toBe(2);
  });
});

describe('traps', () => {
  it('illegal instruction: mcause 2, mepc at the instruction, mtval = its bits (32-bit and compressed)', () => {
    const { cpu, program, traps } = boot((p) => setMtvec(p).label('bad32').word(0xffffffff).label('bad16').c(0x0000, A.cNop()).i(A.wfi()).apply(skippingHandler));
    // the skipping handler adds 4: from bad16 (2 bytes) it lands on the wfi after the c.nop
    runToWfi(cpu);
    expect(traps).toEqual([
      { cause: 2, tval: 0xffffffff, pc: program.address('bad32') },
      { cause: 2, tval: 0, pc: program.address('bad16') },
    ]);
  });

  it('ebreak and c.ebreak: mcause 3 with mtval = 0 (as Debian QEMU 7.2)', () => {
    const { cpu, program, traps } = boot((p) => setMtvec(p).label('b1').i(A.ebreak()).label('b2').c(A.cEbreak(), A.cNop()).i(A.wfi()).apply(skippingHandler));
    runToWfi(cpu);
    expect(traps).toEqual([
      { cause: 3, tval: 0, pc: program.address('b1') },
      { cause: 3, tval: 0, pc: program.address('b2') },
    ]);
  });

  it('ecall from M-mode: mcause 11; mstatus saves MIE in MPIE and M in MPP; mret restores them', () => {
    const { cpu, program } = boot((p) =>
      setMtvec(p)
        .i(A.csrrsi(zero, Csr.MSTATUS, MSTATUS_MIE))
        .label('call')
        .i(A.ecall())
        .i(A.csrr(s2, Csr.MSTATUS), A.wfi())
        .label('trap')
        .i(A.csrr(s9, Csr.MCAUSE), A.csrr(s10, Csr.MEPC), A.csrr(s11, Csr.MSTATUS))
        .i(A.addi(s10, s10, 4), A.csrw(Csr.MEPC, s10), A.mret()),
    );
    runToWfi(cpu);
    expect(cpu.x[s9]).toBe(11);
    expect(u32(cpu.x[s10])).toBe(program.address('call') + 4);
    const inHandler = cpu.x[s11];
    expect(inHandler & MSTATUS_MIE).toBe(0);
    expect(inHandler & MSTATUS_MPIE).toBe(MSTATUS_MPIE);
    expect(inHandler & MSTATUS_MPP).toBe(MSTATUS_MPP);
    expect(cpu.x[s2] & MSTATUS_MIE).toBe(MSTATUS_MIE);
    expect(cpu.x[s2] & MSTATUS_MPIE).toBe(MSTATUS_MPIE);
  });

  it('ecall from U-mode and S-mode: mcause 8 and 9, and the trap returns to M-mode', () => {
    for (const [mpp, cause] of [
      [0, 8],
      [1, 9],
    ]) {
      const { cpu, traps } = boot((p) =>
        setMtvec(p)
          .i(A.li(t0, MSTATUS_MPP), A.csrrc(zero, Csr.MSTATUS, t0), A.li(t0, mpp << 11), A.csrrs(zero, Csr.MSTATUS, t0))
          .la(t1, 'lower')
          .i(A.csrw(Csr.MEPC, t1), A.mret())
          .label('lower')
          .i(A.ecall())
          .apply(recordingHandler),
      );
      runToWfi(cpu);
      expect(traps.map((t) => t.cause)).toEqual([cause]);
      expect(cpu.privilege).toBe(3);
      expect((cpu.readCsr(Csr.MSTATUS) & MSTATUS_MPP) >>> 11).toBe(mpp);
    }
  });

  it('fetching from unmapped memory is an instruction access fault with mtval = address', () => {
    const { cpu, traps } = boot((p) => setMtvec(p).i(A.li(t0, 0x4000_0000), A.jalr(ra, t0, 0)).apply(recordingHandler));
    runToWfi(cpu);
    expect(traps).toEqual([{ cause: 1, tval: 0x4000_0000, pc: 0x4000_0000 }]);
    expect(u32(cpu.x[s10])).toBe(0x4000_0000);
  });

  it('a hart whose reset vector and trap vector hit nothing keeps trapping but run() returns normally', () => {
    const space = new AddressSpace('empty');
    const cpu = new Rv32Cpu(space, { hartId: 0, resetVector: 0x1000 });
    let count = 0;
    cpu.onTrap = ({ cause }) => {
      expect(cause).toBe(1);
      count++;
    };
    expect(cpu.run(50)).toBe(50);
    expect(count).toBe(50);
    expect(cpu.instret).toBe(0);
    expect(cpu.readCsr(Csr.MEPC)).toBe(0);
  });

  it('load and store access faults: mcause 5 and 7 with mtval = address', () => {
    const { cpu, program, traps } = boot((p) =>
      setMtvec(p).i(A.li(t0, 0x5000_0000)).label('ld').i(A.lw(a0, t0, 8)).label('st').i(A.sh(a0, t0, -2), A.wfi()).apply(skippingHandler),
    );
    runToWfi(cpu);
    expect(traps).toEqual([
      { cause: 5, tval: 0x5000_0008, pc: program.address('ld') },
      { cause: 7, tval: 0x4fff_fffe, pc: program.address('st') },
    ]);
  });

  it('without C, a jump or taken branch to a 2-byte aligned target is an instruction address misaligned trap', () => {
    const { cpu, program, traps } = boot(
      (p) =>
        setMtvec(p)
          .label('j1')
          .i(A.jal(zero, 6))
          .la(t0, 'j1')
          .i(A.addi(t0, t0, 2))
          .label('j2')
          .i(A.jalr(ra, t0, 0))
          .label('b')
          .i(A.beq(zero, zero, 10), A.bne(zero, zero, 10), A.wfi())
          .apply(skippingHandler),
      { extensions: 'MA' },
    );
    runToWfi(cpu);
    expect(traps).toEqual([
      { cause: 0, tval: program.address('j1') + 6, pc: program.address('j1') },
      { cause: 0, tval: program.address('j1') + 2, pc: program.address('j2') },
      { cause: 0, tval: program.address('b') + 10, pc: program.address('b') },
    ]);
    expect(cpu.x[ra]).toBe(0); // rd is not written when the jump traps
  });

  it('vectored mtvec sends interrupts to base + 4 * cause and exceptions to base', () => {
    const { cpu, program, traps } = boot((p) =>
      setMtvec(p, 'vectors', Csr.MTVEC, 1)
        .i(A.ecall())
        .i(A.li(t0, 1 << 7), A.csrw(Csr.MIE, t0), A.csrrsi(zero, Csr.MSTATUS, MSTATUS_MIE))
        .label('spin')
        .jal(zero, 'spin')
        .org(BASE + 0x100)
        .label('vectors')
        .jal(zero, 'exception')
        .org(BASE + 0x100 + 7 * 4)
        .jal(zero, 'timer')
        .label('exception')
        .i(A.csrr(s9, Csr.MCAUSE), A.csrr(t6, Csr.MEPC), A.addi(t6, t6, 4), A.csrw(Csr.MEPC, t6), A.mret())
        .label('timer')
        .i(A.csrr(s10, Csr.MCAUSE), A.csrw(Csr.MIE, zero), A.wfi()),
    );
    cpu.run(100);
    expect(cpu.x[s9]).toBe(11);
    expect(cpu.waitingForInterrupt).toBe(false);
    cpu.setInterruptLine(IRQ_MTI, true);
    runToWfi(cpu);
    expect(u32(cpu.x[s10])).toBe(0x8000_0007);
    expect(traps[1].cause).toBe(0x8000_0007);
    expect(traps[1].pc).toBe(program.address('spin'));
    expect(cpu.readCsr(Csr.MTVEC)).toBe(program.address('vectors') + 1);
    cpu.writeCsr(Csr.MTVEC, 0x8000_0102); // reserved mode 2: ignored, as QEMU does
    expect(cpu.readCsr(Csr.MTVEC)).toBe(program.address('vectors') + 1);
  });
});

describe('interrupts', () => {
  /** Program: enable the given mie bits and MIE, then spin; the handler logs mcause and masks that source. */
  function interruptBoard(mie: number, globalEnable = true) {
    return boot((p) =>
      setMtvec(p)
        .i(A.li(t0, mie), A.csrw(Csr.MIE, t0))
        .i(globalEnable ? A.csrrsi(zero, Csr.MSTATUS, MSTATUS_MIE) : A.fence())
        .label('spin')
        .i(A.csrr(a0, Csr.MIE))
        .branch(A.bne, a0, zero, 'spin')
        .i(A.wfi(), A.jal(zero, -4))
        .label('trap')
        .i(A.csrr(t0, Csr.MCAUSE), A.li(t1, 1), A.sll(t1, t1, t0), A.csrrc(zero, Csr.MIE, t1), A.mret()),
    );
  }

  it('takes pending enabled interrupts lowest number first, as QEMU 7.2 does (MSI, MTI, SEI, MEI)', () => {
    const { cpu, traps } = interruptBoard((1 << 11) | (1 << 3) | (1 << 7) | (1 << 9));
    cpu.run(20);
    expect(traps).toEqual([]);
    for (const bit of [IRQ_MTI, IRQ_SEI, IRQ_MSI, IRQ_MEI]) cpu.setInterruptLine(bit, true);
    runToWfi(cpu);
    expect(traps.map((t) => t.cause - 0x8000_0000)).toEqual([3, 7, 9, 11]);
  });

  it('takes M-level interrupts before delegated ones, and a software-set VS-level bit like QEMU 7.2', () => {
    const { cpu, traps } = interruptBoard((1 << 1) | (1 << 2) | (1 << 3) | (1 << 13));
    cpu.run(20);
    cpu.writeCsr(Csr.MIP, (1 << 1) | (1 << 2) | (1 << 13)); // SSIP, VSSIP, LCOFIP (not delegated)
    cpu.setInterruptLine(IRQ_MSI, true);
    runToWfi(cpu);
    expect(traps.map((t) => t.cause - 0x8000_0000)).toEqual([1, 2, 3, 13]);
  });

  it('does not take an interrupt while mstatus.MIE is clear, but WFI still wakes up', () => {
    const { cpu, traps } = interruptBoard(1 << 7, false);
    cpu.setInterruptLine(IRQ_MTI, true);
    // spins because mie stays set; WFI would not wait either
    expect(cpu.run(200)).toBe(200);
    expect(traps).toEqual([]);
    expect(cpu.readCsr(Csr.MIP)).toBe(1 << 7);
  });

  it('ignores interrupts that are pending but not enabled in mie', () => {
    const { cpu, traps } = interruptBoard(1 << 3);
    cpu.setInterruptLine(IRQ_MTI, true);
    expect(cpu.run(100)).toBe(100);
    expect(traps).toEqual([]);
  });

  it('WFI with nothing pending returns from run(); a pending interrupt wakes the hart and is taken', () => {
    const { cpu, program, traps } = boot((p) =>
      setMtvec(p)
        .i(A.li(t0, 1 << 11), A.csrw(Csr.MIE, t0), A.csrrsi(zero, Csr.MSTATUS, MSTATUS_MIE))
        .label('wait')
        .i(A.wfi())
        .label('after')
        .i(A.addi(a0, zero, 1), A.csrw(Csr.MIE, zero), A.wfi())
        .label('trap')
        .i(A.csrw(Csr.MIE, zero), A.mret()),
    );
    const n = cpu.run(1000);
    expect(cpu.waitingForInterrupt).toBe(true);
    expect(n).toBe(8); // la (2), csrw, li (2), csrw, csrrsi, wfi
    expect(cpu.pc).toBe(program.address('after'));
    expect(cpu.run(1000)).toBe(0);
    cpu.setInterruptLine(IRQ_MEI, true);
    expect(cpu.waitingForInterrupt).toBe(false);
    runToWfi(cpu);
    expect(traps).toEqual([{ cause: 0x8000_000b, tval: 0, pc: program.address('after') }]);
    expect(cpu.x[a0]).toBe(1);
  });

  it('an interrupt raised by a store to a device is taken at the next block boundary', () => {
    const space = new AddressSpace('test', GuestArena.create());
    let cpuRef: Rv32Cpu | undefined;
    space.mapMmio('msip', 0x0200_0000, 4, {
      read: () => 0,
      write: (_offset, value) => cpuRef?.setInterruptLine(IRQ_MSI, (value & 1) !== 0),
    });
    const board = boot(
      (p) =>
        setMtvec(p)
          .i(A.li(t0, 1 << 3), A.csrw(Csr.MIE, t0), A.csrrsi(zero, Csr.MSTATUS, MSTATUS_MIE))
          .i(A.li(s0, 0x0200_0000), A.li(t0, 1), A.sw(t0, s0, 0))
          .label('next')
          .i(A.addi(a0, zero, 1))
          .jal(zero, 'done')
          .label('done')
          .i(A.wfi())
          .label('trap')
          .i(A.sw(zero, s0, 0), A.csrr(s9, Csr.MEPC), A.mret()),
      {},
      space,
    );
    cpuRef = board.cpu;
    runToWfi(board.cpu);
    expect(board.traps.map((t) => t.cause)).toEqual([0x8000_0003]);
    expect(board.cpu.x[a0]).toBe(1);
  });
});

describe('run() control', () => {
  it('executes exactly the budget and counts retired instructions', () => {
    const { cpu } = boot((p) => p.label('l').i(A.addi(a0, a0, 1)).jal(zero, 'l'));
    expect(cpu.run(10)).toBe(10);
    expect(cpu.instret).toBe(10);
    expect(cpu.x[a0]).toBe(5);
    expect(cpu.run(1)).toBe(1);
    expect(cpu.x[a0]).toBe(6);
    expect(cpu.run(0)).toBe(0);
  });

  it('requestStop() from a device makes run() return right after the access', () => {
    const space = new AddressSpace('test', GuestArena.create());
    let cpuRef: Rv32Cpu | undefined;
    space.mapMmio('stop', 0x0010_0000, 4, { read: () => 0, write: () => cpuRef?.requestStop() });
    const board = boot((p) => p.i(A.li(s0, 0x0010_0000), A.sw(zero, s0, 0), A.addi(a0, zero, 1)).label('l').i(A.addi(a1, a1, 1)).jal(zero, 'l'), {}, space);
    cpuRef = board.cpu;
    expect(board.cpu.run(1_000_000)).toBe(2); // lui, sw
    expect(board.cpu.x[a0]).toBe(0);
    expect(board.cpu.instret).toBe(2);
    expect(board.cpu.run(100)).toBe(100);
    expect(board.cpu.x[a0]).toBe(1);
  });

  it('requestStop() between runs makes the next run() return at once; one from a trap observer at the handler', () => {
    const { cpu, program } = boot((p) =>
      setMtvec(p)
        .label('l')
        .i(A.addi(a1, a1, 1), A.ecall())
        .jal(zero, 'l')
        .apply(skippingHandler),
    );
    cpu.requestStop();
    expect(cpu.run(100)).toBe(0);
    cpu.onTrap = () => cpu.requestStop();
    cpu.run(100);
    expect(cpu.pc).toBe(program.address('trap'));
    expect(cpu.x[a1]).toBe(1);
  });

  it('a budget beyond 2^30 runs in several calls', () => {
    const { cpu } = boot((p) => p.i(A.addi(a0, zero, 1), A.wfi()));
    expect(cpu.run(Number.MAX_SAFE_INTEGER)).toBe(2);
    expect(cpu.run(Infinity)).toBe(0);
    expect(cpu.run(Number.NaN)).toBe(0);
  });

  it('x0 reads as zero even after a debugger wrote it', () => {
    const { cpu } = boot((p) => p.i(A.add(a0, zero, zero), A.wfi()));
    cpu.x[0] = 7;
    cpu.x[a0] = 5;
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(0);
    expect(cpu.x[0]).toBe(0);
  });

  it('dispose() detaches the hart from the address space', () => {
    const { cpu, space } = boot((p) => p.i(A.wfi()));
    expect(space.ramWriteListeners.length).toBe(1);
    cpu.dispose();
    expect(space.ramWriteListeners.length).toBe(0);
  });

  it('reset() returns to the reset vector in M-mode with cleared registers', () => {
    const { cpu } = boot((p) => p.i(A.addi(a0, zero, 1), A.csrw(Csr.MSCRATCH, a0), A.wfi()));
    runToWfi(cpu);
    cpu.reset();
    expect(cpu.pc).toBe(BASE);
    expect(cpu.x[a0]).toBe(0);
    expect(cpu.readCsr(Csr.MSCRATCH)).toBe(0);
    expect(cpu.instret).toBe(0);
    expect(cpu.waitingForInterrupt).toBe(false);
    expect(cpu.privilege).toBe(3);
  });
});

describe('decode cache', () => {
  it('self-modifying code: a store over an executed instruction takes effect', () => {
    const patched = A.addi(a0, a0, 100);
    const { cpu } = boot((p) =>
      p
        .i(A.li(s1, 0))
        .la(t1, 'patch')
        .i(A.li(t0, patched))
        .label('loop')
        .label('patch')
        .i(A.addi(a0, a0, 1))
        .i(A.addi(s1, s1, 1), A.sw(t0, t1, 0), A.li(t2, 2))
        .branch(A.bne, s1, t2, 'loop')
        .i(A.wfi()),
    );
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(101);
  });

  it('halfword and byte stores into a 32-bit instruction invalidate it too', () => {
    const { cpu } = boot((p) =>
      p
        .la(t1, 'patch')
        .label('patch')
        .i(A.addi(a0, a0, 1))
        .i(A.addi(s1, s1, 1), A.li(t2, 1))
        .branch(A.beq, s1, t2, 'first')
        .i(A.li(t2, 2))
        .branch(A.beq, s1, t2, 'second')
        .i(A.wfi())
        .label('first') // upper half of addi a0, a0, imm is imm << 4 | rs1 >> 1
        .i(A.li(t0, (0x010 << 4) | (a0 >> 1)), A.sh(t0, t1, 2))
        .jal(zero, 'patch')
        .label('second') // top byte is imm[11:4]
        .i(A.li(t0, 0x30), A.sb(t0, t1, 3))
        .jal(zero, 'patch'),
    );
    runToWfi(cpu);
    expect(cpu.x[s1]).toBe(3);
    expect(cpu.x[a0]).toBe(1 + 0x010 + 0x300);
  });

  it('writes through AddressSpace.writeBytes (image loading) invalidate decoded code', () => {
    const { cpu, space } = boot((p) => p.i(A.addi(a0, zero, 1), A.wfi()));
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(1);
    const code = A.addi(a0, zero, 2);
    space.writeBytes(BASE, new Uint8Array([code & 0xff, (code >>> 8) & 0xff, (code >>> 16) & 0xff, code >>> 24]));
    cpu.reset();
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(2);
  });

  it('fence.i drops code decoded before RAM was changed behind the AddressSpace', () => {
    for (const withFence of [true, false]) {
      const { cpu, ram, program } = boot((p) =>
        p
          .label('x')
          .i(A.addi(a0, a0, 1), A.addi(s1, s1, 1), A.li(t2, 2))
          .branch(A.beq, s1, t2, 'done')
          .i(withFence ? A.fenceI() : A.fence())
          .jal(zero, 'x')
          .label('done')
          .i(A.wfi()),
      );
      expect(cpu.run(4)).toBe(4);
      const code = A.addi(a0, a0, 100);
      new DataView(ram.u8.buffer, ram.u8.byteOffset).setUint32(program.address('x') - BASE, code, true); // no listener hears this
      runToWfi(cpu);
      expect(cpu.x[a0], withFence ? 'with fence.i' : 'without').toBe(withFence ? 101 : 2);
    }
  });

  it('executes a 32-bit instruction that straddles a page boundary', () => {
    const { cpu } = boot((p) =>
      p
        .jal(zero, 'tail')
        .org(BASE + 0xffc)
        .label('tail')
        .c(A.cLi(a0, 5))
        .i(A.addi(a0, a0, 7)) // at 0xffe..0x1001
        .i(A.addi(a1, a0, 1), A.wfi()),
    );
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(12);
    expect(cpu.x[a1]).toBe(13);
  });

  it('executes code from an MMIO region, one uncached instruction at a time', () => {
    const code = new Uint8Array(8);
    const view = new DataView(code.buffer);
    view.setUint32(0, A.addi(a0, a0, 42), true);
    view.setUint32(4, A.jalr(zero, ra, 0), true);
    let fetches = 0;
    const space = new AddressSpace('test', GuestArena.create());
    space.mapMmio('flash', 0x3000_0000, 8, {
      read: (offset, size) => {
        fetches++;
        return size === 2 ? view.getUint16(offset, true) : view.getUint32(offset, true);
      },
      write: () => {},
    });
    const { cpu } = boot((p) => p.i(A.li(t0, 0x3000_0000), A.jalr(ra, t0, 0), A.jalr(ra, t0, 0), A.wfi()), {}, space);
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(84);
    expect(fetches).toBe(8); // two parcels per instruction, no caching
  });

  it('a fetch that runs off the end of RAM is an access fault at the first unmapped address', () => {
    const last = BASE + RAM_SIZE - 4;
    const { cpu, space, traps } = boot((p) => setMtvec(p).i(A.li(t0, last), A.jalr(zero, t0, 0)).apply(recordingHandler));
    const code = A.addi(a0, zero, 9);
    space.writeBytes(last, new Uint8Array([code & 0xff, (code >>> 8) & 0xff, (code >>> 16) & 0xff, code >>> 24]));
    runToWfi(cpu);
    expect(cpu.x[a0]).toBe(9);
    expect(traps).toEqual([{ cause: 1, tval: BASE + RAM_SIZE, pc: BASE + RAM_SIZE }]);
  });
});
