// Test harness for the hart: a board with RAM at 0x8000_0000, a program built with asm.ts, and a
// log of the traps the hart took. Used by the *.test.ts files beside it.
import { AddressSpace, type RamMapping } from '../../memory.ts';
import { GuestArena } from '../../guest-arena.ts';
import { Program, Reg, addi, csrr, csrrw, wfi } from './asm.ts';
import { Csr } from './csr.ts';
import { Rv32Cpu, type Rv32Options } from './rv32.ts';

export const BASE = 0x8000_0000;
export const RAM_SIZE = 0x4_0000; // 256 KiB
/** A spare area in RAM tests use for data. */
export const DATA = BASE + 0x2_0000;

export interface TrapRecord {
  cause: number;
  tval: number;
  pc: number;
}

export interface Board {
  cpu: Rv32Cpu;
  space: AddressSpace;
  ram: RamMapping;
  program: Program;
  traps: TrapRecord[];
}

/** Build a program at BASE with `build`, map it in RAM and create a hart that starts there. */
export function boot(build: (p: Program) => void, options: Partial<Rv32Options> = {}, space = new AddressSpace('test', GuestArena.create())): Board {
  const program = new Program(BASE);
  build(program);
  const blk = space.arena?.allocate(RAM_SIZE, 65536);
  const ram = blk === undefined ? space.mapRam('ram', BASE, new ArrayBuffer(RAM_SIZE), RAM_SIZE) : space.mapRam('ram', BASE, blk.buffer, RAM_SIZE, false, blk.byteOffset);
  space.writeBytes(BASE, program.bytes());
  const cpu = new Rv32Cpu(space, { hartId: 0, resetVector: BASE, jitThreshold: 0, ...options });
  const traps: TrapRecord[] = [];
  cpu.onTrap = (trap) => traps.push({ cause: trap.cause, tval: trap.value, pc: trap.pc });
  return { cpu, space, ram, program, traps };
}

/** Run until the hart waits in WFI; fails if it does not get there within `limit` instructions. */
export function runToWfi(cpu: Rv32Cpu, limit = 100_000): number {
  let total = 0;
  while (!cpu.waitingForInterrupt) {
    const n = cpu.run(limit - total);
    total += n;
    if (total >= limit && !cpu.waitingForInterrupt) throw new Error(`hart did not reach WFI within ${limit} instructions (pc 0x${cpu.pc.toString(16)})`);
    if (n === 0 && !cpu.waitingForInterrupt) throw new Error('run() made no progress');
  }
  return total;
}

/**
 * Emit code that points mtvec at label `handler` (clobbers t6). The standard handler emitted by
 * `recordingHandler` stores mcause, mepc and mtval in s9, s10, s11 and waits.
 */
export function setMtvec(p: Program, handler = 'trap', csr: number = Csr.MTVEC, mode = 0): Program {
  p.la(Reg.t6, handler);
  if (mode !== 0) p.i(addi(Reg.t6, Reg.t6, mode));
  return p.i(csrrw(0, csr, Reg.t6));
}

export function recordingHandler(p: Program, label = 'trap'): Program {
  return p.label(label).i(csrr(Reg.s9, Csr.MCAUSE), csrr(Reg.s10, Csr.MEPC), csrr(Reg.s11, Csr.MTVAL), wfi());
}

/** Handler that skips the trapping 4-byte instruction and returns (clobbers t6). */
export function skippingHandler(p: Program, label = 'trap'): Program {
  return p.label(label).i(csrr(Reg.t6, Csr.MEPC), addi(Reg.t6, Reg.t6, 4), csrrw(0, Csr.MEPC, Reg.t6), 0x30200073);
}
