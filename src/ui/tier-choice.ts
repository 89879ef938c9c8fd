// The execution tier the user chose in the run panel: kept across reloads (localStorage), and a
// `?tier=interp` (or `?tier=jit`) URL parameter for teaching links, which wins over the saved choice
// without replacing it.
import { parseTier } from '../workers/tiers.ts';
import type { ExecutionTier } from '../workers/emulator.worker.ts';

const TIER_KEY = 'boardlab.runTier';

/** The engine's default: hot code compiled to WebAssembly. */
const DEFAULT_TIER: ExecutionTier = 'jit';

/** The tier the page starts on: the URL's `tier` parameter, else the saved choice, else the default. */
export function startingTier(search: string, storage: Pick<Storage, 'getItem'> | undefined): ExecutionTier {
  const fromUrl = parseTier(new URLSearchParams(search).get('tier'));
  if (fromUrl !== undefined) return fromUrl;
  let saved: string | null = null;
  try {
    saved = storage?.getItem(TIER_KEY) ?? null;
  } catch {
    // storage refused (a private window): the default
  }
  return parseTier(saved) ?? DEFAULT_TIER;
}

/** Remembers the user's choice for the next page load. */
export function saveTier(storage: Pick<Storage, 'setItem'> | undefined, tier: ExecutionTier): void {
  try {
    storage?.setItem(TIER_KEY, tier);
  } catch {
    // storage refused: the choice lasts this page only
  }
}
