import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { fetchImages } from './images.ts';

function board(files: string[]): ResolvedBoard {
  const result = parseBoard(
    JSON.stringify({
      boardlab: 1,
      name: 'x',
      objects: { a: { type: 'rv32' }, b: { type: 'rv32', props: { 'hart-id': 1 } }, ram: { type: 'ram' } },
      memory: [{ map: 'ram.mem', at: '0x80000000' }],
      images: files.map((file, i) => ({ cpu: i === 0 ? 'a' : 'b', file })),
    }),
  );
  if (!result.ok) throw new Error(result.problems[0].message);
  return result.board;
}

/** A site that serves `files` and answers anything else as the dev server does: index.html. */
function site(files: Record<string, number[]>): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    const path = url.replace(/^\//, '');
    if (files[path]) return new Response(new Uint8Array(files[path]), { headers: { 'content-type': 'application/octet-stream' } });
    return new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } });
  });
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

/** A board whose hart `a` runs source main.s (`text`) and hart `b` the file fw.elf. */
function boardWithSource(text: string): ResolvedBoard {
  const result = parseBoard(
    JSON.stringify({
      boardlab: 1,
      name: 'x',
      objects: { a: { type: 'rv32' }, b: { type: 'rv32', props: { 'hart-id': 1 } }, ram: { type: 'ram' } },
      memory: [{ map: 'ram.mem', at: '0x80000000' }],
      sources: { 'main.s': { text } },
      images: [{ cpu: 'a', source: 'main.s' }, { cpu: 'b', file: 'fw.elf' }],
    }),
  );
  if (!result.ok) throw new Error(result.problems[0].message);
  return result.board;
}

describe('fetchImages', () => {
  it('assembles an image that names a source (never asking the site for it), and fetches the files', async () => {
    const asked = site({ 'fw.elf': [5] });
    const result = await fetchImages(boardWithSource('  .text\n_start:\n  j _start\n  .byte 300\n'), new Map());
    expect(asked).toEqual(['/fw.elf']);
    if (!result.ok) throw new Error(result.problems[0].message);
    expect([...result.images['main.s'].subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]); // an ELF
    expect(result.images['fw.elf']).toEqual(new Uint8Array([5]));
    expect(result.warnings).toEqual([expect.objectContaining({ pointer: '/sources/main.s/text', message: 'main.s:4:9: warning: value 300 truncated to 8 bits (0x2c)', severity: 'warning' })]);
  });

  it('refuses a source that does not assemble, at its text with the line and column', async () => {
    site({ 'fw.elf': [5] });
    const result = await fetchImages(boardWithSource('  .text\n_start:\n  frob a0\n'), new Map());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([expect.objectContaining({ pointer: '/sources/main.s/text', message: "main.s:3:3: error: unknown instruction 'frob'" })]);
  });

  it("keeps the assembler's warnings when the board cannot load for another reason (a file the site lacks)", async () => {
    site({});
    const result = await fetchImages(boardWithSource('  .text\n_start:\n  j _start\n  .half 70000\n'), new Map());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([expect.objectContaining({ pointer: '/images/1/file' })]);
    expect(result.warnings).toEqual([expect.objectContaining({ pointer: '/sources/main.s/text', message: 'main.s:4:9: warning: value 70000 truncated to 16 bits (0x1170)', severity: 'warning' })]);
  });

  it('takes a file stored with the board before the site, and the site (bundled firmware) for the rest', async () => {
    const asked = site({ 'firmware/hello.elf': [1, 2], 'blinky.elf': [9] });
    const result = await fetchImages(board(['blinky.elf', 'firmware/hello.elf']), new Map([['blinky.elf', new Uint8Array([7, 7])]]));
    expect(result).toEqual({ ok: true, images: { 'blinky.elf': new Uint8Array([7, 7]), 'firmware/hello.elf': new Uint8Array([1, 2]) }, warnings: [] });
    expect(asked).toEqual(['/firmware/hello.elf']);
  });

  it('names a missing file and what to do about it in the designer, with no developer paths', async () => {
    site({});
    const result = await fetchImages(board(['blinky.elf']), new Map());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        pointer: '/images/0/file',
        message: 'image blinky.elf: not stored with this board, and not a bundled firmware',
        hint: 'Open blinky.elf again with "Open firmware…" (it is then stored with the board), or pick a bundled firmware in the CPU\'s Image field.',
      },
    ]);
    expect(JSON.stringify(result.problems)).not.toContain('public/');
  });
});
