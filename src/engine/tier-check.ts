// `--tier-check`: the same board on both tiers side by side — one machine on the interpreter, one on
// the compiling tier — run in lockstep chunks and compared in full after each (every register the
// debug contract lists with the pc and the CSRs, ARM's memory-mapped system registers, instret,
// virtual time, every RAM region, the serial and console output so far, the traps taken). Both tiers
// must retire exactly the same instructions (issue #16), so any difference is a bug of one of them.
// On a difference both machines go back to the chunk's start (machine snapshots) and run again in
// ever smaller chunks, then one instruction at a time, to the first instruction after which their
// states differ: the check names it (hart, instruction count, pc, disassembly) and what differs.
import type { CpuCore, ExecutionTier } from './cpu/contract.ts';
import type { Machine, MachineExit, MachineOptions, MachineSnapshot } from './machine.ts';
import { blockBytes } from './devices/device.ts';
import { stuckForGood } from './guest-status.ts';
import { fetchReader } from './trace.ts';
import type { TrapEvent } from './trap-events.ts';

/** Builds one machine of the board on `tier`, with `options` (the check's output and trap recorders) merged into its own. */
export type TierMachineFactory = (tier: ExecutionTier, options: MachineOptions) => Machine;

export interface TierCheckOptions {
  /** Instructions per lockstep chunk (default DEFAULT_CHUNK). */
  chunk?: number;
  /** Stop, agreeing so far, after this many steps (instructions retired or trapping, as `--max-instructions` counts). */
  maxInstructions?: number;
  /** Stop, agreeing so far, soon after this moment (performance.now() milliseconds). */
  deadline?: number;
  /** Output (serial ports and the semihosting console) both tiers wrote alike, as each chunk is found to agree. */
  onAgreedOutput?: (bytes: Uint8Array) => void;
}

/** One thing that differs between the two machines, with its value on each tier. */
export interface StateDifference {
  /** "x5 (t0)", "ram.mem byte 0x1f0", "serial output byte 12", "traps taken". */
  what: string;
  interp: string;
  jit: string;
}

/** The first instruction after which the tiers' states differ. */
export interface TierDivergence {
  /** The hart that ran it (the interpreter's; when the compiling tier ran another, a difference says so). */
  cpu: string;
  /** Instructions the board had retired before it (so `--max-instructions` of this many stops just before it). */
  instructionsBefore: number;
  pc: number;
  /** Its disassembly, as the hart saw its bytes before running it ("addi t0,t0,1"). */
  disassembly: string;
  differences: StateDifference[];
}

/** Why a run on which the tiers agree ended: the guest stopped the board, every CPU waits for an interrupt nothing can raise or is stuck for good (a trap loop, a lockup), or a limit. */
export type TierCheckEnd = 'halted' | 'idle' | 'stuck' | 'limit' | 'deadline';

export type TierCheckResult =
  | {
      same: true;
      end: TierCheckEnd;
      instructions: number;
      exit: MachineExit | null;
      /** CPUs whose compiling-tier side ran on the interpreter all along, and why: for them the check compared the interpreter with itself. */
      interpretedOnly: Array<{ cpu: string; reason: string }>;
    }
  | { same: false; divergence: TierDivergence };

/** Instructions per lockstep chunk: comparing every RAM region after each stays a small part of the run. */
const DEFAULT_CHUNK = 10_000_000;
/**
 * Steps between checkpoints (snapshots of both machines, which copy all their RAM): a difference
 * is found again by going back to the last checkpoint and running forward to the chunk's start.
 */
const CHECKPOINT_STEPS = 200_000_000;
/** Each narrowing pass splits the chunk that differs into this many parts. */
const NARROWING = 16;
/** At or below this many instructions, step one instruction at a time. */
const STEP_WINDOW = NARROWING;
/** Differences listed in a report (the first few say what went wrong; the rest follow from them). */
const MAX_DIFFERENCES = 8;
/** ARM's System Control Space words a debugger sees (SysTick 0xE000E010–1C, SCB 0xE000ED00–3C), as offsets from 0xE000E000. */
const SYSTEM_REGISTER_OFFSETS = [0x010, 0x014, 0x018, 0x01c, ...Array.from({ length: 16 }, (_, i) => 0xd00 + i * 4)];

