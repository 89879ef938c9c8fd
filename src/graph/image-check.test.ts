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

/** A minimal linked ELF32 executable (one PT_LOAD of four bytes at `address`) for `machine`. */
function minimalElf(machine: number, address: number): Uint8Array {
  const bytes = new Uint8Array(52 + 32 + 4);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, machine, true);
  view.setUint32(24, address, true);
  view.setUint32(28, 52, true);
  view.setUint16(42, 32, true);
  view.setUint16(44, 1, true);
  view.setUint32(52, 1, true); // PT_LOAD
  view.setUint32(56, 84, true);
  view.setUint32(64, address, true);
  view.setUint32(68, 4, true);
  view.setUint32(72, 4, true);
  return bytes;
}

const EM_ARM = 40;

describe('an image built for another architecture than its CPU', () => {
  const machineBoard = (machine: string): ResolvedBoard => {
    const result = resolveBoard({ boardlab: 1, name: 'fw', extends: machine, objects: {}, images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    if (!result.ok) throw new Error(result.problems[0].message);
    return result.board;
  };

  it('an ARM ELF for a RISC-V hart: names EM_ARM, the hart and RISC-V, at /images/0, with how to build for RISC-V and where ARM images run', () => {
    expect(checkImages(machineBoard('riscv-virt'), new Map([['fw.elf', minimalElf(EM_ARM, 0x8000_0000)]]))).toEqual([
      {
        pointer: '/images/0',
        message: 'image fw.elf: an ELF file for ARM (EM_ARM), but its CPU cpu0 (rv32) is RISC-V, which runs RISC-V (EM_RISCV) images',
        hint: 'Build the image for RISC-V (riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32), or run it on a CPU that runs ARM (EM_ARM) images (a board that extends mps2-an385@1.0).',
      },
    ]);
  });

  it('a RISC-V ELF (the hello firmware) for the Cortex-M3 of mps2-an385: names EM_RISCV, the CPU and ARM', () => {
    expect(checkImages(machineBoard('mps2-an385'), new Map([['fw.elf', helloElf]]))).toEqual([
      {
        pointer: '/images/0',
        message: 'image fw.elf: an ELF file for RISC-V (EM_RISCV), but its CPU cpu0 (cortex-m3) is ARM, which runs ARM (EM_ARM) images',
        hint: 'Build the image for ARM (arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb), or run it on a CPU that runs RISC-V (EM_RISCV) images (a board that extends riscv-virt@1.0).',
      },
    ]);
  });

  it('accepts each architecture\'s images on its own CPUs, and names an unknown machine without suggesting a board', () => {
    expect(checkImages(machineBoard('mps2-an385'), new Map([['fw.elf', minimalElf(EM_ARM, 0x0)]]))).toEqual([]);
    expect(checkImages(machineBoard('boardlab-m0'), new Map([['fw.elf', minimalElf(EM_ARM, 0x2000_0000)]]))).toEqual([]);
    const [x86] = checkImages(machineBoard('boardlab-m0'), new Map([['fw.elf', minimalElf(62, 0x0)]]));
    expect(x86).toEqual({ pointer: '/images/0', message: 'image fw.elf: an ELF file for x86-64 (EM_X86_64), but its CPU cpu0 (cortex-m0plus) is ARM, which runs ARM (EM_ARM) images', hint: 'Build the image for ARM (arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb).' });
  });
});
