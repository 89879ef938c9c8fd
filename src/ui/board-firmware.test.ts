import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBoard, type BoardDocument } from '../graph/index.ts';
import { cpuImageFile, cpuPaths, cpuTarget, filesToCarry, firmwareFileProblem, firmwareLabel, imageFormatOf, setCpuImage, targetCpu } from './board-firmware.ts';

const hello = JSON.parse(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8')) as BoardDocument;
const blinkyBoard = JSON.parse(readFileSync(new URL('../../examples/blinky.board.json', import.meta.url), 'utf8')) as BoardDocument;
const blinky = new Uint8Array(readFileSync(new URL('../../public/firmware/blinky.elf', import.meta.url)));
const armHello = new Uint8Array(readFileSync(new URL('../../public/firmware/arm/hello.elf', import.meta.url)));
const mps2: BoardDocument = { boardlab: 1, name: 'mine', extends: 'mps2-an385@1.0', objects: {} };

const twoCpus: BoardDocument = {
  boardlab: 1,
  name: 'two',
  objects: { a: { type: 'rv32' }, b: { type: 'rv32', props: { 'hart-id': 1 } }, ram: { type: 'ram' } },
  images: [
    { cpu: 'a', file: 'firmware/hello.elf' },
    { file: 'data.bin', format: 'binary', at: '0x80100000' },
    { cpu: '/machine/b', file: 'old.elf' },
    { cpu: 'b', file: 'older.elf' },
  ],
};

describe('firmware as part of the board document', () => {
  it('finds the CPUs of a document, also one that does not resolve yet or inherits its CPU', () => {
    expect(cpuPaths(twoCpus)).toEqual(['/machine/a', '/machine/b']);
    expect(cpuPaths({ boardlab: 1, name: 'x', objects: { cpu0: { type: 'rv32' }, uart: { type: 'ns16550a' } } })).toEqual(['/machine/cpu0']);
    expect(cpuPaths(blinkyBoard)).toContain('/machine/cpu0');
    expect(cpuPaths({ boardlab: 1, name: 'x', objects: {} })).toEqual([]);
  });

  it('sends an opened firmware to the selected CPU, else the first', () => {
    expect(targetCpu(twoCpus, '/machine/b')).toBe('/machine/b');
    expect(targetCpu(twoCpus, '/machine/ram')).toBe('/machine/a');
    expect(targetCpu(twoCpus, null)).toBe('/machine/a');
    expect(targetCpu({ boardlab: 1, name: 'x', objects: {} }, null)).toBeUndefined();
  });

  it("replaces the CPU's image entry where it stands, leaving other CPUs' and CPU-less images alone", () => {
    const next = setCpuImage(twoCpus, '/machine/b', 'blinky.elf');
    expect(next.images).toEqual([
      { cpu: 'a', file: 'firmware/hello.elf' },
      { file: 'data.bin', format: 'binary', at: '0x80100000' },
      { cpu: 'b', file: 'blinky.elf' },
    ]);
    expect(twoCpus.images).toHaveLength(4); // the input is not changed
    expect(cpuImageFile(next, '/machine/b')).toBe('blinky.elf');
    expect(setCpuImage(hello, '/machine/cpu0', 'blinky.elf').images).toEqual([{ cpu: 'cpu0', file: 'blinky.elf' }]);
    expect(setCpuImage(hello, '/machine/cpu0', 'fw.hex', 'ihex').images).toEqual([{ cpu: 'cpu0', file: 'fw.hex', format: 'ihex' }]);
  });

  it('adds an entry for a CPU without one, and removes it on request', () => {
    const empty: BoardDocument = { boardlab: 1, name: 'x', objects: { cpu0: { type: 'rv32' } } };
    const added = setCpuImage(empty, '/machine/cpu0', 'firmware/hello.elf');
    expect(added.images).toEqual([{ cpu: 'cpu0', file: 'firmware/hello.elf' }]);
    expect(setCpuImage(added, '/machine/cpu0', undefined).images).toBeUndefined();
    expect(setCpuImage(twoCpus, '/machine/b', undefined).images).toEqual([
      { cpu: 'a', file: 'firmware/hello.elf' },
      { file: 'data.bin', format: 'binary', at: '0x80100000' },
    ]);
  });

  it('says in the header what the document runs', () => {
    const resolved = parseBoard(JSON.stringify(setCpuImage(hello, '/machine/cpu0', 'blinky.elf')));
    if (!resolved.ok) throw new Error(resolved.problems[0].message);
    expect(firmwareLabel(resolved.board)).toBe('blinky.elf');
    const none = parseBoard(JSON.stringify({ ...hello, images: undefined }));
    if (!none.ok) throw new Error(none.problems[0].message);
    expect(firmwareLabel(none.board)).toBeNull();
  });

  it('accepts ELF and Intel HEX files as firmware and names an opened file that is neither', () => {
    expect(firmwareFileProblem(blinky, 'blinky.elf')).toBeUndefined();
    expect(imageFormatOf(blinky)).toBe('elf');
    const hex = new TextEncoder().encode(':0400000013000000E9\n:00000001FF\n');
    expect(imageFormatOf(hex)).toBe('ihex');
    expect(firmwareFileProblem(hex, 'fw.hex')).toBeUndefined();
    const notes = firmwareFileProblem(new TextEncoder().encode('these are notes'), 'notes.txt');
    expect(notes?.message).toBe('notes.txt: not an ELF file (it does not start with the ELF magic bytes 7f 45 4c 46)');
    expect(notes?.hint).toContain("the CPU's Image field");
    // for a CPU: its architecture's toolchain, never another's
    const forCortex = firmwareFileProblem(new TextEncoder().encode('these are notes'), 'notes.txt', cpuTarget(mps2, targetCpu(mps2, null)!));
    expect(forCortex?.hint).toContain('ARM ELF executable built for the board (arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb)');
    const forHart = firmwareFileProblem(new TextEncoder().encode('these are notes'), 'notes.txt', cpuTarget(hello, targetCpu(hello, null)!));
    expect(forHart?.hint).toContain('RISC-V ELF executable built for the board (riscv64-unknown-elf-gcc');
    expect(forHart?.hint).not.toContain('arm-none-eabi');
  });

  it("takes an ARM ELF for a Cortex-M CPU, and refuses it for a RISC-V hart naming both architectures and the board that runs it", () => {
    const cortex = cpuTarget(mps2, targetCpu(mps2, null)!);
    expect(cortex).toEqual({ path: '/machine/cpu0', type: 'cortex-m3' });
    expect(firmwareFileProblem(armHello, 'hello.elf', cortex)).toBeUndefined();
    expect(firmwareFileProblem(armHello, 'hello.elf')).toBeUndefined(); // no CPU named: any architecture the catalog runs
    const hart = cpuTarget(hello, targetCpu(hello, null)!);
    const wrong = firmwareFileProblem(armHello, 'hello.elf', hart);
    expect(wrong?.message).toBe('hello.elf: an ELF file for ARM (EM_ARM), but cpu0 (rv32) is RISC-V, which runs RISC-V (EM_RISCV) images');
    expect(wrong?.hint).toContain('New… → from mps2-an385@1.0');
    const reverse = firmwareFileProblem(blinky, 'blinky.elf', cortex);
    expect(reverse?.message).toBe('blinky.elf: an ELF file for RISC-V (EM_RISCV), but cpu0 (cortex-m3) is ARM, which runs ARM (EM_ARM) images');
    expect(reverse?.hint).toContain('riscv-virt@1.0');
  });

  it('carries only the stored files the document names', () => {
    const stored = new Map([
      ['blinky.elf', blinky],
      ['counter.elf', new Uint8Array([1])],
    ]);
    const carried = filesToCarry(setCpuImage(hello, '/machine/cpu0', 'blinky.elf'), stored);
    expect([...carried.keys()]).toEqual(['blinky.elf']);
    expect(filesToCarry(hello, stored).size).toBe(0); // bundled firmware is not carried
    expect(filesToCarry(null, stored).size).toBe(0);
  });
});
