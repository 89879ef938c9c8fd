// `boardlab run`: build a board in Node, print its UART output to stdout, exit with the finisher's status.
import { dirname } from 'node:path';
import { machineTypeNames, qemuArgsToBoard, resolveBoard, type BoardResult } from '../graph/index.ts';
import { changesMachine } from './run-args.ts';
import { Machine, MachineError, imageFiles } from '../engine/index.ts';
import { formatTraceStep, traceRun } from '../engine/trace.ts';
import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError, describeFsError, formatProblem, readBoardFile, readImages } from './board-files.ts';

export interface RunOptions {
  board?: string;
  machine?: string;
  firmware?: string;
  maxInstructions?: number;
  timeout?: number;
  /** Pace virtual time to the host clock (default: run as fast as possible, time from instructions). */
  realtime?: boolean;
  /** Interactive terminal: Ctrl-A x quits and Ctrl-A Ctrl-A sends Ctrl-A, as in QEMU's -nographic. */
  escapes?: boolean;
  /** QEMU-style options (-M, -m, -smp, -device, -global, -kernel, -serial, …). */
  qemuArgs?: string[];
  /** Write an instruction trace of the first CPU to this file ("-" for stderr). */
  trace?: string;
}

export interface RunIo {
  stdout: (bytes: Uint8Array) => void;
  stderr: (line: string) => void;
  /** Bytes for the first UART's receive side (the CLI passes process.stdin). */
  stdin?: AsyncIterable<Uint8Array | string>;
}

/** Bytes from stdin waiting for room in the UART's receive FIFO. */
class SerialInput {
  private readonly queue: number[] = [];
  private wake: (() => void) | undefined;
  private escaped = false;
  ended = false;
  /** The user typed Ctrl-A x. */
  quit = false;

  constructor(
    source: AsyncIterable<Uint8Array | string> | undefined,
    private readonly escapes = false,
  ) {
    if (source === undefined) {
      this.ended = true;
      return;
    }
    void (async () => {
      try {
        for await (const chunk of source) {
          const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
          for (const byte of bytes) this.accept(byte);
          this.wake?.();
        }
      } catch {
        // A closed or broken stdin is the same as its end.
      }
      this.ended = true;
      this.wake?.();
    })();
  }

  private accept(byte: number): void {
    if (!this.escapes) {
      this.queue.push(byte);
      return;
    }
    if (this.escaped) {
      this.escaped = false;
      if (byte === 0x78 /* x */) this.quit = true;
      else if (byte === CTRL_A) this.queue.push(CTRL_A);
      return;
    }
    if (byte === CTRL_A) this.escaped = true;
    else this.queue.push(byte);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Move as many queued bytes into the UART as its FIFO takes. */
  deliver(uart: { receive(bytes: Iterable<number>): number; receiveSpace: number } | undefined): void {
    if (uart === undefined || this.queue.length === 0) return;
    const room = uart.receiveSpace;
    if (room > 0) this.queue.splice(0, uart.receive(this.queue.slice(0, room)));
  }

  /** Resolves when more input arrives or the input ends. */
  next(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }
}

/** Exit statuses besides the guest's own: like timeout(1) for limits. */
export const EXIT_INPUT_ERROR = 1;
export const EXIT_LIMIT = 124;
export const EXIT_IDLE = 125;

/** Instructions per run() call; output is flushed, input delivered and limits checked between calls. */
const CHUNK = 5_000_000;
/** Smaller calls while input waits for room in the UART, so typed bytes arrive promptly. */
const INPUT_CHUNK = 100_000;

const CTRL_A = 0x01;

export const EXIT_QUIT = 130;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runCommand(options: RunOptions, io: RunIo): Promise<number> {
  try {
    const { result, source, boardDir, serialToStdout } = await loadDocument(options);
    if (!result.ok) {
      for (const problem of result.problems) io.stderr(formatProblem(source, problem));
      return EXIT_INPUT_ERROR;
    }
    const images = await readImages(imageFiles(result.board), boardDir);
    const output: number[] = [];
    const machine = Machine.build(result.board, images, { onSerialOutput: serialToStdout ? (_uart, byte) => output.push(byte) : undefined });
    const flush = () => {
      if (output.length > 0) io.stdout(Uint8Array.from(output.splice(0)));
    };
    const started = Date.now();
    const limit = options.maxInstructions ?? Infinity;
    const input = new SerialInput(io.stdin, options.escapes);
    const trace = options.trace === undefined ? undefined : openTrace(options.trace, io);
    const uart = machine.uart();
    while (!machine.halted) {
      input.deliver(uart);
      const budget = Math.min(input.pending > 0 ? INPUT_CHUNK : CHUNK, limit - machine.instructions);
      const ran = trace === undefined ? machine.run(budget) : traceRun(machine, Math.min(budget, 10_000), (step) => trace.write(formatTraceStep(step)));
      flush();
      if (machine.halted) break;
      if (input.quit) {
        io.stderr('boardlab: terminated by Ctrl-A x');
        return EXIT_QUIT;
      }
      if (machine.instructions >= limit) {
        io.stderr(`boardlab: stopped after ${machine.instructions} instructions (--max-instructions); the guest did not finish`);
        return EXIT_LIMIT;
      }
      if (options.timeout !== undefined && Date.now() - started > options.timeout * 1000) {
        io.stderr(`boardlab: stopped after ${options.timeout} s (--timeout); the guest did not finish`);
        return EXIT_LIMIT;
      }
      if (options.realtime) {
        // Virtual time ahead of the host clock: wait until the host catches up.
        const ahead = machine.clock.now() / 1e6 - (Date.now() - started);
        if (ahead > 1) await sleep(Math.min(ahead, 100));
      }
      if (ran === 0 && machine.idle) {
        // Every hart waits for an interrupt and no timer is pending: only input can wake it.
        if (input.pending > 0) continue;
        if (input.ended) {
          io.stderr('boardlab: every CPU waits for an interrupt (WFI) and nothing on this board can raise one; stopping');
          return EXIT_IDLE;
        }
        await input.next();
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve)); // let stdout drain and stdin arrive
    }
    trace?.close();
    const exit = machine.exit!;
    return exit.kind === 'pass' ? 0 : exit.code;
  } catch (error) {
    if (error instanceof InputError || error instanceof MachineError) {
      io.stderr(`boardlab: ${error.message}`);
      return EXIT_INPUT_ERROR;
    }
    throw error;
  }
}

