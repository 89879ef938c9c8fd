import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BOARD_FILE_LIMIT, boardTextFromBytes, unusableBoardTextProblem } from './board-input.ts';
import { unpackBoardBundle } from './bundle.ts';
import { parseBoard, resolveBoard } from './resolve.ts';

const encode = (text: string) => new TextEncoder().encode(text);

describe('documents that are not boards', () => {
  it.each([
    [null, 'the board is null, not a JSON object'],
    [[], 'the board is an array, not a JSON object'],
    [true, 'the board is true, not a JSON object'],
    [7, 'the board is a number (7), not a JSON object'],
    ['riscv-virt', 'the board is a string, not a JSON object'],
  ])('resolveBoard(%j) is one problem against the whole document', (document, message) => {
    const result = resolveBoard(document);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([{ pointer: '', message, hint: expect.stringContaining('"boardlab": 1') }]);
  });

  it('a document nested 100,000 levels deep is one problem, not a stack overflow', () => {
    const text = '{"boardlab": 1, "name": "deep", "objects": {}, "x": ' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    const result = parseBoard(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toEqual([expect.objectContaining({ pointer: '', message: 'the board nests deeper than 256 levels of objects and arrays' })]);
  });

  it('text larger than the limit is refused before parsing', () => {
    const result = parseBoard(' '.repeat(BOARD_FILE_LIMIT + 1));
    expect(!result.ok && result.problems[0].message).toMatch(/larger than the 64 MiB a board document may be/);
  });
});

describe('boardTextFromBytes', () => {
  it('reads UTF-8, dropping a byte-order mark', () => {
    expect(boardTextFromBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...encode('{"a": "ü"}')]))).toEqual({ ok: true, text: '{"a": "ü"}' });
  });

  it('refuses UTF-16 (with or without a byte-order mark) and bytes that are not UTF-8', () => {
    const utf16 = new Uint8Array(Buffer.from('{"boardlab": 1}', 'utf16le'));
    expect(boardTextFromBytes(new Uint8Array([0xff, 0xfe, ...utf16]))).toMatchObject({ ok: false, problem: { message: 'the file is UTF-16 text, not UTF-8' } });
    expect(boardTextFromBytes(utf16)).toMatchObject({ ok: false, problem: { message: expect.stringContaining('binary') } });
    expect(boardTextFromBytes(new Uint8Array([0x7b, 0xff, 0xc3, 0x0a]))).toMatchObject({ ok: false, problem: { message: expect.stringContaining('binary') } });
  });

  it('a bundle whose document is binary is refused, naming the document', () => {
    const result = unpackBoardBundle(zipSync({ 'x.board.json': new Uint8Array([0x7b, 0xff, 0x00, 0x80]) }));
    expect(result).toMatchObject({ ok: false, problems: [{ pointer: '', message: 'x.board.json in the zip file: the file is binary, not a board document (it is not UTF-8 text)' }] });
    expect(unpackBoardBundle(zipSync({ 'x.board.json': encode('{}') }))).toMatchObject({ ok: true, text: '{}' });
  });

});

describe('unusableBoardTextProblem (what the designer refuses instead of making it the draft)', () => {
  it('refuses empty text, null, arrays, scalars and deep nesting; leaves syntax errors and real boards alone', () => {
    expect(unusableBoardTextProblem('  \n')?.message).toBe('the file is empty');
    expect(unusableBoardTextProblem('null')?.message).toBe('the board is null, not a JSON object');
    expect(unusableBoardTextProblem('[1]')?.message).toBe('the board is an array, not a JSON object');
    expect(unusableBoardTextProblem('{"a":' + '['.repeat(300) + ']'.repeat(300) + '}')?.message).toMatch(/nests deeper than 256/);
    expect(unusableBoardTextProblem('{"boardlab": 1,}')).toBeUndefined(); // a typo: the parser names the line, the text is the draft to fix
    expect(unusableBoardTextProblem('{"boardlab": 1, "name": "x", "objects": {}}')).toBeUndefined();
  });
});
