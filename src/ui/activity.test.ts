import { describe, expect, it } from 'vitest';
import { resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import { ActivityTracker, IRQ_HOLD_MS, MAPPING_PULSE_MS, type ActivitySource } from './activity.ts';

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

const board = resolved({
  boardlab: 1,
  name: 'tracked',
  objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram' }, uart0: { type: 'ns16550a' }, b0: { type: 'button' }, l0: { type: 'led' } },
  memory: [
    { map: 'ram.mem', at: '0x80000000' },
    { map: 'uart0.regs', at: '0x10000000' },
  ],
  irqs: [{ from: 'b0.out', to: 'l0.in' }, { from: 'uart0.irq', to: 'cpu0.meip' }],
});

/** Shared words as the worker leaves them: IRQ slots (bit 0 level, bits 1.. rises) and hit counters. */
class Words implements ActivitySource {
  irq = [0, 0];
  hits = [0, 0];
  irqSlot(wire: number): number {
    return this.irq[wire] ?? 0;
  }
  mappingHits(mapping: number): number {
    return this.hits[mapping] ?? 0;
  }
}

describe('activity tracker', () => {
  it('lights a wire while its line is high, and holds a short rise long enough to be seen', () => {
    const words = new Words();
    const tracker = new ActivityTracker();
    expect(tracker.sample(words, board, 0)).toEqual({ irqLit: [false, false], mappingBusy: [false, false] });
    expect(tracker.sample(words, board, 16)).toBeNull(); // nothing changed: no new flags

    words.irq[0] = 3; // high, risen once
    expect(tracker.sample(words, board, 32)?.irqLit).toEqual([true, false]);
    words.irq[0] = 2; // low again, still risen once: shown lit until the hold after the rise ends
    expect(tracker.sample(words, board, 48)).toBeNull();
    expect(tracker.sample(words, board, 32 + IRQ_HOLD_MS)?.irqLit).toEqual([false, false]);
    words.irq[0] = 5; // high again (a second rise), and it stays high past the hold
    expect(tracker.sample(words, board, 1000)?.irqLit).toEqual([true, false]);
    expect(tracker.sample(words, board, 1000 + 2 * IRQ_HOLD_MS)).toBeNull();
    words.irq[0] = 4;
    expect(tracker.sample(words, board, 1000 + 2 * IRQ_HOLD_MS + 16)?.irqLit).toEqual([false, false]);

    // Raised and lowered between two frames: only the rise count tells, and the wire shows lit for a while.
    words.irq[1] = 2;
    expect(tracker.sample(words, board, 2000)?.irqLit).toEqual([false, true]);
    expect(tracker.sample(words, board, 2000 + IRQ_HOLD_MS - 1)).toBeNull();
    expect(tracker.sample(words, board, 2000 + IRQ_HOLD_MS)?.irqLit).toEqual([false, false]);
  });

  it('pulses a mapping when its counter changed since the last frame, and lets the pulse decay', () => {
    const words = new Words();
    const tracker = new ActivityTracker();
    words.hits = [5, 7]; // activity before the board was first sampled does not pulse
    expect(tracker.sample(words, board, 0)?.mappingBusy).toEqual([false, false]);
    words.hits[1] = 8;
    expect(tracker.sample(words, board, 10)?.mappingBusy).toEqual([false, true]);
    words.hits[1] = 9; // touched again: keeps pulsing, no new flags
    expect(tracker.sample(words, board, 20)).toBeNull();
    expect(tracker.sample(words, board, 20 + MAPPING_PULSE_MS)?.mappingBusy).toEqual([false, false]);
  });

  it('starts over for another board', () => {
    const words = new Words();
    const tracker = new ActivityTracker();
    tracker.sample(words, board, 0);
    words.hits[0] = 1;
    const other = resolved({ boardlab: 1, name: 'other', objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram' } }, memory: [{ map: 'ram.mem', at: '0x80000000' }] });
    expect(tracker.sample(words, other, 10)).toEqual({ irqLit: [], mappingBusy: [false] });
    expect(tracker.sample(words, null, 20)).toEqual({ irqLit: [], mappingBusy: [] });
  });
});
