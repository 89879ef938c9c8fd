// A single-producer, single-consumer byte ring in a SharedArrayBuffer.
//
// The emulator worker writes every byte a UART transmits; the UI drains the ring once per animation
// frame into the terminal. No postMessage per byte, no locks: the producer owns HEAD, the consumer
// owns TAIL, both are free-running 32-bit counters (positions modulo 2^32), and the data area's
// capacity is a power of two so `position & mask` is the index.
//
// Layout: Int32 words [HEAD, TAIL, DROPPED, SESSION_START] followed by `capacity` data bytes.
// SESSION_START is where the producer's current session began (a terminal clears there); the
// page's first ring keeps it in the control words instead (./control.ts).

const HEAD = 0;
const TAIL = 1;
const DROPPED = 2;
const SESSION_START = 3;
const HEADER_BYTES = 16;

export const DEFAULT_RING_CAPACITY = 1 << 16;

export function createSerialRingBuffer(capacity = DEFAULT_RING_CAPACITY): SharedArrayBuffer {
  if (!Number.isInteger(capacity) || capacity < 2 || capacity > 1 << 30 || (capacity & (capacity - 1)) !== 0) {
    throw new Error(`serial ring capacity must be a power of two between 2 and 2^30, got ${capacity}`);
  }
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

export class SerialRing {
  readonly capacity: number;
  private readonly words: Int32Array;
  private readonly data: Uint8Array;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.data = new Uint8Array(buffer, HEADER_BYTES);
    this.capacity = this.data.length;
    if ((this.capacity & (this.capacity - 1)) !== 0 || this.capacity < 2) {
      throw new Error(`serial ring: data area of ${this.capacity} bytes is not a power of two`);
    }
    this.mask = this.capacity - 1;
  }

  /** Write position: total bytes ever written, modulo 2^32. */
  head(): number {
    return Atomics.load(this.words, HEAD) >>> 0;
  }

  /** Read position: total bytes ever consumed, modulo 2^32. */
  tail(): number {
    return Atomics.load(this.words, TAIL) >>> 0;
  }

  /** Bytes written but not yet consumed. */
  used(): number {
    return (this.head() - this.tail()) >>> 0;
  }

  free(): number {
    return this.capacity - this.used();
  }

  /** Bytes the producer had to throw away because the ring was full (only via pushOrDrop). */
  dropped(): number {
    return Atomics.load(this.words, DROPPED) >>> 0;
  }

  /** Write position at which the producer's current session began. */
  sessionStart(): number {
    return Atomics.load(this.words, SESSION_START) >>> 0;
  }

  // ---- producer ----

  /** Notes that a new session begins at write position `position` (stored before the session number changes). */
  markSessionStart(position: number): void {
    Atomics.store(this.words, SESSION_START, position | 0);
  }

  /** Appends as many of `bytes` as fit; returns how many were written. */
  write(bytes: ArrayLike<number>, start = 0, end = bytes.length): number {
    const head = Atomics.load(this.words, HEAD) >>> 0;
    const tail = Atomics.load(this.words, TAIL) >>> 0;
    const room = this.capacity - ((head - tail) >>> 0);
    const count = Math.min(room, end - start);
    for (let i = 0; i < count; i++) this.data[(head + i) & this.mask] = bytes[start + i] & 0xff;
    // The store publishes the bytes: Atomics.store is sequentially consistent, so a consumer that
    // sees the new head also sees the data written before it.
    if (count > 0) Atomics.store(this.words, HEAD, (head + count) | 0);
    return count;
  }

  /** Appends one byte; false if the ring is full. */
  push(byte: number): boolean {
    const head = Atomics.load(this.words, HEAD) >>> 0;
    const tail = Atomics.load(this.words, TAIL) >>> 0;
    if (((head - tail) >>> 0) >= this.capacity) return false;
    this.data[head & this.mask] = byte & 0xff;
    Atomics.store(this.words, HEAD, (head + 1) | 0);
    return true;
  }

  /** Appends one byte or counts it as dropped. */
  pushOrDrop(byte: number): void {
    if (!this.push(byte)) Atomics.add(this.words, DROPPED, 1);
  }

  // ---- consumer ----

  /** Removes and returns everything available (at most `max` bytes). */
  read(max = Infinity): Uint8Array {
    const head = Atomics.load(this.words, HEAD) >>> 0;
    const tail = Atomics.load(this.words, TAIL) >>> 0;
    const count = Math.min((head - tail) >>> 0, max);
    const out = new Uint8Array(count);
    const first = Math.min(count, this.capacity - (tail & this.mask));
    out.set(this.data.subarray(tail & this.mask, (tail & this.mask) + first), 0);
    if (count > first) out.set(this.data.subarray(0, count - first), first);
    if (count > 0) {
      Atomics.store(this.words, TAIL, (tail + count) | 0);
      Atomics.notify(this.words, TAIL);
    }
    return out;
  }

  /**
   * Removes everything up to write position `position` (if it lies ahead of the read position)
   * and returns it. Used to split output at a session boundary.
   */
  readUntil(position: number): Uint8Array {
    const tail = this.tail();
    const ahead = (position - tail) >>> 0;
    if (ahead === 0 || ahead > this.used()) return new Uint8Array(0);
    return this.read(ahead);
  }

  /**
   * Producer side: resolves when the consumer has taken something (or after `timeoutMs`). Lets a
   * worker whose output backs up wait for the UI without spinning.
   */
  async waitForSpace(timeoutMs: number): Promise<void> {
    const tail = Atomics.load(this.words, TAIL);
    if (this.free() > 0 && this.used() < this.capacity / 2) return;
    const result = Atomics.waitAsync(this.words, TAIL, tail, timeoutMs);
    if (result.async) await result.value;
  }
}
