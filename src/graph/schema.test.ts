import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardSchemaText } from './schema-text.ts';

describe('published board schema', () => {
  it('public/schema/board.schema.json matches the TypeBox source (run scripts/write-schema.ts if not)', () => {
    const published = readFileSync(new URL('../../public/schema/board.schema.json', import.meta.url), 'utf8');
    expect(published).toBe(boardSchemaText());
  });

  it('describes the top-level members of a board', () => {
    const schema = JSON.parse(boardSchemaText());
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['boardlab', 'name', 'objects', 'memory', 'irqs', 'images']));
    expect(schema.additionalProperties).toBe(false);
  });
});
