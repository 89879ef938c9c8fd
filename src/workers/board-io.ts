// Shared device I/O between the UI thread and the emulator worker, beside the control words
// (./control.ts) and the serial output ring (./serial-ring.ts). Nothing here travels as a message:
//
//   terminal input   UI → worker   a byte ring (SerialRing, the UI produces). The worker moves bytes
//                                  into the first UART's receive FIFO between run slices, only as
//                                  many as the FIFO has room for; the rest waits in the ring, and
//                                  what does not fit in the ring waits in the UI (TerminalInput), so
//                                  a long paste loses nothing.
//   button events    UI → worker   a byte ring of (index << 1 | down). The worker applies them between
//                                  slices, each button changing at most once per slice, so a click
//                                  shorter than a slice is still seen by the guest as a press.
//   LED levels       worker → UI   bitmask words: LEVEL (lit now) and LATCH (lit at any moment since
//                                  the UI last looked), so a flash shorter than a frame still shows;
//                                  and per LED a count of times it lit (a guest that blinks faster
//                                  than frames can show still shows that it blinks).
//   INFO_SEQ         worker → UI   bumped when the engine's events or life-cycle states changed; the
//                                  UI then asks for them (a comlink call, never in the hot loop).
//
// After writing input or a button event the UI rings the control doorbell, which wakes a worker
// that sleeps because its guest waits for an interrupt.
import { wake } from './control.ts';
import { createSerialRingBuffer, SerialRing } from './serial-ring.ts';
import { createActivityBuffer } from './activity.ts';

/** LEDs and buttons beyond these counts are not shown (their devices still work). */
export const MAX_LEDS = 256;
export const MAX_BUTTONS = 128;

const LED_WORDS = MAX_LEDS / 32;
export const IoWord = {
  /** LED_LEVEL .. +7: bit i of the mask = LED i is lit now. */
  LED_LEVEL: 0,
  /** LED_LATCH .. +7: bit i = LED i was lit at some moment since the UI last took the latch. */
  LED_LATCH: LED_WORDS,
  /** Bumped by the worker whenever an LED changes (cheap "anything new?" check for the UI). */
  LED_SEQ: 2 * LED_WORDS,
  /** Bumped by the worker when machine events or life-cycle states changed. */
  INFO_SEQ: 2 * LED_WORDS + 1,
  /** LED_ON_COUNT + i: how many times LED i turned on since the board was loaded. */
  LED_ON_COUNT: 32,
} as const;
const IO_WORDS = 32 + MAX_LEDS;

export const INPUT_RING_CAPACITY = 1 << 14;
const BUTTON_RING_CAPACITY = 256;

/** The SharedArrayBuffers, created by the UI and handed to the worker once (cloned, never transferred). */
export interface BoardIoBuffers {
  words: SharedArrayBuffer;
  input: SharedArrayBuffer;
  buttons: SharedArrayBuffer;
  /** IRQ wire levels and memory hits for the graphs (./activity.ts). */
  activity: SharedArrayBuffer;
}

export function createBoardIo(inputCapacity = INPUT_RING_CAPACITY): BoardIoBuffers {
  return {
    words: new SharedArrayBuffer(IO_WORDS * 4),
    input: createSerialRingBuffer(inputCapacity),
    buttons: createSerialRingBuffer(BUTTON_RING_CAPACITY),
    activity: createActivityBuffer(),
  };
}

export function adoptBoardIo(io: BoardIoBuffers): BoardIoBuffers {
  for (const [name, buffer] of Object.entries(io)) {
    if (!(buffer instanceof SharedArrayBuffer)) throw new Error(`board I/O: ${name} must be a SharedArrayBuffer`);
  }
  if (io.words.byteLength < IO_WORDS * 4) throw new Error(`board I/O: words need ${IO_WORDS * 4} bytes, got ${io.words.byteLength}`);
  return io;
}

// ---- terminal input ---------------------------------------------------------------------------

