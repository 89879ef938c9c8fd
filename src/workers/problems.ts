// Errors from the engine, turned into the one-line problems the UI lists (pointer, message, hint).
// Never a stack trace: only the first line of a message is kept. Where the board is known, the
// object path or image file an error names becomes a JSON Pointer into the board document.
import type { BoardProblem, ResolvedBoard } from '../graph/index.ts';

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].trim();
  return line === '' ? 'unknown error' : line;
}

function hintFor(message: string): string {
  if (/does not fit|not in RAM/i.test(message)) {
    return "Link the image for the board's RAM (0x80000000 on riscv-virt), or give the board more RAM.";
  }
  if (/ELF|program headers|truncated/i.test(message)) {
    return "Open a linked RISC-V ELF executable (riscv64-unknown-elf-gcc -march=rv32i -mabi=ilp32), or pick a bundled firmware (hello, blinky, …) in the CPU's Image field.";
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
  const hint = typeof record?.hint === 'string' && record.hint !== '' ? record.hint : hintFor(message);
  const isMachineError = error instanceof Error && error.name === 'MachineError';
  return {
    pointer: pointerFor(message, path, board),
    message: isMachineError || !(error instanceof Error) ? message : `internal error: ${message}`,
    hint,
  };
}
