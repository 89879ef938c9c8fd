// Runs an ARM firmware ELF (firmware/arm/) on Debian's qemu-system-arm (mps2-an385, a Cortex-M3,
// semihosting on) and on BoardLab's CLI (`boardlab run -M mps2-an385 -kernel X`), and captures what
// the guest printed: the UART0 bytes (QEMU's stdout) and the semihosting console (QEMU 7.2 writes
// SYS_WRITE0/SYS_WRITEC to its stderr; SYS_WRITE to an ":tt" handle opened for writing goes to
// stdout with target=native), and the exit status semihosting SYS_EXIT/SYS_EXIT_EXTENDED asked for.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineTypeNames } from '../../src/graph/machines.ts';
import { repoRoot } from '../run-reference.ts';

export const armFirmwareDir: string = join(repoRoot, 'firmware', 'arm');
export const publicArmFirmwareDir: string = join(repoRoot, 'public', 'firmware', 'arm');

/** BoardLab's machine type for QEMU's mps2-an385 (armboard adds it to src/graph/machines.ts). */
export const ARM_MACHINE = 'mps2-an385';

export interface ArmGuestRun {
  /** Bytes on the emulator's stdout: UART0, and semihosting SYS_WRITE to ":tt". */
  stdout: Buffer;
  /** Bytes on the emulator's stderr: the semihosting console (SYS_WRITE0, SYS_WRITEC), and whatever the emulator itself reports. */
  stderr: Buffer;
  /** Exit status: what the guest gave SYS_EXIT / SYS_EXIT_EXTENDED. */
  status: number;
}

export interface ArmRunOptions {
  /** Kill the emulator after this many milliseconds (default 20 s). */
  timeoutMs?: number;
  /** Bytes for the guest's UART0, given to both emulators on stdin. */
  stdin?: string;
  /**
   * Write `stdin` only once stdout holds this text (the guest says its receiver is on): the CMSDK
   * UART has a one-byte receive buffer and no FIFO, and QEMU may lose bytes that arrive before the
   * guest sets CTRL.RXEN.
   */
  stdinAfter?: string;
  /** QEMU's -cpu (default cortex-m3). */
  cpu?: string;
  /** More QEMU arguments; only runArmOnQemu uses them. */
  qemuArgs?: readonly string[];
  /** More `boardlab run` arguments; only runArmOnBoardLab uses them. */
  boardLabArgs?: readonly string[];
  /** BoardLab's machine type (default mps2-an385; ARMv6-M programs run on boardlab-m0). */
  boardLabMachine?: string;
}

/** What a program needs besides the defaults. */
const ARM_PROGRAM_SETUP: Readonly<Record<string, ArmRunOptions>> = {
  // Interrupt-driven UART echo: the same input on both; 'q' ends it.
  'uart-echo': { stdin: 'hello, echo\nsecond line\nq', stdinAfter: "'q' quits\n" },
  // SysTick-driven programs: -icount ties QEMU's clock to executed instructions, as BoardLab's
  // virtual time always is, so a host stall cannot reorder output (it does not change it either way).
  'systick-blinky': { qemuArgs: ['-icount', 'shift=3'] },
  tasks: { qemuArgs: ['-icount', 'shift=3'] },
  'conf-arm-exc': { qemuArgs: ['-icount', 'shift=3'] },
};

/**
 * ARMv6-M programs: QEMU 7.2's mps2-an385 accepts only -cpu cortex-m3 (its default), so these run
 * on BoardLab's Cortex-M0+ board (boardlab-m0: flash at 0, SRAM at 0x20000000, CMSDK UART0 at
 * 0x40004000, as the programs' link script and UART code expect) and check themselves.
 */
export const ARMV6M_MACHINE = 'boardlab-m0';

export const ARMV6M_PROGRAMS: ReadonlySet<string> = new Set(['conf-armv6m']);

