// What the RISC-V and ARM firmware runners (./run-reference.ts, ./arm/run-reference.ts) share:
// starting an emulator on an ELF with the guest's input on stdin and its UART on stdout (written
// to a file), turning the finished process into a GuestRun or an error that says what went wrong,
// listing a firmware Makefile's programs, and a pool that keeps the reference tests to a few
// emulators at a time.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qemuCacheFile, readQemuCache, writeQemuCache } from '../scripts/lib/qemu-cache.ts';

export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface GuestRun {
  /** Bytes on the emulator's stdout: the guest's UART0 (and, on ARM, semihosting SYS_WRITE to ":tt"), as received. */
  stdout: Buffer;
  /** Exit status: what the guest asked for (finisher on RISC-V, semihosting SYS_EXIT on ARM). */
  status: number;
  /** Bytes on the emulator's stderr: ARM semihosting's console, and whatever the emulator itself reports. */
  stderr: Buffer;
}

export interface GuestInput {
  /** Bytes for the guest's UART0 on the emulator's stdin; without them stdin is closed. */
  stdin?: string;
  /**
   * Write `stdin` only once stdout holds this text (the guest says its receiver is on): a UART
   * without a FIFO (the CMSDK UART) may lose bytes that arrive before the guest enables it.
   */
  stdinAfter?: string;
}

/** A finished emulator process. */
export interface Spawned {
  stdout: Buffer;
  stderr: Buffer;
  status: number | null;
  signal: string | null;
  timedOut: boolean;
  error?: NodeJS.ErrnoException;
}

/*
 * The emulator's stdout goes to a temporary file, not a pipe: QEMU writes each UART byte with a
 * non-blocking write, and when a busy reader lets a pipe (a socket pair in Node) fill up, QEMU
 * queues the byte and retries later — and a guest that stops right then loses it. A file never
 * refuses a write.
 */
function withStdoutFile<T>(body: (fd: number, read: () => Buffer) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'boardlab-run-'));
  const path = join(dir, 'stdout');
  const fd = openSync(path, 'w');
  let cleanup = true;
  try {
    const result = body(fd, () => readFileSync(path));
    if (result instanceof Promise) {
      cleanup = false;
      return result.finally(() => rmSync(dir, { recursive: true, force: true })) as T;
    }
    return result;
  } finally {
    closeSync(fd);
    if (cleanup) rmSync(dir, { recursive: true, force: true });
  }
}

/** How often stdout is looked at for `stdinAfter`. */
const STDIN_POLL_MS = 20;

/** A finished run as the QEMU cache keeps it (../scripts/lib/qemu-cache.ts). */
interface CachedRun {
  stdout: string;
  stderr: string;
  status: number;
}

function fromCache(file: string | undefined): Spawned | undefined {
  const cached = readQemuCache<CachedRun>(file);
  if (cached === undefined) return undefined;
  return { stdout: Buffer.from(cached.stdout, 'base64'), stderr: Buffer.from(cached.stderr, 'base64'), status: cached.status, signal: null, timedOut: false };
}

/** Keeps a run that finished by itself (one killed or failed to start runs again next time). */
function toCache(file: string | undefined, run: Spawned): Spawned {
  if (!run.timedOut && run.error === undefined && run.status !== null) {
    writeQemuCache(file, { stdout: run.stdout.toString('base64'), stderr: run.stderr.toString('base64'), status: run.status } satisfies CachedRun);
  }
  return run;
}

/** Runs `command` without blocking; kills it after `killAfterMs`. QEMU's runs are shared between the tiers' suites (see toCache). */
export async function spawnGuest(command: string, args: readonly string[], input: GuestInput, killAfterMs: number): Promise<Spawned> {
  const cacheFile = qemuCacheFile(command, args, input, repoRoot);
  return fromCache(cacheFile) ?? toCache(cacheFile, await spawnGuestNow(command, args, input, killAfterMs));
}

