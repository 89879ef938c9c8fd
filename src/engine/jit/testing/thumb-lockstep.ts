// The property of #16 points 2 and 5 for one generated Thumb-2 program: two identical Cortex-M3
// cores, one interpreting and one compiling, run the same sequence of random run() budgets, with
// IRQ 0 raised the same way between runs, SysTick called back at the same virtual time (time moves
// on while both sleep), and now and then the compiling one switched to the interpreter and back;
// after every run() they must be identical (registers, xPSR, stack pointers, masks, CONTROL,
// counters, SRAM and flash, every trap with the instructions retired when it came, every device
// access). A failure names the run, then replays the program to name the first instruction where
// the tiers part (localise.ts).
import type { ExecutionTier } from '../../cpu/contract.ts';
import { disassembleThumb, ThumbDisassemblyContext } from '../../cpu/arm/disasm.ts';
import { firstDifferingBudget } from './localise.ts';
import { Random } from './random.ts';
import { type GeneratedThumbProgram, generateThumbProgram } from './thumb-program-generator.ts';
import { bootThumb, NS_PER_INSTRUCTION, type TierCore } from './thumb-cores.ts';
import { shrinkProgram } from './shrink.ts';
import { firstLogDifference } from './tier-board.ts';

const MAX_BUDGET = 5000;
const RAISE_CHANCE = 0.12;
const SWITCH_CHANCE = 0.08;
/** SysTick callbacks in one run() at most (a reload of 40 cycles in a 5000-instruction run: ~125). */
const MAX_TIMER_SLICES = 1000;

export interface ThumbTrapRecord {
  kind: string;
  cause: number;
  pc: number;
  value: number;
  /** Instructions retired when the trap was taken. */
  retired: number;
}

export interface ThumbBoard {
  tier: ExecutionTier;
  core: TierCore;
  traps: ThumbTrapRecord[];
}

export interface ThumbLockstepOptions {
  runs: number;
  /** The two tiers compared (default interp against jit). */
  tiers?: readonly [ExecutionTier, ExecutionTier];
  /** Page entries before the compiling side compiles a page. */
  jitThreshold?: number;
  /** Called after run `run` (0-based) on both boards, before they are compared: a harness test perturbs one side here. */
  afterRun?: (run: number, boards: readonly [ThumbBoard, ThumbBoard]) => void;
  /** The second core's device reads return one more (the harness's own tests: the sides part at a device read). */
  skewSecondDevice?: boolean;
  /** Replay a failure to name its first differing instruction (default true). */
  localise?: boolean;
}

export interface ThumbLockstepResult {
  boards: readonly [ThumbBoard, ThumbBoard];
  /** Instructions each board executed. */
  executed: number;
  failure?: string;
}

interface Step {
  budget: number;
  raise: boolean;
  switchTier: boolean;
}

function schedule(seed: number, runs: number): Step[] {
  const rnd = new Random(seed ^ 0x2c1b_3c6d);
  return Array.from({ length: runs }, () => ({
    budget: rnd.chance(0.3) ? rnd.int(1, 12) : rnd.chance(0.4) ? rnd.int(1, 300) : rnd.int(1, MAX_BUDGET),
    raise: rnd.chance(RAISE_CHANCE),
    switchTier: rnd.chance(SWITCH_CHANCE),
  }));
}

export function bootThumbBoard(program: GeneratedThumbProgram, tier: ExecutionTier, jitThreshold: number, deviceReadSkew = 0): ThumbBoard {
  const core = bootThumb(program.source, tier, jitThreshold, deviceReadSkew);
  const traps: ThumbTrapRecord[] = [];
  core.cpu.onTrap = (trap) => traps.push({ kind: trap.kind, cause: trap.cause, pc: trap.pc, value: trap.value, retired: core.cpu.retiredNow() });
  return { tier, core, traps };
}

/**
 * run(budget) as a machine's scheduler does it: in slices that end where SysTick asked to be called
 * back, calling it there; while the core sleeps, virtual time skips to the callback.
 */
export function runThumb(core: TierCore, budget: number): number {
  let done = 0;
  for (let slice = 0; slice < MAX_TIMER_SLICES && done < budget; slice++) {
    const at = core.timer.at;
    const now = core.cpu.retiredNow() * NS_PER_INSTRUCTION + core.timer.skippedNs;
    if (at !== undefined && at <= now) {
      core.scs.timerCallback();
      continue;
    }
    if (core.cpu.waitingForInterrupt && at !== undefined) {
      core.timer.skippedNs += at - now;
      continue;
    }
    const left = budget - done;
    const wanted = at === undefined ? left : Math.min(left, Math.ceil((at - now) / NS_PER_INSTRUCTION));
    const ran = core.cpu.run(wanted);
    done += ran;
    if (ran < wanted && !core.cpu.waitingForInterrupt) break; // locked up, or stopped
    if (ran === 0 && at === undefined) break; // asleep with nothing to wake it
  }
  return done;
}

