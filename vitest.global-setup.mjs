// Before any suite runs: the prebuilt CLI (bin/boardlab.js, scripts/prebuilt-cli.mjs) is made fresh
// once, so the tests that spawn `boardlab` in parallel neither build it at the same time nor count
// a build in their time. (Each spawned `boardlab` still checks freshness for itself.)
import { fileURLToPath } from 'node:url';
import { buildCli, freshCli } from './scripts/prebuilt-cli.mjs';

export default async function buildPrebuiltCli() {
  const root = fileURLToPath(new URL('.', import.meta.url));
  if (freshCli(root).entry === undefined) await buildCli(root);
}
