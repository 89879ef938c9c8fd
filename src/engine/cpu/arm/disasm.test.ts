// The disassembler's tricky cases without external tools (./disasm.reference.test.ts compares
// whole listings with Debian's arm-none-eabi-objdump). The expected text is the ARM ARM's syntax as
// objdump 2.40 prints it, checked once against `arm-none-eabi-objdump -d` on the same encodings.
import { describe, expect, it } from 'vitest';
import { type ThumbMappingSymbol, ThumbDisassemblyContext, disassembleThumb, thumbDisassembly, thumbExpandImmediate, thumbInstructionLength } from './disasm.ts';

const BASE = 0x1000;
const SYMBOLS: Record<number, string> = { 0x1000: '_start', 0x105e: 'target', 0x1060: 'lit' };

/** Memory holding `halfwords` from BASE, and a symbolizer like objdump's (`name` or `name+0x…`). */
function program(halfwords: number[]) {
  const read16 = (address: number) => {
    const index = (address - BASE) / 2;
    return Number.isInteger(index) && index >= 0 && index < halfwords.length ? halfwords[index] : undefined;
  };
  const symbolize = (target: number) => {
    const below = Object.keys(SYMBOLS).map(Number).filter((a) => a <= target).sort((a, b) => b - a)[0];
    if (below === undefined) return undefined;
    return target === below ? SYMBOLS[below] : `${SYMBOLS[below]}+0x${(target - below).toString(16)}`;
  };
  return { read16, symbolize };
}

/** A sequential listing of `halfwords` from BASE, as "address: bytes text" lines with single spaces. */
function listing(halfwords: number[], mapping: ThumbMappingSymbol[] = []): string[] {
  const { read16, symbolize } = program(halfwords);
  const context = new ThumbDisassemblyContext({ mapping, sectionEnd: BASE + halfwords.length * 2 });
  const lines: string[] = [];
  for (let address = BASE; address < BASE + halfwords.length * 2; ) {
    const line = disassembleThumb(read16, address, context, symbolize);
    if (line === undefined) throw new Error(`nothing at ${address.toString(16)}`);
    lines.push(`${address.toString(16)}: ${line.bytes} ${line.text.replace(/\s+/g, ' ').trim()}`);
    address += line.length;
  }
  return lines;
}

/** One instruction at BASE, its text with single spaces. */
function text(...halfwords: number[]): string {
  const { read16 } = program(halfwords);
  const line = disassembleThumb(read16, BASE, new ThumbDisassemblyContext());
  return line === undefined ? '(nothing)' : line.text.replace(/\s+/g, ' ').trim();
}

