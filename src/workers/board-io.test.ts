import { describe, expect, it } from 'vitest';
import {
  adoptBoardIo,
  ButtonEvents,
  ButtonSender,
  bumpInfo,
  createBoardIo,
  InputDelivery,
  LedPublisher,
  LedReader,
  readInfoSeq,
  TerminalInput,
  type UartReceiver,
} from './board-io';
import { ControlReader, createControl, Word } from './control';
import { LSR_DR, LSR_OE, Ns16550a, UART_LSR, UART_RBR_THR } from '../engine/devices/ns16550a.ts';
import { privateRam } from '../engine/devices/device.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: number[]) => new TextDecoder().decode(new Uint8Array(data));

/** A UART receive FIFO of `depth` bytes, like the engine's Ns16550a. */
class FakeUart implements UartReceiver {
  received: number[] = [];
  fifo: number[] = [];
  overruns = 0;
  constructor(private readonly depth = 16) {}
  get receiveSpace(): number {
    return this.depth - this.fifo.length;
  }
  receive(data: Iterable<number>): number {
    let accepted = 0;
    for (const byte of data) {
      if (this.fifo.length >= this.depth) {
        this.overruns++;
        break;
      }
      this.fifo.push(byte);
      accepted++;
    }
    return accepted;
  }
  /** The guest reads everything in the FIFO. */
  drain(): void {
    this.received.push(...this.fifo);
    this.fifo = [];
  }
}

describe('board I/O buffers', () => {
  it('are SharedArrayBuffers and adoptBoardIo checks that', () => {
    const io = createBoardIo();
    expect(adoptBoardIo(io)).toBe(io);
    expect(() => adoptBoardIo({ ...io, input: new ArrayBuffer(64) as unknown as SharedArrayBuffer })).toThrow(/input must be a SharedArrayBuffer/);
  });
});

describe('terminal input ring', () => {
  it('carries typed bytes in order into the UART, never more than its FIFO has room for', () => {
    const io = createBoardIo();
    const control = createControl();
    const input = new TerminalInput(io.input, control);
    const delivery = new InputDelivery(io.input);
    const uart = new FakeUart(4);
    input.send(bytes('hello\r'));
    expect(delivery.waiting).toBe(6);
    expect(delivery.deliver(uart)).toBe(4);
    expect(text(uart.fifo)).toBe('hell');
    expect(delivery.deliver(uart)).toBe(0); // FIFO full: the rest stays queued
    expect(delivery.deliverable(uart)).toBe(false);
    expect(delivery.waiting).toBe(2);
    uart.drain();
    expect(delivery.deliverable(uart)).toBe(true);
    expect(delivery.deliver(uart)).toBe(2);
    uart.drain();
    expect(text(uart.received)).toBe('hello\r');
    expect(uart.overruns).toBe(0);
  });

  it('typing into the one-byte FIFO of riscv-virt@1.0 (the real UART model) loses nothing: one byte per delivery', () => {
    const io = createBoardIo();
    const input = new TerminalInput(io.input, createControl());
    const delivery = new InputDelivery(io.input);
    const uart = new Ns16550a({ path: '/machine/uart0', props: { 'fifo-depth': 1 }, allocateRam: privateRam });
    input.send(bytes('ls -l\r'));
    const received: number[] = [];
    for (let slice = 0; slice < 20 && received.length < 6; slice++) {
      expect(delivery.deliver(uart)).toBeLessThanOrEqual(1);
      while (uart.read(UART_LSR, 1) & LSR_DR) received.push(uart.read(UART_RBR_THR, 1));
    }
    expect(text(received)).toBe('ls -l\r');
    expect(uart.read(UART_LSR, 1) & LSR_OE).toBe(0);
  });

  it('rings the control doorbell so a sleeping worker wakes', async () => {
    const io = createBoardIo();
    const control = createControl();
    const reader = new ControlReader(control);
    reader.takeRequests();
    const input = new TerminalInput(io.input, control);
    const woke = reader.waitForRequest(5_000);
    const before = Atomics.load(control, Word.DOORBELL);
    input.send(bytes('x'));
    expect(Atomics.load(control, Word.DOORBELL)).toBe(before + 1);
    await woke;
    expect(reader.changed()).toBe(true);
  });

  it('keeps a paste longer than the ring in the page and loses nothing', () => {
    const io = createBoardIo(64);
    const control = createControl();
    const input = new TerminalInput(io.input, control);
    const delivery = new InputDelivery(io.input);
    const uart = new FakeUart(16);
    const paste = Array.from({ length: 1000 }, (_, i) => String.fromCharCode(33 + (i % 90))).join('');
    input.send(bytes(paste.slice(0, 10)));
    input.send(bytes(paste.slice(10)));
    expect(input.inFlight).toBe(64);
    expect(input.waiting).toBe(1000 - 64);
    // The page flushes once per frame; the worker delivers between slices; the guest reads.
    for (let round = 0; round < 500 && uart.received.length < 1000; round++) {
      input.flush();
      delivery.deliver(uart);
      uart.drain();
    }
    expect(text(uart.received)).toBe(paste);
    expect(input.waiting + input.inFlight).toBe(0);
    expect(uart.overruns).toBe(0);
  });

  it('drops input without a UART, and discard() forgets what was typed for an old session', () => {
    const io = createBoardIo();
    const input = new TerminalInput(io.input, createControl());
    const delivery = new InputDelivery(io.input);
    input.send(bytes('abc'));
    expect(delivery.deliver(undefined)).toBe(0);
    expect(delivery.waiting).toBe(0);
    input.send(bytes('def'));
    delivery.discard();
    const uart = new FakeUart();
    expect(delivery.deliver(uart)).toBe(0);
    input.send(bytes('g'));
    input.clear(); // nothing was waiting in the page: 'g' is already in the ring
    delivery.deliver(uart);
    expect(text(uart.fifo)).toBe('g');
  });

  it('two views of one buffer (page and worker) see the same ring, across wrap-around', () => {
    const io = createBoardIo(8);
    const input = new TerminalInput(io.input, createControl());
    const delivery = new InputDelivery(io.input);
    const uart = new FakeUart(3);
    const all: number[] = [];
    for (let i = 0; i < 20; i++) {
      input.send(bytes(`${i % 10}${i % 10}`));
      input.flush();
      delivery.deliver(uart);
      all.push(...uart.fifo);
      uart.fifo = [];
    }
    while (delivery.waiting > 0 || input.waiting > 0) {
      input.flush();
      delivery.deliver(uart);
      all.push(...uart.fifo);
      uart.fifo = [];
    }
    expect(text(all)).toBe(Array.from({ length: 20 }, (_, i) => `${i % 10}${i % 10}`).join(''));
  });
});

