import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BUNDLE_EXPANDED_LIMIT, bundleDocumentName, documentImageFiles, isZip, packBoardBundle, startsWithElfMagic, unpackBoardBundle } from './bundle.ts';

const blinky = new Uint8Array(readFileSync(new URL('../../public/firmware/blinky.elf', import.meta.url)));
const text = JSON.stringify({ boardlab: 1, name: 'mine', objects: {}, images: [{ cpu: 'cpu0', file: 'blinky.elf' }] }, null, 2);

describe('board bundles', () => {
  it('carry the document and the files it names, byte for byte, compressed', () => {
    const zip = packBoardBundle({ documentName: 'mine.board.json', text, files: new Map([['blinky.elf', blinky], ['build/extra.bin', new Uint8Array([1, 2, 3])]]) });
    expect(isZip(zip)).toBe(true);
    expect(zip.length).toBeLessThan(blinky.length); // deflated
    const back = unpackBoardBundle(zip);
    if (!back.ok) throw new Error(back.problems[0].message);
    expect(back.documentName).toBe('mine.board.json');
    expect(back.text).toBe(text);
    expect([...back.files.keys()].sort()).toEqual(['blinky.elf', 'build/extra.bin']);
    expect(back.files.get('blinky.elf')).toEqual(blinky);
    expect(back.files.get('build/extra.bin')).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('accept a zip whose document is any top-level .json when none is called .board.json', () => {
    const zip = zipSync({ 'board.json': new TextEncoder().encode(text), 'blinky.elf': blinky });
    const back = unpackBoardBundle(zip);
    expect(back.ok && back.documentName).toBe('board.json');
  });

  it('say what is wrong with a zip that is not a bundle, and with bytes that are not a zip', () => {
    const none = unpackBoardBundle(zipSync({ 'readme.txt': new Uint8Array([65]) }));
    expect(!none.ok && none.problems[0].message).toBe('the zip file holds no board document (no .board.json at its top level)');
    const two = unpackBoardBundle(zipSync({ 'a.board.json': new Uint8Array([123, 125]), 'b.board.json': new Uint8Array([123, 125]) }));
    expect(!two.ok && two.problems[0].message).toBe('the zip file holds 2 board documents (a.board.json, b.board.json)');
    const notZip = unpackBoardBundle(new TextEncoder().encode(text));
    expect(!notZip.ok && notZip.problems[0].message).toBe('not a board bundle (a zip file)');
    const damaged = packBoardBundle({ documentName: 'mine.board.json', text, files: new Map([['blinky.elf', blinky]]) }).slice(0, 200);
    const broken = unpackBoardBundle(damaged);
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.problems[0].message).toMatch(/^the zip file is damaged/);
  });

  it('refuse an archive that expands past the limit before expanding it', () => {
    const huge = zipSync({ 'x.board.json': new Uint8Array([123, 125]), 'zeros.bin': new Uint8Array(BUNDLE_EXPANDED_LIMIT + 1) }, { level: 9 });
    expect(huge.length).toBeLessThan(1024 * 1024);
    const result = unpackBoardBundle(huge);
    expect(!result.ok && result.problems[0].message).toBe('the zip file expands to more than 64 MiB');
  });

  it('recognise ELF and zip files by their first bytes', () => {
    expect(startsWithElfMagic(blinky)).toBe(true);
    expect(isZip(blinky)).toBe(false);
    expect(startsWithElfMagic(new TextEncoder().encode('{"boardlab":1}'))).toBe(false);
  });

  it('name the image files a document carries, and the document inside a bundle', () => {
    expect(documentImageFiles({ boardlab: 1, name: 'x', objects: {}, images: [{ cpu: 'cpu0', file: 'a.elf' }, { cpu: 'cpu1', file: 'a.elf' }, { file: 'b.bin', format: 'binary', at: 0 }] })).toEqual(['a.elf', 'b.bin']);
    expect(documentImageFiles({ boardlab: 1, name: 'x', objects: {} })).toEqual([]);
    expect(bundleDocumentName('untitled.board.json (edited)')).toBe('untitled.board.json');
    expect(bundleDocumentName('my board.board.zip')).toBe('my_board.board.json');
    expect(bundleDocumentName('shared board')).toBe('shared_board.board.json');
    expect(bundleDocumentName('')).toBe('board.board.json');
  });
});
