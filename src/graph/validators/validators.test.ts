import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { standaloneValidatorSources } from '../../../scripts/lib/standalone-validators.ts';
import { resolveBoard } from '../resolve.ts';

describe('validators compiled ahead of time (no new Function in the page)', () => {
  it.each(Object.entries(standaloneValidatorSources()))('src/graph/validators/%s matches the schemas (run scripts/write-validators.ts if not)', (name, text) => {
    expect(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')).toBe(text);
  });

  it('the generated code never builds functions from strings', () => {
    for (const [name, text] of Object.entries(standaloneValidatorSources())) {
      expect(text, name).not.toMatch(/new Function|\beval\(|require\(/);
    }
  });

  it('a board that breaks the schema still gets its problems with pointers', () => {
    const result = resolveBoard({ boardlab: 1, name: 'x', objects: { cpu0: { type: 'rv32', props: { hartid: [] } } } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.some((p) => p.pointer.startsWith('/objects/cpu0/props/hartid'))).toBe(true);
  });
});
