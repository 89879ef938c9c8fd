import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import { Machine } from '../engine/machine.ts';
import { InputError } from './board-files.ts';
import { environmentTier } from './tier-environment.ts';

const root = join(import.meta.dirname, '..', '..');
const helloBoard = join(root, 'examples', 'hello.board.json');

function hello(): ResolvedBoard {
  const result = resolveBoard(JSON.parse(readFileSync(helloBoard, 'utf8')));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.board;
}

describe('BOARDLAB_TIER', () => {
  it('names the tier; unset or empty leaves the default', () => {
    expect(environmentTier({ BOARDLAB_TIER: 'interp' })).toBe('interp');
    expect(environmentTier({ BOARDLAB_TIER: 'jit' })).toBe('jit');
    expect(environmentTier({})).toBeUndefined();
    expect(environmentTier({ BOARDLAB_TIER: '' })).toBeUndefined();
  });

  it('anything else is an input error naming the variable, the value and the choices', () => {
    expect(() => environmentTier({ BOARDLAB_TIER: 'fast' })).toThrow(InputError);
    expect(() => environmentTier({ BOARDLAB_TIER: 'fast' })).toThrow('BOARDLAB_TIER="fast" is not a tier: set it to interp or jit');
  });

  // The suites run once per tier (vitest.config.ts): a machine a test builds is on the suite's tier,
  // unless the test asks for one.
  it("a machine a test builds runs on the suite's tier; a tier the test names wins", () => {
    const images = new Map([['firmware/hello.elf', new Uint8Array(readFileSync(join(root, 'public', 'firmware', 'hello.elf')))]]);
    const suiteTier = environmentTier() ?? 'jit';
    const machine = Machine.build(hello(), images);
    expect(machine.tier).toBe(suiteTier);
    machine.destroy();
    const other = suiteTier === 'jit' ? 'interp' : 'jit';
    const named = Machine.build(hello(), images, { tier: other });
    expect(named.tier).toBe(other);
    named.destroy();
  });

  it('`boardlab run` refuses a value that is not a tier, and runs with one that is', () => {
    const run = (tier: string) => spawnSync(process.execPath, [join(root, 'bin', 'boardlab.js'), 'run', helloBoard], { encoding: 'utf8', env: { ...process.env, BOARDLAB_TIER: tier }, timeout: 60_000 });
    const refused = run('fast');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('BOARDLAB_TIER="fast" is not a tier: set it to interp or jit');
    for (const tier of ['interp', 'jit']) {
      const ran = run(tier);
      expect(ran.stderr).toBe('');
      expect(ran.stdout).toContain('Hello, BoardLab!');
      expect(ran.status).toBe(0);
    }
  });
});
