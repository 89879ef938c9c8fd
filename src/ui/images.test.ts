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

describe('fetchImages', () => {
  it('takes a file stored with the board before the site, and the site (bundled firmware) for the rest', async () => {
    const asked = site({ 'firmware/hello.elf': [1, 2], 'blinky.elf': [9] });
    const result = await fetchImages(board(['blinky.elf', 'firmware/hello.elf']), new Map([['blinky.elf', new Uint8Array([7, 7])]]));
    expect(result).toEqual({ ok: true, images: { 'blinky.elf': new Uint8Array([7, 7]), 'firmware/hello.elf': new Uint8Array([1, 2]) } });
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
