// Guest RAM in the machine's GuestArena (./guest-arena.ts): where the machine puts each memory,
// that generated code and the interpreter see the same bytes, the fallbacks to buffers of their
// own (each said once in the event log), and snapshots across both.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { boardFromMachineType, resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import { blockBytes } from './devices/device.ts';
import { GuestArena } from './guest-arena.ts';
import { Machine, MachineError, type MachineOptions } from './machine.ts';
import type { RamMapping } from './memory.ts';

const WASM_PAGE = 65536;
const counterElf = new Uint8Array(readFileSync(new URL('../../public/firmware/counter.elf', import.meta.url)));

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/** QEMU virt (boot ROM, CLINT, PLIC, UART, finisher, 128 MiB of RAM) running the counter firmware, which prints forever. */
const virtBoard = () => resolved({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'counter.elf' }] });

function virt(options: MachineOptions = {}, output: number[] = []): Machine {
  return Machine.build(virtBoard(), new Map([['counter.elf', counterElf]]), { onSerialOutput: (_uart, byte) => output.push(byte), ...options });
}

/** A board with one hart, a finisher and the memories in `extra` (unmapped unless `memory` maps them). */
function bare(extra: Record<string, unknown>, memory: unknown[] = [], ramSize = '64K'): ResolvedBoard {
  return resolved({
    boardlab: 1,
    name: 'arena-probe',
    objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } }, ram: { type: 'ram', props: { size: ramSize } }, test: { type: 'sifive-test' }, ...extra },
    memory: [{ map: 'ram.mem', at: '0x80000000' }, { map: 'test.regs', at: '0x100000' }, ...memory],
    images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }],
  });
}

/** A program that stops the board (finisher pass), so a board builds with an image. */
const halt = (() => {
  const words = [...A.li(5, 0x100000), ...A.li(6, 0x5555), A.sw(6, 5, 0), A.jal(0, 0)];
  const bytes = new Uint8Array(words.length * 4);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w >>> 0, true));
  return bytes;
})();

const build = (board: ResolvedBoard, options: MachineOptions = {}) => Machine.build(board, new Map([['p.bin', halt]]), options);

