// Event-log warnings about misaligned accesses (./access-warnings.ts) and unmapped ones
// (./guest-status.ts): one line per instruction with the CPU, pc and address, saying whether the
// core performed or trapped on it, and never a flood from a loop.
import { describe, expect, it } from 'vitest';
import { resolveBoard, type BoardDocument, type ResolvedBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import * as T from './cpu/arm/asm.ts';
import { MISALIGNED_REPORTED } from './access-warnings.ts';
import { Machine } from './machine.ts';

const { zero, t0, t1, t2, t3 } = A.Reg;
const RAM = 0x8000_0000;
const DATA = RAM + 0x800;
const HANDLER = RAM + 0x400;
const UNMAPPED = 0x1000_0000;

function resolved(document: BoardDocument): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/** A hart with 64 KiB of RAM at 0x80000000 running `build`'s program (mtvec at HANDLER, where it skips the trapping instruction). */
function riscv(build: (p: A.Program) => void): { machine: Machine; program: A.Program } {
  const p = new A.Program(RAM);
  p.la(t0, 'handler').i(A.csrw(0x305, t0));
  build(p);
  p.label('done').jal(zero, 'done');
  p.org(HANDLER).label('handler').i(A.csrr(t3, 0x341), A.addi(t3, t3, 4), A.csrw(0x341, t3), A.mret());
  const board: BoardDocument = {
    boardlab: 1,
    name: 'warnings',
    objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } }, ram: { type: 'ram', props: { size: '64K' } } },
    memory: [{ map: 'ram.mem', at: '0x80000000' }],
    images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }],
  };
  return { machine: Machine.build(resolved(board), new Map([['p.bin', p.bytes()]])), program: p };
}

function runToDone(machine: Machine, program: { address(name: string): number }): void {
  const cpu = machine.cpu('/machine/cpu0')!;
  for (let i = 0; i < 1000 && cpu.pc !== program.address('done'); i++) machine.run(50);
  expect(cpu.pc, machine.events.join('\n')).toBe(program.address('done'));
}

const misalignedLines = (machine: Machine) => machine.events.filter((line) => line.includes('misaligned'));

