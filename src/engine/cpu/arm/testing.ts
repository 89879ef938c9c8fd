// Test harness for the Cortex-M core: a board with flash at 0 and SRAM at 0x20000000, a vector
// table and a program built with asm.ts, and a small double of the System Control Space (NVIC
// enable/pending/active/priority, ICSR, VTOR, AIRCR.PRIGROUP, SCR, CCR, SHPR, SHCSR, CFSR/HFSR/BFAR)
// written from the ARMv7-M ARM (B3.2, B3.4) so the core's exception machinery can be tested on its
// own. The real SCS is ./scs.ts.
import { AddressSpace } from '../../memory.ts';
import { defineState } from '../../state.ts';
import { Program } from './asm.ts';
import { type ArmProfile, CortexM, type ExceptionController } from './cortex-m.ts';

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

const SCS_DOUBLE_STATE = defineState({ name: 'scs-double', version: 1, fields: [{ name: 'vtor', type: 'u32' }] });

/** The SCS double (registers at their SCS offsets; only what the core tests need). */
export class ScsDouble implements ExceptionController {
  readonly stateDescriptor = SCS_DOUBLE_STATE;
  vtor = 0;
  ccr = 0x200;
  scr = 0;
  prigroup = 0;
  shcsr = 0;
  cfsr = 0;
  hfsr = 0;
  bfar = 0;
  mmfar = 0;
  readonly enabled: Uint8Array;
  readonly pending: Uint8Array;
  readonly active: Uint8Array;
  readonly prio: Uint8Array;
  readonly lines: Uint8Array;
  readonly faults: Array<{ kind: string; bit: number; address?: number }> = [];
  changed: () => void = () => {};
  resetRequests = 0;

  constructor(
    readonly numIrq: number,
    readonly priorityBits: number,
  ) {
    const n = 16 + numIrq;
    this.enabled = new Uint8Array(n);
    this.pending = new Uint8Array(n);
    this.active = new Uint8Array(n);
    this.prio = new Uint8Array(n);
    this.lines = new Uint8Array(numIrq);
    this.reset();
  }

  get sleepOnExit(): boolean {
    return (this.scr & 2) !== 0;
  }

  get sevOnPend(): boolean {
    return (this.scr & 0x10) !== 0;
  }

  private get priorityMask(): number {
    return (0xff << (8 - this.priorityBits)) & 0xff;
  }

  reset(): void {
    this.enabled.fill(0);
    this.pending.fill(0);
    this.active.fill(0);
    this.prio.fill(0);
    this.vtor = 0;
    this.ccr = 0x200;
    this.scr = this.prigroup = this.shcsr = this.cfsr = this.hfsr = this.bfar = this.mmfar = 0;
    // NMI, HardFault and the system exceptions are always enabled
    for (let e = 2; e < 16; e++) this.enabled[e] = 1;
  }

  read(offset: number, size: 1 | 2 | 4): number | undefined {
    if (size !== 4 && !(offset >= 0x400 && offset < 0x400 + this.numIrq) && !(offset >= 0xd18 && offset < 0xd24)) return undefined;
    if (offset >= 0x100 && offset < 0x140) return this.bits(this.enabled, offset - 0x100);
    if (offset >= 0x200 && offset < 0x240) return this.bits(this.pending, offset - 0x200);
    if (offset >= 0x300 && offset < 0x340) return this.bits(this.active, offset - 0x300);
    if (offset >= 0x400 && offset < 0x400 + this.numIrq) return this.bytes(offset - 0x400 + 16, size);
    if (offset >= 0xd18 && offset < 0xd24) return this.bytes(offset - 0xd18 + 4, size);
    switch (offset) {
      case 0xd04: return (this.pending[14] << 28) | (this.pending[15] << 26);
      case 0xd08: return this.vtor;
      case 0xd0c: return 0xfa05_0000 | (this.prigroup << 8);
      case 0xd10: return this.scr;
      case 0xd14: return this.ccr;
      case 0xd24: return this.shcsr;
      case 0xd28: return this.cfsr;
      case 0xd2c: return this.hfsr;
      case 0xd34: return this.mmfar;
      case 0xd38: return this.bfar;
      default: return undefined;
    }
  }

