import { describe, expect, it } from 'vitest';
import { createSerialRingBuffer, SerialRing } from './serial-ring';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe('SerialRing', () => {
  it('rejects capacities that are not powers of two', () => {
    expect(() => createSerialRingBuffer(1000)).toThrow(/power of two/);
    expect(() => createSerialRingBuffer(1)).toThrow(/power of two/);
    expect(() => createSerialRingBuffer(1024)).not.toThrow();
  });

  it('passes bytes from producer to consumer in order', () => {
    const ring = new SerialRing(createSerialRingBuffer(64));
    expect(ring.write(bytes('Hello, '))).toBe(7);
    for (const b of bytes('BoardLab!')) expect(ring.push(b)).toBe(true);
    expect(ring.used()).toBe(16);
    expect(text(ring.read())).toBe('Hello, BoardLab!');
    expect(ring.used()).toBe(0);
    expect(ring.read().length).toBe(0);
  });

  it('two views over the same buffer see the same ring (producer and consumer threads)', () => {
    const buffer = createSerialRingBuffer(16);
    const producer = new SerialRing(buffer);
    const consumer = new SerialRing(buffer);
    producer.write(bytes('abc'));
    expect(text(consumer.read())).toBe('abc');
    expect(producer.free()).toBe(16);
  });

  it('wraps around the end of the data area', () => {
    const ring = new SerialRing(createSerialRingBuffer(8));
    ring.write(bytes('123456'));
    expect(text(ring.read(4))).toBe('1234');
    ring.write(bytes('789abc'));
    expect(ring.used()).toBe(8);
    expect(text(ring.read())).toBe('56789abc');
  });

  it('refuses bytes when full and counts drops only through pushOrDrop', () => {
    const ring = new SerialRing(createSerialRingBuffer(4));
    expect(ring.write(bytes('abcdef'))).toBe(4);
    expect(ring.push(0x41)).toBe(false);
    expect(ring.dropped()).toBe(0);
    ring.pushOrDrop(0x41);
    expect(ring.dropped()).toBe(1);
    expect(text(ring.read())).toBe('abcd');
  });

  it('keeps working when the 32-bit positions wrap', () => {
    const buffer = createSerialRingBuffer(8);
    const header = new Int32Array(buffer, 0, 4);
    header[0] = -3; // head and tail 3 bytes before 2^32
    header[1] = -3;
    const ring = new SerialRing(buffer);
    expect(ring.used()).toBe(0);
    ring.write(bytes('wrapping'));
    expect(ring.used()).toBe(8);
    expect(ring.head()).toBe(5);
    expect(text(ring.read())).toBe('wrapping');
  });

  it('readUntil splits the stream at a recorded write position', () => {
    const ring = new SerialRing(createSerialRingBuffer(32));
    ring.write(bytes('old session '));
    const boundary = ring.head();
    ring.write(bytes('new'));
    expect(text(ring.readUntil(boundary))).toBe('old session ');
    expect(text(ring.readUntil(boundary))).toBe('');
    expect(text(ring.read())).toBe('new');
    // a boundary already consumed is ignored
    expect(ring.readUntil(boundary).length).toBe(0);
  });

  it('waitForSpace resolves once the consumer drains', async () => {
    const ring = new SerialRing(createSerialRingBuffer(4));
    ring.write(bytes('full'));
    const waiting = ring.waitForSpace(5_000);
    setTimeout(() => ring.read(), 10);
    const started = Date.now();
    await waiting;
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(ring.free()).toBe(4);
  });
});
