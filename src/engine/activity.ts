// Live activity of a running machine, for the designer's graphs (issue #5): the level of every IRQ
// wire, and how often the harts touched each memory mapping. Both are indexed like the resolved
// board (board.irqs, board.memory), so a view can find the edge that shows a slot.
//
// Cheap by construction: nothing here runs per instruction.
//   IRQ wires   A wire's slot changes only when its line changes level (devices call IrqLine.set
//               on every register access; a set to the level the line already has writes nothing).
//   Mappings    Sampled, not traced. A mapping's counter grows by
//                 - one per hart per run quantum whose hart stopped with its pc in the mapping (the
//                   instruction fetch sample: a running guest hits its code region every quantum,
//                   10 000 to 1 000 000 instructions; a hart that waits for an interrupt adds none);
//                 - one per access that went through the address space's dispatch (AddressSpace.load
//                   and store): every MMIO access, and those RAM/ROM data accesses the CPU did not
//                   serve from the RAM mapping its fast path holds (the first access after switching
//                   regions, misaligned accesses, every access under Sv32 paging, page-table walks,
//                   and debugger reads). Plain loads and stores to the RAM the fast path holds are
//                   not counted: counting them would cost every load and store.
// Counters and rise counts wrap; readers compare them for change, never for size.
import type { AddressSpace, MmioMapping, RamMapping } from './memory.ts';

/**
 * Where a machine writes its activity: arrays its observer owns (in the browser, views of shared
 * memory the page reads every frame). Slots past an array's end are not written.
 */
export interface ActivityTarget {
  /** One slot per resolved IRQ wire: bit 0 = the line is high; bits 1.. = how many times it rose. */
  readonly irqWires: Int32Array;
  /** One counter per resolved memory mapping: sampled accesses (see the comment at the top). */
  readonly mappingHits: Int32Array;
}

/** Level of an IRQ wire slot. */
export function irqSlotHigh(slot: number): boolean {
  return (slot & 1) !== 0;
}

/** How many times the wire of a slot rose (wrapping at 2^31). */
export function irqSlotRises(slot: number): number {
  return slot >>> 1;
}

interface Segment {
  base: number;
  end: number;
  /** Index of the resolved mapping this piece of the address space shows. */
  mapping: number;
  /** The AddressSpace's mapping, whose `hits` counts dispatched accesses. */
  bus: RamMapping | MmioMapping;
}

export class MachineActivity {
  private irqWires: Int32Array;
  private mappingHits: Int32Array;
  private readonly segments: Segment[] = [];
  private readonly spaceSegments = new Map<AddressSpace, Segment[]>();
  private readonly hartSegments = new Map<object, Segment[]>();

  constructor(irqWireCount: number, mappingCount: number) {
    this.irqWires = new Int32Array(irqWireCount);
    this.mappingHits = new Int32Array(mappingCount);
  }

  /**
   * Writes activity into `target` from now on (its slots start at the current levels and counts),
   * or, with undefined, into arrays of the machine's own again.
   */
  observe(target: ActivityTarget | undefined): void {
    const irqWires = target?.irqWires ?? new Int32Array(this.irqWires.length);
    const mappingHits = target?.mappingHits ?? new Int32Array(this.mappingHits.length);
    copyInto(irqWires, this.irqWires);
    copyInto(mappingHits, this.mappingHits);
    this.irqWires = irqWires;
    this.mappingHits = mappingHits;
  }

  /** The current slots (a copy): what a test (or any reader without shared memory) sees. */
  snapshot(): { irqWires: Int32Array; mappingHits: Int32Array } {
    return { irqWires: this.irqWires.slice(), mappingHits: this.mappingHits.slice() };
  }

  /** A line setter that records the level of wire `wire` (when it changes) before delivering it. */
  tapIrq(wire: number, deliver: (level: boolean) => void): (level: boolean) => void {
    return (level) => {
      const slots = this.irqWires;
      if (wire < slots.length) {
        const slot = slots[wire];
        if (level && (slot & 1) === 0) slots[wire] = (slot + 3) | 0; // high, one more rise
        else if (!level && (slot & 1) !== 0) slots[wire] = slot & ~1;
      }
      deliver(level);
    };
  }

  /** Records that `bus`, a piece of `space`, shows resolved mapping `mapping`. */
  addSegment(space: AddressSpace, bus: RamMapping | MmioMapping, mapping: number): void {
    const segment: Segment = { base: bus.base, end: bus.end, mapping, bus };
    this.segments.push(segment);
    const list = this.spaceSegments.get(space) ?? [];
    list.push(segment);
    this.spaceSegments.set(space, list);
  }

  /** `hart` fetches through `space` (call after the space's segments were added). */
  addHart(hart: object, space: AddressSpace): void {
    this.hartSegments.set(hart, this.spaceSegments.get(space) ?? []);
  }

  /** The fetch sample: a hart that ran stopped at `pc`; the mapping holding it counts one hit. */
  sampleFetch(hart: object, pc: number): void {
    const segments = this.hartSegments.get(hart);
    if (segments === undefined) return;
    const address = pc >>> 0;
    for (const segment of segments) {
      if (address >= segment.base && address < segment.end) {
        this.count(segment.mapping, 1);
        return;
      }
    }
  }

  /** Moves the accesses the address spaces dispatched since the last call into the mapping counters. */
  collectBusHits(): void {
    for (const segment of this.segments) {
      const hits = segment.bus.hits;
      if (hits !== 0) {
        segment.bus.hits = 0;
        this.count(segment.mapping, hits);
      }
    }
  }

  private count(mapping: number, hits: number): void {
    const counters = this.mappingHits;
    if (mapping >= 0 && mapping < counters.length) counters[mapping] = (counters[mapping] + hits) | 0;
  }
}

function copyInto(target: Int32Array, source: Int32Array): void {
  if (target === source) return;
  target.set(source.subarray(0, Math.min(target.length, source.length)));
}
