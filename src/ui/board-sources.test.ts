// The designer's source edits, and the program a new source starts with: it assembles and greets on
// the board's UART, on the hello board, on QEMU virt and on the microcontroller (flash at 0), and
// on the Cortex-M boards (mps2-an385, boardlab-m0) through a vector table and the CMSDK UART.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleSourceImages, machineTypeDocument, resolveBoard, type BoardDocument } from '../graph/index.ts';
import { Machine } from '../engine/index.ts';
import { addSourceImage, newSourceName, setSourceText, sourceNames, sourceTemplate } from './board-sources.ts';

const hello = JSON.parse(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8')) as BoardDocument;

function resolved(document: BoardDocument) {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('; '));
  return result.board;
}

/** Adds the template as cpu0's image, assembles it, runs the board and returns what the UART printed. */
function runTemplate(document: BoardDocument): { output: string; template: ReturnType<typeof sourceTemplate> } {
  const template = sourceTemplate(resolved(document), '/machine/cpu0', 'main.s');
  if (template === undefined) throw new Error('no template');
  const board = resolved(addSourceImage(document, '/machine/cpu0', 'main.s', template));
  const assembled = assembleSourceImages(board);
  expect(assembled.problems).toEqual([]);
  let output = '';
  const machine = Machine.build(board, assembled.files, { onSerialOutput: (_uart, byte) => (output += String.fromCharCode(byte)) });
  machine.run(20_000);
  return { output, template };
}

describe('a new source', () => {
  it('greets on the hello board, at the assembler\'s .text address', () => {
    const { output, template } = runTemplate(structuredClone(hello));
    expect(output).toBe('Hello from main.s!\n');
    expect(template?.textAddress).toBeUndefined();
    expect(template?.text).toContain('.equ UART, 0x10000000');
  });

  it('greets on a QEMU virt board (a new board from riscv-virt)', () => {
    expect(runTemplate(machineTypeDocument('riscv-virt')!).output).toBe('Hello from main.s!\n');
  });

  it('goes to the reset vector on the microcontroller, whose flash is at 0 (nothing at 0x80000000)', () => {
    const { output, template } = runTemplate(machineTypeDocument('boardlab-mcu')!);
    expect(template?.textAddress).toBe('0x00000000');
    expect(output).toBe('Hello from main.s!\n');
  });

});

describe('a new source on a Cortex-M board', () => {
  /** The core's main stack pointer after reset (loaded from the vector table's first word). */
  const msp = (document: BoardDocument) => {
    const template = sourceTemplate(resolved(document), '/machine/cpu0', 'main.s')!;
    const board = resolved(addSourceImage(document, '/machine/cpu0', 'main.s', template));
    const machine = Machine.build(board, assembleSourceImages(board).files);
    return (machine.cpu('/machine/cpu0') as unknown as { msp: number }).msp;
  };

  it('boots from its vector table at 0 and greets on the CMSDK UART of mps2-an385 (Cortex-M3), its transmitter enabled', () => {
    const { output, template } = runTemplate(machineTypeDocument('mps2-an385')!);
    expect(output).toBe('Hello from main.s!\n');
    expect(template?.textAddress).toBeUndefined(); // the assembler's 0 for ARM: the vector table
    expect(template?.text).toContain('.equ UART, 0x40004000');
    expect(template?.text).toContain('.syntax unified');
    expect(msp(machineTypeDocument('mps2-an385')!)).toBe(0x20400000); // the end of SSRAM2&3
  });

  it('assembles as ARMv6-M and greets on boardlab-m0 (Cortex-M0+, flash at 0)', () => {
    const document = machineTypeDocument('boardlab-m0')!;
    const board = resolved(addSourceImage(document, '/machine/cpu0', 'main.s', sourceTemplate(resolved(document), '/machine/cpu0', 'main.s')!));
    expect(board.images[0].source?.march).toBe('armv6-m');
    expect(runTemplate(document).output).toBe('Hello from main.s!\n');
    expect(msp(document)).toBe(0x20008000); // the end of its 32 KiB of SRAM
  });

  it('puts the vector table at a reset vector other than 0, and counts without a UART', () => {
    const document: BoardDocument = {
      boardlab: 1,
      name: 'bare-m3',
      objects: { cpu0: { type: 'cortex-m3', props: { 'reset-vector': '0x10000000' } }, rom: { type: 'ram', props: { size: '64K' } }, ram: { type: 'ram', props: { size: '16K' } } },
      memory: [
        { map: 'rom.mem', at: '0x10000000' },
        { map: 'ram.mem', at: '0x20000000' },
      ],
      images: [],
    };
    const { output, template } = runTemplate(document);
    expect(output).toBe('');
    expect(template?.textAddress).toBe('0x10000000');
    expect(msp(document)).toBe(0x20004000);
    const template2 = sourceTemplate(resolved(document), '/machine/cpu0', 'main.s')!;
    const board = resolved(addSourceImage(document, '/machine/cpu0', 'main.s', template2));
    const machine = Machine.build(board, assembleSourceImages(board).files);
    machine.run(1000);
    const r0 = (machine.cpu('/machine/cpu0') as unknown as { r: Int32Array }).r[0];
    expect(r0).toBeGreaterThan(100); // counting in r0
  });

  it('has no program for an object that is no CPU', () => {
    expect(sourceTemplate(resolved(machineTypeDocument('mps2-an385')!), '/machine/uart0', 'main.s')).toBeUndefined();
  });
});

describe('source edits', () => {
  it('add a source as the CPU\'s image, replacing its file image where it stood', () => {
    const next = addSourceImage(hello, '/machine/cpu0', 'main.s', { text: 'x' });
    expect(next.images).toEqual([{ cpu: 'cpu0', source: 'main.s' }]);
    expect(sourceNames(next)).toEqual(['main.s']);
    expect(newSourceName(next)).toBe('main2.s');
    expect(newSourceName(hello)).toBe('main.s');
    expect(hello.images).toEqual([{ cpu: 'cpu0', file: 'firmware/hello.elf' }]); // not changed in place
  });

  it('change a source\'s text, keeping how it is assembled; nothing for an unknown source or the same text', () => {
    const withSource = addSourceImage(hello, '/machine/cpu0', 'main.s', { text: 'a', march: 'rv32i' });
    expect(setSourceText(withSource, 'main.s', 'b')?.sources).toEqual({ 'main.s': { text: 'b', march: 'rv32i' } });
    expect(setSourceText(withSource, 'main.s', 'a')).toBeUndefined();
    expect(setSourceText(withSource, 'other.s', 'b')).toBeUndefined();
  });
});
