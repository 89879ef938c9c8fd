// `npm run bench`: guest instructions per second of BoardLab's interpreter in Node and of Debian's
// qemu-system-riscv32, on the same compute firmware (public/firmware/bench-*.elf, built from
// firmware/bench-*: CRC-32, heap sort, matrix multiply, a Dhrystone-like mix), in the same run.
//
//   npm run bench                      every kernel on both
//   npm run bench -- crc matmul        some kernels
//   npm run bench -- --no-qemu         BoardLab only
//   npm run bench -- --repeat 3        best of three runs per kernel and emulator (a busy machine)
//   npm run bench -- --startup         only the start-up figures (printed first otherwise)
//
// Start-up: the wall time of `boardlab --version` and `boardlab types` (the prebuilt CLI, made
// fresh first; `types` loads every engine module) against `node -e ''`, median of several runs,
// and their ratio (the target is 3× at most), with the same commands from the TypeScript sources
// through tsx (BOARDLAB_CLI=source) for comparison.
//
// Method. BoardLab: the engine is imported directly (Machine.build on a riscv-virt board with the
// kernel as cpu0's image); the time is that of the run loop alone (building takes milliseconds),
// and the instruction count is machine.instructions when the finisher stops the board. QEMU:
// `qemu-system-riscv32 -M virt -nographic -bios none -kernel <elf>`, timed as a whole process (so
// it includes QEMU's start-up, printed once as a baseline from an empty run). Besides wall-clock
// MIPS, the "cpu" columns divide by the CPU time used (Node's process.cpuUsage for BoardLab, the
// child's user + system time from /usr/bin/time for QEMU), which a busy machine disturbs less;
// BoardLab/QEMU is BoardLab's speed as a fraction of QEMU's, by wall-clock and by CPU time.
// QEMU cannot count
// guest instructions here (Debian ships no TCG plugins, and -icount would change its speed), so
// its figure uses BoardLab's count: the kernels are deterministic and single-hart, and both
// emulators must print the same result line, which this script checks.
//
// Then a figure of the engine itself. Traps: steps per second of a guest that traps at every
// step (S-mode code whose delegated illegal-instruction handler is itself illegal, so the loop
// detector lets it run) against a plain loop of additions, both on riscv-virt through Machine.run:
// the ratio is what one trap costs in ordinary instructions. And the softfloat library's
// operations per second (f32Add, f64Mul, f64MulAdd), called directly.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { boardFromMachineType, firstCpuName, resolveBoard, type ImageDocument } from '../src/graph/index.ts';
import { Machine, engineModules, type MachineOptions } from '../src/engine/index.ts';
import * as A from '../src/engine/cpu/riscv/asm.ts';
import * as SF from '../src/engine/cpu/softfloat/index.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
const firmwareDir = join(repoRoot, 'public', 'firmware');

const KERNELS: ReadonlyArray<{ key: string; program: string; what: string }> = [
  { key: 'crc', program: 'bench-crc', what: 'CRC-32 over 64 KiB' },
  { key: 'sort', program: 'bench-sort', what: 'heap sort of 16K words' },
  { key: 'matmul', program: 'bench-matmul', what: '64x64 matrix multiply' },
  { key: 'dhry', program: 'bench-dhry', what: 'Dhrystone-like mix' },
];

/** Instructions per Machine.run() call. */
const CHUNK = 50_000_000;
/** Give up on a guest that runs longer than this many instructions. */
const MAX_INSTRUCTIONS = 5_000_000_000;

interface BoardLabRun {
  output: string;
  instructions: number;
  seconds: number;
  cpuSeconds: number;
  status: number;
}

// Device models load lazily (src/engine/registry.ts): load them all before any timing starts.
await engineModules.loadCatalogModules();

