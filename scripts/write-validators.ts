// Writes the ahead-of-time JSON Schema validators (scripts/lib/standalone-validators.ts) to
// src/graph/validators/. Usage: npx tsx scripts/write-validators.ts [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { standaloneValidatorSources } from './lib/standalone-validators.ts';

const dir = fileURLToPath(new URL('../src/graph/validators/', import.meta.url));
let stale = false;
for (const [name, text] of Object.entries(standaloneValidatorSources())) {
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(dir + name, 'utf8');
    } catch {
      // no file yet: it is stale
    }
    if (current !== text) {
      console.error(`src/graph/validators/${name} is stale; run: npx tsx scripts/write-validators.ts`);
      stale = true;
    }
  } else {
    writeFileSync(dir + name, text);
    console.log(`wrote src/graph/validators/${name}`);
  }
}
process.exitCode = stale ? 1 : 0;
