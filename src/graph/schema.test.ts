import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardSchemaText, publishedSchemas } from './schema-text.ts';

describe('published schemas', () => {
  it.each(Object.entries(publishedSchemas()))('public/schema/%s matches the TypeBox source (run scripts/write-schema.ts if not)', (name, text) => {
    expect(readFileSync(new URL(`../../public/schema/${name}`, import.meta.url), 'utf8')).toBe(text);
  });

  it('describes the top-level members of a board', () => {
    const schema = JSON.parse(boardSchemaText());
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['boardlab', 'name', 'extends', 'objects', 'memory', 'irqs', 'resets', 'images', 'types', 'libraries']));
    expect(schema.additionalProperties).toBe(false);
  });
});