/** A riscv-virt machine whose first hart runs `bytes`, placed as `image` says (an ELF by default). */
function virtMachine(bytes: Uint8Array, image: Omit<ImageDocument, 'cpu' | 'file'> = {}, options: MachineOptions = {}): Machine {
  const file = 'guest';
  const document = boardFromMachineType('riscv-virt');
  document.images = [{ cpu: firstCpuName(document) ?? 'cpu0', file, ...image }];
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(`riscv-virt does not resolve: ${result.problems.map((p) => p.message).join('; ')}`);
  return Machine.build(result.board, new Map([[file, bytes]]), options);
}

function runOnBoardLab(elfPath: string): BoardLabRun {
  const bytes: number[] = [];
  const machine = virtMachine(new Uint8Array(readFileSync(elfPath)), {}, { onSerialOutput: (_uart, byte) => bytes.push(byte) });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (!machine.halted && machine.instructions < MAX_INSTRUCTIONS) {
    const ran = machine.run(CHUNK);
    if (ran === 0 && machine.idle) break;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const exit = machine.exit;
  if (exit === null) throw new Error(`${elfPath} did not finish on BoardLab (${machine.instructions} instructions)`);
  return {
    output: Buffer.from(bytes).toString('latin1'),
    instructions: machine.instructions,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    status: exit.code,
  };
}

interface QemuRun {
  output: string;
  seconds: number;
  cpuSeconds: number;
  status: number;
}

/** "<user> <system>" seconds of the child, written by /usr/bin/time to stderr's last line. */
const TIME_FORMAT = '@cpu %U %S';

function runOnQemu(elfPath: string): QemuRun {
  const start = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', TIME_FORMAT, 'qemu-system-riscv32', '-M', 'virt', '-nographic', '-bios', 'none', '-kernel', elfPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.error) throw new Error(`/usr/bin/time qemu-system-riscv32: ${result.error.message}`);
  if (result.status === null) throw new Error(`qemu-system-riscv32 was killed by ${result.signal}`);
  const times = /@cpu ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr.toString());
  if (!times) throw new Error(`no CPU times from /usr/bin/time: ${result.stderr.toString()}`);
  return { output: result.stdout.toString('latin1'), seconds, cpuSeconds: Number(times[1]) + Number(times[2]), status: result.status };
}

/** The fastest of `count` runs (the output of each must be the same, checked by the caller on the first). */
function best<T extends { seconds: number }>(count: number, run: () => T): T {
  let fastest = run();
  for (let i = 1; i < count; i++) {
    const next = run();
    if (next.seconds < fastest.seconds) fastest = next;
  }
  return fastest;
}

/** Runs of each start-up command (medians printed); fewer for the slow tsx ones. */
const STARTUP_RUNS = 11;
const SOURCE_STARTUP_RUNS = 3;

interface StartupCommand {
  label: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  runs: number;
}

/** One run of `node ARGS`: wall-clock ms of the process alone, then its CPU ms (user + system) from /usr/bin/time. */
function startupRun({ args, env }: StartupCommand): { wall: number; cpu: number } {
  const options: SpawnSyncOptions = { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] };
  const start = performance.now();
  const plain = spawnSync(process.execPath, args, options);
  const wall = performance.now() - start;
  if (plain.status !== 0) throw new Error(`node ${args.join(' ')} failed (${plain.status ?? plain.signal}): ${String(plain.stderr)}`);
  const timed = spawnSync('/usr/bin/time', ['-f', TIME_FORMAT, process.execPath, ...args], options);
  const times = /@cpu ([\d.]+) ([\d.]+)\s*$/.exec(String(timed.stderr));
  if (!times) throw new Error(`no CPU times from /usr/bin/time: ${String(timed.stderr)}`);
  return { wall, cpu: (Number(times[1]) + Number(times[2])) * 1000 };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The start-up figures: `boardlab` (prebuilt, and from the sources through tsx) against
 * `node -e ''`, by wall clock and by CPU time (which a busy machine disturbs less); the commands
 * take turns, so a load that comes and goes hits them alike. False when the prebuilt CLI's wall
 * time misses the 3× target.
 */
