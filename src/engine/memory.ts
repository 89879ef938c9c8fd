// Guest physical memory: RAM/ROM backed by (Shared)ArrayBuffers that CPUs read through typed
// arrays, and MMIO regions dispatched to device handlers. An access that hits nothing raises a
// BusFault, which the CPU turns into an access-fault trap — it never escapes the engine.

import type { GuestArena } from './guest-arena.ts';

export type AccessSize = 1 | 2 | 4;

const TWO_POW_32 = 0x1_0000_0000;

/** log2 of the granule AddressSpace.codeChunks tracks decoded code in (128 bytes). */
export const CODE_CHUNK_SHIFT = 7;

export type AccessKind = 'read' | 'write' | 'fetch';

export class BusFault extends Error {
  constructor(
    readonly address: number,
    readonly kind: AccessKind,
    readonly size: AccessSize,
  ) {
    super(`bus fault: ${kind} of ${size} byte(s) at 0x${(address >>> 0).toString(16).padStart(8, '0')} hits no memory`);
    this.name = 'BusFault';
  }
}

/** A device's register window. Offsets are relative to the region base. Reads return unsigned values. */
export interface MmioHandler {
  read(offset: number, size: AccessSize): number;
  write(offset: number, value: number, size: AccessSize): void;
}

/** RAM or ROM mapped at `base`. Views share one buffer, so a SharedArrayBuffer is visible to the UI. */
export class RamMapping {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly end: number;
  /** Accesses dispatched through AddressSpace.load/store (not the CPU's fast path); see ../engine/activity.ts. */
  hits = 0;
  constructor(
    readonly name: string,
    readonly base: number,
    readonly size: number,
    buffer: ArrayBufferLike,
    readonly readOnly: boolean,
    /** Where in `buffer` this mapping starts (aliases and partly covered regions start inside it). */
    readonly offset = 0,
    /** Where this mapping's first byte is in the machine's GuestArena (./guest-arena.ts), -1 when its buffer is not the arena's: generated code reaches only arena RAM directly. */
    readonly arenaOffset = -1,
  ) {
    if (size % 4 !== 0) throw new Error(`RAM region ${name}: size ${size} is not a multiple of 4`);
    if (offset % 4 !== 0) throw new Error(`RAM region ${name}: offset ${offset} into its memory is not a multiple of 4`);
    this.u8 = new Uint8Array(buffer, offset, size);
    this.u16 = new Uint16Array(buffer, offset, size >>> 1);
    this.i32 = new Int32Array(buffer, offset, size >>> 2);
    this.end = base + size;
  }
}

export interface MmioMapping {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  readonly end: number;
  readonly handler: MmioHandler;
  /** Accesses dispatched to the handler since the machine last collected them (./activity.ts). */
  hits: number;
}

export interface MappingInfo {
  name: string;
  base: number;
  size: number;
  kind: 'ram' | 'rom' | 'mmio';
}

/**
 * One address space (a CPU's view of the bus). Addresses are unsigned 32-bit numbers
 * (callers pass `addr >>> 0`).
 */
export class AddressSpace {
  readonly ram: RamMapping[] = [];
  readonly mmio: MmioMapping[] = [];
  /** Called after any store that lands in RAM (used by CPUs to invalidate decoded code). */
  readonly ramWriteListeners: Array<(address: number, size: number) => void> = [];
  private lastRam: RamMapping | undefined;
  /**
   * The last gap found between mappings, [holeStart, holeEnd): no byte of it is mapped, so an
   * access inside it misses without searching every mapping (a guest faulting on the same unmapped
   * address at every step asks again and again). Empty (0, 0) until a miss, and again whenever a
   * mapping is added.
   */
  private holeStart = 0;
  private holeEnd = 0;
  private codeChunkBits: Uint32Array | undefined;

  constructor(
    readonly name: string,
    /** The machine's guest arena: the code-chunk map lives in it, and RAM from it is reachable by generated code. */
    readonly arena?: GuestArena,
  ) {}

