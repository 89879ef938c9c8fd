import { describe, expect, it } from 'vitest';
import { loadState, saveState } from '../state.ts';
import { SifiveTest, type FinisherEvent } from './sifive-test.ts';
import { privateRam } from './device.ts';

describe('sifive-test finisher', () => {
  it('reports pass, fail with code, and reset', () => {
    const finisher = new SifiveTest({ path: '/machine/test', props: {}, allocateRam: privateRam });
    const events: FinisherEvent[] = [];
    finisher.onRequest = (event) => events.push(event);
    finisher.write(0, 0x5555, 4);
    finisher.write(0, (7 << 16) | 0x3333, 4);
    finisher.write(0, 0x7777, 4);
    finisher.write(0, 0x1234, 4); // ignored
    finisher.write(4, 0x5555, 4); // other offsets are ignored
    expect(events).toEqual([{ kind: 'pass', code: 0 }, { kind: 'fail', code: 7 }, { kind: 'reset' }]);
    expect(finisher.regions.get('regs')?.kind).toBe('mmio');
  });
});

describe('sifive-test state', () => {
  it('has no fields: the register is write-only and acts at once', () => {
    const finisher = new SifiveTest({ path: '/machine/test', props: {}, allocateRam: privateRam });
    const saved = JSON.parse(JSON.stringify(saveState(finisher))) as ReturnType<typeof saveState>;
    expect(saved).toEqual({ name: 'sifive-test', version: 1, fields: {} });
    const fresh = new SifiveTest({ path: '/machine/test', props: {}, allocateRam: privateRam });
    loadState(fresh, saved);
    const events: FinisherEvent[] = [];
    fresh.onRequest = (event) => events.push(event);
    fresh.write(0, 0x5555, 4);
    expect(events).toEqual([{ kind: 'pass', code: 0 }]);
  });
});
