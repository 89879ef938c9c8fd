import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHARE_BUNDLE_PREFIX, SHARE_LINK_LIMIT, SHARE_PREFIX, shareLinkFor, sharedBoardFromHash } from './persist.ts';

const base = 'http://localhost:5173/';
const blinky = new Uint8Array(readFileSync(new URL('../../public/firmware/blinky.elf', import.meta.url)));
const text = JSON.stringify({ boardlab: 1, name: 'mine', objects: { cpu0: { type: 'rv32' } }, images: [{ cpu: 'cpu0', file: 'blinky.elf' }] }, null, 2);

function hashOf(url: string): string {
  return url.slice(url.indexOf('#'));
}

describe('share links', () => {
  it('carry a board that needs only bundled firmware as compressed text', async () => {
    const link = await shareLinkFor(base, text, new Map(), 'mine.board.json');
    if (!link.ok) throw new Error('refused');
    expect(link.url.startsWith(base + SHARE_PREFIX)).toBe(true);
    expect(link.url).toMatch(/#board=[A-Za-z0-9_-]+$/);
    expect(await sharedBoardFromHash(hashOf(link.url))).toEqual({ ok: true, text, files: new Map() });
  });

  it('carry the user firmware the board names, byte for byte, compressed', async () => {
    const link = await shareLinkFor(base, text, new Map([['blinky.elf', blinky]]), 'mine.board.json');
    if (!link.ok) throw new Error('refused');
    expect(link.url.startsWith(base + SHARE_BUNDLE_PREFIX)).toBe(true);
    expect(link.url).toMatch(/#bundle=[A-Za-z0-9_-]+$/);
    expect(link.url.length).toBeLessThan(base.length + (blinky.length * 4) / 3); // smaller than the file in base64
    const shared = await sharedBoardFromHash(hashOf(link.url));
    if (!shared?.ok) throw new Error('not decoded');
    expect(shared.text).toBe(text);
    expect(shared.files.get('blinky.elf')).toEqual(blinky);
  });

  it('refuse a board that would make a link longer than the limit, saying how long', async () => {
    const noise = new Uint8Array(SHARE_LINK_LIMIT);
    crypto.getRandomValues(noise); // incompressible
    const link = await shareLinkFor(base, text, new Map([['big.elf', noise]]), 'mine.board.json');
    expect(link.ok).toBe(false);
    if (link.ok) return;
    expect(link.limit).toBe(SHARE_LINK_LIMIT);
    expect(link.length).toBeGreaterThan(SHARE_LINK_LIMIT);
  });

  it('say when a share link is damaged, and ignore hashes that are not share links', async () => {
    expect(await sharedBoardFromHash('#section-2')).toBeUndefined();
    expect(await sharedBoardFromHash('')).toBeUndefined();
    const bundle = await sharedBoardFromHash(`${SHARE_BUNDLE_PREFIX}AAAA`);
    expect(bundle).toEqual({ ok: false, reason: 'the share link is damaged: not a board bundle (a zip file)' });
    const board = await sharedBoardFromHash(`${SHARE_PREFIX}____`);
    expect(board?.ok).toBe(false);
  });
});