function mapping(machine: Machine, name: string): RamMapping {
  const found = machine.space().ram.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no RAM mapping ${name}`);
  return found;
}

/** The bytes of the machine's RAM region (/machine/ram). */
function ramBytes(machine: Machine): Uint8Array {
  const region = machine.devices.get('/machine/ram')!.regions.get('mem')!;
  if (region.kind !== 'ram') throw new Error('RAM expected');
  return blockBytes(region);
}

/** Byte-for-byte equality of large arrays (a deep equal of 128 MiB is too slow). */
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

const outsideArenaLines = (machine: Machine) => machine.events.filter((e) => e.startsWith('RAM outside the guest arena'));

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('guest RAM in the arena', () => {
  it("a virt board's RAM, boot ROM and code-chunk map are blocks of its arena: the hart's bytes are the arena's bytes", () => {
    const machine = virt();
    const arena = machine.arena!;
    expect(arena).toBeInstanceOf(GuestArena);
    const ram = mapping(machine, '/machine/ram.mem');
    const rom = mapping(machine, '/machine/mrom.mem');
    for (const m of [ram, rom]) {
      expect(m.arenaOffset).toBeGreaterThan(0);
      expect(m.arenaOffset % WASM_PAGE).toBe(0); // one wasm page: generated code may rely on it
    }
    // No two blocks overlap.
    const [low, high] = [ram, rom].sort((a, b) => a.arenaOffset - b.arenaOffset);
    expect(low.arenaOffset + low.size).toBeLessThanOrEqual(high.arenaOffset);
    expect(arena.size).toBeGreaterThanOrEqual(ram.arenaOffset + ram.size);
    expect(machine.space().codeChunksArenaOffset).toBeGreaterThan(0);

    // What the firmware loader wrote is in the arena at the mapping's offset…
    const arenaBytes = (m: RamMapping, length: number) => new Uint8Array(arena.memory.buffer, m.arenaOffset, length);
    expect(arenaBytes(ram, 64)).toEqual(ram.u8.subarray(0, 64));
    expect(arenaBytes(ram, 64).some((b) => b !== 0)).toBe(true);
    expect(arenaBytes(rom, 24)).toEqual(rom.u8.subarray(0, 24)); // the reset vector code
    // …a guest store through the bus lands there, and an arena write is what the hart loads.
    machine.space().store(0x8100_0000, 0xcafe_f00d, 4);
    expect(new DataView(arena.memory.buffer).getUint32(ram.arenaOffset + 0x100_0000, true)).toBe(0xcafe_f00d);
    new DataView(arena.memory.buffer).setUint32(ram.arenaOffset + 0x100_0004, 0x1234_5678, true);
    expect(machine.space().load(0x8100_0004, 4)).toBe(0x1234_5678);
    expect(outsideArenaLines(machine)).toEqual([]);
  });

  it('the device regions name the same blocks: a region is its buffer, offset and length', () => {
    const machine = virt();
    const region = machine.devices.get('/machine/ram')!.regions.get('mem')!;
    if (region.kind !== 'ram') throw new Error('RAM expected');
    expect(region.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(region.byteOffset).toBe(mapping(machine, '/machine/ram.mem').arenaOffset);
    expect(region.byteLength).toBe(128 << 20);
    expect(machine.arena!.holds(region.buffer)).toBe(true);
  });

  it('an alias of arena RAM reaches the same bytes at the alias offset', () => {
    const machine = build(bare({}, [{ alias: 'ram.mem', offset: '0x1000', size: '4K', at: '0x20000000' }]));
    const ram = mapping(machine, '/machine/ram.mem');
    const alias = mapping(machine, '/machine/ram.mem (alias)');
    expect(alias.arenaOffset).toBe(ram.arenaOffset + 0x1000);
    machine.space().store(0x2000_0010, 0xabcd, 2);
    expect(machine.space().load(0x8000_1010, 2)).toBe(0xabcd);
  });

  it('every machine has an arena of its own', () => {
    const a = build(bare({}));
    const b = build(bare({}));
    expect(a.arena).not.toBe(b.arena);
    a.space().store(0x8000_0100, 0x11, 1);
    expect(b.space().load(0x8000_0100, 1)).toBe(0);
  });
});

describe('RAM outside the arena, never silently', () => {
  it('without an arena (no shared WebAssembly memory) RAM gets buffers of its own, arenaOffset -1, and the event log says so once', () => {
    const output: number[] = [];
    const machine = virt({ guestArena: () => undefined }, output);
    expect(machine.arena).toBeUndefined();
    for (const m of machine.space().ram) expect(m.arenaOffset).toBe(-1);
    expect(machine.space().codeChunksArenaOffset).toBe(-1);
    expect(outsideArenaLines(machine)).toEqual([
      'RAM outside the guest arena (compiled code reaches it only through slow paths): /machine/mrom, /machine/ram: this host has no shared WebAssembly memory (WebAssembly or SharedArrayBuffer missing, or the page is not cross-origin isolated)',
    ]);
    machine.run(2_000_000);
    machine.reset();
    machine.run(10);
    expect(outsideArenaLines(machine)).toHaveLength(1);
    // It runs as before: the counter firmware prints.
    expect(output.length).toBeGreaterThan(0);
  });

  it('a host without WebAssembly gets no arena (GuestArena.create), and the machine says why', () => {
    vi.stubGlobal('WebAssembly', undefined);
    const machine = build(bare({}));
    expect(machine.arena).toBeUndefined();
    expect(mapping(machine, '/machine/ram.mem').arenaOffset).toBe(-1);
    expect(outsideArenaLines(machine)).toEqual([expect.stringContaining('/machine/ram: this host has no shared WebAssembly memory')]);
  });

  it('RAM that does not fit in the arena gets a buffer of its own; what fits stays in', () => {
    // An arena of 8 wasm pages (512 KiB): the first 64 KiB RAM fits, the 1 MiB one does not.
    const machine = build(bare({ big: { type: 'ram', props: { size: '1M' } } }, [{ map: 'big.mem', at: '0x90000000' }]), { guestArena: () => GuestArena.create(8) });
    expect(mapping(machine, '/machine/ram.mem').arenaOffset).toBeGreaterThan(0);
    const big = mapping(machine, '/machine/big.mem');
    expect(big.arenaOffset).toBe(-1);
    expect(machine.arena!.holds(big.u8.buffer)).toBe(false);
    expect(outsideArenaLines(machine)).toEqual([
      "RAM outside the guest arena (compiled code reaches it only through slow paths): /machine/big: the guest arena is full (a machine's arena holds at most 4 GiB)",
    ]);
    // Both memories work.
    machine.space().store(0x9000_0000, 0x55, 1);
    expect(machine.space().load(0x9000_0000, 1)).toBe(0x55);
  });

  it('more than 4 GiB of memory in one machine: what goes past 4 GiB is outside the arena', () => {
    // Two 2 GiB memories (not mapped: reserved, never touched): the second cannot fit beside the first.
    const machine = build(bare({ a: { type: 'ram', props: { size: '2G' } }, b: { type: 'ram', props: { size: '2G' } } }));
    const region = (path: string) => {
      const r = machine.devices.get(path)!.regions.get('mem')!;
      if (r.kind !== 'ram') throw new Error('RAM expected');
      return r;
    };
    expect(machine.arena!.holds(region('/machine/a').buffer)).toBe(true);
    expect(machine.arena!.holds(region('/machine/b').buffer)).toBe(false);
    expect(region('/machine/b').byteLength).toBe(2 ** 31);
    expect(outsideArenaLines(machine)).toEqual([expect.stringMatching(/: \/machine\/b: the guest arena is full/)]);
    expect(mapping(machine, '/machine/ram.mem').arenaOffset).toBeGreaterThan(0); // realized before them
  });

  it("a memory whose shared property is false stays out of the arena where the page reads it (sharesGuestMemory); one line names every such memory", () => {
    const board = bare({ scratch: { type: 'ram', props: { size: '4K', shared: false } }, vram: { type: 'ram', props: { size: '4K', shared: true } } }, [
      { map: 'scratch.mem', at: '0x90000000' },
      { map: 'vram.mem', at: '0x91000000' },
    ]);
    const page = build(board, { sharesGuestMemory: true });
    // The board's main RAM is shared: false by default on the node platform, as is scratch.
    expect(mapping(page, '/machine/scratch.mem').arenaOffset).toBe(-1);
    expect(mapping(page, '/machine/scratch.mem').u8.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(mapping(page, '/machine/vram.mem').arenaOffset).toBeGreaterThan(0);
    expect(outsideArenaLines(page)).toEqual([
      'RAM outside the guest arena (compiled code reaches it only through slow paths): /machine/ram, /machine/scratch: its shared property is false: private to the engine, out of the memory the page reads',
    ]);
    // Where nothing outside the engine reads the arena (Node), shared changes nothing: all of it goes in.
    const node = build(board);
    for (const name of ['/machine/ram.mem', '/machine/scratch.mem', '/machine/vram.mem']) expect(mapping(node, name).arenaOffset).toBeGreaterThan(0);
    expect(outsideArenaLines(node)).toEqual([]);
  });

  it("the host's allocateRam takes RAM allocation over: its buffers, outside the arena, said once", () => {
    const given: SharedArrayBuffer[] = [];
    const allocateRam = (bytes: number) => {
      const buffer = new SharedArrayBuffer(bytes);
      given.push(buffer);
      return buffer;
    };
    const machine = build(bare({ shared: { type: 'ram', props: { size: '4K', shared: true } } }, [{ map: 'shared.mem', at: '0x90000000' }]), { allocateRam });
    const shared = mapping(machine, '/machine/shared.mem');
    expect(given).toContain(shared.u8.buffer);
    expect(shared.arenaOffset).toBe(-1);
    expect(outsideArenaLines(machine)).toEqual([
      'RAM outside the guest arena (compiled code reaches it only through slow paths): /machine/ram: its shared property is false: private to the engine, out of the memory the page reads',
      'RAM outside the guest arena (compiled code reaches it only through slow paths): /machine/shared: the host supplies its buffers (the allocateRam option)',
    ]);
    // The code-chunk map is still the arena's: the host allocates RAM only.
    expect(machine.space().codeChunksArenaOffset).toBeGreaterThan(0);
  });
});

describe('snapshots of arena RAM', () => {
  it("hold each region's bytes (not the arena's), one array per region, and restore into the arena", () => {
    const machine = virt();
    machine.run(1_000_000);
    const snapshot = machine.snapshot();
    expect(snapshot.memory['/machine/ram.mem'].length).toBe(128 << 20);
    expect(snapshot.memory['/machine/mrom.mem'].length).toBe(0xf000);
    const ram = mapping(machine, '/machine/ram.mem');
    expect(snapshot.memory['/machine/ram.mem'].subarray(0, 4096)).toEqual(ram.u8.subarray(0, 4096));
    expect(snapshot.memory['/machine/ram.mem'].buffer).not.toBe(machine.arena!.memory.buffer); // a copy

    const other = virt();
    const otherRam = mapping(other, '/machine/ram.mem');
    otherRam.u8.fill(0xa5, 0, 4096);
    other.restore(structuredClone(snapshot));
    expect(new Uint8Array(other.arena!.memory.buffer, otherRam.arenaOffset, 4096)).toEqual(snapshot.memory['/machine/ram.mem'].subarray(0, 4096));
  });

  it('move between a machine with an arena and one without, and continue the run exactly', () => {
    const straightOut: number[] = [];
    const straight = virt({}, straightOut);
    straight.run(2_000_000);
    const snapshot = structuredClone(straight.snapshot());
    const printedBefore = straightOut.length;
    straight.run(3_000_000);

    const movedOut: number[] = [];
    const moved = virt({ guestArena: () => undefined }, movedOut);
    moved.restore(snapshot);
    moved.run(3_000_000);
    expect(movedOut).toEqual(straightOut.slice(printedBefore));
    expect(moved.instructions).toBe(straight.instructions);

    // And back into an arena: the same 128 MiB as the machine that never moved.
    const back = virt();
    back.restore(structuredClone(moved.snapshot()));
    expect(sameBytes(ramBytes(back), ramBytes(straight))).toBe(true);
    expect(sameBytes(ramBytes(back), ramBytes(virt()))).toBe(false); // (the comparison sees a difference)
  });

  it('refuses memory of another size, naming the region and both sizes, and changes nothing (not even the memories that fit)', () => {
    const withExtra = (size: string) => bare({ extra: { type: 'ram', props: { size } } }, [{ map: 'extra.mem', at: '0x90000000' }]);
    const source = build(withExtra('4K'));
    source.space().store(0x8000_0100, 0x77, 1);
    const snapshot = source.snapshot();
    const target = build(withExtra('8K'));
    target.space().store(0x8000_0100, 0x42, 1);
    target.run(2);
    const time = target.clock.now();
    expect(() => target.restore(snapshot)).toThrow(MachineError);
    expect(() => target.restore(snapshot)).toThrow("the snapshot's memory for /machine/extra.mem is 4096 bytes, this board's is 8192: it was taken from another board");
    expect(target.space().load(0x8000_0100, 1)).toBe(0x42); // /machine/ram fits, and was not written either
    expect(target.clock.now()).toBe(time);
    const missing = { ...snapshot, memory: { ...snapshot.memory } };
    delete missing.memory['/machine/ram.mem'];
    expect(() => source.restore(missing)).toThrow('the snapshot has no memory for /machine/ram.mem: it was taken from another board');
  });
});

describe('the compiling tier on arena RAM', () => {
  it('compiles code in arena RAM and runs it as the interpreter does; RAM outside the arena too (slow paths)', () => {
    const run = (options: MachineOptions) => {
      const output: number[] = [];
      const machine = virt(options, output);
      machine.run(3_000_000);
      return { output, machine, stats: machine.cpu('/machine/cpu0')!.tiers?.stats() };
    };
    const interpreted = run({ tier: 'interp' });
    expect(interpreted.output.length).toBeGreaterThan(0);
    const inArena = run({ tier: 'jit' });
    const outside = run({ tier: 'jit', allocateRam: (bytes) => new ArrayBuffer(bytes) });
    expect(mapping(outside.machine, '/machine/ram.mem').arenaOffset).toBe(-1);
    for (const compiled of [inArena, outside]) {
      expect(compiled.stats?.compiled).toBeGreaterThan(0);
      expect(compiled.output).toEqual(interpreted.output);
      expect(compiled.machine.instructions).toBe(interpreted.machine.instructions);
      expect(compiled.machine.clock.now()).toBe(interpreted.machine.clock.now());
    }
  });
});
