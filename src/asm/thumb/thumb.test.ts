// The Thumb backend's diagnostics: bad input gets what, where (line and column) and a hint, and
// ARMv6-M rejects the ARMv7-M forms. (Encodings are checked against GNU as in thumb.reference.test.ts.)

import { describe, expect, it } from 'vitest';
import { assemble, type AsmDiagnostic } from '../index.ts';

function firstError(source: string, march: 'armv7-m' | 'armv6-m' = 'armv7-m'): AsmDiagnostic {
  const result = assemble(source, { march });
  if (result.ok) throw new Error(`expected an error for ${JSON.stringify(source)}`);
  return result.errors[0];
}

function textOf(source: string, march: 'armv7-m' | 'armv6-m' = 'armv7-m'): number[] {
  const result = assemble(source, { march });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const view = new DataView(result.elf.buffer, result.elf.byteOffset);
  // The first program header's segment is .text at offset p_offset.
  const phoff = view.getUint32(0x1c, true);
  const offset = view.getUint32(phoff + 4, true);
  const size = view.getUint32(phoff + 16, true);
  const halfwords: number[] = [];
  for (let i = 0; i < size; i += 2) halfwords.push(view.getUint16(offset + i, true));
  return halfwords;
}

describe('Thumb assembler: ARMv6-M rejects ARMv7-M forms', () => {
  it.each([
    ['mov r0, #1', /mov .*32-bit Thumb-2 instruction, which ARMv6-M \(cortex-m0\) does not have/],
    ['add.w r0, r1, r2', /add\.w .*ARMv6-M/],
    ['ldr r0, [r1, #128]', /ldr .*ARMv6-M/],
    ['cbz r0, 1f\n1: nop', /cbz is an ARMv7-M instruction/],
    ['it eq\n moveq r0, r1', /IT blocks are ARMv7-M/],
    ['mrs r0, basepri', /basepri is an ARMv7-M register/],
    ['udiv r0, r1, r2', /udiv .*ARMv6-M/],
  ])('%s', (line, message) => {
    const error = firstError(`.syntax unified\n ${line}\n`, 'armv6-m');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(message);
    expect(error.hint ?? '').not.toBe('');
  });

  it('.cpu cortex-m0 in the source switches to ARMv6-M, and the 16-bit forms assemble', () => {
    expect(firstError('.cpu cortex-m0\n movs r0, #1\n mov r0, #1\n').line).toBe(3);
    expect(textOf(' movs r0, #1\n adds r0, r0, r1\n nop\n', 'armv6-m')).toEqual([0x2001, 0x1840, 0x46c0]);
  });
});

describe('Thumb assembler: IT blocks', () => {
  it('a conditional instruction outside an IT block is an error that suggests the IT', () => {
    const error = firstError(' addeq r0, r1\n');
    expect(error).toMatchObject({ line: 1, column: 2, message: 'conditional instruction outside an IT block', hint: 'put `it eq` before it' });
  });

  it('an instruction whose condition does not match the block is an error naming the expected one', () => {
    const error = firstError(' it eq\n addsne r0, r1\n');
    expect(error).toMatchObject({ line: 2, column: 2, message: 'instruction with condition ne inside an IT block that expects eq', hint: 'write it as addseq, or change the IT instruction' });
    expect(firstError(' itt eq\n addeq r0, r1\n add r0, r1\n').message).toBe('instruction with no condition inside an IT block that expects eq');
  });

  it('a branch must be the last instruction of its block', () => {
    expect(firstError(' itt eq\n bxeq lr\n moveq r0, r1\n')).toMatchObject({ line: 2, message: 'bx inside an IT block must be its last instruction' });
  });

  it('encodes the mask of every pattern (then = same condition, else = inverse)', () => {
    expect(textOf(' ite eq\n moveq r0, r1\n movne r0, r2\n itete ne\n movne r0, r1\n moveq r0, r1\n movne r0, r1\n moveq r0, r1\n')[0]).toBe(0xbf0c);
    expect(textOf(' itete ne\n movne r0, r1\n moveq r0, r1\n movne r0, r1\n moveq r0, r1\n')[0]).toBe(0xbf15);
  });
});