interface LoadedRun {
  result: BoardResult;
  source: string;
  boardDir: string;
  /** false with -serial null/none. */
  serialToStdout: boolean;
}

async function loadDocument(options: RunOptions): Promise<LoadedRun> {
  const qemuArgs = options.qemuArgs ?? [];
  const serial = serialSetting(qemuArgs);
  for (const option of ['-S', '-gdb', '-s', '-qmp']) {
    if (qemuArgs.includes(option)) throw new InputError(`${option} needs the GDB stub or QMP monitor, which this version of BoardLab does not have yet`);
  }
  if (options.board !== undefined) {
    const machineOption = changesMachine(qemuArgs) ?? (options.machine !== undefined ? '-M' : undefined);
    if (machineOption !== undefined) throw new InputError(`${machineOption} changes the machine, so it goes with -M TYPE, not a board file (put the change in the board file instead)`);
    if (options.firmware !== undefined) throw new InputError('--firmware goes with -M; a board file names its images itself');
    const result = await readBoardFile(options.board);
    return { result, source: options.board, boardDir: dirname(options.board), serialToStdout: serial };
  }
  const machineArgs = [...(options.machine !== undefined ? ['-M', options.machine] : []), ...qemuArgs.filter((a, i) => !(a === '-serial' || qemuArgs[i - 1] === '-serial'))];
  if (!machineArgs.some((a) => a === '-M' || a === '-machine' || a === '--machine')) {
    throw new InputError('give a board file or -M TYPE (try: boardlab run -M riscv-virt --firmware public/firmware/hello.elf)');
  }
  const firmware = options.firmware;
  if (firmware === undefined && !machineArgs.includes('-kernel') && !machineArgs.includes('-bios')) {
    const type = machineArgs[machineArgs.findIndex((a) => a === '-M' || a === '-machine') + 1];
    throw new InputError(`-M ${type} needs --firmware FILE (an ELF image to run)`);
  }
  const converted = qemuArgsToBoard([...machineArgs, ...(firmware !== undefined ? ['-kernel', firmware] : [])], 'command-line');
  if (!converted.ok) {
    const [problem] = converted.problems;
    const unknownMachine = /^machine type "(.*)" is not one BoardLab has$/.exec(problem.message);
    if (unknownMachine) throw new InputError(`unknown machine type "${unknownMachine[1]}"; known types: ${machineTypeNames().join(', ')}`);
    throw new InputError(problem.message);
  }
  return { result: resolveBoard(converted.document), source: 'command line', boardDir: process.cwd(), serialToStdout: serial };
}

/** -serial stdio (the default) or null/none; anything else is refused. */
function serialSetting(qemuArgs: readonly string[]): boolean {
  const index = qemuArgs.indexOf('-serial');
  if (index < 0) return true;
  const spec = qemuArgs[index + 1];
  if (spec === 'stdio' || spec === 'mon:stdio') return true;
  if (spec === 'null' || spec === 'none') return false;
  throw new InputError(`-serial ${spec}: BoardLab's CLI connects the UART to stdio (or null/none)`);
}

/** Trace lines to a file or stderr. */
function openTrace(target: string, io: RunIo): { write(line: string): void; close(): void } {
  if (target === '-') return { write: (line) => io.stderr(line), close: () => {} };
  let fd: number;
  try {
    fd = openSync(target, 'w');
  } catch (error) {
    throw new InputError(`--trace ${target}: ${describeFsError(error)}`);
  }
  return { write: (line) => writeSync(fd, line + '\n'), close: () => closeSync(fd) };
}
