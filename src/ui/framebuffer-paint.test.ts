import { describe, expect, it } from 'vitest';
import { LITTLE_ENDIAN, paintFramebuffer, RepaintGate } from './framebuffer-paint';

/** ImageData bytes (R, G, B, A) of pixel `i` in a painted target. */
function rgba(target: Uint32Array, i: number): number[] {
  return [...new Uint8Array(target.buffer, i * 4, 4)];
}

describe('paintFramebuffer', () => {
  it('assumes a little-endian host, as every browser is', () => {
    expect(LITTLE_ENDIAN).toBe(true);
  });

  it('turns xrgb8888 words (byte 0 blue, 1 green, 2 red) into opaque RGBA pixels', () => {
    const vram = new SharedArrayBuffer(3 * 2 * 4);
    const bytes = new Uint8Array(vram);
    // pixel (1, 0): blue 0x10, green 0x20, red 0x30, and junk in the x byte
    bytes.set([0x10, 0x20, 0x30, 0x99], 4);
    new Uint32Array(vram)[5] = 0x00ff_8000; // pixel (2, 1): red ff, green 80, blue 00
    const target = new Uint32Array(6);
    paintFramebuffer(vram, 0, { width: 3, height: 2, stride: 12, format: 'xrgb8888' }, target);
    expect(rgba(target, 0)).toEqual([0, 0, 0, 255]);
    expect(rgba(target, 1)).toEqual([0x30, 0x20, 0x10, 255]);
    expect(rgba(target, 5)).toEqual([0xff, 0x80, 0x00, 255]);
  });

  it('honours the stride (rows wider than the picture)', () => {
    const vram = new ArrayBuffer(4 * 2 * 4);
    const words = new Uint32Array(vram);
    words[0] = 0x0000_00ff;
    words[4] = 0x00ff_0000; // first pixel of row 1 with a stride of 4 words
    const target = new Uint32Array(4);
    paintFramebuffer(vram, 0, { width: 2, height: 2, stride: 16, format: 'xrgb8888' }, target);
    expect(rgba(target, 0)).toEqual([0, 0, 0xff, 255]);
    expect(rgba(target, 2)).toEqual([0xff, 0, 0, 255]);
  });

  it('widens rgb565 to 8 bits per channel', () => {
    const vram = new ArrayBuffer(2 * 1 * 4);
    const halves = new Uint16Array(vram);
    halves[0] = 0xf800; // pure red
    halves[1] = 0x07e0 | 0x001f; // green + blue
    const target = new Uint32Array(2);
    paintFramebuffer(vram, 0, { width: 2, height: 1, stride: 4, format: 'rgb565' }, target);
    expect(rgba(target, 0)).toEqual([255, 0, 0, 255]);
    expect(rgba(target, 1)).toEqual([0, 255, 255, 255]);
  });

  it('refuses a target that is too small', () => {
    expect(() => paintFramebuffer(new ArrayBuffer(16), 0, { width: 2, height: 2, stride: 8, format: 'xrgb8888' }, new Uint32Array(3))).toThrow(/need 4/);
  });

  it('paints the pixels at their offset in a buffer that holds other memory too (the guest arena), in both formats', () => {
    const offset = 0x1_0000;
    const vram = new SharedArrayBuffer(offset + 16 + offset);
    new Uint8Array(vram).fill(0x77); // the arena's other bytes, around the pixels
    new Uint32Array(vram, offset, 4).set([0x00ff_0000, 0x0000_ff00, 0x0000_00ff, 0]);
    const target = new Uint32Array(4);
    paintFramebuffer(vram, offset, { width: 2, height: 2, stride: 8, format: 'xrgb8888' }, target);
    expect([0, 1, 2, 3].map((i) => rgba(target, i))).toEqual([[0xff, 0, 0, 255], [0, 0xff, 0, 255], [0, 0, 0xff, 255], [0, 0, 0, 255]]);
    new Uint16Array(vram, offset, 2).set([0xf800, 0x001f]);
    paintFramebuffer(vram, offset, { width: 2, height: 1, stride: 4, format: 'rgb565' }, target);
    expect([0, 1].map((i) => rgba(target, i))).toEqual([[255, 0, 0, 255], [0, 0, 255, 255]]);
  });
});

describe('RepaintGate', () => {
  it('repaints only after the guest ran, at most 30 times a second', () => {
    const gate = new RepaintGate();
    expect(gate.due(100, 1, 0)).toBe(true);
    expect(gate.due(100, 1, 500)).toBe(false); // the guest did not run: nothing new to show
    expect(gate.due(200, 1, 510)).toBe(true);
    expect(gate.due(300, 1, 520)).toBe(false); // too soon
    expect(gate.due(300, 1, 544)).toBe(true);
    expect(gate.due(0, 2, 600)).toBe(true); // a reset (new session) with the same count still repaints
    gate.invalidate();
    expect(gate.due(0, 2, 601)).toBe(true);
  });
});