describe('Thumb assembler: operands and ranges', () => {
  it.each([
    [' mov r0, #0x12340000', 1, 10, /the constant 0x12340000 cannot be moved in one instruction/],
    [' and r0, r1, #0x12340000', 1, 14, /cannot be encoded as a Thumb-2 immediate/],
    [' ldr r0, [r1, #5000]', 1, 15, /offset 5000 is out of range 0\.\.4095/],
    [' lsls r0, r1, #33', 1, 15, /shift amount 33 is out of range 0\.\.31/],
    [' ldr r0, [r1, 4]', 1, 15, /offset is neither `#imm` nor a register/],
    [' ldr r0, [r1, #4', 1, 10, /memory operand is missing its `]`/],
    [' push {r5-r4}', 1, 8, /register range goes downwards/],
    [' ldm r0!, {r0, r1}', 1, 11, /base register may not be in the list when it is written back/],
    [' frob r0, r1', 1, 2, /unknown instruction 'frob'/],
    [' adds.n r8, r1, r2', 1, 2, /adds\.n: these operands need a 32-bit encoding/],
    [' muls r8, r9, r10', 1, 2, /muls has only the 16-bit form/],
    [' .syntax divided', 1, 2, /\.syntax divided is not supported/],
    [' .arm', 1, 2, /ARM \(A32\) code is not supported/],
  ])('%s', (source, line, column, message) => {
    const error = firstError(`${source}\n`);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.message).toMatch(message);
  });

  it('labels out of reach are errors with the distance', () => {
    expect(firstError('1: nop\n cbz r0, 1b\n')).toMatchObject({ line: 2, column: 10, message: 'the label is -6 bytes away; cbz reaches 0..126 bytes forward' });
    expect(firstError(' b.n far\n .space 4000\nfar: nop\n')).toMatchObject({ line: 1, message: 'the label is 3998 bytes away, beyond the ±2048 reach of a 16-bit branch' });
    expect(firstError(' ldr r0, far\n .space 5000\nfar: .word 1\n').message).toBe('the label is 5000 bytes away; a pc-relative load reaches ±4095');
    expect(firstError(' ldr r0, =0x12345678\n .space 5000\n').message).toMatch(/the literal pool is 5000 bytes away; a literal load reaches ±4095/);
    expect(textOf(' ldr r0, =0x12345678\n .space 2000\n').slice(0, 2)).toEqual([0xf8df, 0x07d0]); // out of 16-bit reach: ldr.w
    expect(firstError(' bl nowhere\n')).toMatchObject({ line: 1, column: 5, message: "undefined symbol 'nowhere'" });
  });

  it('a branch grows to 32 bits only when its target is out of 16-bit reach', () => {
    expect(textOf(' b 1f\n .space 2046\n1: nop\n')[0]).toBe(0xe3fe);
    expect(textOf(' b 1f\n .space 2048\n1: nop\n')[0]).toBe(0xe3ff);
    expect(textOf(' b 1f\n .space 2050\n1: nop\n').slice(0, 2)).toEqual([0xf000, 0xbc01]);
    expect(textOf(' beq 1f\n .space 254\n1: nop\n')[0]).toBe(0xd07e);
    expect(textOf(' beq 1f\n .space 256\n1: nop\n')[0]).toBe(0xd07f);
    expect(textOf(' beq 1f\n .space 258\n1: nop\n').slice(0, 2)).toEqual([0xf000, 0x8081]);
  });

  it('a .thumb_func symbol has bit 0 set in the symbol table and in data words', () => {
    const result = assemble(' .thumb_func\nf: bx lr\n .word f\ng: .word g\n', { march: 'armv7-m' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.symbols.find((s) => s.name === 'f')?.address).toBe(1);
    expect(result.symbols.find((s) => s.name === 'g')?.address).toBe(6);
    expect(textOf(' .thumb_func\nf: bx lr\n .word f\ng: .word g\n')).toEqual([0x4770, 0x0001, 0x0000, 0x0006, 0x0000]);
  });
});
