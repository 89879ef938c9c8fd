// For tests: makes one engine module really fail to load in a Node process, as an unreachable
// chunk does in the browser. Use: BOARDLAB_FAIL_MODULE=led node --import ./fail-module.mjs
// bin/boardlab.js … — every import of src/engine/devices/led.ts then rejects.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url, { data: { file: process.env.BOARDLAB_FAIL_MODULE ?? '' } });

let failing = '';

export function initialize(data) {
  failing = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (failing !== '' && result.url.endsWith(`/src/engine/devices/${failing}.ts`)) {
    throw new Error(`simulated failure: cannot load ${failing}.ts`);
  }
  return result;
}
