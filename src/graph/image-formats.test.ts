import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImageError, parseElf } from './image-formats.ts';
import { loadableImage } from './image-check.ts';

const hello = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));

/** A minimal ELF32 RISC-V executable with one PT_LOAD segment. */
function makeElf(address: number, payload: number[], memorySize = payload.length, machine = 243): Uint8Array {
  const bytes = new Uint8Array(52 + 32 + payload.length);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  view.setUint16(16, 2, true); // ET_EXEC
  view.setUint16(18, machine, true);
  view.setUint32(24, address, true); // entry
  view.setUint32(28, 52, true); // phoff
  view.setUint16(42, 32, true);
  view.setUint16(44, 1, true);
  view.setUint32(52, 1, true); // PT_LOAD
  view.setUint32(56, 84, true); // offset
  view.setUint32(64, address, true); // paddr
  view.setUint32(68, payload.length, true);
  view.setUint32(72, memorySize, true);
  bytes.set(payload, 84);
  return bytes;
}

describe('ELF images', () => {
  it('parses the hello firmware: entry at RAM base, loadable segments', () => {
    const image = parseElf(hello);
    expect(image.entry).toBe(0x80000000);
    expect(image.segments.length).toBeGreaterThan(0);
    expect(image.segments[0].address).toBe(0x80000000);
  });

  it('loads a segment as its bytes followed by zeroes up to its memory size (.bss)', () => {
    const image = loadableImage({ format: 'elf', at: undefined }, makeElf(0x80000000, [1, 2, 3, 4], 8));
    expect(image.entry).toBe(0x80000000);
    expect(image.ranges).toEqual([{ address: 0x80000000, size: 8 }]);
    expect(image.chunks.map((c) => ({ address: c.address, data: [...c.data] }))).toEqual([{ address: 0x80000000, data: [1, 2, 3, 4] }]);
    expect(image.zero).toEqual([[0x80000004, 4]]);
  });

  it('rejects files that are not ELF, with one-line reasons', () => {
    expect(() => parseElf(new TextEncoder().encode('#!/bin/sh\necho this is a shell script, not firmware\n'.repeat(2)))).toThrow(/not an ELF file/);
    expect(() => parseElf(new Uint8Array(10))).toThrow(ImageError);
    const arm = makeElf(0x80000000, [0, 0, 0, 0], 4, 40);
    expect(() => parseElf(arm)).toThrow('is an ELF file for ARM (EM_ARM), not RISC-V (EM_RISCV)');
    expect(() => parseElf(makeElf(0x0, [0, 0, 0, 0]), [40])).toThrow('is an ELF file for RISC-V (EM_RISCV), not ARM (EM_ARM)');
    expect(() => parseElf(makeElf(0x0, [0, 0, 0, 0], 4, 62))).toThrow('is an ELF file for x86-64 (EM_X86_64), not RISC-V (EM_RISCV)');
    expect(parseElf(arm, [40]).entry).toBe(0x80000000);
    const elf64 = makeElf(0x80000000, [0, 0, 0, 0]);
    elf64[4] = 2;
    expect(() => parseElf(elf64)).toThrow(/64-bit/);
    expect(() => parseElf(makeElf(0x80000000, [1, 2, 3, 4]).subarray(0, 86))).toThrow(/truncated/);
  });
});
