// Which tier runs each CPU of the running machine, for the run panel (issue #16 point 4): the tier
// the user asked for, what each core can do with it, and what its compiling tier did so far.
import type { CpuCore, ExecutionTier, JitStats } from '../engine/cpu/contract.ts';

/** What one CPU runs on. */
export type CpuTierState =
  /** Its core has no compiling tier (every instruction interpreted, whatever was asked). */
  | 'interpreter-only'
  /** The compiling tier was asked for, but this core cannot compile here (`reason` says why). */
  | 'unavailable'
  /** The interpreter was asked for. */
  | 'interpreter'
  /** Hot code is compiled to WebAssembly (cold code still interpreted). */
  | 'compiled';

export interface CpuTier {
  path: string;
  state: CpuTierState;
  /** Why the core cannot compile (state 'unavailable', or 'interpreter' on a core that could not compile either). */
  reason?: string;
  /** What its compiling tier did so far (cores with a compiling tier). */
  stats?: JitStats;
}

export interface TierReport {
  /** The tier asked for: every machine the page builds from now on starts on it. */
  tier: ExecutionTier;
  /** The running machine's CPUs (none before a board loads). */
  cpus: CpuTier[];
  /** Whether this worker can compile WebAssembly at all (a browser without it; a Content-Security-Policy without 'wasm-unsafe-eval'). */
  webAssembly: WebAssemblyStatus;
}

export interface WebAssemblyStatus {
  state: 'available' | 'missing' | 'refused';
  /** Why not (states 'missing' and 'refused'). */
  reason?: string;
}

/** The smallest valid module: its magic number and version. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** Compiles an empty module: what the page's policy and the browser allow, measured rather than assumed. */
export function webAssemblyStatus(): WebAssemblyStatus {
  if (typeof WebAssembly === 'undefined') return { state: 'missing', reason: 'this browser has no WebAssembly' };
  try {
    new WebAssembly.Module(EMPTY_MODULE);
    return { state: 'available' };
  } catch (error) {
    return { state: 'refused', reason: error instanceof Error ? error.message : String(error) };
  }
}

let measured: WebAssemblyStatus | undefined;

/** What the report needs of a machine (src/engine's Machine has it). */
export interface TieredMachine {
  readonly cpuPaths: readonly string[];
  cpu(path: string): Pick<CpuCore, 'tiers'> | undefined;
}

export function cpuTier(path: string, core: Pick<CpuCore, 'tiers'> | undefined): CpuTier {
  const tiers = core?.tiers;
  if (tiers === undefined) return { path, state: 'interpreter-only' };
  const stats = tiers.stats();
  const reason = tiers.unavailable;
  if (tiers.tier === 'interp') return reason === undefined ? { path, state: 'interpreter', stats } : { path, state: 'interpreter', reason, stats };
  return reason === undefined ? { path, state: 'compiled', stats } : { path, state: 'unavailable', reason, stats };
}

export function tierReport(tier: ExecutionTier, machine: TieredMachine | null): TierReport {
  return {
    tier,
    cpus: machine === null ? [] : machine.cpuPaths.map((path) => cpuTier(path, machine.cpu(path))),
    webAssembly: (measured ??= webAssemblyStatus()),
  };
}

/** The tier named by a string from outside (a URL parameter, saved settings), or undefined. */
export function parseTier(text: string | null | undefined): ExecutionTier | undefined {
  return text === 'interp' || text === 'jit' ? text : undefined;
}