  /**
   * Where CPUs may hold decoded instructions: one 32-bit word per 4 KiB page of the 32-bit space,
   * bit k set while some CPU may hold code decoded from bytes [128k, 128k + 128) of that page
   * (CODE_CHUNK_SHIFT). CPUs store to RAM through the typed arrays directly (not through `store`);
   * they test this map on every such store and call `notifyRamWrite` when the bit is set, so every
   * CPU sharing this space sees writes to code. Bits are never cleared.
   */
  get codeChunks(): Uint32Array {
    if (this.codeChunkBits === undefined) {
      const block = this.arena?.allocate(4 << 20, 4);
      this.codeChunkBits = block === undefined ? new Uint32Array(1 << 20) : new Uint32Array(block.buffer, block.byteOffset, 1 << 20);
    }
    return this.codeChunkBits;
  }

  /** Where codeChunks starts in the arena (-1: not in it). */
  get codeChunksArenaOffset(): number {
    const bits = this.codeChunks;
    return this.arena?.holds(bits.buffer) === true ? bits.byteOffset : -1;
  }

  /** Report a write to RAM that did not go through `store` or `writeBytes` to the ramWriteListeners. */
  notifyRamWrite(address: number, size: number): void {
    for (const listener of this.ramWriteListeners) listener(address >>> 0, size);
  }

  mapRam(name: string, base: number, buffer: ArrayBufferLike, size: number, readOnly = false, offset = 0): RamMapping {
    this.checkFree(name, base, size);
    const arenaOffset = this.arena?.holds(buffer) === true ? offset : -1;
    const mapping = new RamMapping(name, base >>> 0, size, buffer, readOnly, offset, arenaOffset);
    this.ram.push(mapping);
    this.forgetHole();
    return mapping;
  }

  /** Map device registers; `offset` is where in the device's window this mapping starts (aliases). */
  mapMmio(name: string, base: number, size: number, handler: MmioHandler, offset = 0): MmioMapping {
    this.checkFree(name, base, size);
    const target: MmioHandler =
      offset === 0 ? handler : { read: (o, s) => handler.read(o + offset, s), write: (o, v, s) => handler.write(o + offset, v, s) };
    const mapping: MmioMapping = { name, base: base >>> 0, size, end: (base >>> 0) + size, handler: target, hits: 0 };
    this.mmio.push(mapping);
    this.forgetHole();
    return mapping;
  }

  /** Every mapping in address order. */
  describe(): MappingInfo[] {
    const all: MappingInfo[] = [
      ...this.ram.map((r) => ({ name: r.name, base: r.base, size: r.size, kind: r.readOnly ? ('rom' as const) : ('ram' as const) })),
      ...this.mmio.map((m) => ({ name: m.name, base: m.base, size: m.size, kind: 'mmio' as const })),
    ];
    return all.sort((a, b) => a.base - b.base);
  }

  /** The RAM/ROM mapping holding [address, address+size), if any. */
  findRam(address: number, size = 1): RamMapping | undefined {
    const last = this.lastRam;
    if (last !== undefined && address >= last.base && address + size <= last.end) return last;
    for (const r of this.ram) {
      if (address >= r.base && address + size <= r.end) {
        this.lastRam = r;
        return r;
      }
    }
    return undefined;
  }

  private findMmio(address: number, size: number): MmioMapping | undefined {
    for (const m of this.mmio) if (address >= m.base && address + size <= m.end) return m;
    return undefined;
  }

  /** Load an unsigned value of `size` bytes (little-endian). Throws BusFault when nothing is mapped. */
  load(address: number, size: AccessSize, kind: AccessKind = 'read'): number {
    const value = this.tryLoad(address, size);
    if (value < 0) throw new BusFault(address >>> 0, kind, size);
    return value;
  }

