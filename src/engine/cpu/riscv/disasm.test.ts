// The disassembler's own rules, without external tools (the reference test checks it against
// GNU objdump on real firmware): aliases, operand shapes, compressed forms, targets, the
// lui/auipc address comments and unknown encodings.
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { Csr } from './csr.ts';
import { DisassemblyContext, disassemble, formatInstruction, formatInstructionBytes, instructionLength } from './disasm.ts';

const { zero, ra, sp, gp, t0, t1, a0, a1, a2, s0, s1 } = A.Reg;
const PC = 0x8000_0100;

/** objdump's text for one instruction at PC, with an optional symbol table. */
function text(raw: number, pc = PC, context = new DisassemblyContext(), symbols: Record<number, string> = {}): string {
  return formatInstruction(disassemble(raw, pc, context), (address) => symbols[address]);
}

describe('disassemble', () => {
  it('prints base instructions with ABI names and objdump’s aliases', () => {
    expect(text(A.addi(zero, zero, 0))).toBe('nop');
    expect(text(A.addi(a0, zero, -5))).toBe('li\ta0,-5');
    expect(text(A.addi(s0, s1, 0))).toBe('mv\ts0,s1');
    expect(text(A.addi(a0, a1, 12))).toBe('add\ta0,a1,12'); // binutils lists "add rd,rs,imm" before addi
    expect(text(A.andi(a0, a1, 0xff))).toBe('zext.b\ta0,a1');
    expect(text(A.xori(a0, a1, -1))).toBe('not\ta0,a1');
    expect(text(A.sltiu(a0, a1, 1))).toBe('seqz\ta0,a1');
    expect(text(A.slli(a0, a1, 3))).toBe('sll\ta0,a1,0x3');
    expect(text(A.srai(a0, a1, 31))).toBe('sra\ta0,a1,0x1f');
    expect(text(A.sub(a0, zero, a1))).toBe('neg\ta0,a1');
    expect(text(A.sltu(a0, zero, a1))).toBe('snez\ta0,a1');
    expect(text(A.mulhsu(a0, a1, a2))).toBe('mulhsu\ta0,a1,a2');
    expect(text(A.lui(a0, 0x12345 << 12))).toBe('lui\ta0,0x12345');
    expect(text(A.lw(a0, sp, -4))).toBe('lw\ta0,-4(sp)');
    expect(text(A.sb(a1, a0, 7))).toBe('sb\ta1,7(a0)');
  });

  it('prints jumps and branches with absolute targets and their symbols', () => {
    const symbols = { [PC + 0x20]: 'main', [PC - 8]: 'loop' };
    expect(text(A.jal(ra, 0x20), PC, undefined, symbols)).toBe('jal\t80000120 <main>');
    expect(text(A.jal(zero, -8), PC, undefined, symbols)).toBe('j\t800000f8 <loop>');
    expect(text(A.jal(t0, 0x20))).toBe('jal\tt0,80000120');
    expect(text(A.jalr(zero, ra, 0))).toBe('ret');
    expect(text(A.jalr(zero, t0, 8))).toBe('jr\t8(t0)');
    expect(text(A.jalr(ra, a0, 0))).toBe('jalr\ta0');
    expect(text(A.jalr(a1, a2, -4))).toBe('jalr\ta1,-4(a2)');
    expect(text(A.beq(a0, zero, -8))).toBe('beqz\ta0,800000f8');
    expect(text(A.blt(zero, a0, 16))).toBe('bgtz\ta0,80000110');
    expect(text(A.bgeu(a0, a1, 4))).toBe('bgeu\ta0,a1,80000104');
  });

  it('prints CSR instructions with names, counters and the immediate forms objdump uses', () => {
    expect(text(A.csrr(a0, Csr.MHARTID))).toBe('csrr\ta0,mhartid');
    expect(text(A.csrw(Csr.MTVEC, t0))).toBe('csrw\tmtvec,t0');
    expect(text(A.csrrsi(zero, Csr.MSTATUS, 8))).toBe('csrs\tmstatus,8');
    expect(text(A.csrrci(a0, Csr.MIE, 3))).toBe('csrrc\ta0,mie,3');
    expect(text(A.csrr(a0, Csr.TIME))).toBe('rdtime\ta0');
    expect(text(A.csrr(a0, 0x7c0))).toBe('csrr\ta0,0x7c0');
    expect(text(A.csrrw(zero, Csr.CYCLE, zero))).toBe('unimp');
    // The 1.11 names objdump uses for images that record that spec.
    expect(text(A.csrr(a0, 0), PC, new DisassemblyContext({ privilegedSpec: '1.11' }))).toBe('csrr\ta0,ustatus');
    expect(text(A.csrr(a0, Csr.MCONFIGPTR), PC, new DisassemblyContext({ privilegedSpec: '1.11' }))).toBe('csrr\ta0,0xf15');
    expect(text(A.csrr(a0, Csr.MCONFIGPTR))).toBe('csrr\ta0,mconfigptr');
  });

  it('prints atomics with their ordering bits, fences and system instructions', () => {
    expect(text(A.lrW(a0, a1))).toBe('lr.w\ta0,(a1)');
    expect(text(A.amoaddW(a0, a1, a2) | (1 << 26))).toBe('amoadd.w.aq\ta0,a2,(a1)');
    expect(text(A.fence())).toBe('fence');
    expect(text(A.fenceI())).toBe('fence.i');
    expect(text(0x0310000f)).toBe('fence\trw,w');
    expect(text(A.wfi())).toBe('wfi');
    expect(text(A.mret())).toBe('mret');
    expect(text(A.sfenceVma(a0, 0))).toBe('sfence.vma\ta0');
  });

  it('expands compressed instructions to objdump’s names', () => {
    expect(instructionLength(A.cNop())).toBe(2);
    expect(text(A.cNop())).toBe('nop');
    expect(text(A.cAddi(a0, -3))).toBe('add\ta0,a0,-3');
    expect(text(A.cLi(a0, 31))).toBe('li\ta0,31');
    expect(text(A.cMv(a0, a1))).toBe('mv\ta0,a1');
    expect(text(A.cJr(ra))).toBe('ret');
    expect(text(A.cJalr(t0))).toBe('jalr\tt0');
    expect(text(A.cLwsp(a0, 8))).toBe('lw\ta0,8(sp)');
    expect(text(A.cSw(a0, s0, 4))).toBe('sw\ta0,4(s0)');
    expect(text(A.cJ(-2))).toBe('j\t800000fe');
    expect(text(A.cBnez(s1, 6))).toBe('bnez\ts1,80000106');
    expect(text(A.cLui(t1, 0xfffe1000))).toBe('lui\tt1,0xfffe1');
    expect(text(A.cEbreak())).toBe('ebreak');
    expect(text(0x0000)).toBe('unimp');
    expect(formatInstructionBytes(A.cAddi(a0, -3), 2)).toBe('1575');
  });

  it('shows unknown encodings as data', () => {
    expect(text(0x0000000b)).toBe('.4byte\t0xb');
    expect(text(0x8000)).toBe('.2byte\t0x8000');
    // c.flw fs0,0(s0) where F is decoded; data in an image without F, as objdump shows it.
    expect(text(0x6000, PC, new DisassemblyContext({ floatExtensions: 'none' }))).toBe('.2byte\t0x6000');
    expect(disassemble(0x0000000b, PC).length).toBe(4);
  });

  it('comments the address a lui/auipc pair forms, once, as objdump does', () => {
    const context = new DisassemblyContext();
    expect(text(A.auipc(t0, 0x1000), PC, context)).toBe('auipc\tt0,0x1');
    expect(text(A.addi(t0, t0, -256), PC + 4, context, { [0x8000_1000]: 'buffer' })).toBe('add\tt0,t0,-256 # 80001000 <buffer>');
    // Used once: the same register again gets no comment.
    expect(text(A.addi(t0, t0, 4), PC + 8, context)).toBe('add\tt0,t0,4');
    expect(text(A.lui(a0, 0x1000_0000), PC, context)).toBe('lui\ta0,0x10000');
    expect(text(A.lbu(a1, a0, 5), PC + 4, context)).toBe('lbu\ta1,5(a0) # 10000005');
    // gp-relative accesses use the global pointer the context knows.
    const withGp = new DisassemblyContext({ gp: 0x8000_0800 });
    expect(text(A.lw(a0, gp, -16), PC, withGp)).toBe('lw\ta0,-16(gp) # 800007f0');
    expect(text(A.lw(a0, gp, -16), PC)).toBe('lw\ta0,-16(gp)');
  });
});

