// Framebuffer pixels → canvas pixels. The guest's pixel memory is a block of a SharedArrayBuffer
// (the machine's guest arena) the page reads directly; this converts it into an ImageData's RGBA bytes (seen as little-endian 32-bit
// words, as every browser host is: 0xAABBGGRR). Pure functions, no DOM: tested in Node.

export interface FramebufferGeometry {
  width: number;
  height: number;
  /** Bytes from one row to the next. */
  stride: number;
  format: 'xrgb8888' | 'rgb565';
}

/** Whether this host stores words little-endian (the conversion assumes it; every browser host does). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([0x01020304]).buffer)[0] === 0x04;

/**
 * Writes the pixels of `vram` (`stride * height` bytes from `byteOffset`, a multiple of 4) into
 * `target`, one 0xAABBGGRR word per pixel (an ImageData's data seen as a Uint32Array of width *
 * height words).
 */
export function paintFramebuffer(vram: ArrayBufferLike, byteOffset: number, geometry: FramebufferGeometry, target: Uint32Array): void {
  const { width, height, stride, format } = geometry;
  if (target.length < width * height) throw new Error(`paint target holds ${target.length} pixels, need ${width * height}`);
  const available = Math.max(0, vram.byteLength - byteOffset);
  if (format === 'xrgb8888') {
    // 0x00RRGGBB words (byte 0 blue, 1 green, 2 red) → 0xFFBBGGRR.
    const words = new Uint32Array(vram, byteOffset, Math.min(available >>> 2, (stride >>> 2) * height));
    const rowWords = stride >>> 2;
    let out = 0;
    for (let y = 0; y < height; y++) {
      let at = y * rowWords;
      for (let x = 0; x < width; x++, at++, out++) {
        const w = words[at];
        target[out] = (0xff000000 | ((w & 0xff) << 16) | (w & 0xff00) | ((w >>> 16) & 0xff)) >>> 0;
      }
    }
    return;
  }
  // rgb565 little-endian halfwords, channels widened to 8 bits by repeating their top bits.
  const halves = new Uint16Array(vram, byteOffset, Math.min(available >>> 1, (stride >>> 1) * height));
  const rowHalves = stride >>> 1;
  let out = 0;
  for (let y = 0; y < height; y++) {
    let at = y * rowHalves;
    for (let x = 0; x < width; x++, at++, out++) {
      const v = halves[at];
      const r5 = (v >>> 11) & 0x1f;
      const g6 = (v >>> 5) & 0x3f;
      const b5 = v & 0x1f;
      const r = (r5 << 3) | (r5 >>> 2);
      const g = (g6 << 2) | (g6 >>> 4);
      const b = (b5 << 3) | (b5 >>> 2);
      target[out] = (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
    }
  }
}

/** Most repaints per second a framebuffer view makes while the guest runs. */
export const MAX_PAINTS_PER_SECOND = 30;

/**
 * Decides when a view repaints: only when the guest ran since the last paint (it may have drawn;
 * a paused, idle or halted guest cannot), and at most MAX_PAINTS_PER_SECOND times a second.
 */
export class RepaintGate {
  private paintedAt = -Infinity;
  private paintedInstructions = -1;
  private paintedSession = -1;

  constructor(private readonly minIntervalMs = 1000 / MAX_PAINTS_PER_SECOND) {}

  /** True if a paint is due now; the caller paints and the gate remembers it. */
  due(instructions: number, session: number, now: number): boolean {
    if (instructions === this.paintedInstructions && session === this.paintedSession) return false;
    if (now - this.paintedAt < this.minIntervalMs) return false;
    this.paintedAt = now;
    this.paintedInstructions = instructions;
    this.paintedSession = session;
    return true;
  }

  /** The next check paints (a new buffer or canvas). */
  invalidate(): void {
    this.paintedInstructions = -1;
    this.paintedAt = -Infinity;
  }
}
