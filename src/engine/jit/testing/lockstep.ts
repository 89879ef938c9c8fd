// The property of #16 point 2 for one generated program: two identical boards, one interpreting and
// one compiling, run the same sequence of random run() budgets (1-5000) with the same interrupt
// lines raised between runs (and the compiling one now and then switched to the interpreter and
// back, as a user may), and must be identical (firstDifference) after every run(). A failure names
// the run, then replays the program to name the first instruction where the tiers part.
import type { ExecutionTier } from '../../cpu/contract.ts';
import { disassemble, formatInstruction, formatInstructionBytes, instructionLength } from '../../cpu/riscv/disasm.ts';
import { DEVICE_LINES, type GeneratedProgram, LAYOUT, generateProgram } from './program-generator.ts';
import { firstDifferingBudget } from './localise.ts';
import { Random } from './random.ts';
import { type TierBoard, createTierBoard, firstDifference, tiersOf } from './tier-board.ts';
import { shrinkProgram } from './shrink.ts';

const MAX_BUDGET = 5000;
/** How often the harness raises an interrupt line (the same on both boards) before a run. */
const RAISE_CHANCE = 0.15;
/** How often the second board runs a run on the interpreter (switched before it and back after it), as a user may switch between runs. */
const SWITCH_CHANCE = 0.08;

export interface LockstepOptions {
  /** run() calls on each board. */
  runs: number;
  /** The two tiers compared (default interp against jit). */
  tiers?: readonly [ExecutionTier, ExecutionTier];
  /** Page entries before the compiling side compiles a page (default 0: at the first entry; higher: code moves between the tiers mid-run). */
  jitThreshold?: number;
  /** Called once the boards are built, before the first run: a harness test perturbs one side's devices here. */
  prepare?: (boards: readonly [TierBoard, TierBoard]) => void;
  /** Called after run `run` (0-based) on both boards, before they are compared: a harness test perturbs one side here. */
  afterRun?: (run: number, boards: readonly [TierBoard, TierBoard]) => void;
  /** Replay a failure to name its first differing instruction (default true; localise.ts). */
  localise?: boolean;
}

export interface LockstepResult {
  boards: readonly [TierBoard, TierBoard];
  /** Instructions each board executed (the same on both when there is no failure). */
  executed: number;
  /** Undefined when both boards stayed identical; else the seed, the run, its budget and the first difference. */
  failure?: string;
}

/** The budgets and line raises of the runs, from the program's seed (a stream apart from the program's). */
function schedule(seed: number, runs: number): Array<{ budget: number; raise: number; switchTier: boolean }> {
  const rnd = new Random(seed ^ 0x5bd1_e995);
  return Array.from({ length: runs }, () => {
    const budget = rnd.chance(0.3) ? rnd.int(1, 12) : rnd.chance(0.4) ? rnd.int(1, 300) : rnd.int(1, MAX_BUDGET);
    const raise = rnd.chance(RAISE_CHANCE) ? rnd.int(1, (1 << DEVICE_LINES.length) - 1) : 0;
    return { budget, raise, switchTier: rnd.chance(SWITCH_CHANCE) };
  });
}

type Step = ReturnType<typeof schedule>[number];

/**
 * Both boards after the runs of the schedule before `run` and run `run` itself with `lastBudget`
 * (the whole schedule when `run` is past its end); the first difference after a run stops it.
 */
function play(program: GeneratedProgram, options: LockstepOptions, steps: readonly Step[], run: number, lastBudget?: number) {
  const [tierA, tierB] = options.tiers ?? ['interp', 'jit'];
  const boardOptions = { extensions: program.extensions, jitThreshold: options.jitThreshold ?? 0 };
  const boards = [createTierBoard(tierA, program.image, boardOptions), createTierBoard(tierB, program.image, boardOptions)] as const;
  options.prepare?.(boards);
  let executed = 0;
  const checked = { traps: 0, accesses: 0 };
  let switched = false;
  for (let i = 0; i <= Math.min(run, steps.length - 1); i++) {
    const { raise, switchTier } = steps[i];
    const budget = i === run && lastBudget !== undefined ? lastBudget : steps[i].budget;
    if (raise !== 0) for (const board of boards) board.device.raise(raise);
    // the second side runs this run on the interpreter, and goes back to its tier after it
    if (switchTier !== switched) {
      switched = switchTier;
      tiersOf(boards[1].cpu)?.setTier(switched ? 'interp' : tierB);
    }
    const na = boards[0].cpu.run(budget);
    const nb = boards[1].cpu.run(budget);
    executed += na;
    options.afterRun?.(i, boards);
    const difference = na !== nb ? `run() returned ${tierA} ${na}, ${tierB} ${nb}` : firstDifference(boards[0], boards[1], checked);
    if (difference !== undefined) return { boards, executed, failedRun: i, budget, raise, switched, difference };
  }
  return { boards, executed };
}

