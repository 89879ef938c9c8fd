import { describe, expect, it } from 'vitest';
import { AddressSpace, BusFault, type MmioHandler } from './memory.ts';

function recorder(): MmioHandler & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    read: (offset, size) => (log.push(`r${size}@${offset}`), 0xabcd1234),
    write: (offset, value, size) => void log.push(`w${size}@${offset}=${value.toString(16)}`),
  };
}

describe('AddressSpace', () => {
  it('reads and writes RAM little-endian, aligned and unaligned', () => {
    const space = new AddressSpace('test');
    space.mapRam('ram', 0x80000000, new ArrayBuffer(64), 64);
    space.store(0x80000000, 0x11223344, 4);
    expect(space.load(0x80000000, 1)).toBe(0x44);
    expect(space.load(0x80000002, 2)).toBe(0x1122);
    space.store(0x80000005, 0xdeadbeef, 4);
    expect(space.load(0x80000005, 4)).toBe(0xdeadbeef);
    expect(space.load(0x80000004, 2)).toBe(0xef00);
  });

  it('shares its buffer with whoever else views it (SharedArrayBuffer)', () => {
    const buffer = new SharedArrayBuffer(16);
    const space = new AddressSpace('test');
    space.mapRam('ram', 0x1000, buffer, 16);
    space.store(0x1004, 0x7f, 1);
    expect(new Uint8Array(buffer)[4]).toBe(0x7f);
  });

  it('dispatches MMIO with region-relative offsets', () => {
    const device = recorder();
    const space = new AddressSpace('test');
    space.mapMmio('dev', 0x10000000, 0x100, device);
    expect(space.load(0x10000005, 1)).toBe(0xabcd1234);
    space.store(0x10000010, 0x55, 4);
    expect(device.log).toEqual(['r1@5', 'w4@16=55']);
  });

  it('raises a BusFault for unmapped addresses and ROM writes', () => {
    const space = new AddressSpace('test');
    space.mapRam('rom', 0x0, new ArrayBuffer(16), 16, true);
    expect(() => space.load(0x2000, 4)).toThrow(BusFault);
    expect(() => space.store(0x4, 1, 4)).toThrow(/write of 4 byte\(s\) at 0x00000004/);
    expect(() => space.load(0xe, 4)).toThrow(BusFault); // straddles the end
  });

  it('answers repeated misses from the gap it found, exactly up to the mappings around it, until a mapping is added', () => {
    const device = recorder();
    const space = new AddressSpace('test');
    space.mapRam('ram', 0x1000, new ArrayBuffer(0x1000), 0x1000);
    space.mapMmio('dev', 0x3000, 0x100, device);
    space.store(0x1ffc, 0x12345678, 4);
    expect(space.tryLoad(0x2800, 4)).toBe(-1); // the gap [0x2000, 0x3000)
    expect(space.tryLoad(0x2000, 1)).toBe(-1);
    expect(space.tryStore(0x2ffc, 1, 4)).toBe(false);
    expect(space.tryLoad(0x1ffc, 4)).toBe(0x12345678); // the last word before the gap
    expect(space.tryLoad(0x1ffe, 4)).toBe(-1); // runs from RAM into the gap
    expect(space.tryLoad(0x2ffe, 4)).toBe(-1); // runs from the gap into the device
    expect(space.tryLoad(0x3000, 4)).toBe(0xabcd1234); // the first word after it
    expect(device.log).toEqual(['r4@0']);
    // a miss that starts inside a mapping learns no gap
    expect(space.tryLoad(0x30fe, 4)).toBe(-1);
    expect(space.tryLoad(0x3004, 4)).toBe(0xabcd1234);
    // a mapping added in the gap is found
    space.mapRam('more', 0x2400, new ArrayBuffer(0x100), 0x100);
    space.store(0x2400, 0xcafe, 2);
    expect(space.tryLoad(0x2400, 2)).toBe(0xcafe);
    expect(space.tryLoad(0x2800, 4)).toBe(-1);
    expect(space.tryLoad(0x2404, 4)).toBe(0);
    // the gap above the last mapping reaches the end of the address space
    expect(space.tryLoad(0xf000_0000, 4)).toBe(-1);
    expect(space.tryLoad(0xffff_fffc, 4)).toBe(-1);
    expect(space.tryStore(0x3100, 1, 1)).toBe(false);
    space.mapMmio('top', 0xffff_f000, 0x1000, device);
    expect(space.tryLoad(0xffff_fffc, 4)).toBe(0xabcd1234);
  });

  it('refuses overlapping mappings', () => {
    const space = new AddressSpace('test');
    space.mapRam('ram', 0x1000, new ArrayBuffer(0x1000), 0x1000);
    expect(() => space.mapMmio('dev', 0x1800, 0x100, recorder())).toThrow(/overlaps ram/);
  });

  it('tells listeners about RAM writes, for code invalidation', () => {
    const space = new AddressSpace('test');
    space.mapRam('ram', 0, new ArrayBuffer(16), 16);
    const seen: Array<[number, number]> = [];
    space.ramWriteListeners.push((address, size) => seen.push([address, size]));
    space.store(4, 1, 2);
    space.writeBytes(8, new Uint8Array(4));
    expect(seen).toEqual([[4, 2], [8, 4]]);
  });

  it('describes its mappings in address order', () => {
    const space = new AddressSpace('test');
    space.mapRam('ram', 0x80000000, new ArrayBuffer(16), 16);
    space.mapMmio('uart', 0x10000000, 0x100, recorder());
    expect(space.describe().map((m) => `${m.name}:${m.kind}`)).toEqual(['uart:mmio', 'ram:ram']);
  });
});
