// BOARDLAB_TIER=interp|jit: the tier guest code runs on when nothing else says (the default is the
// compiling tier, 'jit'). Read here only, by the CLI (every machine `boardlab run` and `lesson
// check` build) and by the test setup (every machine a test builds, vitest.setup.ts): the suites run
// once per tier by setting it (vitest.config.ts), and each `boardlab` they spawn inherits it.
import type { ExecutionTier } from '../engine/cpu/contract.ts';
import { InputError } from './board-files.ts';

const TIER_VARIABLE = 'BOARDLAB_TIER';
const TIERS: readonly ExecutionTier[] = ['interp', 'jit'];

/** The tier BOARDLAB_TIER names, undefined when it is unset or empty; InputError for anything else. */
export function environmentTier(env: Readonly<Record<string, string | undefined>> = process.env): ExecutionTier | undefined {
  const value = env[TIER_VARIABLE];
  if (value === undefined || value === '') return undefined;
  const tier = TIERS.find((t) => t === value);
  if (tier === undefined) throw new InputError(`${TIER_VARIABLE}="${value}" is not a tier: set it to ${TIERS.join(' or ')}, or unset it for the default (jit)`);
  return tier;
}
