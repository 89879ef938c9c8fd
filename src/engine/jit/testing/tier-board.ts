// Boards for the tier tests: one RV32 hart on RAM from a GuestArena (so the compiling tier can reach
// it), an MMIO test device that logs every access with the instret it happened at and drives the
// hart's interrupt lines, and a log of every trap. Two boards built from the same image, one per
// tier, must stay identical after every run(): firstDifference names the first thing that is not.
import type { CpuCore, CpuTrap, ExecutionTier, TierControl } from '../../cpu/contract.ts';
import { Csr } from '../../cpu/riscv/csr.ts';
import { Rv32Cpu, type Rv32Options } from '../../cpu/riscv/rv32.ts';
import { GuestArena } from '../../guest-arena.ts';
import { type AccessSize, AddressSpace, type MmioHandler, type RamMapping } from '../../memory.ts';
import { DEVICE, DEVICE_LINES, LAYOUT } from './program-generator.ts';

/** Both tiers, for describe.each. */
export const TIERS: readonly ExecutionTier[] = ['interp', 'jit'];

export interface TrapRecord {
  kind: string;
  /** mcause's exception or interrupt code (interrupts: kind 'interrupt'). */
  cause: number;
  /** The pc that trapped (mepc). */
  pc: number;
  value: number;
  /** Instructions retired when the trap was taken. */
  instret: number;
}

export interface DeviceAccess {
  write: boolean;
  offset: number;
  value: number;
  size: AccessSize;
  /** Instructions retired when the access happened (retiredNow: exact inside run()). */
  instret: number;
}

/**
 * The MMIO test device (DEVICE offsets): 16 data bytes whose reads mix in a count of the reads
 * before (so a read that happens twice, or once too few, changes what the guest sees), a RAISE
 * register that raises the interrupt lines its bits select and an ACK register that lowers them all.
 */
export class TestDevice implements MmioHandler {
  readonly log: DeviceAccess[] = [];
  private readonly bytes = new Uint8Array(DEVICE.dataSize);
  private reads = 0;
  private readonly lines: Array<(level: boolean) => void>;

  constructor(private readonly cpu: Rv32Cpu) {
    this.lines = DEVICE_LINES.map((port) => {
      const input = cpu.interruptInput(port);
      if (input === undefined) throw new Error(`the hart has no ${port} input`);
      return input;
    });
  }

  read(offset: number, size: AccessSize): number {
    let value = 0;
    if (offset + size <= DEVICE.dataSize) {
      const mix = Math.imul(++this.reads, 0x9e37_79b9);
      for (let i = size - 1; i >= 0; i--) value = (value << 8) | (this.bytes[offset + i] ^ ((mix >>> (8 * ((offset + i) & 3))) & 0xff));
      value >>>= 0;
    }
    this.log.push({ write: false, offset, value, size, instret: this.cpu.retiredNow() });
    return value;
  }

  write(offset: number, value: number, size: AccessSize): void {
    this.log.push({ write: true, offset, value, size, instret: this.cpu.retiredNow() });
    if (offset + size <= DEVICE.dataSize) {
      for (let i = 0; i < size; i++) this.bytes[offset + i] = value >>> (8 * i);
    } else if (offset === DEVICE.raise) {
      this.raise(value);
    } else if (offset === DEVICE.ack) {
      for (const line of this.lines) line(false);
    }
  }

  /** Raise the lines `mask` selects (bit i: DEVICE_LINES[i]), as a write to RAISE does. */
  raise(mask: number): void {
    this.lines.forEach((line, i) => {
      if ((mask >>> i) & 1) line(true);
    });
  }
}

export interface TierBoard {
  tier: ExecutionTier;
  cpu: Rv32Cpu;
  space: AddressSpace;
  ram: RamMapping;
  device: TestDevice;
  traps: TrapRecord[];
}

export interface TierBoardOptions {
  /** Rv32Options.extensions (default "MACSU"). */
  extensions?: string;
  /** Where RAM starts and how big it is (default LAYOUT's); the hart starts at ramBase. */
  ramBase?: number;
  ramSize?: number;
  /** Page entries before the compiling tier compiles a page (default 0: at the first entry). */
  jitThreshold?: number;
}

/**
 * A hart on `tier` with `image` at the start of RAM (arena RAM, so the compiling tier can run it),
 * the test device at LAYOUT.device and nothing else: every other address is unmapped.
 */
export function createTierBoard(tier: ExecutionTier, image: Uint8Array, options: TierBoardOptions = {}): TierBoard {
  const ramBase = options.ramBase ?? LAYOUT.ramBase;
  const ramSize = options.ramSize ?? LAYOUT.ramSize;
  const arena = GuestArena.create();
  if (arena === undefined) throw new Error('no shared WebAssembly memory here: the tier tests need one');
  const space = new AddressSpace('sys', arena);
  const block = arena.allocate(ramSize, 65536);
  if (block === undefined) throw new Error(`the guest arena cannot hold ${ramSize} bytes of RAM`);
  const ram = space.mapRam('ram', ramBase, block.buffer, ramSize, false, block.byteOffset);
  space.writeBytes(ramBase, image);
  // jitThreshold is the compiling tier's option (the interpreter ignores it)
  const cpuOptions: Rv32Options & { jitThreshold?: number } = {
    hartId: 0,
    resetVector: ramBase,
    extensions: options.extensions,
    jitThreshold: options.jitThreshold ?? 0,
  };
  const cpu = new Rv32Cpu(space, cpuOptions);
  tiersOf(cpu)?.setTier(tier);
  const device = new TestDevice(cpu);
  space.mapMmio('test-device', LAYOUT.device, LAYOUT.deviceSize, device);
  const traps: TrapRecord[] = [];
  cpu.onTrap = (trap: CpuTrap) => traps.push({ kind: trap.kind, cause: trap.cause, pc: trap.pc, value: trap.value, instret: cpu.retiredNow() });
  return { tier, cpu, space, ram, device, traps };
}

