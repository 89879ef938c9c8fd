import { describe, expect, it } from 'vitest';
import { AddressSpace, BusFault } from '../memory.ts';
import { loadState, saveState } from '../state.ts';
import { devices, Ram, Rom } from './ram.ts';
import { blockBytes, privateRam } from './device.ts';

const context = (path: string) => ({ path, props: { size: 64 }, allocateRam: privateRam });

describe('ram, rom and flash', () => {
  it('gives RAM a writable region of its size', () => {
    const ram = new Ram(context('/machine/ram'));
    expect(ram.memory.byteLength).toBe(64);
    expect(ram.regions.get('mem')).toEqual({ kind: 'ram', buffer: ram.memory.buffer, byteOffset: 0, byteLength: 64, readOnly: false });
  });

  it('takes its bytes where the machine allocator puts them: a block inside a larger buffer (the guest arena)', () => {
    const arena = new SharedArrayBuffer(0x3000);
    const ram = new Ram({ path: '/machine/ram', props: { size: 0x1000 }, allocateRam: (bytes) => ({ buffer: arena, byteOffset: 0x1000, byteLength: bytes }) });
    expect(ram.regions.get('mem')).toEqual({ kind: 'ram', buffer: arena, byteOffset: 0x1000, byteLength: 0x1000, readOnly: false });
    const region = ram.regions.get('mem');
    if (region?.kind !== 'ram') throw new Error('no RAM region');
    const space = new AddressSpace('cpu0');
    space.mapRam('ram', 0x8000_0000, region.buffer, region.byteLength, region.readOnly, region.byteOffset);
    space.store(0x8000_0004, 0x11223344, 4);
    expect(new DataView(arena).getUint32(0x1004, true)).toBe(0x11223344);
    expect(new Uint8Array(arena, 0, 0x1000).every((b) => b === 0)).toBe(true); // nothing before the block
  });

  it('maps rom and flash read-only: images load, guest stores fault', () => {
    for (const type of ['rom', 'flash']) {
      const rom = devices[type as 'rom' | 'flash'](context(`/machine/${type}`));
      expect(rom).toBeInstanceOf(Rom);
      const region = rom.regions.get('mem');
      expect(region?.kind === 'ram' && region.readOnly).toBe(true);
      if (region?.kind !== 'ram') continue;
      const space = new AddressSpace('cpu0');
      space.mapRam(type, 0x1000, region.buffer, 64, region.readOnly, region.byteOffset);
      space.writeBytes(0x1000, new Uint8Array([0x13, 0, 0, 0]));
      expect(space.load(0x1000, 4)).toBe(0x13);
      expect(() => space.store(0x1000, 0, 4)).toThrow(BusFault);
    }
  });

  it('keeps contents across a reset', () => {
    const rom = new Rom(context('/machine/rom'));
    blockBytes(rom.memory)[0] = 0x42;
    rom.reset();
    expect(blockBytes(rom.memory)[0]).toBe(0x42);
  });
});

describe('ram and rom state', () => {
  it('have no fields: contents are memory, which the machine saves as buffers', () => {
    const ram = new Ram(context('/machine/ram'));
    const rom = new Rom(context('/machine/rom'));
    blockBytes(ram.memory)[0] = 7;
    expect(saveState(ram)).toEqual({ name: 'ram', version: 1, fields: {} });
    expect(saveState(rom)).toEqual({ name: 'rom', version: 1, fields: {} });
    loadState(ram, JSON.parse(JSON.stringify(saveState(new Ram(context('/machine/ram2'))))) as ReturnType<typeof saveState>);
    expect(blockBytes(ram.memory)[0]).toBe(7);
    expect(() => loadState(rom, saveState(ram))).toThrow(/cannot load "ram" state into a rom device/);
    expect(() => loadState(ram, { name: 'ram', version: 2, fields: {} })).toThrow(/ram state version 2 cannot be loaded: this build expects ram state version 1/);
  });
});
