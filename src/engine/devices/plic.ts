// Platform-level interrupt controller, as QEMU virt's SiFive PLIC (hw/intc/sifive_plic.c with
// hart-config "MS,MS,...": contexts M then S for each hart, 7 priority levels). Devices raise
// level-triggered sources; each context has enables and a priority threshold, and claims the
// highest-priority pending source, then completes it. Outputs meip[hart] and seip[hart] are high
// while their context has a claimable source.
//
// Sources are level-triggered gateways: a high line makes the source pending unless it is claimed;
// a low line withdraws a request that has not been claimed yet (as QEMU, whose pending bit follows
// the line); claiming clears pending until completion, and completing a source whose line is still
// high makes it pending again. Registers take 32-bit accesses only (narrower ones read 0 and are
// ignored, where QEMU raises an access fault).
import { BusFault, type AccessSize, type MmioHandler } from '../memory.ts';
import { defineState, StateError, type SavedValue, type Stateful } from '../state.ts';
import type { Device, DeviceCapabilities, DeviceContext, IrqLine, Region } from './device.ts';

// Register layout (offsets in the register window).
export const PLIC_PRIORITY = 0x000000; // priority[source]: 32 bits at PRIORITY + 4 * source
export const PLIC_PENDING = 0x001000; // pending bits, 32 sources per word (read-only)
export const PLIC_ENABLE = 0x002000; // enable bits of context c at ENABLE + ENABLE_STRIDE * c
export const PLIC_ENABLE_STRIDE = 0x80;
export const PLIC_CONTEXT = 0x200000; // context c registers at CONTEXT + CONTEXT_STRIDE * c
export const PLIC_CONTEXT_STRIDE = 0x1000;
export const PLIC_THRESHOLD = 0x0; // within a context: priority threshold
export const PLIC_CLAIM_COMPLETE = 0x4; // within a context: read claims, write completes
export const PLIC_SIZE = 0x600000;

/** Highest priority (QEMU virt: VIRT_IRQCHIP_NUM_PRIORITIES = 7); priorities and thresholds are WARL modulo 8. */
export const PLIC_MAX_PRIORITY = 7;

/** Context number of `hart` in machine mode. */
export function plicMachineContext(hart: number): number {
  return 2 * hart;
}

/** Context number of `hart` in supervisor mode. */
export function plicSupervisorContext(hart: number): number {
  return 2 * hart + 1;
}

/**
 * Priorities, the gateway bits (pending, claimed, input level; 32 sources per word), enables and
 * thresholds per context, and the output levels last driven (meip of hart h at 2h, seip at 2h + 1).
 * Array lengths follow num-sources and num-harts, so state only loads into an equally sized PLIC.
 */
export const PLIC_STATE = defineState({
  name: 'plic',
  version: 1,
  fields: [
    { name: 'priority', type: 'u32[]', mask: PLIC_MAX_PRIORITY, doc: 'priority of each source' },
    { name: 'pending', type: 'u32[]', doc: 'pending bits' },
    { name: 'claimed', type: 'u32[]', doc: 'claimed, not yet completed' },
    { name: 'level', type: 'u32[]', doc: 'input line levels' },
    { name: 'enable', type: 'u32[]', doc: 'enable bits, words of context c at c * words' },
    { name: 'threshold', type: 'u32[]', mask: PLIC_MAX_PRIORITY, doc: 'priority threshold of each context' },
    { name: 'outputLevel', type: 'u8[]', mask: 1, doc: 'level last driven on each context output' },
  ],
});

/** PLIC_STATE fields whose bits exist only for sources 1..num-sources - 1. */
const PLIC_SOURCE_FIELDS = ['pending', 'claimed', 'level'] as const;

export class Plic implements Device, MmioHandler, Stateful {
  readonly path: string;
  readonly regions: ReadonlyMap<string, Region>;
  readonly stateDescriptor = PLIC_STATE;
  /** Restored after its sources: they re-drive their lines when restored, and its saved pending bits must have the final word. */
  readonly capabilities: DeviceCapabilities = { restoreAfterSources: true };
  /** Sources including the unused source 0. */
  readonly numSources: number;
  readonly numHarts: number;
  /** Two per hart: M (2 * hart), then S (2 * hart + 1). */
  readonly numContexts: number;

  private readonly words: number;
  private readonly priority: Uint32Array;
  private readonly pending: Uint32Array;
  private readonly claimed: Uint32Array;
  /** Current level of each input line. */
  private readonly level: Uint32Array;
  /** enable[context * words + word] */
  private readonly enable: Uint32Array;
  private readonly threshold: Uint32Array;
  /** Output lines by context (meip of hart h at 2h, seip at 2h + 1), and their current levels. */
  private readonly lines: (IrqLine | undefined)[];
  private readonly outputLevel: Uint8Array;

