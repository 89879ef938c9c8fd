import { describe, expect, it } from 'vitest';
import { parseBoard, type ResolvedBoard } from '../graph/index.ts';
import type { SharedMemory } from '../workers/emulator.worker.ts';
import { defaultViewAddress, dumpRows, hartSpace, memoryAt, noBytesReason, rowText } from './memory-view.ts';

function resolve(document: Record<string, unknown>): ResolvedBoard {
  const result = parseBoard(JSON.stringify({ boardlab: 1, name: 'memory-view-test', ...document }));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.board;
}

/** The hello board's map: finisher, UART, 128 MiB of RAM at 0x80000000 (addresses at and above 2^31). */
const hello = resolve({
  objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '128M' } }, uart0: { type: 'ns16550a' }, test: { type: 'sifive-test' } },
  memory: [
    { map: 'test.regs', at: '0x100000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'ram.mem', at: '0x80000000' },
  ],
});

/** Where the region starts in the shared buffer: one wasm page in, as a block of the guest arena, with other bytes around it. */
const ARENA_OFFSET = 1 << 16;
/** What the bytes around the region hold (another region's), which the view must never show. */
const NEIGHBOUR = 0xee;

function sharedRam(size: number, fill: (i: number) => number): SharedMemory {
  const buffer = new SharedArrayBuffer(ARENA_OFFSET + size + ARENA_OFFSET);
  new Uint8Array(buffer).fill(NEIGHBOUR, 0, ARENA_OFFSET);
  new Uint8Array(buffer).fill(NEIGHBOUR, ARENA_OFFSET + size);
  const bytes = new Uint8Array(buffer, ARENA_OFFSET, size);
  for (let i = 0; i < Math.min(size, 1 << 16); i++) bytes[i] = fill(i);
  return { path: '/machine/ram', region: 'mem', buffer, byteOffset: ARENA_OFFSET, byteLength: size };
}

describe('the memory view', () => {
  const ram = sharedRam(128 << 20, (i) => i & 0xff);

  it('shows the bytes of RAM at 0x80000000 and above (the old view compared a negative start with the base)', () => {
    const at = memoryAt(hello, [ram], 0x8000_0010);
    expect(at.kind).toBe('memory');
    if (at.kind !== 'memory') return;
    expect(at).toMatchObject({ name: 'ram.mem', base: 0x8000_0000, size: 128 << 20, readOnly: false });
    const rows = dumpRows(at, 0x8000_0013, 2);
    expect(rows.map((r) => r.address)).toEqual([0x8000_0010, 0x8000_0020]);
    expect(rows[0].bytes).toEqual(Array.from({ length: 16 }, (_, i) => 0x10 + i));
    expect(rowText(rows[0])).toBe('0x80000010  10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f  ................');
    expect(rowText({ address: 0x8000_0040, bytes: [0x48, 0x69, 0x21, 0x00] })).toBe('0x80000040  48 69 21 00  Hi!.');
    // The top of RAM: the last row ends with the region.
    const top = dumpRows(at, 0x8000_0000 + (128 << 20) - 16, 8);
    expect(top).toHaveLength(1);
    expect(top[0].address).toBe(0x87ff_fff0);
    expect(top[0].bytes).not.toContain(NEIGHBOUR); // not the bytes after the region in the arena
    expect(dumpRows(at, 0x8000_0000, 1)[0].bytes[0]).toBe(0); // the region's first byte, not the arena's
  });

  it('says what is at an MMIO address instead of reading it, and what is mapped when nothing is', () => {
    const uart = memoryAt(hello, [ram], 0x1000_0004);
    expect(uart).toEqual({ kind: 'mmio', name: 'uart0.regs', base: 0x1000_0000, size: 256 });
    expect(noBytesReason(uart, 0x1000_0004)).toBe('uart0.regs is MMIO (device registers at 0x10000000): reading it has side effects, not shown');
    const nothing = memoryAt(hello, [ram], 0x2000_0000);
    expect(noBytesReason(nothing, 0x2000_0000)).toBe('nothing is mapped at 0x20000000; mapped: test.regs at 0x00100000, uart0.regs at 0x10000000, ram.mem at 0x80000000');
    expect(noBytesReason(memoryAt(resolve({ objects: {} }), [], 0), 0)).toBe('nothing is mapped at 0x00000000; the board maps no memory');
    // RAM the worker did not share (no SharedArrayBuffer) is named, not shown.
    expect(noBytesReason(memoryAt(hello, [], 0x8000_0000), 0x8000_0000)).toBe('ram.mem is not shared with the page, not shown');
  });

  it('shows the RAM an alias is a window onto, from the alias offset', () => {
    const board = resolve({
      objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '64K' } } },
      memory: [
        { map: 'ram.mem', at: '0x80000000' },
        { alias: 'ram.mem', offset: '0x1000', size: '4K', at: '0x0' },
      ],
    });
    const small = sharedRam(64 << 10, (i) => (i >> 4) & 0xff);
    const at = memoryAt(board, [small], 0x20);
    expect(at.kind).toBe('memory');
    if (at.kind !== 'memory') return;
    expect(at.name).toBe('ram.mem (alias)');
    expect(at.size).toBe(4096);
    // Address 0x20 of the alias is byte 0x1020 of the RAM, as at 0x80001020.
    const viaRam = memoryAt(board, [small], 0x8000_1020);
    if (viaRam.kind !== 'memory') throw new Error('RAM expected');
    expect(dumpRows(at, 0x20, 1)[0].bytes).toEqual(dumpRows(viaRam, 0x8000_1020, 1)[0].bytes);
    expect(dumpRows(at, 0x20, 1)[0].bytes[0]).toBe(0x02);
    expect(dumpRows(at, 0, 1)[0].bytes[0]).toBe(0x00);
    // The alias's window ends at 4 KiB.
    expect(dumpRows(at, 0xff0, 8)).toHaveLength(1);
  });

  it('a higher-priority region over RAM splits it: each side shows its own part', () => {
    const board = resolve({
      objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram', props: { size: '64K' } }, uart0: { type: 'ns16550a' } },
      memory: [
        { map: 'ram.mem', at: '0x80000000' },
        { map: 'uart0.regs', at: '0x80001000', priority: 1 },
      ],
    });
    const small = sharedRam(64 << 10, (i) => (i >> 8) & 0xff);
    expect(memoryAt(board, [small], 0x8000_1000).kind).toBe('mmio');
    const after = memoryAt(board, [small], 0x8000_1100);
    if (after.kind !== 'memory') throw new Error('RAM expected');
    expect(after.base).toBe(0x8000_1100);
    expect(dumpRows(after, 0x8000_1100, 1)[0].bytes[0]).toBe(0x11);
  });
});

describe('where the memory view looks', () => {
  it('starts at the first RAM, past a boot ROM and devices', () => {
    expect(defaultViewAddress(hello)).toBe(0x8000_0000);
    const withRom = resolve({
      objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x1000' } }, rom: { type: 'rom', props: { size: '4K' } }, ram: { type: 'ram', props: { size: '4K' } } },
      memory: [
        { map: 'rom.mem', at: '0x1000' },
        { map: 'ram.mem', at: '0x2000' },
      ],
    });
    expect(defaultViewAddress(withRom)).toBe(0x2000);
    expect(defaultViewAddress(resolve({ objects: {} }))).toBe(0);
  });

  it("follows a hart's own address space", () => {
    expect(hartSpace(hello, '/machine/cpu0')).toBe('system');
  });
});