describe('LED words', () => {
  it('report levels, and a flash between two frames still shows once', () => {
    const io = createBoardIo();
    const publisher = new LedPublisher(io.words);
    const reader = new LedReader(io.words);
    expect(reader.sample(3)).toEqual([false, false, false]);
    expect(reader.sample(3)).toBeNull(); // nothing changed
    publisher.set(1, true);
    expect(reader.sample(3)).toEqual([false, true, false]);
    expect(reader.sample(3)).toBeNull();
    // led 2 flashes on and off between two frames; led 1 goes off
    publisher.set(2, true);
    publisher.set(2, false);
    publisher.set(1, false);
    expect(reader.sample(3)).toEqual([false, false, true]);
    expect(reader.sample(3)).toEqual([false, false, false]);
    expect(reader.sample(3)).toBeNull();
  });

  it('count how often each LED turned on, however fast it blinks', () => {
    const io = createBoardIo();
    const publisher = new LedPublisher(io.words);
    const reader = new LedReader(io.words);
    for (let i = 0; i < 1000; i++) {
      publisher.set(0, true);
      publisher.set(0, true); // no change: not counted
      publisher.set(0, false);
    }
    publisher.set(3, true);
    expect(reader.onCount(0)).toBe(1000);
    expect(reader.onCount(3)).toBe(1);
    expect(reader.onCount(1)).toBe(0);
    publisher.clear();
    expect(reader.onCount(0)).toBe(0);
  });

  it('handles LEDs beyond the first word, and clear() turns all off', () => {
    const io = createBoardIo();
    const publisher = new LedPublisher(io.words);
    const reader = new LedReader(io.words);
    publisher.set(40, true);
    publisher.set(255, true);
    publisher.set(256, true); // beyond MAX_LEDS: ignored
    const shown = reader.sample(256)!;
    expect(shown.flatMap((lit, i) => (lit ? [i] : []))).toEqual([40, 255]);
    publisher.clear();
    expect(reader.sample(256)!.some(Boolean)).toBe(false);
  });
});

describe('button events', () => {
  it('reach the buttons in order, each button changing at most once per batch', () => {
    const io = createBoardIo();
    const control = createControl();
    const sender = new ButtonSender(io.buttons, control);
    const events = new ButtonEvents(io.buttons);
    const log: string[] = [];
    const buttons = [0, 1].map((i) => ({ setPressed: (down: boolean) => log.push(`${i}${down ? 'v' : '^'}`) }));
    const before = Atomics.load(control, Word.DOORBELL);
    sender.press(0);
    sender.press(1);
    sender.release(0); // a click shorter than a slice
    sender.release(1);
    expect(Atomics.load(control, Word.DOORBELL)).toBe(before + 4);
    expect(events.apply(buttons)).toBe(2);
    expect(log).toEqual(['0v', '1v']);
    expect(events.waiting).toBe(2);
    expect(events.apply(buttons)).toBe(2);
    expect(log).toEqual(['0v', '1v', '0^', '1^']);
    expect(events.apply(buttons)).toBe(0);
  });

  it('ignores indices without a button, and discard() drops pending events', () => {
    const io = createBoardIo();
    const sender = new ButtonSender(io.buttons, createControl());
    const events = new ButtonEvents(io.buttons);
    const pressed: boolean[] = [];
    const buttons = [{ setPressed: (down: boolean) => pressed.push(down) }];
    sender.press(5);
    sender.press(-1);
    sender.press(1000);
    expect(events.apply(buttons)).toBe(1);
    expect(pressed).toEqual([]);
    sender.press(0);
    events.discard();
    expect(events.apply(buttons)).toBe(0);
    expect(pressed).toEqual([]);
  });
});

describe('info sequence', () => {
  it('counts changes the worker announces', () => {
    const io = createBoardIo();
    expect(readInfoSeq(io.words)).toBe(0);
    bumpInfo(io.words);
    bumpInfo(io.words);
    expect(readInfoSeq(io.words)).toBe(2);
  });
});