/** The CSRs compared after every run besides the counters. */
const COMPARED_CSRS: ReadonlyArray<[string, number]> = [
  ['mstatus', Csr.MSTATUS],
  ['mcause', Csr.MCAUSE],
  ['mepc', Csr.MEPC],
  ['mtval', Csr.MTVAL],
  ['mie', Csr.MIE],
  ['mip', Csr.MIP],
  ['mscratch', Csr.MSCRATCH],
  ['satp', Csr.SATP],
  ['scause', Csr.SCAUSE],
  ['sepc', Csr.SEPC],
  ['stval', Csr.STVAL],
];

/** misa's F bit: the hart has fcsr. */
const MISA_F = 1 << 5;

/** How many log entries of two boards a firstDifference found equal (the next call compares only the entries after them). */
export interface LogsChecked {
  traps: number;
  accesses: number;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/**
 * The first difference between the harts, logs and RAM of two boards, as "what: <a's tier> value,
 * <b's tier> value"; undefined when they are identical.
 */
export function firstDifference(a: TierBoard, b: TierBoard, checked: LogsChecked = { traps: 0, accesses: 0 }): string | undefined {
  const differ = (what: string, va: number | boolean | string, vb: number | boolean | string) => {
    const show = (v: number | boolean | string) => (typeof v === 'number' ? `${hex(v)} (${v})` : String(v));
    return `${what}: ${a.tier} ${show(va)}, ${b.tier} ${show(vb)}`;
  };
  const ca = a.cpu;
  const cb = b.cpu;
  if (ca.pc !== cb.pc) return differ('pc', ca.pc, cb.pc);
  for (let r = 1; r < 32; r++) if (ca.x[r] !== cb.x[r]) return differ(`x${r}`, ca.x[r], cb.x[r]);
  for (let r = 0; r < 32; r++) {
    if (ca.fregLo[r] !== cb.fregLo[r]) return differ(`f${r} (low half)`, ca.fregLo[r], cb.fregLo[r]);
    if (ca.fregHi[r] !== cb.fregHi[r]) return differ(`f${r} (high half)`, ca.fregHi[r], cb.fregHi[r]);
  }
  if (ca.instret !== cb.instret) return differ('instret', ca.instret, cb.instret);
  if (ca.cycles !== cb.cycles) return differ('cycles', ca.cycles, cb.cycles);
  if (ca.privilege !== cb.privilege) return differ('privilege', ca.privilege, cb.privilege);
  if (ca.waitingForInterrupt !== cb.waitingForInterrupt) return differ('waiting for an interrupt', ca.waitingForInterrupt, cb.waitingForInterrupt);
  for (const [name, csr] of COMPARED_CSRS) {
    const va = ca.readCsr(csr);
    const vb = cb.readCsr(csr);
    if (va !== vb) return differ(name, va, vb);
  }
  if ((ca.misa & MISA_F) !== 0 && ca.readCsr(Csr.FCSR) !== cb.readCsr(Csr.FCSR)) return differ('fcsr', ca.readCsr(Csr.FCSR), cb.readCsr(Csr.FCSR));
  const tiers: [string, string] = [a.tier, b.tier];
  const traps = firstLogDifference('trap', tiers, checked.traps, a.traps, b.traps, (t) => `${t.kind} ${t.cause} at pc ${hex(t.pc)} value ${hex(t.value)} instret ${t.instret}`);
  if (traps !== undefined) return traps;
  const accesses = firstLogDifference('device access', tiers, checked.accesses, a.device.log, b.device.log, (d) => `${d.write ? 'write' : 'read'} of ${d.size} at +0x${d.offset.toString(16)} value ${hex(d.value)} instret ${d.instret}`);
  if (accesses !== undefined) return accesses;
  checked.traps = a.traps.length;
  checked.accesses = a.device.log.length;
  const ra = a.ram.u8;
  const rb = b.ram.u8;
  if (ra.length !== rb.length) return differ('RAM size', ra.length, rb.length);
  const wa = a.ram.i32;
  const wb = b.ram.i32;
  for (let i = 0; i < wa.length; i++) {
    if (wa[i] !== wb[i]) {
      let byte = i * 4;
      while (ra[byte] === rb[byte]) byte++;
      return differ(`RAM byte at ${hex(a.ram.base + byte)}`, ra[byte], rb[byte]);
    }
  }
  return undefined;
}

/** Log entries are flat records of numbers, strings and booleans: equal when every field is. */
export function firstLogDifference<T extends object>(what: string, [ta, tb]: [string, string], from: number, a: readonly T[], b: readonly T[], show: (entry: T) => string): string | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = from; i < n; i++) {
    const ea = a[i] as Record<string, unknown>;
    const eb = b[i] as Record<string, unknown>;
    if (Object.keys(ea).some((key) => ea[key] !== eb[key])) return `${what} #${i + 1}: ${ta} ${show(a[i])}, ${tb} ${show(b[i])}`;
  }
  if (a.length !== b.length) {
    const longer = a.length > b.length ? a : b;
    return `${what} count: ${ta} ${a.length}, ${tb} ${b.length} (the first extra one: ${show(longer[n])})`;
  }
  return undefined;
}

/** The hart's tier control (through the contract: undefined until the compiling tier lands in rv32.ts). */
export function tiersOf(cpu: Rv32Cpu): TierControl | undefined {
  return (cpu as CpuCore).tiers;
}
