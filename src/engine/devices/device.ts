// What every device model gives the machine builder.
import type { MmioHandler } from '../memory.ts';
import type { Stateful } from '../state.ts';

/** One signal line (level semantics): the machine connects an output port to input ports. */
export interface IrqLine {
  set(level: boolean): void;
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
  allocateRam(bytes: number): ArrayBufferLike;
  /** Present when the machine has a virtual clock (devices with timers need it). */
  readonly clock?: VirtualClock;
}

export type Region = { kind: 'mmio'; handler: MmioHandler } | { kind: 'ram'; buffer: ArrayBufferLike; readOnly: boolean };

/** A device model: regions, IRQ ports, reset, and a versioned state descriptor for snapshots. */
export interface Device extends Stateful {
  readonly path: string;
  /** Region ports by name, as declared in the type catalog. */
  readonly regions: ReadonlyMap<string, Region>;
  /** IRQ output ports: the builder connects line `index` of `port` to a line. */
  connectIrqOutput?(port: string, index: number, line: IrqLine): void;
  /** IRQ input ports: the builder calls this when a connected line changes level. */
  setIrqInput?(port: string, index: number, level: boolean): void;
  reset(): void;
  /** Release what realize took (timers, host resources); the device is not used again. */
  unrealize?(): void;
}
