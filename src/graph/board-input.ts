// Bad input before it becomes a document: the bytes of a board file (too big, binary, UTF-16) and
// the shape of what JSON.parse returned (not an object, nested too deep). Each is one problem
// against the whole document, so the CLI prints one line and the designer one message; nothing
// later (the schema validator, structuredClone, JSON.stringify — all recursive) sees such input.
import type { BoardProblem } from './problems.ts';

/** The largest board file read: a document this big is a mistake (a disk image, a log), not a board. */
export const BOARD_FILE_LIMIT = 64 * 1024 * 1024;

/**
 * How deep a document may nest (objects and arrays). Real boards nest a few levels per composite;
 * the validator and the resolver recurse, so a hostile 100,000-level document must stop here.
 */
export const BOARD_NESTING_LIMIT = 256;

const MIB = 1024 * 1024;

const wholeDocument = (message: string, hint: string): BoardProblem => ({ pointer: '', message, hint });

export type BoardTextResult = { ok: true; text: string } | { ok: false; problem: BoardProblem };

/** A board file's bytes as text: UTF-8 (a byte-order mark is dropped), at most BOARD_FILE_LIMIT bytes. */
export function boardTextFromBytes(bytes: Uint8Array): BoardTextResult {
  const sizeProblem = boardSizeProblem(bytes.length);
  if (sizeProblem) return { ok: false, problem: sizeProblem };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, problem: wholeDocument('the file is UTF-16 text, not UTF-8', 'Save the board as UTF-8 (every editor offers it under "encoding").') };
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    return { ok: false, problem: binaryProblem() };
  }
  // UTF-16 without a byte-order mark, and most binary files, hold NUL bytes, which text never does.
  if (text.includes('\0')) return { ok: false, problem: binaryProblem() };
  return { ok: true, text };
}

function binaryProblem(): BoardProblem {
  return wholeDocument('the file is binary, not a board document (it is not UTF-8 text)', 'A board is a .board.json file (UTF-8 JSON text), a config file or a .board.zip bundle.');
}

/** A board file of `size` bytes is refused when it is larger than BOARD_FILE_LIMIT. */
export function boardSizeProblem(size: number): BoardProblem | undefined {
  if (size <= BOARD_FILE_LIMIT) return undefined;
  return wholeDocument(`the file is ${(size / MIB).toFixed(1)} MiB, larger than the ${BOARD_FILE_LIMIT / MIB} MiB a board document may be`, 'A board document is a few kilobytes of JSON; check that this is the right file.');
}

/**
 * A board text that cannot be a board whatever the user edits (too long, empty; JSON that is null,
 * an array, a scalar, or nested too deep): the designer refuses it instead of making it the draft.
 * Text that is not JSON at all is left to the parser, whose problem names the line to fix.
 */
export function unusableBoardTextProblem(text: string): BoardProblem | undefined {
  const tooBig = boardSizeProblem(text.length);
  if (tooBig) return tooBig;
  if (text.trim() === '') return wholeDocument('the file is empty', 'A board document is an object: {"boardlab": 1, "name": "my-board", "objects": {…}}.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return boardShapeProblem(value);
}

/** What JSON.parse returned is not a board when it is not an object, or nests deeper than BOARD_NESTING_LIMIT. */
export function boardShapeProblem(value: unknown, what: 'board' | 'library' = 'board'): BoardProblem | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return what === 'board'
      ? wholeDocument(`the board is ${describeJsonValue(value)}, not a JSON object`, 'A board document is an object: {"boardlab": 1, "name": "my-board", "objects": {…}}.')
      : wholeDocument(`the library is ${describeJsonValue(value)}, not a JSON object`, 'A library is an object: {"boardlab-library": 1, "types": {…}}.');
  }
  const depth = nestingDepth(value, BOARD_NESTING_LIMIT);
  if (depth > BOARD_NESTING_LIMIT) {
    return wholeDocument(`the ${what} nests deeper than ${BOARD_NESTING_LIMIT} levels of objects and arrays`, `A ${what} nests a few levels per composite; this file is not a ${what} document, or was generated wrongly.`);
  }
  return undefined;
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'boolean') return `${value}`;
  return typeof value;
}

/** How deep `value` nests, counting up to just past `limit` (iteratively: the input may be 100,000 levels deep). */
function nestingDepth(value: object, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
  }
  return deepest;
}
