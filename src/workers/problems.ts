// Errors from the engine, turned into the one-line problems the UI lists (pointer, message, hint).
// Never a stack trace: only the first line of a message is kept. Where the board is known, the
// object path or image file an error names becomes a JSON Pointer into the board document.
import type { BoardProblem, ResolvedBoard } from '../graph/index.ts';
import { cpuArchitecture, type CpuArchitecture } from '../graph/catalog.ts';
import { listMachineTypes } from '../graph/machines.ts';

/** The CPU type whose architecture a hint names when the error names no CPU (riscv-virt's hart). */
const DEFAULT_CPU_TYPE = 'rv32';

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].trim();
  return line === '' ? 'unknown error' : line;
}

/** The CPU an error is about: the object it names, or the CPU of the image it names. */
function cpuTypeFor(message: string, path: string | undefined, board: ResolvedBoard | undefined): string | undefined {
  if (board === undefined) return undefined;
  const image = /^image (.+?): /.exec(message);
  const cpuPath = (image ? board.images.find((i) => i.file === image[1])?.cpu : undefined) ?? path;
  const type = board.objects.find((o) => o.path === cpuPath)?.type;
  return type !== undefined && cpuArchitecture(type) !== undefined ? type : undefined;
}

/** The machine types whose CPUs run `architecture`'s images ("mps2-an385, boardlab-m0"). */
function machineTypesRunning(architecture: CpuArchitecture): string {
  const names = listMachineTypes()
    .filter((spec) => Object.values(spec.document.objects).some((o) => o?.type !== undefined && cpuArchitecture(o.type)?.elfMachine === architecture.elfMachine))
    .map((spec) => spec.name);
  return [...new Set(names)].join(', ');
}

/**
 * What to do about an image or engine error, for the CPU it concerns: the toolchain and the machine
 * types of that CPU's architecture (a RISC-V hart and a Cortex-M core want different ELF files).
 * Without a board, the RISC-V words (the first architecture; the CLI's default machine).
 */
function hintFor(message: string, cpuType: string | undefined): string {
  const architecture = cpuArchitecture(cpuType ?? DEFAULT_CPU_TYPE) ?? cpuArchitecture(DEFAULT_CPU_TYPE)!;
  const build = architecture.build.replace('{cpu}', cpuType ?? DEFAULT_CPU_TYPE);
  const machines = machineTypesRunning(architecture);
  if (/does not fit|not in RAM/i.test(message)) {
    return `Link the image for where the board has RAM (see its memory map; ${architecture.name} machine types: ${machines}), or give the board more RAM.`;
  }
  if (/ELF|program headers|truncated/i.test(message)) {
    return `Open a linked ${architecture.name} ELF executable built for the board's memory map (${build}; ${architecture.name} machine types: ${machines}), or pick a bundled firmware in the CPU's Image field.`;
  }
  if (/not provided|not found|fetch/i.test(message)) {
    return 'Pick the firmware in the CPU\'s Image field, or open the file again with "Open firmware…" (it is then stored with the board).';
  }
  if (/no engine model/i.test(message)) return 'This object type is in the catalog but not implemented by the engine yet.';
  return 'Check the board document and its images.';
}

function pointerFor(message: string, path: string | undefined, board: ResolvedBoard | undefined): string {
  if (board) {
    const image = /^image (.+?): /.exec(message);
    const entry = image ? board.images.find((i) => i.file === image[1]) : undefined;
    if (entry) return `${entry.pointer}/file`;
    const object = path === undefined ? undefined : board.objects.find((o) => o.path === path);
    if (object) return object.pointer;
  }
  return path ?? '';
}

/** A BoardProblem from anything thrown while building or running a machine. */
export function problemFromError(error: unknown, board?: ResolvedBoard): BoardProblem {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  const record = error as { path?: unknown; hint?: unknown } | null;
  const path = typeof record?.path === 'string' ? record.path : undefined;
  const hint = typeof record?.hint === 'string' && record.hint !== '' ? record.hint : hintFor(message, cpuTypeFor(message, path, board));
  const isMachineError = error instanceof Error && error.name === 'MachineError';
  return {
    pointer: pointerFor(message, path, board),
    message: isMachineError || !(error instanceof Error) ? message : `internal error: ${message}`,
    hint,
  };
}