/**
 * Programs for BoardLab's own boards (QEMU has none like them: boardlab-m0's GPIO, LEDs and
 * buttons), by the gallery board that runs them: arm-examples.firmware.test.ts runs each there
 * and presses its buttons; the reference test leaves them out. The gallery's other ARM boards run
 * programs the reference test compares with QEMU.
 */
export const ARM_BOARDLAB_ONLY: Readonly<Record<string, string>> = {
  'm0-blinky': 'examples/m0-blinky.board.json',
};

/** Every ARM example board of the gallery, by the program it runs (arm-examples.firmware.test.ts runs each). */
export const ARM_EXAMPLE_BOARDS: Readonly<Record<string, string>> = {
  ...ARM_BOARDLAB_ONLY,
  'systick-blinky': 'examples/mps2-blinky.board.json',
};

/** Programs the reference test runs on QEMU's mps2-an385 and compares with BoardLab. */
export function isArmComparedWithQemu(name: string): boolean {
  return !ARMV6M_PROGRAMS.has(name) && !isArmBenchmarkOnly(name) && !(name in ARM_BOARDLAB_ONLY);
}

/**
 * Benchmark builds (hundreds of millions of instructions, the kernels of firmware/bench-*):
 * `npm run bench` runs them on both emulators; the reference test runs bench-quick instead.
 */
export function isArmBenchmarkOnly(name: string): boolean {
  return name.startsWith('bench-') && name !== 'bench-quick';
}

/** Exit status each program ends with on QEMU (0 unless listed). */
export const EXPECTED_ARM_STATUS: Readonly<Record<string, number>> = {
  'semihost-hello': 5,
};

export function armProgramSetup(name: string): ArmRunOptions {
  return ARM_PROGRAM_SETUP[name] ?? {};
}

const DEFAULT_TIMEOUT_MS = 20_000;
const QEMU = 'qemu-system-arm';

interface Spawned {
  stdout: Buffer;
  stderr: Buffer;
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  error?: NodeJS.ErrnoException;
}

/* stdout goes to a file, not a pipe: see firmware/run-reference.ts (QEMU may drop a byte a full pipe refuses). */
const STDIN_POLL_MS = 20;

function spawnToFile(command: string, args: readonly string[], stdin: string | undefined, stdinAfter: string | undefined, killAfterMs: number): Promise<Spawned> {
  const dir = mkdtempSync(join(tmpdir(), 'boardlab-arm-run-'));
  const path = join(dir, 'stdout');
  const fd = openSync(path, 'w');
  return new Promise<Spawned>((resolvePromise) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: [stdin === undefined ? 'ignore' : 'pipe', fd, 'pipe'] });
    const stderr: Buffer[] = [];
    let timedOut = false;
    let error: NodeJS.ErrnoException | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    let poll: NodeJS.Timeout | undefined;
    if (stdin !== undefined && child.stdin) {
      const input = child.stdin;
      input.on('error', () => {}); // the guest may finish before reading everything
      if (stdinAfter === undefined) {
        input.end(stdin);
      } else {
        poll = setInterval(() => {
          if (!readFileSync(path).toString('latin1').includes(stdinAfter)) return;
          clearInterval(poll);
          input.end(stdin);
        }, STDIN_POLL_MS);
      }
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      error = e;
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolvePromise({ stdout: readFileSync(path), stderr: Buffer.concat(stderr), status, signal, timedOut, error });
    });
  }).finally(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
}