  write(offset: number, value: number, size: 1 | 2 | 4): boolean {
    if (offset >= 0x400 && offset < 0x400 + this.numIrq) return this.setPrio(offset - 0x400 + 16, value, size);
    if (offset >= 0xd18 && offset < 0xd24) return this.setPrio(offset - 0xd18 + 4, value, size);
    if (size !== 4) return false;
    const group = (base: number) => (offset - base) * 8;
    const forBits = (first: number, action: (e: number) => void) => {
      for (let i = 0; i < 32; i++) if ((value >>> i) & 1 && first + i < this.numIrq) action(16 + first + i);
    };
    if (offset >= 0x100 && offset < 0x140) forBits(group(0x100), (e) => (this.enabled[e] = 1));
    else if (offset >= 0x180 && offset < 0x1c0) forBits(group(0x180), (e) => (this.enabled[e] = 0));
    else if (offset >= 0x200 && offset < 0x240) forBits(group(0x200), (e) => (this.pending[e] = 1));
    else if (offset >= 0x280 && offset < 0x2c0) forBits(group(0x280), (e) => (this.pending[e] = 0));
    else {
      switch (offset) {
        case 0xd04:
          if (value & (1 << 28)) this.pending[14] = 1;
          if (value & (1 << 27)) this.pending[14] = 0;
          if (value & (1 << 26)) this.pending[15] = 1;
          if (value & (1 << 25)) this.pending[15] = 0;
          if (value & (1 << 31)) this.pending[2] = 1;
          break;
        case 0xd08: this.vtor = value & 0xffff_ff80; break;
        case 0xd0c:
          if (value >>> 16 !== 0x05fa) return true;
          this.prigroup = (value >>> 8) & 7;
          if (value & 4) this.resetRequests++;
          break;
        case 0xd10: this.scr = value & 0x16; break;
        case 0xd14: this.ccr = value & 0x31b; break;
        case 0xd24: this.shcsr = value & 0x7_0000; break;
        case 0xd28: this.cfsr &= ~value; break;
        case 0xd2c: this.hfsr &= ~value; break;
        default: return false;
      }
    }
    this.changed();
    return true;
  }

  private bits(array: Uint8Array, byteOffset: number): number {
    let v = 0;
    const first = byteOffset * 8;
    for (let i = 0; i < 32; i++) if (first + i < this.numIrq && array[16 + first + i]) v |= 1 << i;
    return v >>> 0;
  }

  private bytes(first: number, size: number): number {
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.prio[first + i] << (8 * i);
    return v >>> 0;
  }

  private setPrio(first: number, value: number, size: number): boolean {
    for (let i = 0; i < size; i++) this.prio[first + i] = ((value >>> (8 * i)) & 0xff) & this.priorityMask;
    this.changed();
    return true;
  }

  setIrqLevel(line: number, high: boolean): void {
    const was = this.lines[line] === 1;
    this.lines[line] = high ? 1 : 0;
    if (high && !was) this.setPending(16 + line);
  }

  setNmi(high: boolean): void {
    if (high) this.setPending(2);
  }

  setPending(exception: number): void {
    this.pending[exception] = 1;
    this.changed();
  }

  clearPending(exception: number): void {
    this.pending[exception] = 0;
    this.changed();
  }

  priority(exception: number): number {
    if (exception <= 3) return exception - 4;
    return this.prio[exception];
  }

  groupPriority(priority: number): number {
    return priority & ~((2 << this.prigroup) - 1);
  }

  pendingException(executionPriority: number): number {
    let best = 0;
    let bestPriority = executionPriority;
    for (let e = 2; e < this.pending.length; e++) {
      if (!this.pending[e] || !this.enabled[e]) continue;
      const p = e <= 3 ? this.priority(e) : this.groupPriority(this.prio[e]);
      if (p < bestPriority) {
        best = e;
        bestPriority = p;
      }
    }
    return best;
  }

  activate(exception: number): void {
    this.pending[exception] = 0;
    this.active[exception] = 1;
  }

  deactivate(exception: number): void {
    this.active[exception] = 0;
    // a level-sensitive line still high pends its interrupt again
    if (exception >= 16 && this.lines[exception - 16]) this.pending[exception] = 1;
  }

  isActive(exception: number): boolean {
    return this.active[exception] === 1;
  }

  activeCount(): number {
    return this.active.reduce((n, a) => n + a, 0);
  }

  isEnabled(exception: number): boolean {
    return this.enabled[exception] === 1;
  }

  recordFault(kind: 'usage' | 'bus' | 'mem' | 'hard', bit: number, address?: number): void {
    this.faults.push({ kind, bit, ...(address === undefined ? {} : { address }) });
    if (kind === 'hard') this.hfsr |= 1 << bit;
    else {
      this.cfsr |= 1 << bit;
      if (kind === 'bus' && address !== undefined) {
        this.bfar = address;
        this.cfsr |= 1 << 15;
      }
      if (kind === 'mem' && address !== undefined) {
        this.mmfar = address;
        this.cfsr |= 1 << 7;
      }
    }
  }

  faultEnabled(exception: 4 | 5 | 6): boolean {
    return (this.shcsr & (1 << (exception + 12))) !== 0;
  }
}

export interface ArmBoard {
  cpu: CortexM;
  scs: ScsDouble;
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
  const scs = new ScsDouble(numIrq, options.priorityBits ?? 8);
  const profile = options.profile ?? 'v7m';
  const cpu = new CortexM(space, { model: profile === 'v7m' ? 'cortex-m3' : 'cortex-m0', profile, numIrq, priorityBits: options.priorityBits ?? 8, bitband: options.bitband ?? profile === 'v7m', semihosting: options.semihosting }, scs);
  scs.changed = () => cpu.exceptionStateChanged();
  cpu.reset();
  return { cpu, scs, space, program };
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