  /**
   * As load, but -1 when nothing is mapped: CPUs take an access fault without building a BusFault
   * (an Error, with a stack trace) each time. A device may still throw one to refuse an access.
   */
  tryLoad(address: number, size: AccessSize): number {
    address >>>= 0;
    if (address >= this.holeStart && address + size <= this.holeEnd) return -1;
    const r = this.findRam(address, size);
    if (r !== undefined) {
      r.hits++;
      const off = address - r.base;
      if (size === 4) return (off & 3) === 0 ? r.i32[off >>> 2] >>> 0 : readBytes(r.u8, off, 4);
      if (size === 2) return (off & 1) === 0 ? r.u16[off >>> 1] : readBytes(r.u8, off, 2);
      return r.u8[off];
    }
    const m = this.findMmio(address, size);
    if (m !== undefined) {
      m.hits++;
      return m.handler.read(address - m.base, size) >>> 0;
    }
    this.learnHole(address);
    return -1;
  }

  /** Store the low `size` bytes of `value` (little-endian). Throws BusFault when nothing writable is mapped. */
  store(address: number, value: number, size: AccessSize): void {
    if (!this.tryStore(address, value, size)) throw new BusFault(address >>> 0, 'write', size);
  }

  /** As store, but false when nothing writable is mapped (see tryLoad). */
  tryStore(address: number, value: number, size: AccessSize): boolean {
    address >>>= 0;
    if (address >= this.holeStart && address + size <= this.holeEnd) return false;
    const r = this.findRam(address, size);
    if (r !== undefined) {
      if (r.readOnly) return false;
      r.hits++;
      const off = address - r.base;
      if (size === 4 && (off & 3) === 0) r.i32[off >>> 2] = value;
      else if (size === 2 && (off & 1) === 0) r.u16[off >>> 1] = value;
      else if (size === 1) r.u8[off] = value;
      else writeBytes(r.u8, off, value, size);
      for (const listener of this.ramWriteListeners) listener(address, size);
      return true;
    }
    const m = this.findMmio(address, size);
    if (m !== undefined) {
      m.hits++;
      m.handler.write(address - m.base, value >>> 0, size);
      return true;
    }
    this.learnHole(address);
    return false;
  }

  /** After a miss at `address`: remember the gap around it, when it lies in one (not in a mapping the access ran past the end of). */
  private learnHole(address: number): void {
    let start = 0;
    let end = TWO_POW_32;
    for (const m of [...this.ram, ...this.mmio]) {
      if (address >= m.base && address < m.end) return;
      if (m.end <= address) start = Math.max(start, m.end);
      else end = Math.min(end, m.base);
    }
    this.holeStart = start;
    this.holeEnd = end;
  }

  private forgetHole(): void {
    this.holeStart = 0;
    this.holeEnd = 0;
  }

  /** Copy bytes into RAM or ROM (used by image loaders; ignores read-only). Throws BusFault if any byte misses. */
  writeBytes(address: number, data: Uint8Array): void {
    address >>>= 0;
    if (data.length === 0) return;
    const r = this.findRam(address, data.length);
    if (r === undefined) throw new BusFault(this.findRam(address) ? address + data.length - 1 : address, 'write', 1);
    r.u8.set(data, address - r.base);
    for (const listener of this.ramWriteListeners) listener(address, data.length);
  }

  private checkFree(name: string, base: number, size: number): void {
    const start = base >>> 0;
    const end = start + size;
    if (size <= 0 || end > 0x1_0000_0000) throw new Error(`region ${name}: [0x${start.toString(16)}, +0x${size.toString(16)}) does not fit in a 32-bit address space`);
    for (const m of this.describe()) {
      if (start < m.base + m.size && m.base < end) {
        throw new Error(`region ${name} at 0x${start.toString(16)} overlaps ${m.name} at 0x${m.base.toString(16)}`);
      }
    }
  }
}

function readBytes(u8: Uint8Array, off: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = (v << 8) | u8[off + i];
  return v >>> 0;
}

function writeBytes(u8: Uint8Array, off: number, value: number, size: number): void {
  for (let i = 0; i < size; i++) u8[off + i] = (value >>> (8 * i)) & 0xff;
}
