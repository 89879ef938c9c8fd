// A simple linear framebuffer: pixel memory, row by row, mapped into the guest as RAM. The memory
// comes from the machine's allocator (a block of its guest arena, a SharedArrayBuffer the page
// shares), so the designer reads the pixels directly while the guest draws, with no copies and no registers.
import { defineState, type Stateful } from '../state.ts';
import { blockBytes, type Device, type DeviceContext, type RamBlock, type Region } from './device.ts';

export const FRAMEBUFFER_FORMATS = ['xrgb8888', 'rgb565'] as const;
export type FramebufferFormat = (typeof FRAMEBUFFER_FORMATS)[number];

/** No fields: the pixels are memory, which the machine saves with the other RAM buffers. */
export const FRAMEBUFFER_STATE = defineState({ name: 'framebuffer', version: 1, fields: [] });

export class Framebuffer implements Device, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = FRAMEBUFFER_STATE;
  readonly width: number;
  readonly height: number;
  readonly format: FramebufferFormat;
  /** Bytes per pixel: 4 for xrgb8888 (little-endian 0x00RRGGBB words), 2 for rgb565. */
  readonly bytesPerPixel: number;
  /** Bytes from one row to the next (width * bytesPerPixel). */
  readonly stride: number;
  /** The pixel memory (width * height * 4 bytes, whatever the format, as the catalog sizes vram). */
  readonly memory: RamBlock;
  private readonly bytes: Uint8Array;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.width = dimension(context, 'width', 320);
    this.height = dimension(context, 'height', 240);
    const format = context.props.format ?? 'xrgb8888';
    if (!FRAMEBUFFER_FORMATS.includes(format as FramebufferFormat)) throw new Error(`${this.path}: unknown pixel format ${String(format)}`);
    this.format = format as FramebufferFormat;
    this.bytesPerPixel = this.format === 'rgb565' ? 2 : 4;
    this.stride = this.width * this.bytesPerPixel;
    this.memory = context.allocateRam(this.width * this.height * 4);
    this.bytes = blockBytes(this.memory);
    this.regions = new Map([['vram', { kind: 'ram', ...this.memory, readOnly: false }]]);
  }

  /** The pixel at (x, y) as 0xRRGGBB (rgb565 expanded to 8 bits per channel). */
  pixel(x: number, y: number): number {
    const at = y * this.stride + x * this.bytesPerPixel;
    const b = this.bytes;
    if (this.bytesPerPixel === 4) return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) >>> 0;
    const v = b[at] | (b[at + 1] << 8);
    const r = (v >>> 11) & 0x1f;
    const g = (v >>> 5) & 0x3f;
    const bl = v & 0x1f;
    return (((r << 3) | (r >>> 2)) << 16) | (((g << 2) | (g >>> 4)) << 8) | ((bl << 3) | (bl >>> 2));
  }

  /** Pixel memory keeps its contents across a reset, like RAM. */
  reset(): void {}
}

function dimension(context: DeviceContext, name: string, fallback: number): number {
  const value = context.props[name];
  const n = value === undefined || value === null ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new Error(`${context.path}: ${name} must be 1..4096`);
  return n;
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { framebuffer: (context: DeviceContext) => new Framebuffer(context) };
