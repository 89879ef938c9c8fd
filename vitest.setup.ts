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
const suiteTier = environmentTier();
if (suiteTier !== undefined) {
  const build = Machine.build.bind(Machine);
  Machine.build = (board, images, options = {}) => build(board, images, { ...options, tier: options.tier ?? suiteTier });
}
