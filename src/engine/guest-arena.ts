// Guest memory that generated code can address: one shared WebAssembly.Memory per machine, holding
// its RAM regions, the code-chunk maps of its address spaces and each hart's register file. The
// compiling tier (./jit/) imports this memory into every module it builds, so a guest load is one
// wasm load; the interpreter and the page read the same bytes through typed arrays on its buffer
// (a SharedArrayBuffer), so nothing is copied between the tiers or to the page.
//
// The memory grows as the machine allocates (a shared memory never moves: views made on an
// earlier `memory.buffer` stay valid), up to its maximum; a buffer handed out by the arena starts
// at arena offset 0, so a byte's offset in that buffer is its address in generated code.

const WASM_PAGE = 65536;
/** 4 GiB: the whole of a 32-bit wasm memory; reserved as address space, committed as it grows. */
const MAX_PAGES = 65536;

/** Bytes handed out by the arena: `byteLength` bytes from `byteOffset` in `buffer` (zeroed). */
export interface ArenaBlock {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
}

export class GuestArena {
  /** Bytes handed out so far (the next free offset). Offset 0 is never handed out: 0 can mean "none" in generated code. */
  private top = 64;
  /** Every buffer object the arena handed out (one per growth of the memory). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  private constructor(readonly memory: WebAssembly.Memory) {}

  /** A new arena, or undefined where shared WebAssembly memory is missing (no WebAssembly, no SharedArrayBuffer, or not cross-origin isolated). */
  static create(maxPages = MAX_PAGES): GuestArena | undefined {
    if (typeof WebAssembly === 'undefined' || typeof SharedArrayBuffer === 'undefined') return undefined;
    try {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: maxPages, shared: true });
      if (!(memory.buffer instanceof SharedArrayBuffer)) return undefined;
      return new GuestArena(memory);
    } catch {
      return undefined;
    }
  }

  /** `bytes` zeroed bytes aligned to `align` (a power of two), or undefined when the memory cannot grow that far. */
  allocate(bytes: number, align = 8): ArenaBlock | undefined {
    // Arithmetic, not `& -align`: offsets reach 4 GiB, past what 32-bit bitwise operators keep.
    const start = Math.ceil(this.top / align) * align;
    const end = start + bytes;
    if (!Number.isSafeInteger(end) || end > MAX_PAGES * WASM_PAGE) return undefined;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      try {
        this.memory.grow(Math.ceil((end - have) / WASM_PAGE));
      } catch {
        return undefined;
      }
    }
    this.top = end;
    const buffer = this.memory.buffer as unknown as SharedArrayBuffer;
    this.buffers.add(buffer);
    return { buffer, byteOffset: start, byteLength: bytes };
  }

  /** True when `buffer` is one the arena handed out: an offset into it is an arena offset. */
  holds(buffer: ArrayBufferLike): boolean {
    return this.buffers.has(buffer);
  }

  /** Bytes handed out so far. */
  get size(): number {
    return this.top;
  }
}