/** UI side: bytes typed or pasted into the terminal, on their way to the guest's UART. */
export class TerminalInput {
  private readonly ring: SerialRing;
  /** Bytes the ring had no room for yet, oldest first. */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly control: Int32Array,
  ) {
    this.ring = new SerialRing(buffer);
  }

  /** Queues `bytes` for the guest and wakes the worker. Never drops anything. */
  send(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
    this.flush();
  }

  /** Moves what waits in the UI into the ring (call once per animation frame). */
  flush(): void {
    let moved = 0;
    while (this.pending.length > 0) {
      const head = this.pending[0];
      const written = this.ring.write(head);
      moved += written;
      if (written < head.length) {
        this.pending[0] = head.subarray(written);
        break;
      }
      this.pending.shift();
    }
    this.pendingBytes -= moved;
    if (moved > 0) wake(this.control);
  }

  /** Bytes not yet in the ring (waiting in the UI). */
  get waiting(): number {
    return this.pendingBytes;
  }

  /** Bytes in the ring the worker has not taken yet. */
  get inFlight(): number {
    return this.ring.used();
  }

  /** Forgets input that did not reach the ring (a new board was loaded). */
  clear(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** What input delivery needs of a UART (the engine's Ns16550a has it). */
export interface UartReceiver {
  readonly receiveSpace: number;
  receive(bytes: Iterable<number>): number;
}

/** Worker side: moves typed bytes from the ring into `uart`, as many as its FIFO takes. */
export class InputDelivery {
  private readonly ring: SerialRing;

  constructor(buffer: SharedArrayBuffer) {
    this.ring = new SerialRing(buffer);
  }

  /** Bytes waiting for the guest. */
  get waiting(): number {
    return this.ring.used();
  }

  /** Delivers what fits; returns how many bytes went in. Without a UART, input is dropped. */
  deliver(uart: UartReceiver | undefined): number {
    if (this.ring.used() === 0) return 0;
    if (uart === undefined) {
      this.ring.read();
      return 0;
    }
    const room = uart.receiveSpace;
    if (room <= 0) return 0;
    const bytes = this.ring.read(room);
    const accepted = uart.receive(bytes);
    // receive() takes at most receiveSpace bytes, so this cannot happen; if a UART ever refuses
    // part of what it said it had room for, those bytes are lost rather than reordered.
    return accepted;
  }

  /** True when delivery could make progress now. */
  deliverable(uart: UartReceiver | undefined): boolean {
    return this.ring.used() > 0 && (uart === undefined || uart.receiveSpace > 0);
  }

  /** Drops everything typed so far (a new guest session begins). */
  discard(): void {
    this.ring.read();
  }
}

// ---- LEDs -------------------------------------------------------------------------------------

function ledWord(index: number): [number, number] {
  return [index >>> 5, 1 << (index & 31)];
}

/** Worker side: publishes LED levels. */
export class LedPublisher {
  private readonly words: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  set(index: number, lit: boolean): void {
    if (index < 0 || index >= MAX_LEDS) return;
    const [word, bit] = ledWord(index);
    if (lit) {
      const was = Atomics.or(this.words, IoWord.LED_LEVEL + word, bit);
      Atomics.or(this.words, IoWord.LED_LATCH + word, bit);
      if ((was & bit) === 0) Atomics.add(this.words, IoWord.LED_ON_COUNT + index, 1);
    } else {
      Atomics.and(this.words, IoWord.LED_LEVEL + word, ~bit);
    }
    Atomics.add(this.words, IoWord.LED_SEQ, 1);
  }

  /** All LEDs off and counts zero (before a new board's LEDs report). */
  clear(): void {
    for (let w = 0; w < LED_WORDS; w++) {
      Atomics.store(this.words, IoWord.LED_LEVEL + w, 0);
      Atomics.store(this.words, IoWord.LED_LATCH + w, 0);
    }
    for (let i = 0; i < MAX_LEDS; i++) Atomics.store(this.words, IoWord.LED_ON_COUNT + i, 0);
    Atomics.add(this.words, IoWord.LED_SEQ, 1);
  }
}

/** UI side: which LEDs to show lit this frame. */
export class LedReader {
  private readonly words: Int32Array;
  private seenSeq = -1;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  /**
   * LEDs lit now or at any moment since the last call (so a blink shorter than a frame shows), as
   * an array of `count` booleans; null when nothing changed since the last call.
   */
  sample(count: number): boolean[] | null {
    const seq = Atomics.load(this.words, IoWord.LED_SEQ);
    if (seq === this.seenSeq) return null;
    const shown: boolean[] = [];
    const n = Math.min(count, MAX_LEDS);
    const masks: number[] = [];
    for (let w = 0; w * 32 < n; w++) {
      // Take the latch, then read the level: an LED that lit and went dark in between shows lit.
      const latched = Atomics.exchange(this.words, IoWord.LED_LATCH + w, 0);
      masks.push(latched | Atomics.load(this.words, IoWord.LED_LEVEL + w));
    }
    for (let i = 0; i < n; i++) shown.push((masks[i >>> 5] & (1 << (i & 31))) !== 0);
    // A latch taken this frame may still hold an LED that is dark now: look again next frame.
    let latchedDark = false;
    for (let w = 0; w < masks.length; w++) if (masks[w] !== Atomics.load(this.words, IoWord.LED_LEVEL + w)) latchedDark = true;
    this.seenSeq = latchedDark ? -1 : seq;
    return shown;
  }

  /** How many times LED `index` turned on since the board was loaded. */
  onCount(index: number): number {
    return index >= 0 && index < MAX_LEDS ? Atomics.load(this.words, IoWord.LED_ON_COUNT + index) : 0;
  }

  /** Forget what was seen (the next sample reports the current levels). */
  invalidate(): void {
    this.seenSeq = -1;
  }
}

// ---- buttons ----------------------------------------------------------------------------------

/** UI side: presses and releases, in order. */
export class ButtonSender {
  private readonly ring: SerialRing;
  /** Events the (small) ring had no room for. */
  private pending: number[] = [];

  constructor(
    buffer: SharedArrayBuffer,
    private readonly control: Int32Array,
  ) {
    this.ring = new SerialRing(buffer);
  }

  press(index: number): void {
    this.send(index, true);
  }

  release(index: number): void {
    this.send(index, false);
  }

  private send(index: number, down: boolean): void {
    if (!Number.isInteger(index) || index < 0 || index >= MAX_BUTTONS) return;
    this.pending.push((index << 1) | (down ? 1 : 0));
    this.flush();
  }

  /** Moves held-back events into the ring (call once per animation frame). */
  flush(): void {
    let moved = 0;
    while (this.pending.length > 0 && this.ring.push(this.pending[0])) {
      this.pending.shift();
      moved++;
    }
    if (moved > 0) wake(this.control);
  }

  clear(): void {
    this.pending = [];
  }
}

/** What applying button events needs of a button (the engine's Button has it). */
export interface PressableButton {
  setPressed(pressed: boolean): void;
}

/** Worker side: applies button events to the machine's buttons (by index). */
export class ButtonEvents {
  private readonly ring: SerialRing;
  /** Events taken from the ring but not applied yet, oldest first. */
  private queue: number[] = [];

  constructor(buffer: SharedArrayBuffer) {
    this.ring = new SerialRing(buffer);
  }

  /** Events waiting to be applied. */
  get waiting(): number {
    return this.queue.length + this.ring.used();
  }

  /**
   * Applies waiting events in order, stopping before the second change of any one button: the
   * guest gets at least one slice with each state. Returns how many events were applied.
   */
  apply(buttons: readonly PressableButton[]): number {
    if (this.ring.used() > 0) for (const event of this.ring.read()) this.queue.push(event);
    if (this.queue.length === 0) return 0;
    const changed = new Set<number>();
    let applied = 0;
    while (applied < this.queue.length) {
      const event = this.queue[applied];
      const index = event >>> 1;
      if (changed.has(index)) break;
      changed.add(index);
      buttons[index]?.setPressed((event & 1) === 1);
      applied++;
    }
    this.queue.splice(0, applied);
    return applied;
  }

  discard(): void {
    this.ring.read();
    this.queue = [];
  }
}

// ---- info sequence ----------------------------------------------------------------------------

export function bumpInfo(buffer: SharedArrayBuffer): void {
  Atomics.add(new Int32Array(buffer), IoWord.INFO_SEQ, 1);
}

export function readInfoSeq(buffer: SharedArrayBuffer): number {
  return Atomics.load(new Int32Array(buffer), IoWord.INFO_SEQ);
}