export function runLockstep(program: GeneratedProgram, options: LockstepOptions): LockstepResult {
  const [tierA, tierB] = options.tiers ?? ['interp', 'jit'];
  const steps = schedule(program.seed, options.runs);
  const result = play(program, options, steps, steps.length);
  if (result.failedRun === undefined) return { boards: result.boards, executed: result.executed };
  const { failedRun, budget, raise, switched, difference, executed } = result;
  const isa = `RV32I${program.extensions}`;
  const raised = (raise !== 0 ? `, lines 0b${raise.toString(2)} raised before it` : '') + (switched ? `, ${tierB} side switched to interp` : '');
  let first = '';
  if (options.localise !== false) {
    const at = firstDifferingBudget(budget, (b) => play(program, options, steps, failedRun, b).failedRun === failedRun);
    const before = play(program, options, steps, failedRun, at - 1).boards[0];
    const after = play(program, options, steps, failedRun, at);
    // compiled code runs a block whole or not at all: the culprit is this instruction or an earlier one of its block
    first = `\n  first difference after instruction ${at} of that run, the ${tierA} side at pc ${describeInstruction(before)}: ${after.difference ?? '(not reproduced)'}`;
  }
  return {
    boards: result.boards,
    executed,
    failure:
      `seed ${program.seed} (${isa}${options.jitThreshold ? `, jitThreshold ${options.jitThreshold}` : ''}), run() #${failedRun + 1} of ${options.runs} (budget ${budget}${raised}, ${executed} instructions in): ${difference}` +
      `${first}\n  reproduce with TIERS_SEED=${program.seed} npx vitest run src/engine/jit/tiers-property.test.ts`,
  };
}

/** The instruction a board's hart is about to run: its address and disassembly. */
function describeInstruction(board: TierBoard): string {
  const pc = board.cpu.pc >>> 0;
  const offset = pc - board.ram.base;
  const u8 = board.ram.u8;
  if (offset < 0 || offset + 2 > u8.length) return `0x${pc.toString(16)} (not in RAM)`;
  const low = u8[offset] | (u8[offset + 1] << 8);
  const length = instructionLength(low);
  const raw = length === 4 ? (low | (u8[offset + 2] << 16) | (u8[offset + 3] << 24)) >>> 0 : low;
  return `0x${pc.toString(16)}: ${formatInstructionBytes(raw, length)} ${formatInstruction(disassemble(raw, pc)).replace(/\t/g, ' ')}${board.cpu.waitingForInterrupt ? ' (waiting for an interrupt)' : ''}`;
}

/** At most this many programs are tried while shrinking a failing one (each is a lockstep run). */
const SHRINK_ATTEMPTS = 400;

/**
 * The failing program of `seed` with as many statements left out as still fail (greedy: halves,
 * quarters… then one at a time), and its failure. `fails` runs one candidate.
 */
export function shrinkFailure(seed: number, fails: (program: GeneratedProgram) => string | undefined): { program: GeneratedProgram; failure: string } | undefined {
  return shrinkProgram((drop) => generateProgram(seed, drop), fails, SHRINK_ATTEMPTS);
}

/** The program's code as objdump would list it (runs of zero padding left out). */
export function listing(program: GeneratedProgram): string {
  const lines: string[] = [];
  const image = program.image;
  const end = LAYOUT.data - LAYOUT.ramBase;
  let zeros = 0;
  for (let offset = 0; offset < end; ) {
    const low = image[offset] | (image[offset + 1] << 8);
    const length = instructionLength(low);
    const raw = length === 4 ? (low | (image[offset + 2] << 16) | (image[offset + 3] << 24)) >>> 0 : low;
    const address = LAYOUT.ramBase + offset;
    offset += length;
    if (raw === 0) {
      if (++zeros === 2) lines.push('\t...');
      if (zeros >= 2) continue;
    } else {
      zeros = 0;
    }
    lines.push(`${address.toString(16)}:\t${formatInstructionBytes(raw, length)}\t${formatInstruction(disassemble(raw, address))}`);
  }
  return lines.join('\n');
}
