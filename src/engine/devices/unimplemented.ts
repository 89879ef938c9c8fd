// A placeholder for a block of the address space a board has no model for (QEMU's
// "unimplemented-device"): reads return 0 and writes are ignored, so firmware that probes it
// goes on as on QEMU instead of taking a bus fault. Boards map it under the real devices (a lower
// priority), as QEMU does for mps2-an385's peripheral regions.
import type { AccessSize, MmioHandler } from '../memory.ts';
import { defineState, type Stateful } from '../state.ts';
import type { Device, DeviceContext, Region } from './device.ts';

/** No state: nothing it holds survives an access. */
export const UNIMPLEMENTED_STATE = defineState({ name: 'unimplemented-device', version: 1, fields: [] });

export class UnimplementedDevice implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = UNIMPLEMENTED_STATE;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
  }

  read(_offset: number, _size: AccessSize): number {
    return 0;
  }

  write(_offset: number, _value: number, _size: AccessSize): void {}

  reset(): void {}
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { 'unimplemented-device': (context: DeviceContext) => new UnimplementedDevice(context) };
