// The source editor's markers: a source's errors from the refused load and its assembler warnings,
// at their line and column, from the problems assembleSourceImages gives for real sources.
import { describe, expect, it } from 'vitest';
import { assembleSourceImages, parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { sourceDiagnostics } from './source-diagnostics.ts';

/** A board with two harts running main.s and util.s. */
function board(main: string, util: string): ResolvedBoard {
  const result = parseBoard(
    JSON.stringify({
      boardlab: 1,
      name: 'x',
      objects: { a: { type: 'rv32' }, b: { type: 'rv32', props: { 'hart-id': 1 } }, ram: { type: 'ram' } },
      memory: [{ map: 'ram.mem', at: '0x80000000' }],
      sources: { 'main.s': { text: main }, 'util.s': { text: util, textAddress: '0x80001000' } },
      images: [{ cpu: 'a', source: 'main.s' }, { cpu: 'b', source: 'util.s' }],
    }),
  );
  if (!result.ok) throw new Error(result.problems[0].message);
  return result.board;
}

describe('sourceDiagnostics', () => {
  it('marks the assembler warnings of each source as warnings at their line and column, with their hint', () => {
    const { problems, warnings } = assembleSourceImages(board('_start:\n  j _start\n  .byte 300\n', '_start:\n  .half 1, 70000\n'));
    expect(problems).toEqual([]);
    expect(sourceDiagnostics([], warnings, 'main.s')).toEqual([{ line: 3, column: 9, message: 'warning: value 300 truncated to 8 bits (0x2c)', hint: 'a .byte holds -128..255', severity: 'warning' }]);
    expect(sourceDiagnostics([], warnings, 'util.s')).toEqual([expect.objectContaining({ line: 2, column: 12, severity: 'warning', message: 'warning: value 70000 truncated to 16 bits (0x1170)' })]);
    expect(sourceDiagnostics([], warnings, 'other.s')).toEqual([]);
  });

  it("marks a refused load's errors in the source beside the warnings, once each, and nothing that is not in a source", () => {
    const { problems, warnings } = assembleSourceImages(board('_start:\n  frob a0\n', '_start:\n  .byte 256\n'));
    const elsewhere = { pointer: '/images/0/file', message: 'image x.elf: not stored with this board', hint: '' };
    expect(sourceDiagnostics([...problems, elsewhere], warnings, 'main.s')).toEqual([expect.objectContaining({ line: 2, column: 3, severity: 'error', message: "error: unknown instruction 'frob'" })]);
    expect(sourceDiagnostics([...warnings, elsewhere], warnings, 'util.s')).toEqual([expect.objectContaining({ line: 2, column: 9, severity: 'warning' })]);
  });
});
