// What every device model gives the machine builder.
import type { MmioHandler } from '../memory.ts';

export interface IrqLine {
  set(level: boolean): void;
}

export interface DeviceContext {
  /** Canonical path, e.g. /machine/uart0. */
  readonly path: string;
  readonly props: Readonly<Record<string, number | string | boolean>>;
  allocateRam(bytes: number): ArrayBufferLike;
}

export type Region = { kind: 'mmio'; handler: MmioHandler } | { kind: 'ram'; buffer: ArrayBufferLike; readOnly: boolean };

export interface Device {
  readonly path: string;
  /** Region ports by name, as declared in the type catalog. */
  readonly regions: ReadonlyMap<string, Region>;
  /** IRQ output ports: the builder connects them. */
  connectIrqOutput?(port: string, index: number, line: IrqLine): void;
  reset(): void;
}