describe('disassemble F and D', () => {
  const [ft0, ft1, ft2, ft3] = [0, 1, 2, 3];
  const [fa0, fa1, fa2] = [10, 11, 12];
  const DYN = 7;
  const S = 0;
  const D = 1;
  const fadd = (fmt: number, rm: number) => A.fpR(fmt, fa2, fa1, rm, fa0);

  it('prints the rounding mode as objdump does: nothing for dyn, a name for 0–4, "unknown" for 5 and 6', () => {
    expect(text(fadd(S, DYN))).toBe('fadd.s\tfa0,fa1,fa2');
    expect(text(fadd(S, 0))).toBe('fadd.s\tfa0,fa1,fa2,rne');
    expect(text(fadd(D, 1))).toBe('fadd.d\tfa0,fa1,fa2,rtz');
    expect(text(fadd(S, 2))).toBe('fadd.s\tfa0,fa1,fa2,rdn');
    expect(text(fadd(S, 3))).toBe('fadd.s\tfa0,fa1,fa2,rup');
    expect(text(fadd(S, 4))).toBe('fadd.s\tfa0,fa1,fa2,rmm');
    expect(text(fadd(S, 5))).toBe('fadd.s\tfa0,fa1,fa2,unknown');
    expect(text(A.fpR4(0x43, S, ft3, ft2, ft1, 6, ft0))).toBe('fmadd.s\tft0,ft1,ft2,ft3,unknown');
    expect(text(A.fpR4(0x4f, D, 31, ft2, ft1, DYN, ft0))).toBe('fnmadd.d\tft0,ft1,ft2,ft11');
    expect(text(A.fpR4(0x47, 2, ft3, ft2, ft1, DYN, ft0))).toBe('.4byte\t0x1c20f047'); // half precision: not decoded
  });

  it('takes a rounding mode only where an instruction rounds', () => {
    expect(text(A.fpR(0x60, 0, fa0, 1, a0))).toBe('fcvt.w.s\ta0,fa0,rtz');
    expect(text(A.fpR(0x61, 1, fa0, DYN, a0))).toBe('fcvt.wu.d\ta0,fa0');
    expect(text(A.fpR(0x68, 1, a0, 0, fa0))).toBe('fcvt.s.wu\tfa0,a0,rne');
    expect(text(A.fpR(0x20, 1, fa1, 1, fa0))).toBe('fcvt.s.d\tfa0,fa1,rtz');
    // Converting to double is exact: binutils 2.40 knows these only with rm = 0, and prints them without it.
    expect(text(A.fpR(0x69, 0, a0, 0, fa0))).toBe('fcvt.d.w\tfa0,a0');
    expect(text(A.fpR(0x69, 0, a0, 1, fa0))).toBe('.4byte\t0xd2051553');
    expect(text(A.fpR(0x21, 0, fa1, 0, fa0))).toBe('fcvt.d.s\tfa0,fa1');
    expect(text(A.fpR(0x21, 0, fa1, DYN, fa0))).toBe('.4byte\t0x4205f553');
    expect(text(A.fpR(0x2c, 0, fa1, 3, fa0))).toBe('fsqrt.s\tfa0,fa1,rup');
    expect(text(A.fpR(0x2c, 1, fa1, DYN, fa0))).toBe('.4byte\t0x5815f553'); // fsqrt needs rs2 = 0
  });

  it('prints sign injection of a register with itself as fmv, fneg and fabs', () => {
    expect(text(A.fpR(0x10, fa1, fa1, 0, fa0))).toBe('fmv.s\tfa0,fa1');
    expect(text(A.fpR(0x11, fa1, fa1, 1, fa0))).toBe('fneg.d\tfa0,fa1');
    expect(text(A.fpR(0x10, fa1, fa1, 2, fa0))).toBe('fabs.s\tfa0,fa1');
    expect(text(A.fpR(0x11, fa2, fa1, 2, fa0))).toBe('fsgnjx.d\tfa0,fa1,fa2');
    expect(text(A.fpR(0x10, fa1, fa1, 3, fa0))).toBe('.4byte\t0x20b5b553');
  });

  it('prints moves, comparisons and fclass with integer and float registers where they belong', () => {
    expect(text(A.fpR(0x70, 0, fa0, 0, a0))).toBe('fmv.x.w\ta0,fa0');
    expect(text(A.fpR(0x78, 0, a0, 0, fa0))).toBe('fmv.w.x\tfa0,a0');
    expect(text(A.fpR(0x71, 0, fa0, 0, a0))).toBe('.4byte\t0xe2050553'); // fmv.x.d is RV64 only
    expect(text(A.fpR(0x71, 0, fa0, 1, a0))).toBe('fclass.d\ta0,fa0');
    expect(text(A.fpR(0x50, fa1, fa0, 2, a0))).toBe('feq.s\ta0,fa0,fa1');
    expect(text(A.fpR(0x51, fa1, fa0, 0, a0))).toBe('fle.d\ta0,fa0,fa1');
    expect(text(A.fpR(0x14, fa2, fa1, 1, fa0))).toBe('fmax.s\tfa0,fa1,fa2');
  });

  it('prints loads and stores with their address comment, compressed ones without', () => {
    expect(text(A.iType(4, a0, 2, ft0, 0x07))).toBe('flw\tft0,4(a0)');
    expect(text(A.sType(-2048, 31, a2, 3, 0x27))).toBe('fsd\tft11,-2048(a2)');
    const context = new DisassemblyContext();
    expect(text(A.lui(a0, 0x8000_1000), PC, context)).toBe('lui\ta0,0x80001');
    expect(text(A.sType(-16, fa0, a0, 3, 0x27), PC + 4, context)).toBe('fsd\tfa0,-16(a0) # 80000ff0');
    expect(text(A.iType(12, gp, 2, fa0, 0x07), PC, new DisassemblyContext({ gp: 0x8000_1860 }))).toBe('flw\tfa0,12(gp) # 8000186c');
    // The compressed forms (encodings read off objdump's listing of an rv32imafdc program).
    expect(text(0x61c8)).toBe('flw\tfa0,4(a1)');
    expect(text(0xfe6c)).toBe('fsw\tfa1,124(a2)');
    expect(text(0x3ef0)).toBe('fld\tfa2,248(a3)');
    expect(text(0xa714)).toBe('fsd\tfa3,8(a4)');
    expect(text(0x707e)).toBe('flw\tft0,252(sp)'); // c.flwsp may load f0, c.lwsp may not load x0
    expect(text(0xe06e)).toBe('fsw\tfs11,0(sp)');
    expect(text(0x30fe)).toBe('fld\tft1,504(sp)');
    expect(text(0xa426)).toBe('fsd\tfs1,8(sp)');
  });

  it('prints objdump’s pseudo-instructions for fflags, frm and fcsr', () => {
    const FFLAGS = 1;
    const FRM = 2;
    const FCSR = 3;
    expect(text(A.csrr(a0, FFLAGS))).toBe('frflags\ta0');
    expect(text(A.csrr(zero, FRM))).toBe('frrm\tzero');
    expect(text(A.csrrw(a0, FCSR, a1))).toBe('fscsr\ta0,a1');
    expect(text(A.csrrw(zero, FRM, a1))).toBe('fsrm\ta1');
    expect(text(A.csrrw(zero, FFLAGS, zero))).toBe('fsflags\tzero');
    // binutils lists fsflagsi/fsrmi with rd first, so rd = zero is printed.
    expect(text(A.csrrwi(zero, FFLAGS, 5))).toBe('fsflagsi\tzero,5');
    expect(text(A.csrrwi(a0, FRM, 3))).toBe('fsrmi\ta0,3');
    // No pseudo-instruction for the rest.
    expect(text(A.csrrwi(a0, FCSR, 5))).toBe('csrrw\ta0,fcsr,5');
    expect(text(A.csrrs(a0, FFLAGS, a1))).toBe('csrrs\ta0,fflags,a1');
    expect(text(A.csrrc(zero, FRM, a1))).toBe('csrc\tfrm,a1');
  });

  it('decodes only the extensions it is told the image has, as objdump follows the ELF attribute', () => {
    const none = () => new DisassemblyContext({ floatExtensions: 'none' });
    const single = () => new DisassemblyContext({ floatExtensions: 'F' });
    expect(text(fadd(S, DYN), PC, none())).toBe('.4byte\t0xc5f553');
    expect(text(A.csrr(a0, 1), PC, none())).toBe('csrr\ta0,fflags');
    expect(text(0x61c8, PC, none())).toBe('.2byte\t0x61c8');
    expect(text(fadd(S, DYN), PC, single())).toBe('fadd.s\tfa0,fa1,fa2');
    expect(text(fadd(D, DYN), PC, single())).toBe('.4byte\t0x2c5f553');
    expect(text(0x61c8, PC, single())).toBe('flw\tfa0,4(a1)');
    expect(text(0x3ef0, PC, single())).toBe('.2byte\t0x3ef0');
    expect(text(A.fpR(0x20, 1, fa1, 1, fa0), PC, single())).toBe('.4byte\t0x40159553'); // fcvt.s.d needs D
  });
});