  constructor(context: DeviceContext) {
    this.path = context.path;
    this.numSources = integerProp(context, 'num-sources', 96);
    this.numHarts = integerProp(context, 'num-harts', 1);
    if (this.numSources < 2 || this.numSources > 1024) throw new Error(`${this.path}: num-sources must be 2..1024`);
    if (this.numHarts < 1) throw new Error(`${this.path}: num-harts must be at least 1`);
    this.numContexts = 2 * this.numHarts;
    this.words = (this.numSources + 31) >>> 5;
    this.priority = new Uint32Array(this.numSources);
    this.pending = new Uint32Array(this.words);
    this.claimed = new Uint32Array(this.words);
    this.level = new Uint32Array(this.words);
    this.enable = new Uint32Array(this.numContexts * this.words);
    this.threshold = new Uint32Array(this.numContexts);
    this.lines = new Array<IrqLine | undefined>(this.numContexts).fill(undefined);
    this.outputLevel = new Uint8Array(this.numContexts);
    this.regions = new Map([['regs', { kind: 'mmio', handler: this }]]);
  }

  connectIrqOutput(port: string, index: number, line: IrqLine): void {
    if (index < 0 || index >= this.numHarts) return;
    let context: number;
    if (port === 'meip') context = plicMachineContext(index);
    else if (port === 'seip') context = plicSupervisorContext(index);
    else return;
    this.lines[context] = line;
    line.set(this.outputLevel[context] !== 0);
  }

  setIrqInput(port: string, index: number, level: boolean): void {
    if (port !== 'in' || index <= 0 || index >= this.numSources) return; // source 0 does not exist
    const word = index >>> 5;
    const bit = 1 << (index & 31);
    // As QEMU 7.2's sifive_plic: a request sets the pending bit, which stays until a claim takes
    // it; a line going low does not withdraw it. `level` only records the line for the UI.
    if (level) {
      this.level[word] |= bit;
      this.pending[word] |= bit;
    } else {
      this.level[word] &= ~bit;
    }
    this.update();
  }

  /** Whether `source` is pending (for the UI). */
  isPending(source: number): boolean {
    return (this.pending[source >>> 5] & (1 << (source & 31))) !== 0;
  }

  /** Whether `source` is claimed and not yet completed (for the UI). */
  isClaimed(source: number): boolean {
    return (this.claimed[source >>> 5] & (1 << (source & 31))) !== 0;
  }

  /** The source a claim by `context` would return now, without claiming it (0 if none). */
  peekClaim(context: number): number {
    return this.best(context);
  }

