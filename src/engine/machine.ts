// A running board: builds the devices and CPUs of a resolved board, maps their regions, wires
// IRQs, loads images, and runs the harts in slices. Errors during build are MachineErrors with a
// one-line message naming the object or image.
import type { ResolvedBoard } from '../graph/index.ts';
import { Rv32Cpu } from './cpu/rv32.ts';
import { deviceFactories, Ns16550a, SifiveTest, type Device } from './devices/index.ts';
import type { FinisherEvent } from './devices/sifive-test.ts';
import { ImageError, loadElf, parseElf, type ElfImage } from './elf.ts';
import { AddressSpace } from './memory.ts';

export class MachineError extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'MachineError';
  }
}

export interface MachineOptions {
  /** Backing store for RAM; the browser passes SharedArrayBuffers so the UI can read guest memory. */
  allocateRam?: (bytes: number) => ArrayBufferLike;
  /** Every byte a UART transmits. */
  onSerialOutput?: (uartPath: string, byte: number) => void;
}

export type MachineExit = { kind: 'pass'; code: 0 } | { kind: 'fail'; code: number };

interface Hart {
  path: string;
  cpu: Rv32Cpu;
  image: { file: string; elf: ElfImage } | undefined;
}

/** Harts run this many instructions before the next one gets its turn. */
const HART_SLICE = 10_000;

export class Machine {
  readonly space = new AddressSpace('system');
  readonly devices = new Map<string, Device>();
  private readonly harts: Hart[] = [];
  private exitStatus: MachineExit | null = null;
  private resetRequested = false;
  private retiredBeforeReset = 0;

  private constructor() {}

  /** Build a machine from a resolved board and its image files (by the file names the board uses). */
  static build(board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>, options: MachineOptions = {}): Machine {
    const machine = new Machine();
    machine.construct(board, images, options);
    machine.reset();
    return machine;
  }

  private construct(board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>, options: MachineOptions): void {
    const allocateRam = options.allocateRam ?? ((bytes: number) => new ArrayBuffer(bytes));
    for (const object of board.objects) {
      if (object.type === 'rv32') {
        const cpu = new Rv32Cpu(this.space, { hartId: Number(object.props['hart-id']), resetVector: Number(object.props['reset-vector']) });
        this.harts.push({ path: object.path, cpu, image: undefined });
        continue;
      }
      const factory = deviceFactories[object.type];
      if (factory === undefined) throw new MachineError(`${object.path}: no engine model for type "${object.type}"`, object.path);
      let device: Device;
      try {
        device = factory({ path: object.path, props: object.props, allocateRam });
      } catch (error) {
        throw new MachineError(`${object.path}: ${error instanceof Error ? error.message : String(error)}`, object.path);
      }
      if (device instanceof Ns16550a) {
        const path = object.path;
        const sink = options.onSerialOutput;
        if (sink) device.onTransmit = (byte) => sink(path, byte);
      }
      if (device instanceof SifiveTest) device.onFinish = (event) => this.finish(event);
      this.devices.set(object.path, device);
    }
    for (const mapping of board.memory) {
      const device = this.devices.get(mapping.object);
      const region = device?.regions.get(mapping.region);
      if (region === undefined) throw new MachineError(`${mapping.object}: has no region "${mapping.region}" to map`, mapping.object);
      const name = `${mapping.object}.${mapping.region}`;
      if (region.kind === 'ram') this.space.mapRam(name, mapping.base, region.buffer, mapping.size, region.readOnly);
      else this.space.mapMmio(name, mapping.base, mapping.size, region.handler);
    }
    for (const image of board.images) {
      const hart = this.harts.find((h) => h.path === image.cpu);
      if (hart === undefined) throw new MachineError(`image ${image.file}: CPU ${image.cpu} does not exist`, image.cpu);
      const bytes = images.get(image.file);
      if (bytes === undefined) throw new MachineError(`image ${image.file}: file not provided`, image.cpu);
      let elf: ElfImage;
      try {
        elf = parseElf(bytes);
        loadElf(elf, this.space);
      } catch (error) {
        if (error instanceof ImageError) throw new MachineError(`image ${image.file}: ${error.message}`, image.cpu);
        throw error;
      }
      if (this.space.findRam(elf.entry, 2) === undefined) {
        throw new MachineError(`image ${image.file}: entry point 0x${elf.entry.toString(16)} is not in RAM or ROM`, image.cpu);
      }
      hart.image = { file: image.file, elf };
    }
  }

  private finish(event: FinisherEvent): void {
    if (event.kind === 'reset') this.resetRequested = true;
    else this.exitStatus = event;
    for (const hart of this.harts) hart.cpu.requestStop();
  }

  /** How the guest stopped the board through the finisher, or null while it has not. */
  get exit(): MachineExit | null {
    return this.exitStatus;
  }

  get halted(): boolean {
    return this.exitStatus !== null;
  }

  /** True when every hart waits for an interrupt that nothing can raise (no timers in this version). */
  get idle(): boolean {
    return this.harts.every((h) => h.cpu.waitingForInterrupt);
  }

  /** Total instructions retired by all harts since build or the last reset. */
  get instructions(): number {
    let total = 0;
    for (const hart of this.harts) total += hart.cpu.instret;
    return total - this.retiredBeforeReset;
  }

  get cpuPaths(): string[] {
    return this.harts.map((h) => h.path);
  }

  /** Registers and pc of a hart, for debuggers and tests. */
  cpu(path: string): Rv32Cpu | undefined {
    return this.harts.find((h) => h.path === path)?.cpu;
  }

  uart(path?: string): Ns16550a | undefined {
    for (const device of this.devices.values()) if (device instanceof Ns16550a && (path === undefined || device.path === path)) return device;
    return undefined;
  }

  /** Run up to `budget` instructions over all harts; returns how many ran. Stops early when halted or idle. */
  run(budget: number): number {
    let executed = 0;
    while (executed < budget && !this.halted) {
      let progressed = 0;
      for (const hart of this.harts) {
        if (this.halted || this.resetRequested) break;
        const slice = this.harts.length === 1 ? budget - executed : Math.min(HART_SLICE, budget - executed - progressed);
        if (slice <= 0) break;
        progressed += hart.cpu.run(slice);
      }
      executed += progressed;
      if (this.resetRequested) {
        this.reset();
        continue;
      }
      if (progressed === 0) break; // all harts idle
    }
    return executed;
  }

  /** System reset: devices to their reset state, images reloaded, harts to their entry points. */
  reset(): void {
    this.resetRequested = false;
    this.exitStatus = null;
    for (const device of this.devices.values()) device.reset();
    for (const hart of this.harts) {
      if (hart.image) loadElf(hart.image.elf, this.space);
    }
    for (const hart of this.harts) {
      hart.cpu.reset();
      if (hart.image) hart.cpu.pc = hart.image.elf.entry >>> 0;
    }
    this.retiredBeforeReset = this.harts.reduce((sum, h) => sum + h.cpu.instret, 0);
  }
}

/** Image file names a board needs, in document order, without duplicates. */
export function imageFiles(board: ResolvedBoard): string[] {
  return [...new Set(board.images.map((image) => image.file))];
}
