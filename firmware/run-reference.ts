// Runs a firmware ELF on Debian's QEMU and on BoardLab's CLI and captures what the guest printed
// on its UART and the exit status its finisher asked for, so the two can be compared.
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GuestRun, guestRun, makefilePrograms, repoRoot, spawnGuest, spawnGuestBlocking } from './guest-process.ts';

export { repoRoot, type GuestRun };
export const publicFirmwareDir: string = join(repoRoot, 'public', 'firmware');

export interface RunOptions {
  /** Kill the emulator after this many milliseconds (default 20 s). */
  timeoutMs?: number;
  /** More QEMU arguments (e.g. -smp 4); only runOnQemu uses them. */
  qemuArgs?: readonly string[];
  /** A board file (relative to the repository) for BoardLab instead of `-M riscv-virt --firmware`. */
  board?: string;
  /** Bytes for the guest's UART0, given to both emulators on stdin. */
  stdin?: string;
  /** BoardLab's machine type for `-M` (default riscv-virt, the newest version). */
  machine?: string;
  /** More `boardlab run` arguments (e.g. -cpu rv32,zbb=off); only runOnBoardLab uses them. */
  boardLabArgs?: readonly string[];
}

/**
 * QEMU's default CPU for -M virt (7.2) also has H and Sstc, which BoardLab's rv32 hart does not:
 * misa, WARL masks and the illegal encodings differ with them. The conformance programs (conf-*)
 * therefore run on a QEMU CPU with the extensions BoardLab's harts had when they were written:
 * RV32IMAC, Zicsr, Zifencei, S and U, without F and D (BoardLab runs them with f and d off too:
 * WITHOUT_FLOAT_BOARDLAB_ARGS) and without Zba/Zbb/Zbc/Zbs, except conf-zb, which checks those
 * (BITMANIP_QEMU_CPU), and conf-fp, which checks F and D (FLOAT_QEMU_CPU).
 */
export const CONFORMANCE_QEMU_CPU = 'rv32,h=false,f=false,d=false,zba=false,zbb=false,zbc=false,zbs=false,sstc=false';
/**
 * conf-zb checks the bit-manipulation extensions: QEMU's CPU keeps them (as riscv-virt@1.2, which
 * `-M riscv-virt` means, has them) and turns off only what BoardLab lacks otherwise.
 */
export const BITMANIP_QEMU_CPU = 'rv32,h=false,f=false,d=false,sstc=false';
/**
 * conf-fp checks F and D: QEMU's CPU keeps them (as riscv-virt@1.2 has them) and the
 * bit-manipulation extensions, and turns off only what BoardLab lacks (H, Sstc).
 */
export const FLOAT_QEMU_CPU = 'rv32,h=false,sstc=false';

/** What a program needs besides `-M virt -kernel` / `-M riscv-virt --firmware`. */
const PROGRAM_SETUP: Readonly<Record<string, RunOptions>> = {
  // Interrupt-driven UART echo: the same input on both; 'q' ends it.
  echo: { stdin: 'hello, echo\nsecond line\nq' },
  // Four harts: -smp 4 on QEMU, examples/multihart.board.json (riscv-virt, harts = 4) on BoardLab.
  multihart: { qemuArgs: ['-smp', '4'], board: 'examples/multihart.board.json' },
  // Timer-driven task switching: QEMU's mtime follows host time unless -icount ties it to
  // executed instructions (BoardLab's virtual time always is). Output does not depend on the
  // exact timing either way, -icount only removes host stalls from the picture.
  tasks: { qemuArgs: ['-icount', 'shift=3'] },
  // conf-irq arms timers and then sleeps in WFI with interrupts enabled: with host-time mtime a
  // host stall between the two could let the interrupt come first and leave WFI asleep.
  'conf-irq': { qemuArgs: ['-icount', 'shift=3'] },
};

/**
 * BoardLab's harts without F and D, as the QEMU CPUs above: the conformance programs written before
 * BoardLab had floating point compare on harts without it (riscv-virt@1.2, the newest, has it);
 * conf-fp, which checks F and D, runs on both emulators' default CPUs.
 */
