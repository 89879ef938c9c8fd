// Live activity on the graphs: which IRQ wires to draw lit and which memory mappings to pulse, from
// the shared activity words (../workers/activity.ts), sampled once per animation frame.
//
// Both are held a little longer than what they show lasts, so a human can see them:
//   - an IRQ wire is lit while its line is high, and for IRQ_HOLD_MS after the frame that saw it
//     rise (a UART interrupt is often raised and cleared by the guest within one run slice, long
//     before the next frame);
//   - a mapping pulses for MAPPING_PULSE_MS after the frame that saw its hit counter change; a
//     region touched frame after frame pulses on.
// The flags live in a small store of their own: an edge subscribes to its own flag and re-renders
// only when that flag flips, never the whole graph and never every frame.
import { useCallback } from 'react';
import { create } from 'zustand';
import type { ResolvedBoard } from '../graph/index.ts';

export const IRQ_HOLD_MS = 300;
export const MAPPING_PULSE_MS = 450;

/** What the tracker reads (the UI's ActivityReader over the shared words). */
export interface ActivitySource {
  irqSlot(wire: number): number;
  mappingHits(mapping: number): number;
}

export interface ActivityFlags {
  /** By index into board.irqs: draw the wire lit. */
  irqLit: readonly boolean[];
  /** By index into board.memory: the mapping's edge pulses. */
  mappingBusy: readonly boolean[];
}

/** Turns the shared words into flags, frame by frame, for one board at a time. */
export class ActivityTracker {
  private board: ResolvedBoard | null = null;
  private irqSeen = new Int32Array(0);
  private irqUntil = new Float64Array(0);
  private hitsSeen = new Int32Array(0);
  private busyUntil = new Float64Array(0);
  private flags: ActivityFlags = { irqLit: [], mappingBusy: [] };

  /**
   * Samples the words for `board` at time `now` (ms). Returns new flags when any flag changed, or
   * null. The first sample after a board change only learns the counters: nothing lights for
   * activity that happened before.
   */
  sample(source: ActivitySource, board: ResolvedBoard | null, now: number): ActivityFlags | null {
    if (board !== this.board) return this.start(source, board);
    if (board === null) return null;
    // Copied only when a flag flips: most frames change nothing and allocate nothing.
    let irqLit: boolean[] | null = null;
    const wires = this.irqSeen.length;
    for (let wire = 0; wire < wires; wire++) {
      const slot = source.irqSlot(wire);
      // A rise since the last frame: the slot's rise count (bits 1..) moved on.
      if (slot >>> 1 !== this.irqSeen[wire] >>> 1) this.irqUntil[wire] = now + IRQ_HOLD_MS;
      this.irqSeen[wire] = slot;
      const lit = (slot & 1) !== 0 || now < this.irqUntil[wire];
      if (lit !== this.flags.irqLit[wire]) (irqLit ??= this.flags.irqLit.slice())[wire] = lit;
    }
    let mappingBusy: boolean[] | null = null;
    const mappings = this.hitsSeen.length;
    for (let mapping = 0; mapping < mappings; mapping++) {
      const hits = source.mappingHits(mapping);
      if (hits !== this.hitsSeen[mapping]) this.busyUntil[mapping] = now + MAPPING_PULSE_MS;
      this.hitsSeen[mapping] = hits;
      const busy = now < this.busyUntil[mapping];
      if (busy !== this.flags.mappingBusy[mapping]) (mappingBusy ??= this.flags.mappingBusy.slice())[mapping] = busy;
    }
    if (irqLit === null && mappingBusy === null) return null;
    this.flags = { irqLit: irqLit ?? this.flags.irqLit, mappingBusy: mappingBusy ?? this.flags.mappingBusy };
    return this.flags;
  }

  private start(source: ActivitySource, board: ResolvedBoard | null): ActivityFlags {
    this.board = board;
    const wires = board?.irqs.length ?? 0;
    const mappings = board?.memory.length ?? 0;
    this.irqSeen = Int32Array.from({ length: wires }, (_, wire) => source.irqSlot(wire));
    this.irqUntil = new Float64Array(wires);
    this.hitsSeen = Int32Array.from({ length: mappings }, (_, mapping) => source.mappingHits(mapping));
    this.busyUntil = new Float64Array(mappings);
    this.flags = { irqLit: Array.from(this.irqSeen, (slot) => (slot & 1) !== 0), mappingBusy: new Array<boolean>(mappings).fill(false) };
    return this.flags;
  }
}

/** The flags of the running board (written once per frame by the run session, only on change). */
export const useActivity = create<ActivityFlags>()(() => ({ irqLit: [], mappingBusy: [] }));

const tracker = new ActivityTracker();

/** Called every animation frame with the running board (the run session's frame loop). */
export function sampleActivity(source: ActivitySource, board: ResolvedBoard | null, now: number): void {
  const flags = tracker.sample(source, board, now);
  if (flags) useActivity.setState(flags);
}

/** True while any of the IRQ wires (indices into board.irqs) is drawn lit. */
export function useIrqWiresLit(wires: readonly number[] | undefined): boolean {
  const select = useCallback((state: ActivityFlags) => wires !== undefined && wires.some((wire) => state.irqLit[wire] === true), [wires]);
  return useActivity(select);
}

/** True while the mapping (index into board.memory) pulses. */
export function useMappingBusy(mapping: number | undefined): boolean {
  return useActivity((state) => mapping !== undefined && state.mappingBusy[mapping] === true);
}
