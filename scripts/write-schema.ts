// Writes the board document JSON Schema (generated from src/graph/schema.ts) to
// public/schema/board.schema.json, where the editor and documents' "$schema" find it.
// Usage: npx tsx scripts/write-schema.ts [--check]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boardSchemaText } from '../src/graph/schema-text.ts';

const target = fileURLToPath(new URL('../public/schema/board.schema.json', import.meta.url));
const text = boardSchemaText();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== text) {
    console.error('public/schema/board.schema.json is stale; run: npx tsx scripts/write-schema.ts');
    process.exit(1);
  }
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
