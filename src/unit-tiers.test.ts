// The unit tests that run guest code run on both execution tiers (vitest.config.ts runs only
// UNIT_GUEST_TESTS on the interpreter as well): a test file that starts building machines or
// spawning `boardlab` outside those places must be added there.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNIT_GUEST_TESTS } from '../vitest.config.ts';

const root = join(import.meta.dirname, '..');
/** What a test that runs a guest does: builds a machine (directly, or through the run controller or the worker's runner), or runs the CLI. */
const RUNS_GUEST = /Machine\.build\(|RunController\.|new Runner\(|bin\/boardlab|'bin', 'boardlab|lessonCheckCommand\(|runCommand\(/;

function unitTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return unitTestFiles(path);
    return entry.name.endsWith('.test.ts') && !entry.name.endsWith('.reference.test.ts') ? [relative(root, path)] : [];
  });
}

const onBothTiers = (file: string) => UNIT_GUEST_TESTS.some((path) => (path.endsWith('/') ? file.startsWith(path) : file === path));

describe('unit tests on both tiers', () => {
  it('every unit test file that runs guest code is one the interpreter runs too', () => {
    const self = relative(root, import.meta.filename); // names the patterns, runs no guest
    const guests = unitTestFiles(join(root, 'src')).filter((file) => file !== self && RUNS_GUEST.test(readFileSync(join(root, file), 'utf8')));
    expect(guests.length).toBeGreaterThan(20);
    expect(guests.filter((file) => !onBothTiers(file))).toEqual([]);
  });

  it('each file UNIT_GUEST_TESTS names exists and runs guest code', () => {
    for (const path of UNIT_GUEST_TESTS.filter((p) => !p.endsWith('/'))) expect(RUNS_GUEST.test(readFileSync(join(root, path), 'utf8')), path).toBe(true);
  });
});
