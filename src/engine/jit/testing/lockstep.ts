// The property of #16 point 2 for one generated program: two identical boards, one interpreting and
// one compiling, run the same sequence of random run() budgets (1-5000) with the same interrupt
// lines raised between runs, and must be identical (firstDifference) after every run().
import type { ExecutionTier } from '../../cpu/contract.ts';
import type { GeneratedProgram } from './program-generator.ts';
import { DEVICE_LINES } from './program-generator.ts';
import { Random } from './random.ts';
import { type TierBoard, createTierBoard, firstDifference } from './tier-board.ts';

const MAX_BUDGET = 5000;
/** How often the harness raises an interrupt line (the same on both boards) before a run. */
const RAISE_CHANCE = 0.15;

export interface LockstepOptions {
  /** run() calls on each board. */
  runs: number;
  /** The two tiers compared (default interp against jit). */
  tiers?: readonly [ExecutionTier, ExecutionTier];
  /** Called once the boards are built, before the first run: a harness test perturbs one side's devices here. */
  prepare?: (boards: readonly [TierBoard, TierBoard]) => void;
  /** Called after run `run` (0-based) on both boards, before they are compared: a harness test perturbs one side here. */
  afterRun?: (run: number, boards: readonly [TierBoard, TierBoard]) => void;
}

export interface LockstepResult {
  boards: readonly [TierBoard, TierBoard];
  /** Instructions each board executed (the same on both when there is no failure). */
  executed: number;
  /** Undefined when both boards stayed identical; else the seed, the run, its budget and the first difference. */
  failure?: string;
}

/** The budgets and line raises of the runs, from the program's seed (a stream apart from the program's). */
function schedule(seed: number, runs: number): Array<{ budget: number; raise: number }> {
  const rnd = new Random(seed ^ 0x5bd1_e995);
  return Array.from({ length: runs }, () => {
    const budget = rnd.chance(0.3) ? rnd.int(1, 12) : rnd.chance(0.4) ? rnd.int(1, 300) : rnd.int(1, MAX_BUDGET);
    const raise = rnd.chance(RAISE_CHANCE) ? rnd.int(1, (1 << DEVICE_LINES.length) - 1) : 0;
    return { budget, raise };
  });
}

export function runLockstep(program: GeneratedProgram, options: LockstepOptions): LockstepResult {
  const [tierA, tierB] = options.tiers ?? ['interp', 'jit'];
  const boardOptions = { extensions: program.extensions };
  const boards = [createTierBoard(tierA, program.image, boardOptions), createTierBoard(tierB, program.image, boardOptions)] as const;
  options.prepare?.(boards);
  let executed = 0;
  const checked = { traps: 0, accesses: 0 };
  const steps = schedule(program.seed, options.runs);
  for (const [run, { budget, raise }] of steps.entries()) {
    if (raise !== 0) for (const board of boards) board.device.raise(raise);
    const na = boards[0].cpu.run(budget);
    const nb = boards[1].cpu.run(budget);
    executed += na;
    options.afterRun?.(run, boards);
    const difference = na !== nb ? `run() returned ${tierA} ${na}, ${tierB} ${nb}` : firstDifference(boards[0], boards[1], checked);
    if (difference !== undefined) {
      const isa = program.compressed ? 'RV32IMC' : 'RV32IM (no C)';
      const raised = raise !== 0 ? `, lines 0b${raise.toString(2)} raised before it` : '';
      return {
        boards,
        executed,
        failure:
          `seed ${program.seed} (${isa}), run() #${run + 1} of ${options.runs} (budget ${budget}${raised}, ${executed} instructions in): ${difference}` +
          ` — reproduce with TIERS_SEED=${program.seed} npx vitest run src/engine/jit/tiers-property.test.ts`,
      };
    }
  }
  return { boards, executed };
}
