// Tests build machines directly (Machine.build is synchronous), so every engine module the catalog
// names is loaded first, as the real entry points load a board's modules before building it.
// Registry tests use registries of their own, which start empty.
import { engineModules } from './src/engine/registry.ts';

await engineModules.loadCatalogModules();