export const WITHOUT_FLOAT_BOARDLAB_ARGS: readonly string[] = ['-global', 'riscv-cpu.f=off', '-global', 'riscv-cpu.d=off'];

/** How to run a program on both emulators (see PROGRAM_SETUP and CONFORMANCE_QEMU_CPU). */
export function programSetup(name: string): RunOptions {
  const setup = PROGRAM_SETUP[name] ?? {};
  if (name === 'conf-fp') return { ...setup, qemuArgs: ['-cpu', FLOAT_QEMU_CPU, ...(setup.qemuArgs ?? [])] };
  if (name.startsWith('conf-')) {
    return {
      ...setup,
      qemuArgs: ['-cpu', name === 'conf-zb' ? BITMANIP_QEMU_CPU : CONFORMANCE_QEMU_CPU, ...(setup.qemuArgs ?? [])],
      boardLabArgs: [...WITHOUT_FLOAT_BOARDLAB_ARGS, ...(setup.boardLabArgs ?? [])],
    };
  }
  return setup;
}

/**
 * Programs for devices QEMU's virt board does not have (GPIO, framebuffer): they run on their
 * example boards on BoardLab only (firmware/boardlab-only.reference.test.ts checks them).
 */
export const BOARDLAB_ONLY: Readonly<Record<string, string>> = {
  blinky: 'examples/blinky.board.json',
  framebuffer: 'examples/framebuffer.board.json',
};

/**
 * Programs whose output depends on the machine type's version, run on BoardLab's riscv-virt@1.0 and
 * @1.1 by their own firmware-project test instead of being compared with QEMU's one virt machine.
 */
export const VERSION_DEPENDENT: ReadonlySet<string> = new Set(['uart-fifo']);

/**
 * Programs with a reference test of their own instead of the generic BoardLab-vs-QEMU comparison:
 * fp-vectors prints F/D results on QEMU that fp-vectors.reference.test.ts checks line by line
 * against BoardLab's softfloat library, and fp-vectors-hart.reference.test.ts against BoardLab's
 * hart (with a longer timeout than the generic comparison's and a message naming the first line
 * that differs).
 */
export const OWN_REFERENCE_TEST: ReadonlySet<string> = new Set(['fp-vectors']);

/** Benchmark builds (hundreds of millions of instructions): `npm run bench` runs them, the tests run bench-quick. */
export function isBenchmarkOnly(name: string): boolean {
  return name.startsWith('bench-') && name !== 'bench-quick';
}

/**
 * Where BoardLab does not (yet) do what QEMU 7.2 does, by program and check name (the text after
 * PASS/FAIL). The conformance programs expect QEMU's behaviour, so on BoardLab these checks print
 * FAIL; the reference test allows exactly these lines to differ and fails when one of them stops
 * differing (remove it here then). Each entry says what differs.
 */
export const KNOWN_DIFFERENCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {};

const DEFAULT_TIMEOUT_MS = 20_000;

/** What a RISC-V guest does to end its run (the timeout message says it never did). */
const FINISHER = 'wrote the finisher';

function qemuArgs(elf: string, options: RunOptions): string[] {
  return ['-M', 'virt', '-nographic', '-bios', 'none', ...(options.qemuArgs ?? []), '-kernel', resolve(elf)];
}

function boardLabArgs(elf: string, options: RunOptions, extra: readonly string[] = []): string[] {
  const target = options.board !== undefined ? [join(repoRoot, options.board)] : ['-M', options.machine ?? 'riscv-virt', '--firmware', resolve(elf)];
  return [join(repoRoot, 'bin', 'boardlab.js'), 'run', ...target, ...(options.boardLabArgs ?? []), ...extra];
}

const QEMU = 'qemu-system-riscv32';

/**
 * Runs `elf` on `qemu-system-riscv32 -M virt -nographic -bios none [qemuArgs] -kernel <elf>`,
 * with `stdin` on its standard input (the serial port), else stdin closed.
 */
