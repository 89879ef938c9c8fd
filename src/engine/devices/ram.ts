// RAM: a region of guest memory. Its bytes come from the machine: a block of its guest arena (one
// shared WebAssembly.Memory the compiling tier and the page read directly), or a buffer of its own.
// ROM and flash are the same memory mapped read-only: images load into them, guest stores fault.
import { defineState, type StateDescriptor, type Stateful } from '../state.ts';
import type { Device, DeviceContext, RamBlock, Region } from './device.ts';

export interface RamOptions {
  /** Map the region read-only to the guest (ROM, flash). */
  readonly readOnly?: boolean;
}

/** No fields: the contents are memory, which the machine saves as buffers. */
export const RAM_STATE = defineState({ name: 'ram', version: 1, fields: [] });
/** ROM and flash: no fields either (a different name, so RAM state is not loaded into a ROM). */
export const ROM_STATE = defineState({ name: 'rom', version: 1, fields: [] });

export class Ram implements Device, Stateful {
  readonly path: string;
  readonly stateDescriptor: StateDescriptor = RAM_STATE;
  /** The memory's bytes (a block of a larger buffer when it lives in the arena). */
  readonly memory: RamBlock;
  readonly readOnly: boolean;
  readonly regions: ReadonlyMap<string, Region>;

  constructor(context: DeviceContext, options: RamOptions = {}) {
    this.path = context.path;
    this.readOnly = options.readOnly ?? false;
    this.memory = context.allocateRam(Number(context.props.size));
    this.regions = new Map([['mem', { kind: 'ram', ...this.memory, readOnly: this.readOnly }]]);
  }

  /** RAM keeps its contents across a system reset, as on QEMU; images are reloaded by the machine. */
  reset(): void {}
}

/** Read-only memory (catalog types `rom` and `flash`): a Ram whose region is read-only. */
export class Rom extends Ram {
  constructor(context: DeviceContext) {
    super(context, { readOnly: true });
  }

  override readonly stateDescriptor: StateDescriptor = ROM_STATE;
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { ram: (context: DeviceContext) => new Ram(context), rom: (context: DeviceContext) => new Rom(context), flash: (context: DeviceContext) => new Rom(context) };
