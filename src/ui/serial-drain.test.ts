import { describe, expect, it } from 'vitest';
import { beginSession, createControl, readControl } from '../workers/control';
import { createSerialRingBuffer, SerialRing } from '../workers/serial-ring';
import { SerialDrain, type SerialSink } from './serial-drain';

function setup() {
  const ring = new SerialRing(createSerialRingBuffer(64));
  const control = createControl();
  const drain = new SerialDrain(ring, () => readControl(control));
  let screen = '';
  let clears = 0;
  const sink: SerialSink = {
    clear: () => {
      screen = '';
      clears++;
    },
    write: (bytes) => (screen += new TextDecoder().decode(bytes)),
  };
  const print = (text: string) => ring.write(new TextEncoder().encode(text));
  return { ring, control, drain, sink, print, screen: () => screen, clears: () => clears };
}

describe('SerialDrain', () => {
  it('shows output of the current session', () => {
    const t = setup();
    beginSession(t.control, t.ring.head());
    t.print('Hello, ');
    t.drain.drain(t.sink);
    t.print('BoardLab!');
    t.drain.drain(t.sink);
    expect(t.screen()).toBe('Hello, BoardLab!');
    expect(t.clears()).toBe(1);
  });

  it('drops what the old session printed when a reset comes before the UI drained it', () => {
    const t = setup();
    beginSession(t.control, t.ring.head());
    t.print('first run ');
    t.drain.drain(t.sink);
    t.print('still first ');
    beginSession(t.control, t.ring.head());
    t.print('second run');
    t.drain.drain(t.sink);
    expect(t.screen()).toBe('second run');
  });

  it('a reset that lands between reading the bytes and reading the session words loses nothing', () => {
    const ring = new SerialRing(createSerialRingBuffer(64));
    const control = createControl();
    let resetDuringNextDrain = false;
    const drain = new SerialDrain(ring, () => {
      if (resetDuringNextDrain) {
        // the worker resets and prints right after the UI read the ring
        resetDuringNextDrain = false;
        beginSession(control, ring.head());
        ring.write(new TextEncoder().encode('new'));
      }
      return readControl(control);
    });
    let screen = '';
    const sink: SerialSink = { clear: () => (screen = ''), write: (b) => (screen += new TextDecoder().decode(b)) };
    beginSession(control, ring.head());
    ring.write(new TextEncoder().encode('old '));
    drain.drain(sink);
    expect(screen).toBe('old ');
    ring.write(new TextEncoder().encode('old tail'));
    resetDuringNextDrain = true;
    drain.drain(sink);
    expect(screen).toBe('');
    drain.drain(sink);
    expect(screen).toBe('new');
  });

  it('two resets with no output in between clear only once', () => {
    const t = setup();
    beginSession(t.control, t.ring.head());
    t.drain.drain(t.sink);
    t.print('abc');
    beginSession(t.control, t.ring.head());
    t.drain.drain(t.sink);
    t.print('def');
    beginSession(t.control, t.ring.head());
    t.drain.drain(t.sink);
    expect(t.screen()).toBe('');
    beginSession(t.control, t.ring.head());
    t.print('ghi');
    t.drain.drain(t.sink);
    expect(t.screen()).toBe('ghi');
  });
});

describe('SerialDrain with a per-call limit', () => {
  it('moves at most `max` bytes per call and drops old-session bytes beyond the limit at a boundary', () => {
    const ring = new SerialRing(createSerialRingBuffer(64));
    const control = createControl();
    const drain = new SerialDrain(ring, () => readControl(control));
    let screen = '';
    const sink: SerialSink = { clear: () => (screen = ''), write: (b) => (screen += new TextDecoder().decode(b)) };
    beginSession(control, ring.head());
    ring.write(new TextEncoder().encode('abcdefgh'));
    drain.drain(sink, 3);
    expect(screen).toBe('abc');
    drain.drain(sink, 3);
    expect(screen).toBe('abcdef');
    ring.write(new TextEncoder().encode('ijkl'));
    beginSession(control, ring.head());
    ring.write(new TextEncoder().encode('new'));
    drain.drain(sink, 3); // reads "ghi", sees the boundary after "l": drops the rest of the old session
    expect(screen).toBe('');
    drain.drain(sink, 3);
    expect(screen).toBe('new');
  });
});