function spawnGuestNow(command: string, args: readonly string[], input: GuestInput, killAfterMs: number): Promise<Spawned> {
  return withStdoutFile((fd, read) => new Promise<Spawned>((resolvePromise) => {
    const { stdin, stdinAfter } = input;
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
      const guestInput = child.stdin;
      guestInput.on('error', () => {}); // the guest may finish before reading everything
      if (stdinAfter === undefined) {
        guestInput.end(stdin);
      } else {
        poll = setInterval(() => {
          if (!read().toString('latin1').includes(stdinAfter)) return;
          clearInterval(poll);
          guestInput.end(stdin);
        }, STDIN_POLL_MS);
      }
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      error = e;
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolvePromise({ stdout: read(), stderr: Buffer.concat(stderr), status, signal, timedOut, error });
    });
  }));
}

/** spawnGuest, blocking (stdin written at once: no `stdinAfter`). */
export function spawnGuestBlocking(command: string, args: readonly string[], stdin: string | undefined, killAfterMs: number): Spawned {
  const cacheFile = qemuCacheFile(command, args, { stdin }, repoRoot);
  return fromCache(cacheFile) ?? toCache(cacheFile, spawnGuestBlockingNow(command, args, stdin, killAfterMs));
}

function spawnGuestBlockingNow(command: string, args: readonly string[], stdin: string | undefined, killAfterMs: number): Spawned {
  return withStdoutFile((fd, read) => {
    const result = spawnSync(command, args, {
      cwd: repoRoot,
      stdio: [stdin === undefined ? 'ignore' : 'pipe', fd, 'pipe'],
      input: stdin,
      timeout: killAfterMs,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
    });
    const error = result.error as NodeJS.ErrnoException | undefined;
    return {
      stdout: read(),
      stderr: result.stderr ?? Buffer.alloc(0),
      status: result.status,
      signal: result.signal,
      timedOut: error?.code === 'ETIMEDOUT',
      error: error?.code === 'ETIMEDOUT' ? undefined : error,
    };
  });
}

/**
 * A finished run as a GuestRun, or an error that says what went wrong: the emulator is missing or
 * failed to start, was killed, or ran past `timeoutMs` (`howGuestsEnd` says what the guest should
 * have done: "wrote the finisher", "exited through semihosting").
 */
export function guestRun(label: string, command: string, args: readonly string[], timeoutMs: number, run: Spawned, howGuestsEnd: string): GuestRun {
  const commandLine = [command, ...args].join(' ');
  if (run.error) {
    if (run.error.code === 'ENOENT') throw new Error(`${label}: \`${command}\` not found; run \`npm run system-deps\``);
    throw new Error(`${label}: \`${commandLine}\` failed to run: ${run.error.message}`);
  }
  if (run.timedOut) {
    throw new Error(`${label}: \`${commandLine}\` did not finish within ${timeoutMs} ms (the guest never ${howGuestsEnd}); ` +
      `stdout so far: ${JSON.stringify(run.stdout.toString('latin1'))}, stderr: ${JSON.stringify(run.stderr.toString('latin1'))}`);
  }
  if (run.status === null) {
    throw new Error(`${label}: \`${commandLine}\` was killed by ${run.signal ?? 'a signal'}; stderr: ${run.stderr.toString()}`);
  }
  return { stdout: run.stdout, status: run.status, stderr: run.stderr };
}

/** The programs a firmware Makefile builds (`make -C <dir> list`: one directory each). */
export function makefilePrograms(dir: string): string[] {
  const result = spawnSync('make', ['-s', '--no-print-directory', '-C', dir, 'list'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    throw new Error(`\`make -C ${relative(repoRoot, dir)} list\` failed: ${result.error?.message ?? result.stderr}`);
  }
  return result.stdout.trim().split(/\s+/).filter((name) => name !== '');
}

/**
 * Runs jobs at most `parallel` at a time (two cores are shared by everyone's tests): a reference
 * test starts every emulator run when its module loads and awaits each in the test that compares it.
 */
export class RunPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly parallel: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.parallel) await new Promise<void>((resume) => this.waiting.push(resume));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
