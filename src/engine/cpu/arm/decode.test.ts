// The decoder's table and the core's literal case labels: cortex-m.ts switches over Insn.op with
// literal labels (a jump table for V8), each commented with the Op it stands for; they must agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode, Op } from './decode.ts';
import { SLOT_NOT_DECODED, SLOT_PAGE_END, SlotOp } from './slots.ts';

describe('Cortex-M decoder', () => {
  it("the core's literal case labels name the Op they are", () => {
    const source = readFileSync(new URL('./cortex-m.ts', import.meta.url), 'utf8');
    const labels = [...source.matchAll(/case (\d+) \/\* (\w+) \*\//g)];
    expect(labels.length).toBeGreaterThan(60);
    for (const [, value, name] of labels) expect({ name, value: Number(value) }).toEqual({ name, value: Op[name as keyof typeof Op] });
    // every op the decoder produces has a case
    const covered = new Set(labels.map(([, value]) => Number(value)));
    for (const [name, value] of Object.entries(Op)) expect({ name, covered: covered.has(value) }).toEqual({ name, covered: true });
    // and the slot-only ops (./slots.ts) likewise, none of them an Op
    const slotLabels = [...source.matchAll(/case (\d+) \/\* slot (\w+) \*\//g)];
    for (const [, value, name] of slotLabels) expect({ name, value: Number(value) }).toEqual({ name, value: SlotOp[name as keyof typeof SlotOp] });
    const slotCovered = new Set(slotLabels.map(([, value]) => Number(value)));
    for (const [name, value] of Object.entries(SlotOp)) {
      expect({ name, covered: slotCovered.has(value) }).toEqual({ name, covered: true });
      expect(Object.values(Op)).not.toContain(value);
    }
    // the slot markers are neither
    for (const marker of [SLOT_NOT_DECODED, SLOT_PAGE_END]) {
      expect(Object.values(Op)).not.toContain(marker);
      expect(Object.values(SlotOp)).not.toContain(marker);
    }
  });

  it('decodes both halves of 32-bit encodings and 16-bit ones by their first halfword', () => {
    expect(decode(0x2005, 0, 0x100)).toMatchObject({ op: Op.MOV, len: 2, rd: 0, imm: 5 }); // movs r0, #5
    expect(decode(0xf240, 0x0105, 0x100)).toMatchObject({ op: Op.MOV, len: 4, rd: 1, imm: 5 }); // movw r1, #5
    expect(decode(0xf000, 0xf802, 0x100)).toMatchObject({ op: Op.BL, imm: 0x108 }); // bl pc+4+4
    expect(decode(0xe7fe, 0, 0x100)).toMatchObject({ op: Op.B, imm: 0x100 }); // b .
    expect(decode(0x4800, 0, 0x102)).toMatchObject({ op: Op.LOAD, imm: 0x104 }); // ldr r0, [pc, #0] from a halfword-aligned pc
    expect(decode(0xde00, 0, 0).op).toBe(Op.UDF);
    expect(decode(0xee00, 0x0a10, 0).op).toBe(Op.NOCP); // a coprocessor (VFP) encoding
  });
});