export function runOnQemu(elf: string, options: RunOptions = {}): GuestRun {
  const args = qemuArgs(elf, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return guestRun('QEMU', QEMU, args, timeoutMs, spawnGuestBlocking(QEMU, args, options.stdin, timeoutMs), FINISHER);
}

/**
 * Runs `elf` on `node bin/boardlab.js run -M riscv-virt --firmware <elf>`, or `run <board>` when
 * the options name a board file (which names its image itself), with `stdin` on its standard input.
 */
export function runOnBoardLab(elf: string, options: RunOptions = {}): GuestRun {
  const args = boardLabArgs(elf, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return guestRun('BoardLab', process.execPath, args, timeoutMs, spawnGuestBlocking(process.execPath, args, options.stdin, timeoutMs), FINISHER);
}

/** runOnQemu without blocking (the reference test runs several emulators at once). */
export async function runOnQemuAsync(elf: string, options: RunOptions = {}): Promise<GuestRun> {
  const args = qemuArgs(elf, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return guestRun('QEMU', QEMU, args, timeoutMs, await spawnGuest(QEMU, args, options, timeoutMs), FINISHER);
}

/** runOnBoardLab without blocking. */
export async function runOnBoardLabAsync(elf: string, options: RunOptions = {}): Promise<GuestRun> {
  const args = boardLabArgs(elf, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return guestRun('BoardLab', process.execPath, args, timeoutMs, await spawnGuest(process.execPath, args, options, timeoutMs), FINISHER);
}

/**
 * Programs that never write the finisher (they run until stopped). They are compared on the
 * first lines both emulators print within a bounded run.
 */
export const RUNS_FOREVER: ReadonlySet<string> = new Set(['counter']);

/** The first `lines` complete lines a never-ending program prints on QEMU (killed after `ms`). */
export async function firstLinesOnQemu(elf: string, lines: number, ms = 3_000): Promise<string[]> {
  const run = await spawnGuest(QEMU, qemuArgs(elf, {}), {}, ms);
  return completeLines(run.stdout.toString('latin1')).slice(0, lines);
}

/** The first `lines` complete lines a never-ending program prints on BoardLab within `instructions`. */
export async function firstLinesOnBoardLab(elf: string, lines: number, instructions = 50_000_000): Promise<string[]> {
  const run = await spawnGuest(process.execPath, boardLabArgs(elf, {}, ['--max-instructions', String(instructions)]), {}, DEFAULT_TIMEOUT_MS);
  return completeLines(run.stdout.toString('latin1')).slice(0, lines);
}

function completeLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop(); // the last piece is unterminated (or empty)
  return lines;
}

/** The firmware programs the Makefile builds (one directory each under firmware/). */
export function firmwarePrograms(): string[] {
  return makefilePrograms(join(repoRoot, 'firmware'));
}

// `npx tsx firmware/run-reference.ts [elf...]`: print both runs of each ELF.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const elfs = process.argv.length > 2
    ? process.argv.slice(2)
    : firmwarePrograms()
      .filter((name) => !RUNS_FOREVER.has(name) && !(name in BOARDLAB_ONLY) && !VERSION_DEPENDENT.has(name) && !isBenchmarkOnly(name) && !OWN_REFERENCE_TEST.has(name))
      .map((name) => join(publicFirmwareDir, `${name}.elf`));
  for (const elf of elfs) {
    const setup = programSetup(basename(elf, '.elf'));
    for (const [label, run] of [['qemu', runOnQemu], ['boardlab', runOnBoardLab]] as const) {
      try {
        const { stdout, status, stderr } = run(elf, setup);
        console.log(`${elf} on ${label}: status ${status}, stdout ${JSON.stringify(stdout.toString('latin1'))}` +
          (stderr.length > 0 ? `, stderr ${JSON.stringify(stderr.toString())}` : ''));
      } catch (error) {
        console.log(`${elf} on ${label}: ${(error as Error).message}`);
      }
    }
  }
}
