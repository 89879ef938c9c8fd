// For tests: makes one engine module really fail to load in a Node process, as an unreachable
// chunk does in the browser. Use: BOARDLAB_FAIL_MODULE=led node --import ./fail-module.mjs
// bin/boardlab.js … — every import of the module's file then rejects: src/engine/devices/led.ts
// (the sources through tsx) or the prebuilt CLI's chunk dist-cli/<build>/engine/devices/led.js.
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) register(import.meta.url, { data: { file: process.env.BOARDLAB_FAIL_MODULE ?? '' } });

let failing = '';

export function initialize(data) {
  failing = data.file;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (failing === '') return result;
  const file = /\/src\/engine\/devices\/([^/]+\.ts)$/.exec(result.url) ?? /\/dist-cli\/[^/]+\/engine\/devices\/([^/]+\.js)$/.exec(result.url);
  if (file !== null && file[1].replace(/\.[jt]s$/, '') === failing) throw new Error(`simulated failure: cannot load ${file[1]}`);
  return result;
}
