// What every device model gives the machine builder.
import type { TimeBase } from '../cpu/contract.ts';
import type { AccessSize, MmioHandler } from '../memory.ts';
import type { Stateful } from '../state.ts';

/** One signal line (level semantics): the machine connects an output port to input ports. */
export interface IrqLine {
  set(level: boolean): void;
}

/**
 * A reset output a device drives as a level (a reset controller's hold line): asserted holds what
 * the reset graph wires it to in reset (a CPU does not run), released lets it start from its reset state.
 */
export interface ResetLine {
  set(asserted: boolean): void;
}

/** Virtual time: the machine's clock, for devices with timers. */
export interface VirtualClock {
  /** Current virtual time in nanoseconds. */
  now(): number;
  /** Call `callback` when virtual time reaches `at` (ns). Returns a handle for cancel(). */
  schedule(at: number, callback: () => void): number;
  cancel(handle: number): void;
}

export interface DeviceContext {
  /** Canonical path, e.g. /machine/uart0. */
  readonly path: string;
  readonly props: Readonly<Record<string, number | string | boolean | null>>;
  /**
   * Zeroed bytes for a memory region: a block of the machine's guest arena (../guest-arena.ts)
   * where it can, else a buffer of its own (see Machine's RAM allocation). Keep the block as
   * given: its offset is where generated code finds the bytes.
   */
  allocateRam(bytes: number): RamBlock;
  /** Present when the machine has a virtual clock (devices with timers need it). */
  readonly clock?: VirtualClock;
}

/** Bytes of guest memory: `byteLength` bytes from `byteOffset` in `buffer` (the arena's buffer holds many blocks). */
export interface RamBlock {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly byteLength: number;
}

/** A block of its own: an ArrayBuffer nothing else sees (outside any arena; tests' devices use it too). */
export function privateRam(bytes: number): RamBlock {
  return { buffer: new ArrayBuffer(bytes), byteOffset: 0, byteLength: bytes };
}

/** The bytes of a block, as one view. */
export function blockBytes(block: RamBlock): Uint8Array {
  return new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
}

/** RAM or ROM: the block's bytes, mapped read-only or not. */
export type RamRegion = RamBlock & { readonly kind: 'ram'; readonly readOnly: boolean };

export type Region = { kind: 'mmio'; handler: MmioHandler } | RamRegion;

/** A serial port the host talks to (the CLI's stdio, the page's terminal, gdb's console). */
export interface SerialPort {
  /** Called with every byte the guest transmits (the machine sets it). */
  onTransmit: (byte: number) => void;
  /** How many bytes receive() takes now. */
  readonly receiveSpace: number;
  /** Bytes for the guest to read; returns how many it took. */
  receive(bytes: Iterable<number>): number;
}

/** What a guest asks of the host through system control: end the run (pass, fail with a code) or reset. */
export type SystemControlRequest = { kind: 'pass'; code: 0 } | { kind: 'fail'; code: number } | { kind: 'reset' };

/** System control (a test finisher): the guest ends the run or asks for a reset. */
export interface SystemControl {
  /** Called with every request (the machine sets it). */
  onRequest: (request: SystemControlRequest) => void;
}

/** An image a boot device contributes: bytes at an address of the system address space. */
export interface BootImage {
  /** "(boot ROM)", "(device tree)": names the image in messages. */
  name: string;
  address: number;
  data: Uint8Array;
}

/** What the machine hands a boot device. */
export interface BootContext {
  /** The entry point of the firmware (the first image with one), or undefined. */
  entry: number | undefined;
  /** The RAM harts boot from (the largest in the system space), or undefined. */
  ram: { base: number; size: number } | undefined;
  /** Where the device's region `name` is mapped in the system address space, or undefined. */
  regionBase(name: string): number | undefined;
  /** The board's device tree blob (made on demand). */
  deviceTree(): Uint8Array;
}

/** Boot information: the device decides what harts run first (QEMU virt's boot ROM: its code and a device tree). */
export interface BootInformation {
  /** The images to load on every reset; harts then start at their reset vectors, not at an image's entry. */
  bootImages(context: BootContext): BootImage[];
}

/**
 * What a device offers the host. The machine wires these capabilities and never looks at a
 * device's class: a new device type gets host wiring by declaring them.
 */
export interface DeviceCapabilities {
  readonly serial?: SerialPort;
  readonly systemControl?: SystemControl;
  /** A time base CPUs read their time counter from, when their time-base property links to this device. */
  readonly timeBase?: TimeBase;
  readonly boot?: BootInformation;
  /**
   * Its saved state must have the final word over what its IRQ sources re-drive when they are
   * restored (an interrupt controller's pending bits): a snapshot restores it after the other devices.
   */
  readonly restoreAfterSources?: boolean;
}

/** A device model: regions, IRQ ports, reset, and a versioned state descriptor for snapshots. */
export interface Device extends Stateful {
  readonly path: string;
  /** Region ports by name, as declared in the type catalog. */
  readonly regions: ReadonlyMap<string, Region>;
  /** IRQ output ports: the builder connects line `index` of `port` to a line. */
  connectIrqOutput?(port: string, index: number, line: IrqLine): void;
  /** Reset output ports driven as levels: the builder connects each wired one (the device drives its current level at once). */
  connectResetOutput?(port: string, line: ResetLine): void;
  /** IRQ input ports: the builder calls this when a connected line changes level. */
  setIrqInput?(port: string, index: number, level: boolean): void;
  reset(): void;
  /** Release what realize took (timers, host resources); the device is not used again. */
  unrealize?(): void;
  /** What it offers the host (serial port, system control, time base, boot information). */
  readonly capabilities?: DeviceCapabilities;
  /**
   * What a guest read of `size` bytes at `offset` of region port `region` would return now,
   * without the read's side effects: a UART's receive buffer is not popped, a PLIC claim is not
   * taken, a clear-on-read bit stays set. For the page's register view, which never reads MMIO.
   * Undefined where nothing is there. Devices whose reads have no side effects need not implement
   * it: the view then reads them through their handler (deviceRegisterPeek, ./register-peek.ts).
   */
  peek?(region: string, offset: number, size: AccessSize): number | undefined;
}
