import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../memory.ts';
import { loadState, saveState } from '../state.ts';
import { Framebuffer } from './framebuffer.ts';

/** Where the allocator puts the pixels in its buffer: not at 0, as in the guest arena. */
const BLOCK_OFFSET = 256;

function makeFramebuffer(props: Record<string, number | string>) {
  const allocated: number[] = [];
  const framebuffer = new Framebuffer({
    path: '/machine/fb',
    props,
    allocateRam: (n) => {
      allocated.push(n);
      return { buffer: new SharedArrayBuffer(BLOCK_OFFSET + n), byteOffset: BLOCK_OFFSET, byteLength: n };
    },
  });
  return { framebuffer, allocated };
}

describe('framebuffer', () => {
  it('maps its pixels as guest RAM in the block the allocator gives (a SharedArrayBuffer the UI reads)', () => {
    const { framebuffer, allocated } = makeFramebuffer({ width: 4, height: 3, format: 'xrgb8888' });
    expect(allocated).toEqual([4 * 3 * 4]);
    expect([framebuffer.width, framebuffer.height, framebuffer.format, framebuffer.stride]).toEqual([4, 3, 'xrgb8888', 16]);
    const vram = framebuffer.regions.get('vram');
    expect(vram).toEqual({ kind: 'ram', buffer: framebuffer.memory.buffer, byteOffset: BLOCK_OFFSET, byteLength: 48, readOnly: false });
    expect([...framebuffer.regions.keys()]).toEqual(['vram']);

    // A guest store lands in the shared buffer the UI reads.
    const space = new AddressSpace('cpu0');
    space.mapRam('vram', 0x5000_0000, framebuffer.memory.buffer, 48, false, BLOCK_OFFSET);
    space.store(0x5000_0000 + 2 * 16 + 3 * 4, 0x00ff8040, 4);
    expect(framebuffer.pixel(3, 2)).toBe(0xff8040);
    expect(new Uint32Array(framebuffer.memory.buffer, BLOCK_OFFSET)[11]).toBe(0x00ff8040);
  });

  it('expands rgb565 pixels and keeps contents across a reset', () => {
    const { framebuffer, allocated } = makeFramebuffer({ width: 2, height: 2, format: 'rgb565' });
    expect(allocated).toEqual([16]); // vram is width * height * 4 whatever the format
    expect(framebuffer.stride).toBe(4);
    const pixels = new Uint16Array(framebuffer.memory.buffer, BLOCK_OFFSET);
    pixels[3] = 0xf800; // red
    pixels[2] = 0x07ff; // cyan
    framebuffer.reset();
    expect(framebuffer.pixel(1, 1)).toBe(0xff0000);
    expect(framebuffer.pixel(0, 1)).toBe(0x00ffff);
  });

  it('uses the catalog defaults and rejects bad properties', () => {
    const { framebuffer } = makeFramebuffer({});
    expect([framebuffer.width, framebuffer.height, framebuffer.format]).toEqual([320, 240, 'xrgb8888']);
    expect(() => makeFramebuffer({ format: 'yuv' })).toThrow(/format/);
    expect(() => makeFramebuffer({ width: 0 })).toThrow(/width/);
  });
});

describe('framebuffer state', () => {
  it('has no fields: its pixels are memory, saved by the machine, and a load leaves them alone', () => {
    const { framebuffer } = makeFramebuffer({ width: 2, height: 2 });
    new Uint32Array(framebuffer.memory.buffer, BLOCK_OFFSET)[0] = 0x123456;
    const saved = JSON.parse(JSON.stringify(saveState(framebuffer))) as ReturnType<typeof saveState>;
    expect(saved).toEqual({ name: 'framebuffer', version: 1, fields: {} });
    loadState(framebuffer, saved);
    expect(framebuffer.pixel(0, 0)).toBe(0x123456);
    expect(() => loadState(framebuffer, { ...saved, fields: { pixels: [1] } })).toThrow(/unknown field "pixels"/);
  });
});
