// The machine explains itself (issue #15, point 4), worker side: live register values of a device
// or a CPU for the page's register view, the trap and interrupt log, and the watch list.
//
// Nothing here reads MMIO: a device's registers come from its side-effect-free peek
// (Device.peek), a core's from its debug contract (registers, and peekSystemRegister for ARM's
// SCB and SysTick), so looking never pops a UART's byte or claims a PLIC source. The page polls
// these a few times a second while the guest runs; the runner answers between slices.
//
// The trap log listens to the machine (Machine.addTrapListener) and keeps the last TRAP_LOG_SIZE
// traps in a ring; the page asks for the ones after the last sequence number it has.
import type { CpuCore } from '../engine/cpu/contract.ts';
import type { Device } from '../engine/devices/device.ts';
import type { AccessSize } from '../engine/memory.ts';
import type { TrapEvent, TrapListener } from '../engine/trap-events.ts';
import { coreRegisterLayout, cpuAddressSpace, cpuArchitecture, deviceRegisterLayout, registerInstances, type ResolvedBoard } from '../graph/index.ts';
import { SymbolTable } from '../graph/elf-symbols.ts';

/** Traps the log keeps (the oldest go first). */
export const TRAP_LOG_SIZE = 1000;
/** Most traps one poll returns (the page asks again for the rest). */
export const TRAP_BATCH = 200;

/** What the explainer needs of a machine (Machine has it; tests may give less). */
export interface ExplainableMachine {
  readonly devices?: ReadonlyMap<string, unknown>;
  readonly deviceTypes?: ReadonlyMap<string, string>;
  readonly cpuPaths?: readonly string[];
  cpu?(path: string): CpuCore | undefined;
  addTrapListener?(listener: TrapListener): () => void;
}

/** One register's value (null: the device could not tell), by region and offset. */
export interface RegisterValue {
  region: string;
  offset: number;
  /** 64-bit registers as a number (exact below 2^53). */
  value: number | null;
}

export interface DeviceRegisterValues {
  path: string;
  type: string;
  values: RegisterValue[];
}

export interface CoreRegisterValue {
  name: string;
  value: number | null;
}

export interface CoreRegisterValues {
  path: string;
  architecture: string;
  values: CoreRegisterValue[];
}

/** A trap as the log shows it: the engine's event, its sequence number and the handler's symbol. */
export interface TrapLogEntry extends TrapEvent {
  seq: number;
  /** The firmware symbol at the handler ("trap_handler", "isr+0x4"), when the CPU's ELF has one. */
  handlerSymbol?: string;
}

export interface TrapLogBatch {
  entries: TrapLogEntry[];
  /** The sequence number of the next trap to come. */
  next: number;
  /** Traps that fell out of the ring before they were asked for. */
  dropped: number;
}

/** A watch: an address (read as the CPUs see memory, RAM/ROM only) or a register of a CPU. */
export type WatchTarget = { kind: 'memory'; address: number; size: 1 | 2 | 4; space?: string } | { kind: 'register'; cpu: string; register: string };

export interface WatchValue {
  /** The value, or null with `reason` when it cannot be read. */
  value: number | null;
  reason?: string;
}

function peekDevice(device: unknown, region: string, offset: number, size: AccessSize): number | undefined {
  const peek = (device as Partial<Pick<Device, 'peek'>>).peek;
  return typeof peek === 'function' ? peek.call(device, region, offset, size) : undefined;
}

export class Explainer {
  private machine: ExplainableMachine | null = null;
  private board: ResolvedBoard | null = null;
  private readonly ring: TrapLogEntry[] = [];
  private nextSeq = 0;
  private unlisten: (() => void) | undefined;
  private symbolsByCpu = new Map<string, SymbolTable>();

  /** A new machine: the trap log starts over and listens to it. */
  attach(machine: ExplainableMachine, board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>): void {
    this.unlisten?.();
    this.machine = machine;
    this.board = board;
    this.ring.length = 0;
    this.symbolsByCpu = symbolTables(board, images, machine.cpuPaths ?? []);
    this.unlisten = machine.addTrapListener?.((event) => this.record(event));
  }

  private record(event: TrapEvent): void {
    const symbols = this.symbolsByCpu.get(event.cpu);
    const handlerSymbol = symbols?.label(event.handler);
    this.ring.push({ ...event, seq: this.nextSeq++, ...(handlerSymbol === undefined ? {} : { handlerSymbol }) });
    if (this.ring.length > TRAP_LOG_SIZE) this.ring.shift();
  }

  /** Traps with sequence numbers from `after` on (at most TRAP_BATCH), and how many of those are gone. */
  traps(after: number): TrapLogBatch {
    const first = this.ring[0]?.seq ?? this.nextSeq;
    const from = Math.max(after, first);
    const start = from - first;
    return { entries: this.ring.slice(start, start + TRAP_BATCH), next: Math.min(this.nextSeq, from + TRAP_BATCH), dropped: Math.max(0, first - after) };
  }

  /** Forget the logged traps (the page's Clear); sequence numbers go on. */
  clearTraps(): void {
    this.ring.length = 0;
  }

