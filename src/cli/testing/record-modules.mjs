// For tests: writes the URL of every module a Node process resolves to the file named by
// BOARDLAB_RECORD_MODULES, one a line — which files a `boardlab` run really loaded.
// Use: BOARDLAB_RECORD_MODULES=/tmp/list node --import ./record-modules.mjs bin/boardlab.js …
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url, { data: { file: process.env.BOARDLAB_RECORD_MODULES ?? '' } });

let recordTo = '';

export function initialize(data) {
  recordTo = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (recordTo !== '') appendFileSync(recordTo, `${result.url}\n`);
  return result;
}
