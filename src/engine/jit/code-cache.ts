// The compiled units of one core, with a bound on the WebAssembly they hold: when a new unit would
// pass it, the units compiled longest ago are dropped (their guest code runs in the interpreter
// until it is hot again). Also the tier's switch, its statistics and its fallback notes, shared by
// every architecture's translator.

import type { ExecutionTier, JitStats, TierControl } from '../cpu/contract.ts';

/** 16 MiB of generated WebAssembly per core. */
const DEFAULT_CACHE_BYTES = 16 << 20;

export interface CompiledUnit {
  /** Bytes of WebAssembly it was compiled from. */
  readonly bytes: number;
  /** Forget it (its page goes back to the interpreter). */
  drop(): void;
}

export class JitTier implements TierControl {
  tier: ExecutionTier = 'jit';
  onFallback?: (message: string) => void;
  private readonly units = new Set<CompiledUnit>();
  private readonly told = new Set<string>();
  private readonly counters: JitStats = { compiled: 0, dropped: 0, compileMs: 0, codeBytes: 0, cachedBytes: 0, compiledInstructions: 0 };

  constructor(
    /** Why this core cannot compile at all (undefined: it can). */
    readonly unavailable: string | undefined,
    private readonly cacheBytes = DEFAULT_CACHE_BYTES,
  ) {}

  setTier(tier: ExecutionTier): void {
    if (tier !== 'interp' && tier !== 'jit') throw new Error(`unknown execution tier "${String(tier)}" (interp or jit)`);
    this.tier = tier;
  }

  /** The compiling tier runs now: asked for and possible. */
  get active(): boolean {
    return this.tier === 'jit' && this.unavailable === undefined;
  }

  stats(): JitStats {
    return { ...this.counters };
  }

  /** Keep a new unit, dropping the oldest ones while the cache would hold too much. */
  add(unit: CompiledUnit, compileMs: number): void {
    this.counters.compiled++;
    this.counters.compileMs += compileMs;
    this.counters.codeBytes += unit.bytes;
    for (const old of this.units) {
      if (this.counters.cachedBytes + unit.bytes <= this.cacheBytes) break;
      this.remove(old);
    }
    this.units.add(unit);
    this.counters.cachedBytes += unit.bytes;
  }

  /** Drop a unit (invalidated or evicted). */
  remove(unit: CompiledUnit): void {
    if (!this.units.delete(unit)) return;
    this.counters.dropped++;
    this.counters.cachedBytes -= unit.bytes;
    unit.drop();
  }

  /** Drop every unit (the decoded code was forgotten). */
  clear(): void {
    for (const unit of [...this.units]) this.remove(unit);
  }

  retired(instructions: number): void {
    this.counters.compiledInstructions += instructions;
  }

  /** Say once per kind of problem that code fell back to the interpreter. */
  fallback(kind: string, message: string): void {
    if (this.told.has(kind)) return;
    this.told.add(kind);
    this.onFallback?.(message);
  }
}