function armGuestRun(label: string, command: string, args: readonly string[], timeoutMs: number, run: Spawned): ArmGuestRun {
  const commandLine = [command, ...args].join(' ');
  if (run.error) {
    if (run.error.code === 'ENOENT') throw new Error(`${label}: \`${command}\` not found; run \`npm run system-deps\``);
    throw new Error(`${label}: \`${commandLine}\` failed to run: ${run.error.message}`);
  }
  if (run.timedOut) {
    throw new Error(`${label}: \`${commandLine}\` did not finish within ${timeoutMs} ms (the guest never exited through semihosting); ` +
      `stdout so far: ${JSON.stringify(run.stdout.toString('latin1'))}, stderr: ${JSON.stringify(run.stderr.toString('latin1'))}`);
  }
  if (run.status === null) {
    throw new Error(`${label}: \`${commandLine}\` was killed by ${run.signal ?? 'a signal'}; stderr: ${run.stderr.toString()}`);
  }
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

/** `qemu-system-arm -M mps2-an385 -cpu cortex-m3 -nographic -semihosting-config enable=on,target=native [qemuArgs] -kernel <elf>`. */
export function armQemuArgs(elf: string, options: ArmRunOptions = {}): string[] {
  return ['-M', ARM_MACHINE, '-cpu', options.cpu ?? 'cortex-m3', '-nographic', '-semihosting-config', 'enable=on,target=native',
    ...(options.qemuArgs ?? []), '-kernel', resolve(elf)];
}

/** `node bin/boardlab.js run -M mps2-an385 -semihosting-config enable=on,target=native -kernel <elf>` (or another machine type). */
export function armBoardLabArgs(elf: string, options: ArmRunOptions = {}): string[] {
  return [join(repoRoot, 'bin', 'boardlab.js'), 'run', '-M', options.boardLabMachine ?? ARM_MACHINE, '-semihosting-config', 'enable=on,target=native',
    ...(options.boardLabArgs ?? []), '-kernel', resolve(elf)];
}

export async function runArmOnQemu(elf: string, options: ArmRunOptions = {}): Promise<ArmGuestRun> {
  const args = armQemuArgs(elf, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return armGuestRun('QEMU', QEMU, args, timeoutMs, await spawnToFile(QEMU, args, options.stdin, options.stdinAfter, timeoutMs));
}

export async function runArmOnBoardLab(elf: string, options: ArmRunOptions = {}): Promise<ArmGuestRun> {
  const args = armBoardLabArgs(elf, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return armGuestRun('BoardLab', process.execPath, args, timeoutMs, await spawnToFile(process.execPath, args, options.stdin, options.stdinAfter, timeoutMs));
}

/**
 * Whether BoardLab can run the ARM firmware: its catalog knows the machine type. This is a
 * capability, not a skip: once the type exists, the comparison with QEMU runs and must pass.
 */
export function boardLabHasArmMachine(): boolean {
  return machineTypeNames().includes(ARM_MACHINE);
}

/** The ARM programs firmware/arm/Makefile builds (one directory each). */
export function armFirmwarePrograms(): string[] {
  const result = spawnSync('make', ['-s', '--no-print-directory', '-C', armFirmwareDir, 'list'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    throw new Error(`\`make -C firmware/arm list\` failed: ${result.error?.message ?? result.stderr}`);
  }
  return result.stdout.trim().split(/\s+/).filter((name) => name !== '');
}

// `npx tsx firmware/arm/run-reference.ts [elf...]`: print the QEMU run (and BoardLab's, when it has the machine) of each ELF.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const elfs = process.argv.length > 2
    ? process.argv.slice(2)
    : armFirmwarePrograms().filter(isArmComparedWithQemu).map((name) => join(publicArmFirmwareDir, `${name}.elf`));
  const runners = boardLabHasArmMachine() ? [['qemu', runArmOnQemu], ['boardlab', runArmOnBoardLab]] as const : [['qemu', runArmOnQemu]] as const;
  for (const elf of elfs) {
    const setup = armProgramSetup(basename(elf, '.elf'));
    for (const [label, run] of runners) {
      try {
        const { stdout, stderr, status } = await run(elf, setup);
        console.log(`${elf} on ${label}: status ${status}, stdout ${JSON.stringify(stdout.toString('latin1'))}, stderr ${JSON.stringify(stderr.toString('latin1'))}`);
      } catch (error) {
        console.log(`${elf} on ${label}: ${(error as Error).message}`);
      }
    }
  }
}
