// The `--tier interp|jit` option, defined once for every command that builds a machine to run a
// guest (`run` with its gdb, QMP and trace modes, `lesson check`): its values, its help text, and
// its parsing for `run`'s own parser and for commander.
import { Option } from 'commander';
import type { ExecutionTier } from '../engine/cpu/contract.ts';
import { InputError } from './board-files.ts';

const TIERS: readonly ExecutionTier[] = ['interp', 'jit'];

export const TIER_HELP = 'which tier runs guest code: interp (the interpreter alone) or jit (hot code compiled to WebAssembly, the default; exact either way)';

/** The tier `--tier VALUE` names; InputError naming the choices for anything else. */
export function parseTier(value: string | undefined): ExecutionTier {
  const tier = TIERS.find((t) => t === value);
  if (tier === undefined) throw new InputError(`--tier ${value === undefined ? 'needs a value' : `"${value}" is not a tier`}: choose ${TIERS.join(' or ')}`);
  return tier;
}

/** `--tier <tier>` for a commander command (commander refuses other values itself). */
export function tierOption(): Option {
  return new Option('--tier <tier>', TIER_HELP).choices(TIERS);
}
