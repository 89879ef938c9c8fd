// Test harness for the Cortex-M core: a board with flash at 0 and SRAM at 0x20000000, a vector
// table and a program built with asm.ts, and the core on the real System Control Space (./scs.ts)
// with virtual time from a counter the test advances.
import { AddressSpace } from '../../memory.ts';
import { Program } from './asm.ts';
import { type ArmProfile, CortexM } from './cortex-m.ts';
import { CPUID_CORTEX_M0, CPUID_CORTEX_M3, SystemControlSpace } from './scs.ts';

export const FLASH = 0x0000_0000;
export const FLASH_SIZE = 0x4_0000;
export const SRAM = 0x2000_0000;
export const SRAM_SIZE = 0x4_0000;
/** Where test programs start (after a vector table of 16 + 32 entries). */
export const CODE = 0x200;
/** The initial main stack pointer. */
export const STACK_TOP = SRAM + 0x1_0000;
/** A spare data area. */
export const DATA = SRAM + 0x2_0000;

export interface ArmBoard {
  cpu: CortexM;
  scs: SystemControlSpace;
  /** Virtual time the SCS reads (ns); tests move it. */
  time: { ns: number };
  resetRequests: { count: number };
  space: AddressSpace;
  program: Program;
}

export interface BootOptions {
  profile?: ArmProfile;
  numIrq?: number;
  priorityBits?: number;
  bitband?: boolean;
  semihosting?: (operation: number, parameter: number) => number;
  /** Handlers by exception number: labels of `program` (every other vector points at `default`, which spins). */
  vectors?: Record<number, string>;
}

/**
 * Build a program at CODE (label `start` is the reset handler: put code right after creating it),
 * a vector table at 0 and a core that has been reset. `build` adds the code.
 */
export function boot(build: (p: Program) => void, options: BootOptions = {}): ArmBoard {
  const numIrq = options.numIrq ?? 32;
  const space = new AddressSpace('test');
  space.mapRam('flash', FLASH, new ArrayBuffer(FLASH_SIZE), FLASH_SIZE);
  space.mapRam('sram', SRAM, new ArrayBuffer(SRAM_SIZE), SRAM_SIZE);
  const program = new Program(CODE);
  program.label('start');
  build(program);
  program.label('default').b('default');
  space.writeBytes(CODE, program.bytes());
  const table = new DataView(new ArrayBuffer(4 * (16 + numIrq)));
  table.setUint32(0, STACK_TOP, true);
  for (let e = 1; e < 16 + numIrq; e++) {
    const label = e === 1 ? 'start' : (options.vectors?.[e] ?? 'default');
    table.setUint32(4 * e, (program.address(label) | 1) >>> 0, true);
  }
  space.writeBytes(0, new Uint8Array(table.buffer));
  const { cpu, scs, time, resetRequests } = makeCore(space, { ...options, numIrq });
  return { cpu, scs, space, program, time, resetRequests };
}

/** Run until the pc reaches `label` (or the core sleeps/locks up); fails after `limit` instructions. */
export function runTo(board: ArmBoard, label: string, limit = 10_000): void {
  const target = board.program.address(label);
  board.cpu.breakpoints.add(target);
  let total = 0;
  while (board.cpu.pc !== target || total === 0) {
    const n = board.cpu.run(limit - total);
    total += n;
    if (board.cpu.pc === target) break;
    if (total >= limit || n === 0) throw new Error(`did not reach ${label} (0x${target.toString(16)}) within ${limit} instructions: pc 0x${board.cpu.pc.toString(16)}, ${board.cpu.describe()}`);
  }
  board.cpu.breakpoints.delete(target);
}

/** A Cortex-M core on the real SCS over `space` (reset: it has read its vector table), with a test clock. */
export function makeCore(space: AddressSpace, options: Omit<BootOptions, 'vectors'> = {}) {
  const numIrq = options.numIrq ?? 32;
  const profile = options.profile ?? 'v7m';
  const priorityBits = options.priorityBits ?? (profile === 'v7m' ? 8 : 2);
  const time = { ns: 0 };
  const resetRequests = { count: 0 };
  let core: CortexM | undefined;
  const scs = new SystemControlSpace(
    { numIrq, priorityBits, profile, cpuid: profile === 'v7m' ? CPUID_CORTEX_M3 : CPUID_CORTEX_M0, clockHz: 25_000_000, refClockHz: 1_000_000 },
    {
      nowNs: () => time.ns,
      scheduleAt: () => {},
      exceptionStateChanged: () => core?.exceptionStateChanged(),
      requestSystemReset: () => resetRequests.count++,
      currentException: () => core?.ipsr ?? 0,
    },
  );
  const cpu = new CortexM(space, { model: profile === 'v7m' ? 'cortex-m3' : 'cortex-m0', profile, numIrq, priorityBits, bitband: options.bitband ?? profile === 'v7m', semihosting: options.semihosting }, scs);
  core = cpu;
  cpu.reset();
  return { cpu, scs, time, resetRequests };
}
