// RAM: a region of guest memory. Its buffer comes from the host (a SharedArrayBuffer in the browser).
import type { Device, DeviceContext, Region } from './device.ts';

export class Ram implements Device {
  readonly path: string;
  readonly buffer: ArrayBufferLike;
  readonly regions: ReadonlyMap<string, Region>;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.buffer = context.allocateRam(Number(context.props.size));
    this.regions = new Map([['mem', { kind: 'ram', buffer: this.buffer, readOnly: false }]]);
  }

  /** RAM keeps its contents across a system reset, as on QEMU; images are reloaded by the machine. */
  reset(): void {}
}