function printStartupFigures(): boolean {
  const bin = join(repoRoot, 'bin', 'boardlab.js');
  const commands: StartupCommand[] = [
    { label: "node -e ''", args: ['-e', ''], runs: STARTUP_RUNS },
    { label: 'boardlab --version', args: [bin, '--version'], runs: STARTUP_RUNS },
    { label: 'boardlab types', args: [bin, 'types'], runs: STARTUP_RUNS },
    { label: 'boardlab --version (tsx)', args: [bin, '--version'], env: { BOARDLAB_CLI: 'source' }, runs: SOURCE_STARTUP_RUNS },
    { label: 'boardlab types (tsx)', args: [bin, 'types'], env: { BOARDLAB_CLI: 'source' }, runs: SOURCE_STARTUP_RUNS },
  ];
  // A first run brings the prebuilt CLI up to date (a stale one is rebuilt), outside the timing.
  startupRun(commands[1]);
  const results = commands.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let run = 0; run < STARTUP_RUNS; run++) {
    commands.forEach((command, i) => {
      if (run >= command.runs) return;
      const { wall, cpu } = startupRun(command);
      results[i].wall.push(wall);
      results[i].cpu.push(cpu);
    });
  }
  const [node] = results.map((r) => ({ wall: median(r.wall), cpu: median(r.cpu) }));
  console.log(`start-up (median of ${STARTUP_RUNS} runs, ${SOURCE_STARTUP_RUNS} with tsx; BOARDLAB_CLI=source runs the TypeScript sources through tsx)`);
  console.log(`${'command'.padEnd(26)}${'wall ms'.padStart(9)}${'× node'.padStart(8)}${'cpu ms'.padStart(9)}${'× node'.padStart(8)}`);
  let withinTarget = true;
  commands.forEach((command, i) => {
    const wall = median(results[i].wall);
    const cpu = median(results[i].cpu);
    if (i === 1 || i === 2) withinTarget &&= wall <= 3 * node.wall;
    console.log(`${command.label.padEnd(26)}${fixed(wall, 0, 9)}${fixed(wall / node.wall, 2, 8)}${fixed(cpu, 0, 9)}${fixed(cpu / node.cpu, 2, 8)}`);
  });
  if (!withinTarget) console.log("start-up: the prebuilt CLI takes more than 3× the wall time of node -e ''");
  return withinTarget;
}

const mips = (instructions: number, seconds: number): number => instructions / seconds / 1e6;
const fixed = (value: number, digits: number, width: number): string => value.toFixed(digits).padStart(width);

