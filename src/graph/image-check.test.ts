import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkImages, parseBoard, resolveBoard, unavailableTypeProblems, type ResolvedBoard } from './index.ts';

const helloText = readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8');
const helloElf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));

function board(change: (doc: any) => void = () => {}): ResolvedBoard {
  const doc = JSON.parse(helloText);
  change(doc);
  const result = resolveBoard(doc);
  if (!result.ok) throw new Error(result.problems[0].message);
  return result.board;
}

/** Intel HEX for `bytes` at `address` (linear base record, one data record, EOF). */
function intelHex(address: number, bytes: number[]): Uint8Array {
  const record = (type: number, offset: number, data: number[]) => {
    const body = [data.length, offset >> 8, offset & 0xff, type, ...data];
    const sum = (0x100 - (body.reduce((a, b) => a + b, 0) & 0xff)) & 0xff;
    return ':' + [...body, sum].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('');
  };
  return new TextEncoder().encode([record(4, 0, [address >>> 24, (address >>> 16) & 0xff]), record(0, address & 0xffff, bytes), ':00000001FF'].join('\n'));
}

describe('image checks', () => {
  it('accepts images that parse and fit', () => {
    expect(checkImages(board(), new Map([['firmware/hello.elf', helloElf]]))).toEqual([]);
  });

  it('names a missing file, a file that is not an ELF, and an image that does not fit', () => {
    expect(checkImages(board(), new Map())).toEqual([expect.objectContaining({ pointer: '/images/0/file', message: 'image firmware/hello.elf: file not found' })]);
    const [notElf] = checkImages(board(), new Map([['firmware/hello.elf', new TextEncoder().encode('plain text, not a program')]]));
    expect(notElf.message).toBe('image firmware/hello.elf: not an ELF file (it does not start with the ELF magic bytes 7f 45 4c 46)');
    const [tooSmall] = checkImages(board((doc) => (doc.objects.ram.props.size = 256)), new Map([['firmware/hello.elf', helloElf]]));
    expect(tooSmall.message).toMatch(/^image firmware\/hello\.elf: does not fit in memory: its segment \[0x80000000–0x[0-9a-f]+\] needs memory at 0x80000100, where ram\.mem ends$/);
  });

  it('checks binary and Intel HEX images against their load addresses', () => {
    const b = board((doc) => doc.images.push({ file: 'blob.bin', format: 'binary', at: '0x87fffff0' }, { file: 'data.hex', format: 'ihex' }));
    const files = new Map<string, Uint8Array>([
      ['firmware/hello.elf', helloElf],
      ['blob.bin', new Uint8Array(32)],
      ['data.hex', intelHex(0x10000000, [1, 2, 3, 4])],
    ]);
    expect(checkImages(b, files).map((p) => [p.pointer, p.message])).toEqual([
      ['/images/1/file', 'image blob.bin: does not fit in memory: its segment [0x87fffff0–0x8800000f] needs memory at 0x88000000, where ram.mem ends'],
      ['/images/2/file', 'image data.hex: does not fit in memory: its segment [0x10000000–0x10000003] needs memory at 0x10000000, where nothing is mapped'],
    ]);
    files.set('data.hex', new TextEncoder().encode(':0400000001020304F1\n'));
    expect(checkImages(b, files).find((p) => p.pointer === '/images/2/file')?.message).toContain('has a bad checksum');
  });

  it('loads through an alias of RAM', () => {
    const b = board((doc) => {
      doc.memory.push({ alias: 'ram.mem', offset: '0x0', size: '64K', at: '0x20000000' });
      doc.images = [{ cpu: 'cpu0', file: 'low.bin', format: 'binary', at: '0x20000000' }];
      doc.objects.cpu0.props['reset-vector'] = '0x20000000';
    });
    expect(checkImages(b, new Map([['low.bin', new Uint8Array(1024)]]))).toEqual([]);
  });
});

describe('unavailable engine modules', () => {
  it('become problems on the objects that use them', () => {
    const result = parseBoard(helloText);
    if (!result.ok) throw new Error('hello must resolve');
    const problems = unavailableTypeProblems(result.board.objects, new Map([['engine/devices/ns16550a', { available: false as const, reason: 'chunk failed to load' }]]));
    expect(problems).toEqual([
      { pointer: '/objects/uart0', message: 'type "ns16550a" of /machine/uart0 is unavailable: chunk failed to load', hint: expect.any(String) },
    ]);
  });
});
