// Live activity of the running board, worker → UI, through one SharedArrayBuffer beside the board
// I/O (./board-io.ts creates it with the others; it is cloned to the worker, never transferred):
//
//   IRQ wire slots   MAX_IRQ_WIRES int32 words, one per resolved IRQ wire (board.irqs order):
//                    bit 0 = the line is high now, bits 1.. = how many times it rose (wrapping).
//                    The engine writes a slot only when its line changes level.
//   Mapping hits     MAX_MAPPINGS int32 words, one per resolved memory mapping (board.memory
//                    order): sampled accesses, wrapping (what is sampled: ../engine/activity.ts).
//
// The machine writes the words itself (plain stores: one writer, aligned int32s); the runner only
// clears them and points a new machine at them when a board loads. The UI reads them every
// animation frame with Atomics.load and compares them with what it saw the frame before; it never
// writes. Wires and mappings past the capacities are not shown (the machine still runs them).
import type { ActivityTarget } from '../engine/activity.ts';

export const MAX_IRQ_WIRES = 4096;
export const MAX_MAPPINGS = 4096;
const MAPPING_HITS = MAX_IRQ_WIRES;
const ACTIVITY_WORDS = MAX_IRQ_WIRES + MAX_MAPPINGS;

export function createActivityBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(ACTIVITY_WORDS * 4);
}

/** What the runner needs of a machine to publish its activity (src/engine's Machine has it). */
export interface ActivityHost {
  observeActivity?(target: ActivityTarget | undefined): void;
}

/** Worker side: points the running machine at the shared words. */
export class ActivityPublisher {
  private readonly words: Int32Array;
  private readonly target: ActivityTarget;
  private host: ActivityHost | null = null;

  constructor(buffer: SharedArrayBuffer) {
    if (buffer.byteLength < ACTIVITY_WORDS * 4) throw new Error(`activity words need ${ACTIVITY_WORDS * 4} bytes, got ${buffer.byteLength}`);
    this.words = new Int32Array(buffer, 0, ACTIVITY_WORDS);
    this.target = {
      irqWires: new Int32Array(buffer, 0, MAX_IRQ_WIRES),
      mappingHits: new Int32Array(buffer, MAPPING_HITS * 4, MAX_MAPPINGS),
    };
  }

  /** A newly loaded machine reports from now on, starting from cleared words. */
  attach(host: ActivityHost): void {
    this.detach();
    for (let i = 0; i < this.words.length; i++) Atomics.store(this.words, i, 0);
    this.host = host;
    host.observeActivity?.(this.target);
  }

  /** The machine stops writing the shared words (it is being replaced). */
  detach(): void {
    this.host?.observeActivity?.(undefined);
    this.host = null;
  }
}

/** UI side: reads the words. */
export class ActivityReader {
  private readonly words: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer, 0, ACTIVITY_WORDS);
  }

  /** The slot of IRQ wire `wire` (0 past the capacity). */
  irqSlot(wire: number): number {
    return wire >= 0 && wire < MAX_IRQ_WIRES ? Atomics.load(this.words, wire) : 0;
  }

  /** The hit counter of mapping `mapping` (0 past the capacity). */
  mappingHits(mapping: number): number {
    return mapping >= 0 && mapping < MAX_MAPPINGS ? Atomics.load(this.words, MAPPING_HITS + mapping) : 0;
  }
}
