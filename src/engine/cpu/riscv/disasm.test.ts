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
    expect(text(0x6000)).toBe('.2byte\t0x6000');
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