/** runThumb's count, or what it threw (with where, from the stack). */
function runOrThrown(core: TierCore, budget: number): number | string {
  try {
    return runThumb(core, budget);
  } catch (e) {
    return e instanceof Error ? `${e.message} (${e.stack?.split('\n')[1]?.trim() ?? 'no stack'})` : String(e);
  }
}

/** How many log entries the last comparison found equal. */
interface Checked {
  traps: number;
  accesses: number;
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** The first difference between two boards as "what: <tier> value, <tier> value"; undefined when identical. */
export function firstThumbDifference(a: ThumbBoard, b: ThumbBoard, checked: Checked = { traps: 0, accesses: 0 }): string | undefined {
  const differ = (what: string, va: number | boolean | undefined, vb: number | boolean | undefined) => {
    const show = (v: number | boolean | undefined) => (typeof v === 'number' ? `${hex(v)} (${v | 0})` : String(v));
    return `${what}: ${a.tier} ${show(va)}, ${b.tier} ${show(vb)}`;
  };
  const ca = a.core.cpu;
  const cb = b.core.cpu;
  if (ca.pc !== cb.pc) return differ('pc', ca.pc, cb.pc);
  for (let r = 0; r < 15; r++) if (ca.r[r] !== cb.r[r]) return differ(r === 13 ? 'sp' : r === 14 ? 'lr' : `r${r}`, ca.r[r], cb.r[r]);
  const scalars: Array<[string, (c: typeof ca) => number | boolean]> = [
    ['xPSR', (c) => c.xpsr],
    ['MSP', (c) => c.msp],
    ['PSP', (c) => c.psp],
    ['PRIMASK', (c) => c.primask],
    ['BASEPRI', (c) => c.basepri],
    ['FAULTMASK', (c) => c.faultmask],
    ['CONTROL', (c) => c.control],
    ['instret', (c) => c.instret],
    ['instructions retired', (c) => c.retiredNow()],
    ['sleeping', (c) => c.waitingForInterrupt],
    ['locked up', (c) => c.lockedUp],
  ];
  for (const [name, get] of scalars) if (get(ca) !== get(cb)) return differ(name, get(ca), get(cb));
  if (a.core.timer.at !== b.core.timer.at) return differ('SysTick callback time (ns)', a.core.timer.at, b.core.timer.at);
  const traps = firstLogDifference('trap', [a.tier, b.tier], checked.traps, a.traps, b.traps, (t) => `${t.kind} ${t.cause} at pc ${hex(t.pc)} value ${hex(t.value)} after ${t.retired} instructions`);
  if (traps !== undefined) return traps;
  const accesses = firstLogDifference('device access', [a.tier, b.tier], checked.accesses, a.core.device, b.core.device, (d) => `${d.write ? 'write' : 'read'} at +0x${d.offset.toString(16)} value ${hex(d.value)} after ${d.retired} instructions`);
  if (accesses !== undefined) return accesses;
  checked.traps = a.traps.length;
  checked.accesses = a.core.device.length;
  for (const [name, base, ma, mb] of [['SRAM', 0x2000_0000, a.core.sram, b.core.sram], ['flash', 0, a.core.flash, b.core.flash]] as const) {
    const wa = new Int32Array(ma.buffer, ma.byteOffset, ma.length >>> 2);
    const wb = new Int32Array(mb.buffer, mb.byteOffset, mb.length >>> 2);
    for (let i = 0; i < wa.length; i++) {
      if (wa[i] !== wb[i]) {
        let byte = i * 4;
        while (ma[byte] === mb[byte]) byte++;
        return differ(`${name} byte at ${hex(base + byte)}`, ma[byte], mb[byte]);
      }
    }
  }
  return undefined;
}


/**
 * Both boards after the runs before `run` of the schedule and run `run` itself with `lastBudget`
 * (the whole schedule when `run` is past its end); the first difference after each run stops it.
 */
function play(program: GeneratedThumbProgram, options: ThumbLockstepOptions, steps: readonly Step[], run: number, lastBudget?: number) {
  const [tierA, tierB] = options.tiers ?? ['interp', 'jit'];
  const jitThreshold = options.jitThreshold ?? 0;
  const boards = [bootThumbBoard(program, tierA, jitThreshold), bootThumbBoard(program, tierB, jitThreshold, options.skewSecondDevice ? 1 : 0)] as const;
  const checked = { traps: 0, accesses: 0 };
  let executed = 0;
  let switched = false;
  for (let i = 0; i <= Math.min(run, steps.length - 1); i++) {
    const { raise, switchTier } = steps[i];
    const budget = i === run && lastBudget !== undefined ? lastBudget : steps[i].budget;
    if (raise) for (const board of boards) board.core.scs.setIrqLevel(0, true);
    // the second side runs this run on the interpreter, and goes back to its tier after it
    if (switchTier !== switched) {
      switched = switchTier;
      boards[1].core.cpu.tiers.setTier(switched ? 'interp' : tierB);
    }
    // an engine that throws is a failure of its own (a guest must never crash it), named like a difference
    const na = runOrThrown(boards[0].core, budget);
    const nb = runOrThrown(boards[1].core, budget);
    if (typeof na === 'number') executed += na;
    options.afterRun?.(i, boards);
    const thrown = typeof na === 'string' || typeof nb === 'string' ? `run() threw: ${tierA} ${String(na)}, ${tierB} ${String(nb)}` : undefined;
    const difference = thrown ?? (na !== nb ? `run() returned ${tierA} ${na}, ${tierB} ${nb}` : firstThumbDifference(boards[0], boards[1], checked));
    if (difference !== undefined) return { boards, executed, failedRun: i, budget, switched, difference };
  }
  return { boards, executed };
}

export function runThumbLockstep(program: GeneratedThumbProgram, options: ThumbLockstepOptions): ThumbLockstepResult {
  const steps = schedule(program.seed, options.runs);
  const result = play(program, options, steps, steps.length);
  if (result.failedRun === undefined) return { boards: result.boards, executed: result.executed };
  const { failedRun, budget, difference, switched } = result;
  const [tierA, tierB] = options.tiers ?? ['interp', 'jit'];
  const where =
    `seed ${program.seed} (${program.features}${options.jitThreshold ? `, jitThreshold ${options.jitThreshold}` : ''}), run() #${failedRun + 1} of ${options.runs}` +
    ` (budget ${budget}${steps[failedRun].raise ? ', IRQ 0 raised before it' : ''}${switched ? `, ${tierB} side switched to interp` : ''}, ${result.executed} instructions in): ${difference}`;
  let first = '';
  if (options.localise !== false) {
    const at = firstDifferingBudget(budget, (b) => play(program, options, steps, failedRun, b).failedRun === failedRun);
    const before = play(program, options, steps, failedRun, at - 1).boards[0];
    const after = play(program, options, steps, failedRun, at);
    // compiled code runs a block whole or not at all: the culprit is this instruction or an earlier one of its block
    first = `\n  first difference after instruction ${at} of that run, ${describeInstruction(before, tierA)}: ${after.difference ?? '(not reproduced)'}`;
  }
  return { boards: result.boards, executed: result.executed, failure: `${where}${first}\n  reproduce with THUMB_TIERS_SEED=${program.seed} npx vitest run src/engine/jit/tiers-thumb-property.test.ts` };
}

/** The instruction a board is about to run: pc, disassembly, and whether it sleeps or an exception is due. */
function describeInstruction(board: ThumbBoard, tier: ExecutionTier): string {
  const cpu = board.core.cpu;
  const pc = cpu.pc >>> 0;
  const flash = board.core.flash;
  const sram = board.core.sram;
  const read16 = (address: number) => {
    const bytes = address < flash.length ? flash : address >= 0x2000_0000 && address - 0x2000_0000 < sram.length ? sram : undefined;
    const offset = bytes === flash ? address : address - 0x2000_0000;
    return bytes === undefined || offset + 1 >= bytes.length ? undefined : bytes[offset] | (bytes[offset + 1] << 8);
  };
  const line = disassembleThumb(read16, pc, new ThumbDisassemblyContext());
  const text = line === undefined ? '(not in memory)' : `${line.bytes}  ${line.text.replace(/\t+/g, ' ').trim()}`;
  return `the ${tier} side at pc ${hex(pc)}: ${text}${cpu.waitingForInterrupt ? ' (sleeping)' : ''}`;
}

/** At most this many programs are tried while shrinking a failing one. */
const SHRINK_ATTEMPTS = 200;

/** The failing program of `seed` with as many statements left out as still fail, and its failure. */
export function shrinkThumbFailure(seed: number, fails: (program: GeneratedThumbProgram) => string | undefined): { program: GeneratedThumbProgram; failure: string } | undefined {
  return shrinkProgram((drop) => generateThumbProgram(seed, drop === undefined ? undefined : { drop }), fails, SHRINK_ATTEMPTS);
}

/** The program's main and functions as assembler source (setup and handlers left out: the same in every program), labels that nothing uses dropped. */
export function thumbListing(program: GeneratedThumbProgram): string {
  const lines = program.source.split('\n');
  const from = lines.indexOf('main:');
  const to = lines.indexOf('fault_handler:');
  const body = lines.slice(from, to - 1);
  const used = new Set(body.flatMap((l) => (l.endsWith(':') ? [] : (l.match(/[A-Za-z_]\w*/g) ?? []))));
  return body.filter((l) => !(l.endsWith(':') && /^s\d+_\d+:$/.test(l) && !used.has(l.slice(0, -1))) && !/^\s+(\.ltorg|b\.w pool\d+)$/.test(l) && !/^pool\d+:$/.test(l)).join('\n');
}
