// Runs an ARM firmware ELF (firmware/arm/) on Debian's qemu-system-arm (mps2-an385, a Cortex-M3,
// semihosting on) and on BoardLab's CLI (`boardlab run -M mps2-an385 -kernel X`), and captures what
// the guest printed: the UART0 bytes (QEMU's stdout) and the semihosting console (QEMU 7.2 writes
// SYS_WRITE0/SYS_WRITEC to its stderr; SYS_WRITE to an ":tt" handle opened for writing goes to
// stdout with target=native), and the exit status semihosting SYS_EXIT/SYS_EXIT_EXTENDED asked for.
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineTypeNames } from '../../src/graph/machines.ts';
import { type GuestInput, type GuestRun, guestRun, makefilePrograms, repoRoot, spawnGuest } from '../guest-process.ts';

export const armFirmwareDir: string = join(repoRoot, 'firmware', 'arm');
export const publicArmFirmwareDir: string = join(repoRoot, 'public', 'firmware', 'arm');

/** BoardLab's machine type for QEMU's mps2-an385 (armboard adds it to src/graph/machines.ts). */
export const ARM_MACHINE = 'mps2-an385';

/** A run of an ARM program: UART0 and SYS_WRITE to ":tt" on stdout, the semihosting console (SYS_WRITE0, SYS_WRITEC) on stderr, SYS_EXIT's status. */
export type ArmGuestRun = GuestRun;

/**
 * `stdin`: bytes for the guest's UART0, given to both emulators; `stdinAfter`: the CMSDK UART has a
 * one-byte receive buffer and no FIFO, and QEMU may lose bytes that arrive before the guest sets
 * CTRL.RXEN, so the input waits for the guest to say its receiver is on.
 */
export interface ArmRunOptions extends GuestInput {
  /** Kill the emulator after this many milliseconds (default 20 s). */
  timeoutMs?: number;
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

/** What an ARM guest does to end its run (the timeout message says it never did). */
const SEMIHOSTING_EXIT = 'exited through semihosting';

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
  return guestRun('QEMU', QEMU, args, timeoutMs, await spawnGuest(QEMU, args, options, timeoutMs), SEMIHOSTING_EXIT);
}

export async function runArmOnBoardLab(elf: string, options: ArmRunOptions = {}): Promise<ArmGuestRun> {
  const args = armBoardLabArgs(elf, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return guestRun('BoardLab', process.execPath, args, timeoutMs, await spawnGuest(process.execPath, args, options, timeoutMs), SEMIHOSTING_EXIT);
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
  return makefilePrograms(armFirmwareDir);
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
