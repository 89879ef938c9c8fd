// A board that keeps its program as an assembly source: `boardlab run` and `boardlab validate`
// assemble it (src/asm) and run or check the ELF; a bad source is a problem at its text with the
// line and column.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packBoardBundle } from '../graph/index.ts';
import { validateCommand } from './introspect.ts';
import { EXIT_INPUT_ERROR, runCommand } from './run.ts';

const root = new URL('../../', import.meta.url).pathname;
const helloBoard = JSON.parse(readFileSync(join(root, 'examples/hello.board.json'), 'utf8'));

/** Prints its message on the hello board's UART, then stops the board through the finisher with `code`. */
function helloSource(message: string, code = 0): string {
  const finisher = code === 0 ? '0x5555' : `0x${((code << 16) | 0x3333).toString(16)}`;
  return [
    '  .equ UART, 0x10000000',
    '  .equ FINISHER, 0x100000',
    '  .text',
    '  .globl _start',
    '_start:',
    '  la a0, message',
    '  li a1, UART',
    'next:',
    '  lbu t0, 0(a0)',
    '  beqz t0, done',
    '  sb t0, 0(a1)',
    '  addi a0, a0, 1',
    '  j next',
    'done:',
    `  li t0, ${finisher}`,
    '  li a1, FINISHER',
    '  sw t0, 0(a1)',
    'hang:',
    '  j hang',
    '  .data',
    'message:',
    `  .asciz "${message}\\n"`,
    '',
  ].join('\n');
}

function boardWith(text: string): any {
  const doc = structuredClone(helloBoard);
  delete doc.$schema;
  doc.sources = { 'main.s': { text } };
  doc.images = [{ cpu: 'cpu0', source: 'main.s' }];
  return doc;
}

function scratch(name: string, content: string | Uint8Array): string {
  const file = join(mkdtempSync(join(tmpdir(), 'boardlab-sources-')), name);
  writeFileSync(file, content);
  return file;
}

async function run(board: string) {
  const out: number[] = [];
  const err: string[] = [];
  const status = await runCommand({ board }, { stdout: (bytes) => out.push(...bytes), stderr: (line) => err.push(line), guestStderr: () => undefined });
  return { status, stdout: Buffer.from(out).toString('latin1'), stderr: err };
}

async function validate(board: string) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await validateCommand(board, {}, { stdout: (text) => out.push(typeof text === 'string' ? text : Buffer.from(text).toString()), stderr: (line) => err.push(line) });
  return { status, stdout: out.join(''), stderr: err };
}

describe('boards with sources, headless', () => {
  it('boardlab run assembles the source an image names and runs it', async () => {
    const result = await run(scratch('src.board.json', JSON.stringify(boardWith(helloSource('Hello from main.s')))));
    expect(result).toEqual({ status: 0, stdout: 'Hello from main.s\n', stderr: [] });
    // the finisher's code is the program's, so the run really is the assembled program
    expect((await run(scratch('fail.board.json', JSON.stringify(boardWith(helloSource('failing', 3))))))).toMatchObject({ status: 3, stdout: 'failing\n' });
  });

  it('boardlab run refuses a source that does not assemble: file#pointer, then main.s:line:column: error', async () => {
    const lines = helloSource('never printed').split('\n');
    lines.splice(2, 0, '  frobnicate a0, a1'); // line 3, the mnemonic at column 3
    const file = scratch('bad.board.json', JSON.stringify(boardWith(lines.join('\n'))));
    const result = await run(file);
    expect(result.status).toBe(EXIT_INPUT_ERROR);
    expect(result.stdout).toBe('');
    expect(result.stderr).toEqual([expect.stringMatching(/bad\.board\.json#\/sources\/main\.s\/text: main\.s:3:3: error: .*frobnicate/)]);
    const checked = await validate(file);
    expect(checked.status).toBe(1);
    expect(checked.stderr).toEqual(result.stderr);
  });

  it('boardlab validate accepts a board whose source assembles and fits, and says when its ELF does not fit', async () => {
    const good = await validate(scratch('good.board.json', JSON.stringify(boardWith(helloSource('hi')))));
    expect(good).toMatchObject({ status: 0, stderr: [] });
    expect(good.stdout).toContain('valid — 4 objects (1 CPU), 3 mappings, 0 IRQ lines, 1 image');
    const elsewhere = boardWith(helloSource('hi'));
    elsewhere.sources['main.s'].textAddress = '0x40000000';
    const moved = await validate(scratch('moved.board.json', JSON.stringify(elsewhere)));
    expect(moved.status).toBe(1);
    expect(moved.stderr).toEqual([expect.stringMatching(/#\/images\/0\/file: image main\.s: does not fit in memory: its segment \[0x40000000–/)]);
  });

  it('a board bundle carries its sources in the document', async () => {
    const text = JSON.stringify(boardWith(helloSource('from the bundle')));
    const bundle = scratch('b.board.zip', packBoardBundle({ documentName: 'b.board.json', text, files: new Map() }));
    expect(await run(bundle)).toEqual({ status: 0, stdout: 'from the bundle\n', stderr: [] });
  });
});