  /** Every register of the device at `path` that its type's layout lists, peeked without side effects; null when there is no such device or layout. */
  deviceRegisters(path: string): DeviceRegisterValues | null {
    const type = this.machine?.deviceTypes?.get(path);
    const device = this.machine?.devices?.get(path);
    const object = this.board?.objects.find((o) => o.path === path);
    const layout = type === undefined ? undefined : deviceRegisterLayout(type);
    if (type === undefined || device === undefined || object === undefined || layout === undefined) return null;
    const values: RegisterValue[] = [];
    for (const block of layout) {
      for (const instance of registerInstances(block, object.props)) {
        const width = instance.layout.width;
        let value: number | undefined;
        if (width === 64) {
          const low = peekDevice(device, block.region, instance.offset, 4);
          const high = peekDevice(device, block.region, instance.offset + 4, 4);
          value = low === undefined || high === undefined ? undefined : (high >>> 0) * 2 ** 32 + (low >>> 0);
        } else {
          const size = (width / 8) as AccessSize;
          value = peekDevice(device, block.region, instance.offset, size);
          if (value !== undefined) value = width === 32 ? value >>> 0 : value & (width === 16 ? 0xffff : 0xff);
        }
        values.push({ region: block.region, offset: instance.offset, value: value ?? null });
      }
    }
    return { path, type, values };
  }

  /** The control registers of the CPU at `path` (CSRs; ARM's special registers, SCB and SysTick); null when there is no such CPU. */
  coreRegisters(path: string): CoreRegisterValues | null {
    const cpu = this.machine?.cpu?.(path);
    const object = this.board?.objects.find((o) => o.path === path);
    const architecture = object === undefined ? undefined : cpuArchitecture(object.type)?.name;
    const layout = architecture === undefined ? undefined : coreRegisterLayout(architecture);
    if (cpu === undefined || architecture === undefined || layout === undefined) return null;
    const debug = cpu.debug;
    const values = layout.map((register): CoreRegisterValue => {
      let value: number | undefined;
      if (register.register !== undefined) {
        const index = debug.registers.findIndex((info) => info.name === register.register);
        value = index < 0 ? undefined : debug.readRegister(index);
      } else if (register.systemOffset !== undefined) {
        value = debug.peekSystemRegister?.(register.systemOffset);
      }
      return { name: register.name, value: value === undefined ? null : value >>> 0 };
    });
    return { path, architecture, values };
  }

  /** A symbol's address in the firmware of `cpu` (or of any CPU), for the watch list's "add by name". */
  symbolAddress(name: string, cpu?: string): number | undefined {
    const tables = cpu === undefined ? [...this.symbolsByCpu.values()] : [this.symbolsByCpu.get(cpu)].filter((t) => t !== undefined);
    for (const table of tables) {
      const value = table.valueOf(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** The current values of watches: memory through the CPUs' address space (RAM and ROM only: reading MMIO has side effects), registers through the debug contract. */
  watchValues(targets: readonly WatchTarget[]): WatchValue[] {
    return targets.map((target) => this.watchValue(target));
  }

  private watchValue(target: WatchTarget): WatchValue {
    const machine = this.machine;
    if (machine === null) return { value: null, reason: 'no machine' };
    if (target.kind === 'register') {
      const cpu = machine.cpu?.(target.cpu);
      if (cpu === undefined) return { value: null, reason: `no CPU ${target.cpu}` };
      const wanted = target.register.toLowerCase();
      const index = cpu.debug.registers.findIndex((info) => info.name === wanted || info.aliases.includes(wanted));
      const value = index < 0 ? undefined : cpu.debug.readRegister(index);
      return value === undefined ? { value: null, reason: `${target.cpu} has no register ${target.register}` } : { value: value >>> 0 };
    }
    const cpuPath = machine.cpuPaths?.find((path) => target.space === undefined || this.cpuSpace(path) === target.space) ?? machine.cpuPaths?.[0];
    const space = cpuPath === undefined ? undefined : machine.cpu?.(cpuPath)?.debug.space;
    if (space === undefined) return { value: null, reason: 'no CPU sees memory' };
    const ram = space.findRam(target.address >>> 0, target.size);
    if (ram === undefined) return { value: null, reason: 'not RAM or ROM (a device register or nothing: watched values are read without side effects)' };
    return { value: space.load(target.address >>> 0, target.size) >>> 0 };
  }

  private cpuSpace(path: string): string | undefined {
    const object = this.board?.objects.find((o) => o.path === path);
    return object === undefined ? undefined : cpuAddressSpace(object);
  }
}

/** The ELF symbol tables of each CPU's firmware (an image for no particular CPU counts for all). */
function symbolTables(board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>, cpuPaths: readonly string[]): Map<string, SymbolTable> {
  const byCpu = new Map<string, SymbolTable>();
  const byFile = new Map<string, SymbolTable>();
  for (const image of board.images) {
    if (image.format !== 'elf') continue;
    const bytes = images.get(image.file);
    if (bytes === undefined) continue;
    let table = byFile.get(image.file);
    if (table === undefined) {
      try {
        table = SymbolTable.fromElf(bytes);
      } catch {
        continue; // an image the machine loaded but whose symbols cannot be read: traps show addresses only
      }
      byFile.set(image.file, table);
    }
    for (const path of image.cpu === undefined ? cpuPaths : [image.cpu]) if (!byCpu.has(path)) byCpu.set(path, table);
  }
  return byCpu;
}
