// Tests build machines directly (Machine.build is synchronous), so every engine module the catalog
// names is loaded first, as the real entry points load a board's modules before building it.
// Registry tests use registries of their own, which start empty.
import { environmentTier } from './src/cli/tier-environment.ts';
import { Machine } from './src/engine/machine.ts';
import { engineModules } from './src/engine/registry.ts';

await engineModules.loadCatalogModules();

// Each suite runs once per tier (vitest.config.ts sets BOARDLAB_TIER): every machine a test builds
// runs its guest on that tier unless the test names a tier itself (as the tests comparing the two
// tiers do), the way `boardlab` takes it for the machines it builds (src/cli/tier-environment.ts).
// A worker that runs several test files in one module graph (isolate: false, vitest.config.ts) runs
// this file once per test file: Machine.build is wrapped the first time only.
const suiteTier = environmentTier();
const WRAPPED = Symbol.for('boardlab.test.suiteTier');
if (suiteTier !== undefined && !(WRAPPED in Machine.build)) {
  const build = Machine.build.bind(Machine);
  const onSuiteTier: typeof Machine.build = (board, images, options = {}) => build(board, images, { ...options, tier: options.tier ?? suiteTier });
  Machine.build = Object.assign(onSuiteTier, { [WRAPPED]: suiteTier });
}
