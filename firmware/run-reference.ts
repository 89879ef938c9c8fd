// Runs a firmware ELF on Debian's QEMU and on BoardLab's CLI and captures what the guest printed
// on its UART and the exit status its finisher asked for, so the two can be compared.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const publicFirmwareDir: string = join(repoRoot, 'public', 'firmware');

export interface GuestRun {
  /** Bytes the guest wrote to UART0, exactly as received on stdout. */
  stdout: Buffer;
  /** Exit status: 0 for finisher pass, the fail code for finisher fail. */
  status: number;
  /** Anything the emulator itself printed on stderr (for diagnostics). */
  stderr: Buffer;
}

export interface RunOptions {
  /** Kill the emulator after this many milliseconds (default 20 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

function runEmulator(label: string, command: string, args: string[], options: RunOptions): GuestRun {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const commandLine = [command, ...args].join(' ');
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ETIMEDOUT') {
      throw new Error(`${label}: \`${commandLine}\` did not finish within ${timeoutMs} ms ` +
        `(the guest never wrote the finisher); stdout so far: ${JSON.stringify(result.stdout?.toString('latin1') ?? '')}`);
    }
    if (code === 'ENOENT') {
      throw new Error(`${label}: \`${command}\` not found; run \`npm run system-deps\``);
    }
    throw new Error(`${label}: \`${commandLine}\` failed to run: ${result.error.message}`);
  }
  if (result.status === null) {
    throw new Error(`${label}: \`${commandLine}\` was killed by ${result.signal ?? 'a signal'}; ` +
      `stderr: ${result.stderr.toString()}`);
  }
  return { stdout: result.stdout, status: result.status, stderr: result.stderr };
}

/** Runs `elf` on `qemu-system-riscv32 -M virt -nographic -bios none -kernel <elf>` with stdin closed. */
export function runOnQemu(elf: string, options: RunOptions = {}): GuestRun {
  return runEmulator('QEMU', 'qemu-system-riscv32',
    ['-M', 'virt', '-nographic', '-bios', 'none', '-kernel', resolve(elf)], options);
}

/** Runs `elf` on `node bin/boardlab.js run -M riscv-virt --firmware <elf>` with stdin closed. */
export function runOnBoardLab(elf: string, options: RunOptions = {}): GuestRun {
  return runEmulator('BoardLab', process.execPath,
    [join(repoRoot, 'bin', 'boardlab.js'), 'run', '-M', 'riscv-virt', '--firmware', resolve(elf)], options);
}

/**
 * Programs that never write the finisher (they run until stopped). They are compared on the
 * first lines both emulators print within a bounded run.
 */
export const RUNS_FOREVER: ReadonlySet<string> = new Set(['counter']);

/** The first `lines` complete lines a never-ending program prints on QEMU (killed after `ms`). */
export function firstLinesOnQemu(elf: string, lines: number, ms = 3_000): string[] {
  const result = spawnSync('qemu-system-riscv32', ['-M', 'virt', '-nographic', '-bios', 'none', '-kernel', resolve(elf)], {
    cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], timeout: ms, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024,
  });
  return completeLines(result.stdout?.toString('latin1') ?? '').slice(0, lines);
}

/** The first `lines` complete lines a never-ending program prints on BoardLab within `instructions`. */
export function firstLinesOnBoardLab(elf: string, lines: number, instructions = 50_000_000): string[] {
  const result = spawnSync(process.execPath,
    [join(repoRoot, 'bin', 'boardlab.js'), 'run', '-M', 'riscv-virt', '--firmware', resolve(elf), '--max-instructions', String(instructions)],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], timeout: DEFAULT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  return completeLines(result.stdout?.toString('latin1') ?? '').slice(0, lines);
}

function completeLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop(); // the last piece is unterminated (or empty)
  return lines;
}

/** The firmware programs the Makefile builds (one directory each under firmware/). */
export function firmwarePrograms(): string[] {
  const result = spawnSync('make', ['-s', '--no-print-directory', '-C', join(repoRoot, 'firmware'), 'list'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    throw new Error(`\`make -C firmware list\` failed: ${result.error?.message ?? result.stderr}`);
  }
  return result.stdout.trim().split(/\s+/).filter((name) => name !== '');
}

// `npx tsx firmware/run-reference.ts [elf...]`: print both runs of each ELF.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const elfs = process.argv.length > 2
    ? process.argv.slice(2)
    : firmwarePrograms().map((name) => join(publicFirmwareDir, `${name}.elf`));
  for (const elf of elfs) {
    for (const [label, run] of [['qemu', runOnQemu], ['boardlab', runOnBoardLab]] as const) {
      try {
        const { stdout, status, stderr } = run(elf);
        console.log(`${elf} on ${label}: status ${status}, stdout ${JSON.stringify(stdout.toString('latin1'))}` +
          (stderr.length > 0 ? `, stderr ${JSON.stringify(stderr.toString())}` : ''));
      } catch (error) {
        console.log(`${elf} on ${label}: ${(error as Error).message}`);
      }
    }
  }
}
