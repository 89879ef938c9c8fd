import { describe, expect, it } from 'vitest';
import type { ExecutionTier, JitStats, TierControl } from '../engine/cpu/contract.ts';
import { cpuTier, parseTier, tierReport, webAssemblyStatus } from './tiers.ts';

const STATS: JitStats = { compiled: 3, dropped: 1, compileMs: 2.5, codeBytes: 4096, cachedBytes: 3000, compiledInstructions: 1234 };

function control(tier: ExecutionTier, unavailable?: string): TierControl {
  return { tier, unavailable, setTier: () => undefined, stats: () => STATS };
}

describe('which tier runs a CPU', () => {
  it('a core without a compiling tier is interpreter only', () => {
    expect(cpuTier('/machine/cpu0', {})).toEqual({ path: '/machine/cpu0', state: 'interpreter-only' });
    expect(cpuTier('/machine/cpu0', undefined).state).toBe('interpreter-only');
  });

  it('a core asked to compile that can: compiled, with its stats', () => {
    expect(cpuTier('/machine/cpu0', { tiers: control('jit') })).toEqual({ path: '/machine/cpu0', state: 'compiled', stats: STATS });
  });

  it('a core asked to compile that cannot: unavailable, with the reason', () => {
    expect(cpuTier('/machine/cpu0', { tiers: control('jit', 'this browser has no WebAssembly') })).toEqual({ path: '/machine/cpu0', state: 'unavailable', reason: 'this browser has no WebAssembly', stats: STATS });
  });

  it('a core asked to interpret: interpreter (and why it could not compile anyway)', () => {
    expect(cpuTier('/machine/cpu0', { tiers: control('interp') }).state).toBe('interpreter');
    expect(cpuTier('/machine/cpu0', { tiers: control('interp', 'no WebAssembly') }).reason).toBe('no WebAssembly');
  });

  it('reports every CPU of the machine, in its order, and the tier asked for', () => {
    const cores = new Map([
      ['/machine/hart', { tiers: control('jit') }],
      ['/machine/m3', {}],
    ]);
    const report = tierReport('jit', { cpuPaths: [...cores.keys()], cpu: (path) => cores.get(path) });
    expect(report.tier).toBe('jit');
    expect(report.cpus.map((c) => [c.path, c.state])).toEqual([
      ['/machine/hart', 'compiled'],
      ['/machine/m3', 'interpreter-only'],
    ]);
    expect(report.webAssembly).toEqual({ state: 'available' });
    expect(tierReport('interp', null)).toEqual({ tier: 'interp', cpus: [], webAssembly: { state: 'available' } });
  });

  it('parses only the two tier names', () => {
    expect(parseTier('interp')).toBe('interp');
    expect(parseTier('jit')).toBe('jit');
    expect(parseTier('JIT')).toBeUndefined();
    expect(parseTier(null)).toBeUndefined();
  });
});

describe('whether the worker can compile WebAssembly', () => {
  it('says available where it compiles, missing without WebAssembly, refused when compiling throws', () => {
    expect(webAssemblyStatus()).toEqual({ state: 'available' });
    const real = globalThis.WebAssembly;
    try {
      Reflect.deleteProperty(globalThis, 'WebAssembly');
      expect(webAssemblyStatus()).toEqual({ state: 'missing', reason: 'this browser has no WebAssembly' });
      const refusing = { Module: class { constructor() { throw new Error('Refused to compile: wasm-unsafe-eval'); } } };
      Object.defineProperty(globalThis, 'WebAssembly', { value: refusing, configurable: true, writable: true });
      expect(webAssemblyStatus()).toEqual({ state: 'refused', reason: 'Refused to compile: wasm-unsafe-eval' });
    } finally {
      Object.defineProperty(globalThis, 'WebAssembly', { value: real, configurable: true, writable: true });
    }
  });
});
