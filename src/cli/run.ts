// `boardlab run`: build a board in Node, print its UART output to stdout, exit with the finisher's status.
import { dirname } from 'node:path';
import { boardFromMachineType, findMachineType, firstCpuName, machineTypeNames, resolveBoard, type BoardResult } from '../graph/index.ts';
import { Machine, MachineError, imageFiles } from '../engine/index.ts';
import { InputError, formatProblem, readBoardFile, readImages } from './board-files.ts';

export interface RunOptions {
  board?: string;
  machine?: string;
  firmware?: string;
  maxInstructions?: number;
  timeout?: number;
}

export interface RunIo {
  stdout: (bytes: Uint8Array) => void;
  stderr: (line: string) => void;
}

/** Exit statuses besides the guest's own: like timeout(1) for limits. */
export const EXIT_INPUT_ERROR = 1;
export const EXIT_LIMIT = 124;
export const EXIT_IDLE = 125;

/** Instructions per run() call; output is flushed and limits checked between calls. */
const CHUNK = 5_000_000;

export async function runCommand(options: RunOptions, io: RunIo): Promise<number> {
  try {
    const { result, source, boardDir } = await loadDocument(options);
    if (!result.ok) {
      for (const problem of result.problems) io.stderr(formatProblem(source, problem));
      return EXIT_INPUT_ERROR;
    }
    const images = await readImages(imageFiles(result.board), boardDir);
    const output: number[] = [];
    const machine = Machine.build(result.board, images, { onSerialOutput: (_uart, byte) => output.push(byte) });
    const flush = () => {
      if (output.length > 0) io.stdout(Uint8Array.from(output.splice(0)));
    };
    const started = Date.now();
    const limit = options.maxInstructions ?? Infinity;
    while (!machine.halted) {
      const ran = machine.run(Math.min(CHUNK, limit - machine.instructions));
      flush();
      if (machine.halted) break;
      if (machine.instructions >= limit) {
        io.stderr(`boardlab: stopped after ${machine.instructions} instructions (--max-instructions); the guest did not finish`);
        return EXIT_LIMIT;
      }
      if (options.timeout !== undefined && Date.now() - started > options.timeout * 1000) {
        io.stderr(`boardlab: stopped after ${options.timeout} s (--timeout); the guest did not finish`);
        return EXIT_LIMIT;
      }
      if (ran === 0 && machine.idle) {
        io.stderr('boardlab: every CPU waits for an interrupt (WFI) and nothing on this board can raise one; stopping');
        return EXIT_IDLE;
      }
      await new Promise((resolve) => setImmediate(resolve)); // let stdout drain
    }
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

async function loadDocument(options: RunOptions): Promise<{ result: BoardResult; source: string; boardDir: string }> {
  if (options.board !== undefined && options.machine !== undefined) {
    throw new InputError('give either a board file or -M TYPE, not both');
  }
  if (options.machine !== undefined) {
    if (findMachineType(options.machine) === undefined) {
      throw new InputError(`unknown machine type "${options.machine}"; known types: ${machineTypeNames().join(', ')}`);
    }
    const document = boardFromMachineType(options.machine);
    if (options.firmware === undefined) throw new InputError(`-M ${options.machine} needs --firmware FILE (an ELF image to run)`);
    document.images = [{ cpu: firstCpuName(document) ?? 'cpu0', file: options.firmware }];
    return { result: resolveBoard(document), source: `-M ${options.machine}`, boardDir: process.cwd() };
  }
  if (options.board === undefined) throw new InputError('give a board file or -M TYPE (try: boardlab run -M riscv-virt --firmware public/firmware/hello.elf)');
  const result = await readBoardFile(options.board);
  if (result.ok && options.firmware !== undefined) {
    throw new InputError('--firmware goes with -M; a board file names its images itself');
  }
  return { result, source: options.board, boardDir: dirname(options.board) };
}
