// Writes the JSON Schemas generated from src/graph/schema.ts to public/schema/, where the editor and
// documents' "$schema" find them. Usage: npx tsx scripts/write-schema.ts [--check]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { publishedSchemas } from '../src/graph/schema-text.ts';

const dir = fileURLToPath(new URL('../public/schema/', import.meta.url));
let stale = false;
for (const [name, text] of Object.entries(publishedSchemas())) {
  const target = dir + name;
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // no file yet: it is stale
    }
    if (current !== text) {
      console.error(`public/schema/${name} is stale; run: npx tsx scripts/write-schema.ts`);
      stale = true;
    }
  } else {
    mkdirSync(dir, { recursive: true });
    writeFileSync(target, text);
    console.log(`wrote public/schema/${name}`);
  }
}
process.exitCode = stale ? 1 : 0;
