// Sources kept in the board document: how an image that names one resolves, and every way it can be wrong.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveBoard, type BoardProblem, type ResolvedBoard } from './index.ts';

const helloText = readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8');
const MAIN = '  .text\n_start:\n  j _start\n';

/** The hello board with its image replaced by a source image; `change` edits the document further. */
function document(change: (doc: any) => void = () => {}): any {
  const doc = JSON.parse(helloText);
  doc.sources = { 'main.s': { text: MAIN } };
  doc.images = [{ cpu: 'cpu0', source: 'main.s' }];
  change(doc);
  return doc;
}

function resolved(change?: (doc: any) => void): ResolvedBoard {
  const result = resolveBoard(document(change));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('; '));
  return result.board;
}

function problems(change: (doc: any) => void): BoardProblem[] {
  const result = resolveBoard(document(change));
  if (result.ok) throw new Error('the board resolved');
  return result.problems;
}

describe('board sources', () => {
  it('resolve an image that names a source to the source, assembled for the CPU that runs it', () => {
    const [image] = resolved().images;
    expect(image).toMatchObject({ cpu: '/machine/cpu0', file: 'main.s', format: 'elf', at: undefined, space: 'system', pointer: '/images/0' });
    expect(image.source).toEqual({ name: 'main.s', text: MAIN, march: 'rv32imac', textAddress: undefined, pointer: '/sources/main.s' });
  });

  it('take the instruction set and .text address the source gives (params work in the address)', () => {
    const [image] = resolved((doc) => {
      doc.params = { base: 0x80001000 };
      doc.sources['main.s'].march = 'rv32i';
      doc.sources['main.s'].textAddress = '${base} + 0x100';
    }).images;
    expect(image.source).toMatchObject({ march: 'rv32i', textAddress: 0x80001100 });
  });

  it('take the instruction set of an ARM core: armv7-m for a Cortex-M3, armv6-m for a Cortex-M0+', () => {
    const arm = (extendsType: string) => {
      const result = resolveBoard({ boardlab: 1, name: 'arm', extends: extendsType, sources: { 'main.s': { text: MAIN } }, images: [{ cpu: 'cpu0', source: 'main.s' }], objects: {} });
      if (!result.ok) throw new Error(result.problems[0].message);
      return result.board.images[0].source?.march;
    };
    expect(arm('mps2-an385')).toBe('armv7-m');
    expect(arm('boardlab-m0')).toBe('armv6-m');
  });

  it('name a missing source at the image, suggesting the nearest name', () => {
    expect(problems((doc) => (doc.images[0].source = 'mian.s'))).toEqual([
      { pointer: '/images/0/source', message: 'no source "mian.s" in this board', hint: 'Did you mean "main.s"? Known sources: main.s.' },
    ]);
    const [none] = problems((doc) => delete doc.sources);
    expect(none).toMatchObject({ pointer: '/images/0/source', message: 'no source "main.s" in this board' });
    expect(none.hint).toContain('"sources": { "main.s": { "text": "…" } }');
  });

  it('refuse an image that names both a file and a source, or neither', () => {
    expect(problems((doc) => (doc.images[0].file = 'firmware/hello.elf'))).toEqual([
      expect.objectContaining({ pointer: '/images/0', message: 'the image names both a file (firmware/hello.elf) and a source (main.s)' }),
    ]);
    expect(problems((doc) => delete doc.images[0].source)).toEqual([expect.objectContaining({ pointer: '/images/0', message: 'an image needs a "file" or a "source"' })]);
    expect(problems((doc) => delete doc.images[0].cpu)).toEqual([expect.objectContaining({ pointer: '/images/0', message: 'a source image needs a "cpu"' })]);
  });

  it('refuse a load address or a non-ELF format on a source image, and a file named like a source', () => {
    expect(problems((doc) => (doc.images[0].at = '0x80000000'))).toEqual([expect.objectContaining({ pointer: '/images/0/at' })]);
    expect(problems((doc) => (doc.images[0].format = 'binary'))[0]).toMatchObject({ pointer: '/images/0/format', message: 'a source assembles to an ELF image, not binary' });
    expect(problems((doc) => (doc.images = [{ cpu: 'cpu0', file: 'main.s' }]))).toEqual([expect.objectContaining({ pointer: '/images/0/file', message: "image file main.s has the name of one of the board's sources" })]);
  });

  it('refuse a source for another architecture than its CPU, at the source', () => {
    expect(problems((doc) => (doc.sources['main.s'].march = 'armv7-m'))).toEqual([
      { pointer: '/sources/main.s/march', message: 'main.s is assembled for armv7-m, but cpu0 (rv32) runs rv32imac', hint: 'Set "march" to "rv32imac" (or remove it: a source is assembled for the CPU that runs it).' },
    ]);
  });

  it('check source names, members and text addresses against the format', () => {
    expect(problems((doc) => (doc.sources['my prog.s'] = { text: '' }))).toEqual([expect.objectContaining({ pointer: '/sources/my prog.s', message: 'invalid name "my prog.s"' })]);
    expect(problems((doc) => (doc.sources['main.s'].txt = 'x'))).toEqual([expect.objectContaining({ pointer: '/sources/main.s/txt', message: 'unknown member "txt"' })]);
    expect(problems((doc) => (doc.sources['main.s'].textAddress = 'the start'))).toEqual([expect.objectContaining({ pointer: '/sources/main.s/textAddress' })]);
    expect(problems((doc) => delete doc.sources['main.s'].text)).toEqual([expect.objectContaining({ pointer: '/sources/main.s', message: 'missing required member "text"' })]);
  });

  it('leave a board without sources as it was (format version 1 documents load unchanged)', () => {
    const result = resolveBoard(JSON.parse(helloText));
    expect(result.ok && result.board.images).toEqual([{ cpu: '/machine/cpu0', file: 'firmware/hello.elf', format: 'elf', at: undefined, space: 'system', pointer: '/images/0' }]);
  });
});