/** One side of the check: its machine and what it wrote and took so far. */
class Side {
  readonly machine: Machine;
  readonly output: number[] = [];
  readonly traps: string[] = [];
  /** Steps (instructions retired or trapping) its run() calls returned since it was built. */
  steps = 0;

  constructor(
    readonly tier: ExecutionTier,
    factory: TierMachineFactory,
  ) {
    this.machine = factory(tier, {
      tier,
      onSerialOutput: (_uart, byte) => this.output.push(byte),
      onConsoleOutput: (_cpu, bytes) => this.output.push(...bytes),
    });
    this.machine.addTrapListener((event: TrapEvent) => this.traps.push(describeTrapEvent(event)));
  }

  run(budget: number): number {
    const ran = this.machine.run(budget);
    this.steps += ran;
    return ran;
  }

  mark(): Mark {
    return { snapshot: this.machine.snapshot(), output: this.output.length, traps: this.traps.length, steps: this.steps };
  }

  rewind(mark: Mark): void {
    this.machine.restore(mark.snapshot);
    this.output.length = mark.output;
    this.traps.length = mark.traps;
    this.steps = mark.steps;
  }
}

interface Mark {
  snapshot: MachineSnapshot;
  output: number;
  traps: number;
  steps: number;
}

/** Both sides' snapshots at one point of the run, to go back to. */
interface Checkpoint {
  interp: Mark;
  jit: Mark;
}

function describeTrapEvent(event: TrapEvent): string {
  return `${event.causeName} on ${event.cpu} at pc ${hex(event.pc)} (value ${hex(event.value)}, handler ${hex(event.handler)}, instret ${event.instret})`;
}

const hex = (value: number | bigint): string => `0x${value.toString(16)}`;

/** The bytes of every RAM region of the machine, by "<device path>.<region>" (as snapshots name them). */
function ramRegions(machine: Machine): Map<string, Uint8Array> {
  const regions = new Map<string, Uint8Array>();
  for (const [path, device] of machine.devices) {
    for (const [name, region] of device.regions) if (region.kind === 'ram') regions.set(`${path}.${name}`, blockBytes(region));
  }
  return regions;
}

