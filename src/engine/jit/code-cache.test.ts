import { describe, expect, it, vi } from 'vitest';
import { JitTier } from './code-cache.ts';
import { bootTier } from './testing/rv32-harts.ts';

describe('JitTier', () => {
  it('keeps compiled units within its byte bound, dropping the oldest first', () => {
    const tier = new JitTier(undefined, 100);
    const dropped: string[] = [];
    const unit = (name: string, bytes: number) => ({ bytes, drop: () => dropped.push(name) });
    tier.add(unit('a', 40), 1);
    tier.add(unit('b', 40), 1);
    tier.add(unit('c', 40), 1); // 120 > 100: a goes
    expect(dropped).toEqual(['a']);
    expect(tier.stats()).toMatchObject({ compiled: 3, dropped: 1, codeBytes: 120, cachedBytes: 80, compileMs: 3 });
    tier.clear();
    expect(dropped).toEqual(['a', 'b', 'c']);
    expect(tier.stats().cachedBytes).toBe(0);
  });

  it('is active only when asked for and possible, and refuses an unknown tier', () => {
    expect(new JitTier(undefined).active).toBe(true);
    const none = new JitTier('no WebAssembly here');
    expect(none.active).toBe(false);
    none.setTier('interp');
    expect(none.tier).toBe('interp');
    expect(() => none.setTier('fast' as never)).toThrow(/unknown execution tier "fast"/);
  });

  it('says each kind of fallback once', () => {
    const tier = new JitTier(undefined);
    const said: string[] = [];
    tier.onFallback = (m) => said.push(m);
    tier.fallback('compile', 'one');
    tier.fallback('compile', 'two');
    tier.fallback('system', 'three');
    expect(said).toEqual(['one', 'three']);
  });
});

// code on three pages, each called in turn, many times
const THREE_PAGES = `
  .text
_start:
  li s0, 30
again:
  call f1
  call f2
  call f3
  addi s0, s0, -1
  bnez s0, again
  wfi
  .balign 4096
f1: addi a0, a0, 1
  ret
  .balign 4096
f2: addi a1, a1, 3
  ret
  .balign 4096
f3: add a2, a0, a1
  ret
`;

describe('the compiled-code cache of a hart', () => {
  it("evicts pages when it is full, and the run is the interpreter's all the same", () => {
    const interp = bootTier(THREE_PAGES, 'interp');
    const jit = bootTier(THREE_PAGES, 'jit', { jitCacheBytes: 1500 });
    while (!interp.cpu.waitingForInterrupt) interp.cpu.run(97);
    while (!jit.cpu.waitingForInterrupt) jit.cpu.run(97);
    expect([...jit.cpu.x]).toEqual([...interp.cpu.x]);
    expect(jit.cpu.instret).toBe(interp.cpu.instret);
    const stats = jit.cpu.tiers.stats();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.cachedBytes).toBeLessThanOrEqual(1500);
    expect(stats.compiledInstructions).toBeGreaterThan(0);
  });

  it('falls back to the interpreter when WebAssembly refuses a module, and says so once', () => {
    const jit = bootTier(THREE_PAGES, 'jit');
    const said: string[] = [];
    jit.cpu.tiers.onFallback = (m) => said.push(m);
    const spy = vi.spyOn(WebAssembly, 'Module').mockImplementation(function refuse(): never {
      throw new Error('CompileError: refused by the test');
    });
    try {
      while (!jit.cpu.waitingForInterrupt) jit.cpu.run(1000);
    } finally {
      spy.mockRestore();
    }
    const interp = bootTier(THREE_PAGES, 'interp');
    while (!interp.cpu.waitingForInterrupt) interp.cpu.run(1000);
    expect([...jit.cpu.x]).toEqual([...interp.cpu.x]);
    expect(jit.cpu.tiers.stats().compiled).toBe(0);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/could not be compiled to WebAssembly \(CompileError: refused by the test\); it runs on the interpreter/);
  });
});
