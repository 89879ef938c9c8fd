#!/usr/bin/env node
// The `boardlab` command. It runs the prebuilt CLI (dist-cli/, built from src/cli/main.ts by `npm ci`
// — scripts/prebuilt-cli.mjs), so it starts without transpiling TypeScript. A CLI older than its
// sources is rebuilt first (about a second), so old code never runs; when it cannot be built (no
// Vite installed, a build error) the sources run through tsx instead, with a warning.
// BOARDLAB_CLI=source runs the sources through tsx without looking at the prebuilt CLI.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCli, freshCli } from '../scripts/prebuilt-cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

async function prebuiltEntry() {
  const fresh = freshCli(root);
  if (fresh.entry !== undefined) return fresh.entry;
  try {
    return await buildCli(root, { quiet: true });
  } catch (error) {
    process.stderr.write(`boardlab: ${fresh.stale} and the CLI could not be rebuilt (${error.message}); running the TypeScript sources through tsx\n`);
    return undefined;
  }
}

const entry = process.env.BOARDLAB_CLI === 'source' ? undefined : await prebuiltEntry();
let main;
if (entry !== undefined) {
  ({ main } = await import(pathToFileURL(entry).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