describe('misaligned access warnings', () => {
  it('RISC-V: a misaligned lw in a loop is one line naming the CPU, pc and address; the value loads as QEMU loads it', () => {
    const { machine, program } = riscv((p) => {
      p.i(A.li(t0, DATA), A.li(t1, 0x4433_2211), A.sw(t1, t0, 0), A.li(t1, 0x8877_6655), A.sw(t1, t0, 4), A.li(t2, 100));
      p.label('loop').label('load').i(A.lw(t1, t0, 1), A.addi(t2, t2, -1));
      p.branch(A.bne, t2, zero, 'loop');
    });
    runToDone(machine, program);
    expect(misalignedLines(machine)).toEqual([
      `cpu0: misaligned load of 4 bytes at 0x${(DATA + 1).toString(16)}, pc 0x${program.address('load').toString(16)} — this hart performs it, as QEMU does; real RISC-V hardware may instead trap to firmware that emulates it (hundreds of cycles), so keep data naturally aligned`,
    ]);
    const cpu = machine.cpu('/machine/cpu0')!;
    expect(cpu.debug.readRegister(cpu.debug.registers.findIndex((r) => r.name === 't1'))).toBe(0x5544_3322);
  });

  it('RISC-V: a misaligned lr.w traps, and the line says so with the cause and handler', () => {
    const { machine, program } = riscv((p) => p.i(A.li(t0, DATA + 2)).label('lr').i(A.lrW(t1, t0)));
    runToDone(machine, program);
    expect(misalignedLines(machine)).toEqual([
      `cpu0: misaligned load at 0x${(DATA + 2).toString(16)}, pc 0x${program.address('lr').toString(16)} — this core traps on it (load address misaligned); the handler at 0x${HANDLER.toString(16)} runs`,
    ]);
  });

  it(`at most ${MISALIGNED_REPORTED} instructions per CPU, then one line; a reset reports again`, () => {
    const { machine, program } = riscv((p) => {
      p.i(A.li(t0, DATA));
      for (let i = 0; i < 20; i++) p.i(A.sh(zero, t0, 2 * i + 1));
    });
    runToDone(machine, program);
    const lines = misalignedLines(machine);
    expect(lines.length).toBe(MISALIGNED_REPORTED + 1);
    expect(lines.slice(0, MISALIGNED_REPORTED).every((line) => line.startsWith('cpu0: misaligned store of 2 bytes at '))).toBe(true);
    expect(lines[MISALIGNED_REPORTED]).toBe('cpu0: more misaligned accesses follow; they are not reported until cpu0 is reset');
    machine.reset();
    runToDone(machine, program);
    expect(misalignedLines(machine).length).toBe(2 * (MISALIGNED_REPORTED + 1));
  });

  it('unmapped: a load from nothing in a loop is one line with the CPU, pc, address and what is there', () => {
    const { machine, program } = riscv((p) => {
      p.i(A.li(t0, UNMAPPED), A.li(t2, 50));
      p.label('loop').label('load').i(A.lw(t1, t0, 0), A.addi(t2, t2, -1));
      p.branch(A.bne, t2, zero, 'loop');
    });
    runToDone(machine, program);
    const lines = machine.events.filter((line) => line.includes('access fault'));
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain(`cpu0: load access fault at 0x10000000, pc 0x${program.address('load').toString(16)}`);
    expect(lines[0]).toContain('nothing is mapped at 0x10000000');
  });

  describe('Cortex-M', () => {
    const ARM_CODE = 0x200;
    function arm(type: string): { machine: Machine; program: T.Program } {
      const p = new T.Program(ARM_CODE);
      p.label('start').ldrLit(0, 'data').label('load').i(T.ldrImm(1, 0, 0));
      p.label('done').b('done');
      p.label('fault').i(T.bkpt(0)).b('fault');
      p.word(0x2000_0101, 'data');
      const code = p.bytes();
      const image = new Uint8Array(ARM_CODE + code.length);
      image.set(code, ARM_CODE);
      const table = new DataView(image.buffer);
      table.setUint32(0, 0x2000_8000, true);
      for (let e = 1; e < 48; e++) table.setUint32(4 * e, (p.address(e === 1 ? 'start' : 'fault') | 1) >>> 0, true);
      const board: BoardDocument = {
        boardlab: 1,
        name: 'arm-warnings',
        objects: { cpu0: { type }, flash: { type: 'ram', props: { size: '64K' } }, sram: { type: 'ram', props: { size: '64K' } } },
        memory: [{ map: 'flash.mem', at: '0x0' }, { map: 'sram.mem', at: '0x20000000' }],
        images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x0' }],
      };
      return { machine: Machine.build(resolved(board), new Map([['p.bin', image]])), program: p };
    }

    it('a Cortex-M3 performs an unaligned LDR (UNALIGN_TRP clear) and says so', () => {
      const { machine, program } = arm('cortex-m3');
      machine.run(20);
      expect(machine.cpu('/machine/cpu0')!.pc).toBe(program.address('done'));
      expect(misalignedLines(machine)).toEqual([`cpu0: misaligned load of 4 bytes at 0x20000101, pc 0x${program.address('load').toString(16).padStart(8, '0')} — this core performs it in several bus accesses (slower), as ARMv7-M allows while CCR.UNALIGN_TRP is clear; ARMv6-M and LDM/LDRD/STRD always fault on it`]);
    });

    it('a Cortex-M0 faults on it (HardFault) and says so', () => {
      const { machine, program } = arm('cortex-m0');
      machine.run(20);
      const lines = misalignedLines(machine);
      expect(lines.length).toBe(1);
      const hex = (n: number) => n.toString(16).padStart(8, '0');
      expect(lines[0]).toMatch(new RegExp(`^cpu0: misaligned access at 0x20000101, pc 0x${hex(program.address('load'))} — this core traps on it \\(.*HardFault.*\\); the handler at 0x${hex(program.address('fault'))} runs$`));
    });
  });
});