/** Index of the first byte where a and b differ (compared a word at a time), or -1. */
function firstDifferentByte(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  const words = a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 ? length >>> 2 : 0;
  const wa = new Uint32Array(a.buffer, a.byteOffset, words);
  const wb = new Uint32Array(b.buffer, b.byteOffset, words);
  let start = words * 4;
  for (let i = 0; i < words; i++) {
    if (wa[i] !== wb[i]) {
      start = i * 4;
      break;
    }
  }
  for (let i = start; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}

function registerName(cpu: CpuCore, index: number): string {
  const info = cpu.debug.registers[index];
  return info.aliases.length > 0 && info.group === 'general' ? `${info.aliases[0]} (${info.name})` : info.name;
}

/** What differs between the two sides' complete states, the first few things. */
function differences(interp: Side, jit: Side): StateDifference[] {
  const found: StateDifference[] = [];
  const add = (what: string, a: string, b: string) => {
    if (found.length < MAX_DIFFERENCES) found.push({ what, interp: a, jit: b });
  };
  const a = interp.machine;
  const b = jit.machine;
  if (a.instructions !== b.instructions) add('instructions retired', String(a.instructions), String(b.instructions));
  if (a.clock.now() !== b.clock.now()) add('virtual time (ns)', String(a.clock.now()), String(b.clock.now()));
  const exitA = JSON.stringify(a.exit);
  const exitB = JSON.stringify(b.exit);
  if (exitA !== exitB) add('exit', exitA, exitB);
  for (const path of a.cpuPaths) {
    const ca = a.cpu(path)!;
    const cb = b.cpu(path);
    if (cb === undefined) {
      add(`${path}`, 'present', 'missing');
      continue;
    }
    if (ca.instret !== cb.instret) add(`${path} instret`, String(ca.instret), String(cb.instret));
    if (ca.pc >>> 0 !== cb.pc >>> 0) add(`${path} pc`, hex(ca.pc >>> 0), hex(cb.pc >>> 0));
    ca.debug.registers.forEach((_info, index) => {
      if (index === ca.debug.pcIndex) return;
      const va = ca.debug.readRegisterBits(index);
      const vb = cb.debug.readRegisterBits(index);
      if (va !== vb) add(`${path} ${registerName(ca, index)}`, va === undefined ? 'absent' : hex(va), vb === undefined ? 'absent' : hex(vb));
    });
    if (ca.debug.peekSystemRegister !== undefined) {
      for (const offset of SYSTEM_REGISTER_OFFSETS) {
        const va = ca.debug.peekSystemRegister(offset);
        const vb = cb.debug.peekSystemRegister?.(offset);
        if (va !== vb) add(`${path} system register ${hex(0xe000e000 + offset)}`, va === undefined ? 'absent' : hex(va), vb === undefined ? 'absent' : hex(vb));
      }
    }
  }
  const outputAt = firstDifferentByte(Uint8Array.from(interp.output), Uint8Array.from(jit.output));
  if (outputAt >= 0) {
    const byte = (output: number[]) => (outputAt < output.length ? hex(output[outputAt]) : `none (${output.length} bytes written)`);
    add(`serial output byte ${outputAt}`, byte(interp.output), byte(jit.output));
  }
  const trapAt = interp.traps.findIndex((trap, i) => trap !== jit.traps[i]);
  if (trapAt >= 0 || interp.traps.length !== jit.traps.length) {
    const at = trapAt >= 0 ? trapAt : interp.traps.length;
    add(`trap ${at + 1}`, interp.traps[at] ?? 'none', jit.traps[at] ?? 'none');
  }
  const ramB = ramRegions(b);
  for (const [key, bytesA] of ramRegions(a)) {
    const bytesB = ramB.get(key);
    if (bytesB === undefined) {
      add(key, 'present', 'missing');
      continue;
    }
    const at = firstDifferentByte(bytesA, bytesB);
    if (at >= 0) add(`${key} byte ${hex(at)}`, at < bytesA.length ? hex(bytesA[at]) : 'absent', at < bytesB.length ? hex(bytesB[at]) : 'absent');
  }
  return found;
}

/** The CPUs of the compiling tier's machine that cannot compile (no tier in their core, or one unavailable here), with why. */
function interpretedOnly(machine: Machine): Array<{ cpu: string; reason: string }> {
  return machine.cpuPaths.flatMap((cpu) => {
    const tiers = machine.cpu(cpu)?.tiers;
    const reason = tiers === undefined ? 'its core has no compiling tier' : tiers.unavailable;
    return reason === undefined ? [] : [{ cpu, reason }];
  });
}

/** Run both sides `budget` steps; how many the interpreter's ran. */
function runBoth(interp: Side, jit: Side, budget: number): number {
  const ran = interp.run(budget);
  jit.run(budget);
  return ran;
}

/** Go back to `checkpoint` and run both sides forward until the interpreter's has taken `steps` steps (the same calls give the same run). */
function goTo(interp: Side, jit: Side, checkpoint: Checkpoint, steps: number): void {
  interp.rewind(checkpoint.interp);
  jit.rewind(checkpoint.jit);
  while (interp.steps < steps) if (runBoth(interp, jit, steps - interp.steps) === 0) break;
}

/** The instruction each hart is about to run: its pc and bytes (read before it runs: it may overwrite them). */
function nextInstructions(machine: Machine): Map<string, { pc: number; bytes: Uint8Array | undefined }> {
  const next = new Map<string, { pc: number; bytes: Uint8Array | undefined }>();
  for (const path of machine.cpuPaths) {
    const cpu = machine.cpu(path)!;
    const pc = cpu.pc >>> 0;
    const read = fetchReader(cpu);
    const length = cpu.debug.instructionLength(read, pc);
    next.set(path, { pc, bytes: length === undefined ? undefined : read(pc, length) });
  }
  return next;
}

function disassemble(cpu: CpuCore, pc: number, bytes: Uint8Array | undefined): string {
  if (bytes === undefined) return '(its bytes cannot be read)';
  const saved = (address: number, length: number) => {
    const offset = (address - pc) >>> 0;
    return offset + length <= bytes.length ? bytes.subarray(offset, offset + length) : undefined;
  };
  const line = cpu.debug.disassembly().next(saved, pc);
  return line === undefined ? '(cannot be disassembled)' : `${line.bytes}  ${line.text}`;
}

/**
 * The sides agree after `from` steps and differ after `to`: find the first instruction after which
 * they differ. Going back to `checkpoint` (taken at or before `from`), run forward in ever smaller
 * parts of the span, comparing after each, then one instruction at a time.
 */
function findDivergence(interp: Side, jit: Side, checkpoint: Checkpoint, from: number, to: number): TierDivergence {
  let start = from;
  let span = to - from;
  while (span > STEP_WINDOW) {
    goTo(interp, jit, checkpoint, start);
    const part = Math.ceil(span / NARROWING);
    for (let at = start; ; at += part) {
      const budget = Math.min(part, start + span - at);
      runBoth(interp, jit, budget);
      if (differences(interp, jit).length > 0 || at + budget >= start + span) {
        start = at;
        span = budget;
        break;
      }
    }
  }
  goTo(interp, jit, checkpoint, start);
  for (let step = 0; ; step++) {
    const instructionsBefore = interp.machine.instructions;
    const next = nextInstructions(interp.machine);
    runBoth(interp, jit, 1);
    const found = differences(interp, jit);
    // (they differ by the span's end: the check only comes here after seeing them differ)
    if (found.length === 0 && step + 1 < span) continue;
    const cpu = interp.machine.lastCpuRun ?? interp.machine.cpuPaths[0];
    if (jit.machine.lastCpuRun !== cpu) found.unshift({ what: 'hart that ran', interp: cpu, jit: jit.machine.lastCpuRun ?? 'none' });
    const { pc, bytes } = next.get(cpu) ?? { pc: 0, bytes: undefined };
    return { cpu, instructionsBefore, pc, disassembly: disassemble(interp.machine.cpu(cpu)!, pc, bytes), differences: found };
  }
}

/**
 * Run the board `factory` builds on both tiers in lockstep until it halts, idles, gets stuck or
 * reaches a limit, comparing complete states after every chunk; on the first difference, find and
 * name the first instruction after which the states differ.
 */
export function checkTiers(factory: TierMachineFactory, options: TierCheckOptions = {}): TierCheckResult {
  const interp = new Side('interp', factory);
  const jit = new Side('jit', factory);
  const chunk = options.chunk ?? DEFAULT_CHUNK;
  const limit = options.maxInstructions ?? Infinity;
  const deadline = options.deadline ?? Infinity;
  let agreedOutput = 0;
  let checkpoint: Checkpoint = { interp: interp.mark(), jit: jit.mark() };
  try {
    for (;;) {
      const from = interp.steps;
      const ran = runBoth(interp, jit, Math.min(chunk, limit - from));
      if (differences(interp, jit).length > 0) return { same: false, divergence: findDivergence(interp, jit, checkpoint, from, interp.steps) };
      if (interp.output.length > agreedOutput) {
        options.onAgreedOutput?.(Uint8Array.from(interp.output.slice(agreedOutput)));
        agreedOutput = interp.output.length;
      }
      const machine = interp.machine;
      const end: TierCheckEnd | undefined = machine.halted
        ? 'halted'
        : ran === 0 && machine.idle
          ? 'idle'
          : machine.hartReports().every(stuckForGood)
            ? 'stuck'
            : interp.steps >= limit
              ? 'limit'
              : performance.now() >= deadline
                ? 'deadline'
                : undefined;
      if (end !== undefined) return { same: true, end, instructions: machine.instructions, exit: machine.exit, interpretedOnly: interpretedOnly(jit.machine) };
      if (interp.steps - checkpoint.interp.steps >= CHECKPOINT_STEPS) checkpoint = { interp: interp.mark(), jit: jit.mark() };
    }
  } finally {
    interp.machine.destroy();
    jit.machine.destroy();
  }
}

/** The report's lines: which instruction, then what differs after it. */
export function formatDivergence(divergence: TierDivergence): string[] {
  return [
    `the tiers differ after instruction ${divergence.instructionsBefore + 1} (${divergence.instructionsBefore} retired before it), on ${divergence.cpu} at pc ${hex(divergence.pc)}: ${divergence.disassembly}`,
    ...divergence.differences.map((d) => `  ${d.what}: interp ${d.interp}, jit ${d.jit}`),
  ];
}
