import { describe, expect, it } from 'vitest';
import { GuestArena } from './guest-arena';
import { AddressSpace } from './memory';

describe('GuestArena', () => {
  it('hands out zeroed, aligned, disjoint blocks of one shared WebAssembly memory, growing it', () => {
    const arena = GuestArena.create()!;
    const a = arena.allocate(100, 8)!;
    const b = arena.allocate(200_000, 65536)!;
    expect(a.byteOffset % 8).toBe(0);
    expect(b.byteOffset % 65536).toBe(0);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 100);
    expect(arena.memory.buffer.byteLength).toBeGreaterThanOrEqual(b.byteOffset + 200_000);
    // a view on the buffer handed out first still sees bytes written after the memory grew
    const early = new Uint8Array(a.buffer, a.byteOffset, 100);
    new Uint8Array(arena.memory.buffer)[a.byteOffset + 5] = 42;
    expect(early[5]).toBe(42);
    expect(new Uint8Array(b.buffer, b.byteOffset, b.byteLength).every((v) => v === 0)).toBe(true);
    expect(arena.holds(b.buffer)).toBe(true);
    expect(arena.holds(new SharedArrayBuffer(8))).toBe(false);
  });

  it('says no when the memory cannot grow that far', () => {
    const arena = GuestArena.create(2)!;
    expect(arena.allocate(65536)).toBeDefined();
    expect(arena.allocate(65536)).toBeUndefined();
  });

  it("puts an address space's code-chunk map and RAM from it at known arena offsets", () => {
    const arena = GuestArena.create()!;
    const space = new AddressSpace('sys', arena);
    expect(space.codeChunksArenaOffset).toBeGreaterThan(0);
    const block = arena.allocate(4096)!;
    const ram = space.mapRam('ram', 0x8000_0000, block.buffer, 4096, false, block.byteOffset);
    expect(ram.arenaOffset).toBe(block.byteOffset);
    const plain = space.mapRam('other', 0x1000, new SharedArrayBuffer(4096), 4096);
    expect(plain.arenaOffset).toBe(-1);
  });
});