  /** A read without its side effects: claim/complete shows the source a claim would return, without claiming it. */
  peek(_region: string, offset: number, size: AccessSize): number {
    if (offset >= PLIC_CONTEXT && offset < PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * this.numContexts && (offset - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE === PLIC_CLAIM_COMPLETE) {
      return this.best(Math.floor((offset - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE));
    }
    return this.read(offset, size);
  }

  read(offset: number, size: AccessSize): number {
    if (size !== 4 || (offset & 3) !== 0) throw new BusFault(offset, 'read', size); // as QEMU: 32-bit accesses only
    if (offset < PLIC_PRIORITY + 4 * this.numSources) return this.priority[offset >>> 2];
    if (offset >= PLIC_PENDING && offset < PLIC_PENDING + 4 * this.words) return this.pending[(offset - PLIC_PENDING) >>> 2] >>> 0;
    if (offset >= PLIC_ENABLE && offset < PLIC_ENABLE + PLIC_ENABLE_STRIDE * this.numContexts) {
      const context = Math.floor((offset - PLIC_ENABLE) / PLIC_ENABLE_STRIDE);
      const word = ((offset - PLIC_ENABLE) % PLIC_ENABLE_STRIDE) >>> 2;
      return word < this.words ? this.enable[context * this.words + word] : 0;
    }
    if (offset >= PLIC_CONTEXT && offset < PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * this.numContexts) {
      const context = Math.floor((offset - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE);
      const register = (offset - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE;
      if (register === PLIC_THRESHOLD) return this.threshold[context];
      if (register === PLIC_CLAIM_COMPLETE) return this.claim(context);
    }
    return 0;
  }

  write(offset: number, value: number, size: AccessSize): void {
    if (size !== 4 || (offset & 3) !== 0) throw new BusFault(offset, 'write', size);
    value >>>= 0;
    if (offset < PLIC_PRIORITY + 4 * this.numSources) {
      this.priority[offset >>> 2] = value % (PLIC_MAX_PRIORITY + 1);
      this.update();
      return;
    }
    if (offset >= PLIC_PENDING && offset < PLIC_PENDING + 4 * this.words) return; // read-only
    if (offset >= PLIC_ENABLE && offset < PLIC_ENABLE + PLIC_ENABLE_STRIDE * this.numContexts) {
      const context = Math.floor((offset - PLIC_ENABLE) / PLIC_ENABLE_STRIDE);
      const word = ((offset - PLIC_ENABLE) % PLIC_ENABLE_STRIDE) >>> 2;
      if (word < this.words) {
        this.enable[context * this.words + word] = value;
        this.update();
      }
      return;
    }
    if (offset >= PLIC_CONTEXT && offset < PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * this.numContexts) {
      const context = Math.floor((offset - PLIC_CONTEXT) / PLIC_CONTEXT_STRIDE);
      const register = (offset - PLIC_CONTEXT) % PLIC_CONTEXT_STRIDE;
      if (register === PLIC_THRESHOLD) {
        this.threshold[context] = value % (PLIC_MAX_PRIORITY + 1);
        this.update();
      } else if (register === PLIC_CLAIM_COMPLETE) {
        this.complete(value);
      }
    }
  }

  /** As QEMU: priorities, thresholds, enables, pending and claimed all cleared; outputs low. */
  reset(): void {
    this.priority.fill(0);
    this.pending.fill(0);
    this.claimed.fill(0);
    this.enable.fill(0);
    this.threshold.fill(0);
    // Lines still high after reset request again, as a level-triggered gateway would see them.
    this.pending.set(this.level);
    this.update();
  }

  /** Pending, claimed and level bits may name only sources that exist (not 0, none at or above num-sources). */
  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    for (const name of PLIC_SOURCE_FIELDS) {
      const words = fields[name] as number[];
      for (let word = 0; word < this.words; word++) {
        const first = word << 5;
        let valid = 0xffffffff;
        if (first === 0) valid &= ~1;
        const implemented = this.numSources - first;
        if (implemented < 32) valid &= (1 << implemented) - 1;
        const stray = (words[word] & ~valid) >>> 0;
        if (stray !== 0) {
          const source = first + 31 - Math.clz32(stray & -stray);
          throw new StateError(`${this.path} (plic): field ${name} has a bit for source ${source}, which this PLIC (num-sources ${this.numSources}) does not have`, 'plic', name);
        }
      }
    }
  }

  /** After loadState: drive every output at its loaded level, then settle them against the loaded registers. */
  postLoad(): void {
    for (let context = 0; context < this.numContexts; context++) this.lines[context]?.set(this.outputLevel[context] !== 0);
    this.update();
  }

  private claim(context: number): number {
    const source = this.best(context);
    if (source !== 0) {
      const word = source >>> 5;
      const bit = 1 << (source & 31);
      this.pending[word] &= ~bit;
      this.claimed[word] |= bit;
    }
    this.update();
    return source;
  }

  /** Completion, as QEMU: any source id below num-sources, whichever context writes it. */
  private complete(source: number): void {
    if (source >= this.numSources) return;
    const word = source >>> 5;
    const bit = 1 << (source & 31);
    this.claimed[word] &= ~bit;
    this.update();
  }

  /** Highest-priority pending, enabled, unclaimed source above the context's threshold (lowest id on ties), or 0. */
  private best(context: number): number {
    let bestSource = 0;
    let bestPriority = this.threshold[context];
    const base = context * this.words;
    for (let word = 0; word < this.words; word++) {
      let candidates = this.pending[word] & ~this.claimed[word] & this.enable[base + word];
      while (candidates !== 0) {
        const bitIndex = 31 - Math.clz32(candidates & -candidates);
        candidates &= candidates - 1;
        const source = (word << 5) + bitIndex;
        if (source >= this.numSources) break;
        const priority = this.priority[source];
        if (priority > bestPriority) {
          bestPriority = priority;
          bestSource = source;
        }
      }
    }
    return bestSource;
  }

  private update(): void {
    for (let context = 0; context < this.numContexts; context++) {
      const level = this.best(context) !== 0 ? 1 : 0;
      if (this.outputLevel[context] !== level) {
        this.outputLevel[context] = level;
        this.lines[context]?.set(level !== 0);
      }
    }
  }
}

function integerProp(context: DeviceContext, name: string, fallback: number): number {
  const value = context.props[name];
  const n = value === undefined || value === null ? fallback : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`${context.path}: property ${name} must be an integer (got ${String(value)})`);
  return n;
}

/** The catalog types this module implements, for the engine's registry (../registry.ts). */
export const devices = { plic: (context: DeviceContext) => new Plic(context) };