function main(): number {
  const args = process.argv.slice(2);
  const withQemu = !args.includes('--no-qemu');
  const repeatAt = args.indexOf('--repeat');
  const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 1;
  if (!Number.isInteger(repeat) || repeat < 1) {
    console.error('bench: --repeat takes a positive count');
    return 2;
  }
  const chosen = args.filter((a, i) => !a.startsWith('--') && !(repeatAt >= 0 && i === repeatAt + 1));
  const unknown = chosen.filter((key) => !KERNELS.some((k) => k.key === key));
  if (unknown.length > 0) {
    console.error(`bench: unknown kernel ${unknown.join(', ')}; kernels: ${KERNELS.map((k) => k.key).join(', ')}`);
    return 2;
  }
  const kernels = chosen.length > 0 ? KERNELS.filter((k) => chosen.includes(k.key)) : KERNELS;
  const startupOk = printStartupFigures();
  if (args.includes('--startup')) return startupOk ? 0 : 1;
  console.log('');

  console.log(`BoardLab ${process.version} (interpreter) vs ${withQemu ? qemuVersion() : 'no QEMU'}; guest RV32IMAC, riscv-virt / -M virt`);
  if (withQemu) {
    const baseline = runOnQemu(join(firmwareDir, 'hello.elf'));
    console.log(`QEMU start-up and shutdown (hello.elf, whole process): ${baseline.seconds.toFixed(3)} s, included in QEMU times below`);
  }
  if (repeat > 1) console.log(`best of ${repeat} runs each`);
  const header = `${'kernel'.padEnd(10)}${'instructions'.padStart(15)}${'BoardLab s'.padStart(12)}${'MIPS'.padStart(8)}${'cpu'.padStart(8)}` +
    (withQemu ? `${'QEMU s'.padStart(9)}${'MIPS'.padStart(8)}${'cpu'.padStart(8)}${'BoardLab/QEMU'.padStart(15)}${'cpu'.padStart(7)}` : '');
  console.log(header);

  let failures = 0;
  let totalInstructions = 0;
  let totalBoardLab = 0;
  let totalBoardLabCpu = 0;
  let totalQemu = 0;
  let totalQemuCpu = 0;
  for (const kernel of kernels) {
    const elf = join(firmwareDir, `${kernel.program}.elf`);
    const boardlab = best(repeat, () => runOnBoardLab(elf));
    totalInstructions += boardlab.instructions;
    totalBoardLab += boardlab.seconds;
    totalBoardLabCpu += boardlab.cpuSeconds;
    let line = `${kernel.key.padEnd(10)}${boardlab.instructions.toLocaleString('en').padStart(15)}` +
      `${fixed(boardlab.seconds, 2, 12)}${fixed(mips(boardlab.instructions, boardlab.seconds), 1, 8)}` +
      `${fixed(mips(boardlab.instructions, boardlab.cpuSeconds), 1, 8)}`;
    const problems: string[] = [];
    if (boardlab.status !== 0) problems.push(`BoardLab exit status ${boardlab.status}`);
    if (withQemu) {
      const qemu = best(repeat, () => runOnQemu(elf));
      totalQemu += qemu.seconds;
      totalQemuCpu += qemu.cpuSeconds;
      line += `${fixed(qemu.seconds, 2, 9)}${fixed(mips(boardlab.instructions, qemu.seconds), 1, 8)}` +
        `${fixed(mips(boardlab.instructions, qemu.cpuSeconds), 1, 8)}` +
        `${fixed(qemu.seconds / boardlab.seconds, 3, 15)}${fixed(qemu.cpuSeconds / boardlab.cpuSeconds, 3, 7)}`;
      if (qemu.status !== 0) problems.push(`QEMU exit status ${qemu.status}`);
      if (qemu.output !== boardlab.output) problems.push(`output differs: QEMU ${JSON.stringify(qemu.output)}, BoardLab ${JSON.stringify(boardlab.output)}`);
    }
    console.log(`${line}   ${boardlab.output.trim()}`);
    for (const problem of problems) console.log(`  ${kernel.key}: ${problem}`);
    failures += problems.length;
  }
  let total = `${'total'.padEnd(10)}${totalInstructions.toLocaleString('en').padStart(15)}` +
    `${fixed(totalBoardLab, 2, 12)}${fixed(mips(totalInstructions, totalBoardLab), 1, 8)}${fixed(mips(totalInstructions, totalBoardLabCpu), 1, 8)}`;
  if (withQemu) {
    total += `${fixed(totalQemu, 2, 9)}${fixed(mips(totalInstructions, totalQemu), 1, 8)}${fixed(mips(totalInstructions, totalQemuCpu), 1, 8)}` +
      `${fixed(totalQemu / totalBoardLab, 3, 15)}${fixed(totalQemuCpu / totalBoardLabCpu, 3, 7)}`;
  }
  console.log(total);
  return failures === 0 && startupOk ? 0 : 1;
}

/** A riscv-virt machine running a flat binary at 0x80000000. */
function machineWith(program: A.Program): Machine {
  return virtMachine(program.bytes(), { format: 'binary', at: '0x80000000' });
}