describe('disassembleThumb', () => {
  it('expands modified immediates: the plain byte, its three repeating patterns and rotations', () => {
    expect(text(0xf04f, 0x00ab)).toBe('mov.w r0, #171 @ 0xab');
    expect(text(0xf04f, 0x10ab)).toBe('mov.w r0, #11206827 @ 0xab00ab');
    expect(text(0xf04f, 0x20ab)).toBe('mov.w r0, #2868947712 @ 0xab00ab00');
    expect(text(0xf04f, 0x30ab)).toBe('mov.w r0, #2880154539 @ 0xabababab');
    expect(text(0xf501, 0x507f)).toBe('add.w r0, r1, #16320 @ 0x3fc0');
    expect(text(0xf04f, 0x4000)).toBe('mov.w r0, #2147483648 @ 0x80000000');
    expect(text(0xf06f, 0x0000)).toBe('mvn.w r0, #0');
    expect(thumbExpandImmediate(0xf04f4000)).toBe(0x80000000);
  });

  it('prints shifts by 32 and RRX as the ARM ARM writes them', () => {
    expect(text(0x0808)).toBe('lsrs r0, r1, #32');
    expect(text(0xea4f, 0x0021)).toBe('mov.w r0, r1, asr #32');
    expect(text(0xea4f, 0x0031)).toBe('mov.w r0, r1, rrx');
    expect(text(0xeb01, 0x0012)).toBe('add.w r0, r1, r2, lsr #32');
  });

  it('carries IT state: conditions inside the block, flag-setting forms outside it', () => {
    // cmp r0, #1; ite eq; movs r0, #1; movs r0, #2; itt hi; adds r0, r1, #1; add.w r0, r1, #0x1000; adds r0, r1, #1
    expect(listing([0x2801, 0xbf0c, 0x2001, 0x2002, 0xbf84, 0x1c48, 0xf501, 0x5080, 0x1c48])).toEqual([
      '1000: 2801 cmp r0, #1',
      '1002: bf0c ite eq',
      '1004: 2001 moveq r0, #1',
      '1006: 2002 movne r0, #2',
      '1008: bf84 itt hi',
      '100a: 1c48 addhi r0, r1, #1',
      '100c: f501 5080 addhi.w r0, r1, #4096 @ 0x1000',
      '1010: 1c48 adds r0, r1, #1',
    ]);
  });

  it('reads back for an IT instruction when a listing starts inside a block, as objdump does', () => {
    // nop; ite eq; moveq r0, #1; movne r0, #2; itt ne; addne.w r0, r1, #4096; movne r1, r2; nop —
    // `arm-none-eabi-objdump -d --start-address=…` at each address prints what is expected here,
    // the middle of the 32-bit instruction and the instruction after it included.
    const { read16 } = program([0xbf00, 0xbf0c, 0x2001, 0x2002, 0xbf1c, 0xf501, 0x5080, 0x4611, 0xbf00]);
    const at = (address: number) => disassembleThumb(read16, address, new ThumbDisassemblyContext({ symbols: [0x1000] }))?.text.replace(/\s+/g, ' ');
    expect(at(0x1004)).toBe('moveq r0, #1');
    expect(at(0x1006)).toBe('movne r0, #2');
    expect(at(0x100c)).toBe('strne r0, [r0, r2]');
    expect(at(0x100e)).toBe('mov r1, r2');
    expect(at(0x1010)).toBe('nop');
  });

  it('prints literal loads and ADR with the address they form, symbolized', () => {
    const words = new Array<number>(0x30).fill(0xbf00);
    words[(0x103c - BASE) / 2] = 0x4808; // ldr r0, [pc, #32]
    words[(0x103e - BASE) / 2] = 0xa108; // adr r1, lit
    const lines = listing(words);
    expect(lines[(0x103c - BASE) / 2]).toBe('103c: 4808 ldr r0, [pc, #32] @ (1060 <lit>)');
    expect(lines[(0x103e - BASE) / 2]).toBe('103e: a108 add r1, pc, #32 @ (adr r1, 1060 <lit>)');
  });

  it('prints LDM/STM register lists with writeback only where the base is not loaded', () => {
    expect(text(0xc806)).toBe('ldmia r0!, {r1, r2}');
    expect(text(0xc803)).toBe('ldmia r0, {r0, r1}');
    expect(text(0xe92d, 0x4030)).toBe('stmdb sp!, {r4, r5, lr}');
    expect(text(0xe8b0, 0x0106)).toBe('ldmia.w r0!, {r1, r2, r8}');
    expect(text(0xb570)).toBe('push {r4, r5, r6, lr}');
    expect(text(0xbd70)).toBe('pop {r4, r5, r6, pc}');
  });

  it('prints TBB/TBH, and CBZ/CBNZ/BL targets with their symbols', () => {
    expect(text(0xe8df, 0xf001)).toBe('tbb [pc, r1]');
    expect(text(0xe8df, 0xf011)).toBe('tbh [pc, r1, lsl #1]');
    const words = new Array<number>(0x2e).fill(0xbf00);
    words[(0x1054 - BASE) / 2] = 0xb118; // cbz r0, target
    words[(0x1056 - BASE) / 2] = 0xb917; // cbnz r7, target
    words[(0x1058 - BASE) / 2] = 0xf000; // bl target
    words[(0x105a - BASE) / 2] = 0xf801;
    const lines = listing(words);
    expect(lines.filter((l) => /^105[468]/.test(l))).toEqual(['1054: b118 cbz r0, 105e <target>', '1056: b917 cbnz r7, 105e <target>', '1058: f000 f801 bl 105e <target>']);
  });

  it('prints $d data as .word, .short and .byte as objdump sizes them', () => {
    const lines = listing([0x4770, 0x0000, 0x5678, 0x1234, 0x0201, 0x0003], [
      { address: 0x1000, kind: 'code' },
      { address: 0x1002, kind: 'data' },
      { address: 0x100b, kind: 'data' },
    ]);
    expect(lines).toEqual(['1000: 4770 bx lr', '1002: 0000 .short 0x0000', '1004: 12345678 .word 0x12345678', '1008: 0201 .short 0x0201', '100a: 03 .byte 0x03', '100b: 00 .byte 0x00']);
  });

  it('prints special registers, barriers and system instructions as objdump names them', () => {
    expect(text(0xf3ef, 0x8010)).toBe('mrs r0, PRIMASK');
    expect(text(0xf3ef, 0x8000)).toBe('mrs r0, CPSR');
    expect(text(0xf381, 0x8811)).toBe('msr BASEPRI, r1');
    expect(text(0xf381, 0x8800)).toBe('msr CPSR_f, r1');
    expect(text(0xf3bf, 0x8f4f)).toBe('dsb sy');
    expect(text(0xf3bf, 0x8f5b)).toBe('dmb ish');
    expect(text(0xf3bf, 0x8f6f)).toBe('isb sy');
    expect(text(0xb662)).toBe('cpsie i');
    expect(text(0xbeab)).toBe('bkpt 0x00ab');
    expect(text(0xdfff)).toBe('svc 255 @ 0xff');
    expect(text(0xde03)).toBe('udf #3');
    expect(text(0xf7f0, 0xa12c)).toBe('udf.w #300 @ 0x12c');
  });

  it('returns undefined where there is nothing to read', () => {
    const { read16 } = program([0xf000]);
    expect(disassembleThumb(read16, 0x1000, new ThumbDisassemblyContext())).toBeUndefined();
    expect(disassembleThumb(read16, 0x2000, new ThumbDisassemblyContext())).toBeUndefined();
  });

  it('serves the debug contract: a listing over a CodeReader, and instruction lengths', () => {
    const bytes = new Uint8Array([0x0c, 0xbf, 0x01, 0x20, 0x02, 0x20, 0x00, 0xf0, 0x01, 0xf8]); // ite eq; movs; movs; bl
    const read = (address: number, length: number) => (address >= BASE && address + length <= BASE + bytes.length ? bytes.subarray(address - BASE, address - BASE + length) : undefined);
    const listing = thumbDisassembly({ symbolize: (target) => (target === 0x100c ? 'main' : undefined) });
    const texts = [0x1000, 0x1002, 0x1004, 0x1006].map((address) => listing.next(read, address)?.text);
    expect(texts).toEqual(['ite\teq', 'moveq\tr0, #1', 'movne\tr0, #2', 'bl\t100c <main>']);
    expect(listing.next(read, 0x100a)).toBeUndefined();
    expect([0x4770, 0xe7fe, 0xe800, 0xf000, 0xf800].map(thumbInstructionLength)).toEqual([2, 2, 4, 4, 4]);
  });
});