/** Guest steps (retired or trapping instructions) per second over about a second of Machine.run. */
function stepsPerSecond(machine: Machine): number {
  machine.run(1_000_000); // warm-up
  const start = performance.now();
  let steps = 0;
  while (performance.now() - start < 1000) steps += machine.run(1_000_000);
  return steps / ((performance.now() - start) / 1000);
}

function trapFigures(): void {
  const { t0, t1, t2 } = A.Reg;
  const plain = new A.Program(0x8000_0000).label('loop').i(A.addi(t0, t0, 1), A.addi(t1, t1, 1), A.addi(t2, t2, 1));
  plain.jal(0, 'loop');
  const faulting = new A.Program(0x8000_0000);
  faulting.la(t0, 'handler').i(A.csrw(0x105, t0), A.li(t0, 1 << 2), A.csrw(0x302, t0)); // stvec; medeleg: illegal instruction
  faulting.i(A.li(t0, 0x1800), A.csrrc(0, 0x300, t0), A.li(t0, 0x800), A.csrrs(0, 0x300, t0)); // mstatus.MPP = S
  faulting.la(t0, 'supervisor').i(A.csrw(0x341, t0), A.mret());
  faulting.org(0x8000_0100).label('supervisor').i(0);
  faulting.org(0x8000_0200).label('handler').i(0);
  const plainRate = stepsPerSecond(machineWith(plain));
  const trapRate = stepsPerSecond(machineWith(faulting));
  console.log(`traps: plain loop ${fixed(plainRate / 1e6, 1, 0)} M steps/s, fault loop (a trap at every step) ${fixed(trapRate / 1e6, 1, 0)} M steps/s: one trap costs ${fixed(plainRate / trapRate, 1, 0)} ordinary instructions`);
}

function qemuVersion(): string {
  const result = spawnSync('qemu-system-riscv32', ['--version'], { encoding: 'utf8' });
  return result.stdout?.split('\n')[0]?.trim() || 'qemu-system-riscv32 (version unknown)';
}

/**
 * The softfloat library alone: operations per second of f32Add and f64Mul on operands in [-50, 50)
 * (round-to-nearest-even, the fast path), and of f64MulAdd (the bigint core).
 */
function softfloatFigures(): void {
  const view = new DataView(new ArrayBuffer(8));
  const singles = Array.from({ length: 1024 }, (_, i) => (view.setFloat32(0, ((i * 7919) % 1000) / 10 - 50), view.getUint32(0)));
  const doubles = Array.from({ length: 1024 }, (_, i) => (view.setFloat64(0, ((i * 7919) % 1000) / 10 - 50.05), view.getBigUint64(0)));
  const status: SF.FloatStatus = { roundingMode: SF.RoundingMode.NearestEven, flags: 0 };
  const rate = (op: (i: number) => unknown): number => {
    for (let i = 0; i < 100_000; i++) op(i & 1023); // warm-up
    const count = 1_000_000;
    const start = performance.now();
    for (let i = 0; i < count; i++) op(i & 1023);
    return count / ((performance.now() - start) / 1000);
  };
  const add32 = rate((i) => SF.f32Add(singles[i], singles[(i + 1) & 1023], status));
  const mul64 = rate((i) => SF.f64Mul(doubles[i], doubles[(i + 1) & 1023], status));
  const fma64 = rate((i) => SF.f64MulAdd(doubles[i], doubles[(i + 1) & 1023], doubles[(i + 2) & 1023], false, false, status));
  console.log(`softfloat: f32Add ${fixed(add32 / 1e6, 1, 0)} M ops/s, f64Mul ${fixed(mul64 / 1e6, 1, 0)} M ops/s, f64MulAdd ${fixed(fma64 / 1e6, 2, 0)} M ops/s`);
}

process.exitCode = main();
if (!process.argv.includes('--startup')) {
  trapFigures();
  softfloatFigures();
}
